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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in sessions: a random id in an {@code HttpOnly}, {@code SameSite=Strict}
 * cookie stands for an API key's id (never the key) for a while. Kept in this process's memory
 * only, under the SHA-256 of the id (a heap dump shows no usable cookie); a restart signs everyone
 * out. A session ends after {@link #idle} without a request, or {@link #absolute} after sign-in,
 * whichever comes first, on the server's clock; each sign-in makes a new id (no fixation).
 *
 * <p>What a session may do is decided per request from its key's current row: a revoked key's
 * sessions stop at once ({@link Authenticator}).
 */
final class Sessions {
  static final String COOKIE = "lns_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** A live session: its key's id, its anti-CSRF token, and when it began and was last used. */
  record Session(String keyId, String csrfToken, Instant createdAt, Instant lastSeen) {
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

  Sessions(Clock clock, Duration idle, Duration absolute, int max) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
      throw new IllegalArgumentException("session timeouts: idle > 0 and absolute >= idle");
    }
    this.idle = idle;
    this.absolute = absolute;
    this.max = max;
  }

  /** The {@code Set-Cookie} value that sets (or, {@code clear}, removes) the session cookie. */
  static String setCookie(String id, boolean secure, boolean clear) {
    return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
        + (clear ? "; Max-Age=0" : "");
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

  /** A new session for the key with id {@code keyId}; the oldest sessions go when there are too many. */
  Created create(String keyId) {
    Instant now = clock.instant();
    purge(now);
    while (byHash.size() >= max) {
      byHash.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastSeen()))
          .ifPresent(e -> byHash.remove(e.getKey()));
    }
    String id = token();
    Session s = new Session(keyId, token(), now, now);
    byHash.put(hash(id), s);
    return new Created(id, s);
  }

  /** The live session with this cookie id, marked as used now; empty (and forgotten) once it expired. */
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
    Session used = new Session(s.keyId(), s.csrfToken(), s.createdAt(), now);
    byHash.replace(h, s, used);
    return Optional.of(used);
  }

  void end(String id) {
    byHash.remove(hash(id));
  }

  int size() {
    return byHash.size();
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
      return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
