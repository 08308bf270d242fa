package com.lanonasis.secrets.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in sessions: a random id in an {@code HttpOnly}, {@code SameSite=Strict}
 * cookie stands for an API key's id (never the key) for a while, together with an anti-CSRF token
 * that only the sign-in answer carries: the cookie alone authenticates nothing. Kept in this
 * process's memory only, under the SHA-256 of the id (a heap dump shows no usable cookie); a
 * restart signs everyone out. A session ends after {@link #idle} without a request, or {@link
 * #absolute} after sign-in, whichever comes first, on the server's clock; each sign-in makes a new
 * id (no fixation).
 *
 * <p>What a session may do is decided per request from its key's current row: a revoked key's
 * sessions stop at once ({@link Authenticator}).
 */
final class Sessions {
  /**
   * The cookie's name over plain HTTP (loopback only), where a {@code __Host-} cookie cannot be
   * set.
   */
  static final String COOKIE = "lns_session";

  /**
   * The cookie's name under TLS: the browser accepts a {@code __Host-} cookie only with {@code
   * Secure}, {@code Path=/} and no {@code Domain}, so a sibling subdomain cannot plant one.
   */
  static final String HOST_COOKIE = "__Host-lns_session";

  /** Live sessions one key may hold; its oldest ends when it signs in once more. */
  static final int MAX_PER_KEY = 20;

  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /**
   * A live session: its key's id, its anti-CSRF token, when it began and was last used, and its
   * place in the order of sign-ins (clocks tie).
   */
  record Session(String keyId, String csrfToken, Instant createdAt, Instant lastSeen, long serial) {
    @Override
    public String toString() {
      return "Session[keyId=" + keyId + ", createdAt=" + createdAt + "]";
    }
  }

  /** A new session and the id its cookie carries (the only copy of it). */
  record Created(String id, Session session) {
    @Override
    public String toString() {
      return "Created[" + session + "]";
    }
  }

  private final Map<String, Session> byHash = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final int max;
  private long serial;

  Sessions(Clock clock, Duration idle, Duration absolute, int max) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
      throw new IllegalArgumentException("session timeouts: idle > 0 and absolute >= idle");
    }
    this.idle = idle;
    this.absolute = absolute;
    this.max = max;
  }

  /** The session cookie's name: {@link #HOST_COOKIE} under TLS, else {@link #COOKIE}. */
  static String cookieName(boolean secure) {
    return secure ? HOST_COOKIE : COOKIE;
  }

  /** The {@code Set-Cookie} value that sets (or, {@code clear}, removes) the session cookie. */
  static String setCookie(String id, boolean secure, boolean clear) {
    return setCookie(id, secure, clear, "/");
  }

  private static String setCookie(String id, boolean secure, boolean clear, String path) {
    return cookieName(secure)
        + "="
        + id
        + "; Path="
        + path
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "")
        + (clear ? "; Max-Age=0" : "");
  }

  /**
   * {@code Set-Cookie} values that remove a session cookie from {@code /} and from every path the
   * browser would send with {@code requestPath} ({@code /api}, {@code /api/}, {@code /api/v1} …): a
   * cookie planted by a co-hosted page under a longer path is sent first and would otherwise
   * outlive every clearing of {@code Path=/}. A cookie planted with a {@code Domain} can only be
   * removed by its own {@code Domain}, which the server cannot know (under TLS the {@code __Host-}
   * name rules such a cookie out).
   */
  static List<String> clearCookies(boolean secure, String requestPath) {
    Set<String> paths = new LinkedHashSet<>(List.of("/", "/api", "/api/", "/api/v1", "/api/v1/"));
    // split's dropping of trailing empty strings is wanted: "/a/" clears "/a" and "/a/", not
    // "/a//".
    @SuppressWarnings("StringSplitter")
    String[] segments = requestPath.split("/");
    StringBuilder path = new StringBuilder();
    for (int i = 1; i < segments.length && i <= 8; i++) {
      path.append('/').append(segments[i]);
      paths.add(path.toString());
      paths.add(path + "/");
    }
    return paths.stream()
        .filter(p -> p.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';' && c != ','))
        .map(p -> setCookie("", secure, true, p))
        .toList();
  }

  Duration idle() {
    return idle;
  }

  /** When {@code s} ends if it is used no more. */
  Instant expiresAt(Session s) {
    Instant byIdle = s.lastSeen().plus(idle);
    Instant byAge = s.createdAt().plus(absolute);
    return byIdle.isBefore(byAge) ? byIdle : byAge;
  }

  /**
   * A new session for the key with id {@code keyId}. A key that already holds {@link #MAX_PER_KEY}
   * loses its own oldest session, so no key can evict another key's sessions by signing in over and
   * over; only past {@code max} sessions in all does the least recently used go, whoever's it is.
   */
  synchronized Created create(String keyId) {
    Instant now = clock.instant();
    purge(now);
    List<Map.Entry<String, Session>> own =
        byHash.entrySet().stream()
            .filter(e -> e.getValue().keyId().equals(keyId))
            .sorted(Comparator.comparingLong(e -> e.getValue().serial()))
            .toList();
    for (int i = 0; i <= own.size() - MAX_PER_KEY; i++) {
      byHash.remove(own.get(i).getKey());
    }
    while (byHash.size() >= max) {
      byHash.entrySet().stream()
          .min(Comparator.comparing(e -> e.getValue().lastSeen()))
          .ifPresent(e -> byHash.remove(e.getKey()));
    }
    String id = token();
    Session s = new Session(keyId, token(), now, now, ++serial);
    byHash.put(hash(id), s);
    return new Created(id, s);
  }

  /**
   * The live session with this cookie id, marked as used now; empty (and forgotten) once it
   * expired.
   */
  Optional<Session> use(String id) {
    String h = hash(id);
    Session s = byHash.get(h);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(expiresAt(s)) || now.isBefore(s.createdAt())) {
      byHash.remove(h, s);
      return Optional.empty();
    }
    Session used = new Session(s.keyId(), s.csrfToken(), s.createdAt(), now, s.serial());
    byHash.replace(h, s, used);
    return Optional.of(used);
  }

  void end(String id) {
    byHash.remove(hash(id));
  }

  int size() {
    return byHash.size();
  }

  /** How many live sessions the key with id {@code keyId} holds. */
  long countOf(String keyId) {
    return byHash.values().stream().filter(s -> s.keyId().equals(keyId)).count();
  }

  private void purge(Instant now) {
    byHash.entrySet().removeIf(e -> !now.isBefore(expiresAt(e.getValue())));
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return B64.encodeToString(b);
  }

  private static String hash(String id) {
    try {
      return B64.encodeToString(
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
