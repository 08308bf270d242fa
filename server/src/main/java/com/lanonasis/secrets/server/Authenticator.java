package com.lanonasis.secrets.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first link of the chain for every {@code /api} route that needs a key: turns the request's
 * {@code Authorization} header into the typed principal ({@link ApiKey}) or refuses it with a
 * problem, in this order:
 *
 * <ol>
 *   <li>a key, or a credential-looking parameter, in the URL's query: 400 (treat the key as leaked);
 *   <li>more than one {@code Authorization} header: 400 (which one would count is ambiguous);
 *   <li>the address's bucket of failed authentications is empty: 429 with {@code Retry-After} —
 *       whatever the request carries, so the throttle tells a guesser nothing;
 *   <li>no {@code Authorization} header, not {@code Bearer}, or a key that is malformed, unknown or
 *       revoked: 401, and one token out of the address's bucket.
 * </ol>
 *
 * Keyless requests count against the bucket like bad keys: a client that floods without a key is
 * throttled too (and its refusals are aggregated in the audit log, see {@link AuditFilter}). An API
 * key pasted into a secret's name is the name check's to refuse ({@link SecretRoutes}); {@link #redact}
 * is what everything that records a name applies first.
 */
final class Authenticator {
  private static final String PRINCIPAL = "lanonasis.apiKey";
  /** Query parameters that look like someone put a credential in the URL. */
  private static final Set<String> CREDENTIAL_PARAMS = Set.of("api_key", "apikey", "api-key", "key", "token",
      "access_token", "authorization");
  /** An API key's shape, wherever it appears: {@code lns_} + 16 hex digits + {@code _} + its secret part. */
  static final Pattern KEY_PATTERN = Pattern.compile("lns_([0-9a-f]{16})_[A-Za-z0-9_-]+");

  private static final String SESSION = "lanonasis.session";
  private static final String SESSION_STATE = "lanonasis.sessionState";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final ApiKeys keys;
  private final AuthThrottle throttle;
  private final ServerMetrics metrics;
  private final Sessions sessions;

  Authenticator(ApiKeys keys, AuthThrottle throttle, ServerMetrics metrics, Sessions sessions) {
    this.keys = keys;
    this.throttle = throttle;
    this.metrics = metrics;
    this.sessions = sessions;
  }

  /** The cookie id of the dashboard session this request authenticated with, if it did. */
  static Optional<String> sessionIfAny(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION));
  }

  /** That session as this request found it (already marked as used: no second lookup needed). */
  static Optional<Sessions.Session> sessionStateIfAny(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION_STATE));
  }

  /** The key that authenticated this request; only inside a route that needs one. */
  static ApiKey principal(Context ctx) {
    ApiKey key = ctx.attribute(PRINCIPAL);
    if (key == null) {
      throw new IllegalStateException("no authenticated API key on this request");
    }
    return key;
  }

  /** The key that authenticated this request, if one did. */
  static Optional<ApiKey> principalIfAny(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PRINCIPAL));
  }

  /** {@code text} with every API key in it reduced to its public id: {@code lns_<id>_***}. */
  static String redact(String text) {
    return text == null ? null : KEY_PATTERN.matcher(text).replaceAll("lns_$1_***");
  }

  /** Authenticates the request, or throws the {@link Problem} that refuses it. */
  void authenticate(Context ctx) {
    for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
      boolean looksLikeKey = p.getValue().stream().anyMatch(v -> v.startsWith("lns_"));
      if (looksLikeKey || CREDENTIAL_PARAMS.contains(p.getKey().toLowerCase(Locale.ROOT))) {
        throw Problem.badRequest("API keys are accepted only in the Authorization header, never in the URL; "
            + "treat a key sent in a URL as leaked and revoke it");
      }
    }
    List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
    if (headers.size() > 1) {
      throw Problem.badRequest("more than one Authorization header; send exactly one");
    }
    String address = ctx.req().getRemoteAddr();
    Optional<Duration> wait = throttle.retryAfter(address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      metrics.throttled();
      throw new Problem(429, "Too Many Requests", "too many failed authentications from this address; "
          + "retry after " + seconds + " s");
    }
    String header = headers.isEmpty() ? null : headers.get(0);
    String cookie = ctx.cookie(Sessions.COOKIE);
    if ((header == null || header.isBlank()) && cookie != null) {
      authenticateSession(ctx, cookie, address);
      return;
    }
    if (header == null || header.isBlank()) {
      // The dashboard's page asks "am I signed in?" on every load, and its cookie is HttpOnly, so it
      // cannot tell beforehand: that question without any credential guesses nothing and is not
      // counted, or a few reloads would throttle the sign-in that follows.
      if (!(ctx.method() == HandlerType.GET && ctx.path().equals(SessionRoutes.PATH))) {
        throttle.failed(address);
      }
      metrics.authFailure();
      ctx.header("WWW-Authenticate", "Bearer");
      throw new Problem(401, "Unauthorized", "an API key is required: Authorization: Bearer lns_...");
    }
    Optional<ApiKey> key = Optional.empty();
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = keys.authenticate(header.substring(7).trim());
    }
    if (key.isEmpty()) {
      throttle.failed(address);
      metrics.authFailure();
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new Problem(401, "Unauthorized", "the API key is not valid");
    }
    ctx.attribute(PRINCIPAL, key.get());
  }

  /**
   * A dashboard session instead of a key: the session must be live and its key not revoked (read
   * again on every request); a request that may change something must also carry the session's
   * {@code X-CSRF-Token} and an {@code Origin} that is this server's own. Refused before any
   * handler runs, so a refused request changes nothing.
   */
  private void authenticateSession(Context ctx, String cookie, String address) {
    Optional<Sessions.Session> session = sessions.use(cookie);
    Optional<ApiKey> key = session.flatMap(s -> keys.active(s.keyId()));
    if (key.isEmpty()) {
      sessions.end(cookie);
      throttle.failed(address);
      metrics.authFailure();
      ctx.header("WWW-Authenticate", "Bearer");
      // Cleared, so the browser stops sending an id that will never work again.
      ctx.header("Set-Cookie", Sessions.setCookie("", "https".equals(ctx.scheme()), true));
      throw new Problem(401, "Unauthorized", "the session has ended, or its key was revoked; sign in again");
    }
    if (!SAFE_METHODS.contains(ctx.method().name())) {
      String token = ctx.header(Sessions.CSRF_HEADER);
      String origin = ctx.header("Origin");
      boolean tokenOk = token != null && java.security.MessageDigest.isEqual(
          token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          session.get().csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (!tokenOk || origin == null || !origin.equals(ownOrigin(ctx))) {
        ctx.attribute(PRINCIPAL, key.get()); // the refusal is audited under the session's key
        throw new Problem(403, "Forbidden", "a change made with a dashboard session needs the session's "
            + Sessions.CSRF_HEADER + " header and an Origin header naming this server");
      }
    }
    ctx.attribute(PRINCIPAL, key.get());
    ctx.attribute(SESSION, cookie);
    ctx.attribute(SESSION_STATE, session.get());
  }

  /** {@code scheme://host[:port]} as the browser addressed this server. */
  static String ownOrigin(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }
}
