package com.lanonasis.secrets.server;

import com.lanonasis.secrets.wire.ApiKeyFormat;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first link of the chain for every {@code /api} route that needs a key: turns the request's
 * {@code Authorization} header into the typed principal ({@link ApiKey}) or refuses it with a
 * problem, in this order:
 *
 * <ol>
 *   <li>a key, or a credential-looking parameter, in the URL's query: 400 (treat the key as
 *       leaked);
 *   <li>more than one {@code Authorization} header: 400 (which one would count is ambiguous);
 *   <li>a valid key: through, whatever the address's failures;
 *   <li>no {@code Authorization} header, not {@code Bearer}, or a key that is malformed, unknown or
 *       revoked: 401, and one token out of the address's bucket of failed authentications; 429 with
 *       {@code Retry-After} instead while that bucket is empty.
 * </ol>
 *
 * Keyless requests count against the bucket like bad keys: a client that floods without a key is
 * throttled too (and its refusals are aggregated in the audit log, see {@link AuditFilter}). An API
 * key pasted into a secret's name is the name check's to refuse ({@link SecretRoutes}); {@link
 * #redact} is what everything that records a name applies first.
 */
final class Authenticator {
  /** Query parameters that look like someone put a credential in the URL. */
  private static final Set<String> CREDENTIAL_PARAMS =
      Set.of("api_key", "apikey", "api-key", "key", "token", "access_token", "authorization");

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

  /**
   * Who made a request: the key, and the dashboard session it came with (already marked as used),
   * if any.
   */
  record Authenticated(ApiKey key, Optional<Call.Session> session) {}

  /**
   * A refused authentication: the problem to answer with, and the key it is audited under when one
   * was known (a session whose anti-CSRF token or Origin was wrong); none for a missing or bad key.
   */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;
    private final transient Optional<ApiKey> key;

    Refusal(Problem problem, Optional<ApiKey> key) {
      super(problem.getMessage(), null, false, false);
      this.problem = problem;
      this.key = key;
    }

    Problem problem() {
      return problem;
    }

    Optional<ApiKey> key() {
      return key;
    }
  }

  /** {@code text} with every API key in it reduced to its public id: {@code lns_<id>_***}. */
  static String redact(String text) {
    return ApiKeyFormat.redact(text);
  }

  /** Authenticates the request, or throws the {@link Refusal} that refuses it. */
  Authenticated authenticate(Context ctx) {
    try {
      return check(ctx);
    } catch (Problem p) {
      throw new Refusal(p, Optional.empty());
    }
  }

  private Authenticated check(Context ctx) {
    for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
      boolean looksLikeKey = p.getValue().stream().anyMatch(v -> v.startsWith(ApiKeyFormat.PREFIX));
      if (looksLikeKey || CREDENTIAL_PARAMS.contains(p.getKey().toLowerCase(Locale.ROOT))) {
        throw Problem.badRequest(
            "API keys are accepted only in the Authorization header, never in the URL; "
                + "treat a key sent in a URL as leaked and revoke it");
      }
    }
    List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
    if (headers.size() > 1) {
      throw Problem.badRequest("more than one Authorization header; send exactly one");
    }
    String address = ctx.req().getRemoteAddr();
    String header = headers.isEmpty() ? null : headers.get(0);
    boolean secure = "https".equals(ctx.scheme());
    List<String> cookies = sessionCookies(ctx, Sessions.cookieName(secure));
    if ((header == null || header.isBlank()) && !cookies.isEmpty()) {
      return authenticateSession(ctx, cookies, address, secure);
    }
    if (header == null || header.isBlank()) {
      // The dashboard's page asks "am I signed in?" on every load, and its cookie is HttpOnly, so
      // it
      // cannot tell beforehand: that question without any credential guesses nothing and is not
      // counted, or a few reloads would throttle the sign-in that follows.
      boolean probe = ctx.method().equals(HandlerType.GET) && ctx.path().equals(SessionRoutes.PATH);
      throw refuse(
          ctx,
          address,
          !probe,
          "no API key was sent",
          new Problem(
              401, "Unauthorized", "an API key is required: Authorization: Bearer lns_..."));
    }
    Optional<ApiKey> key = Optional.empty();
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = keys.authenticate(header.substring(7).trim());
    }
    if (key.isEmpty()) {
      throw refuse(
          ctx,
          address,
          true,
          "the API key is not valid (unknown, revoked or mistyped)",
          new Problem(401, "Unauthorized", "the API key is not valid"));
    }
    return new Authenticated(key.get(), Optional.empty());
  }

  /**
   * The refusal of an unauthenticated request: 429 while the address has no failed attempt left,
   * else {@code refusal} (401); {@code counted} takes one attempt from the address's bucket. A
   * valid key never gets here, so other clients' failures from the same address (a shared proxy, a
   * keyless flood) cannot lock it out. That lets a throttled address still have keys checked; a
   * key's secret part is 256 random bits, so the throttle is not what stops guessing — it is what
   * keeps a flood of failures at a constant cost (one indexed row read and one SHA-256 each, as for
   * a valid key) and aggregated in the audit log, and tells a failing client to back off.
   *
   * <p>{@code WWW-Authenticate} always carries {@code error="invalid_token"} with a description,
   * even for a missing key where RFC 6750 would send none: an MCP client that sees a bare {@code
   * Bearer} challenge starts OAuth discovery, which this server does not offer; with an error and
   * its description it shows why instead.
   */
  private Problem refuse(
      Context ctx, String address, boolean counted, String why, Problem refusal) {
    Optional<Duration> wait = throttle.retryAfter(address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      metrics.throttled();
      return new Problem(
          429,
          "Too Many Requests",
          "too many failed authentications from this address; " + "retry after " + seconds + " s");
    }
    if (counted) {
      throttle.failed(address);
    }
    metrics.authFailure();
    ctx.header("WWW-Authenticate", challenge(why));
    return refusal;
  }

  private static String challenge(String why) {
    return "Bearer error=\"invalid_token\", error_description=\"" + why + "\"";
  }

  /** Every value of the named cookie this request carries, in the order the browser sent them. */
  private static List<String> sessionCookies(Context ctx, String name) {
    Cookie[] all = ctx.req().getCookies();
    if (all == null) {
      return List.of();
    }
    return Arrays.stream(all).filter(c -> c.getName().equals(name)).map(Cookie::getValue).toList();
  }

  /**
   * A dashboard session instead of a key. Refused before any handler runs, so a refused request
   * changes nothing:
   *
   * <ul>
   *   <li>more than one session cookie: 401, every path's cookie cleared — a page on another port
   *       or a sibling host planted one under a longer path ({@code Path=/api}), which the browser
   *       would send first (cookie tossing);
   *   <li>a session that is not live or whose key was revoked (read again on every request): 401,
   *       cookie cleared;
   *   <li>no {@code X-CSRF-Token} equal to the session's, whatever the method: 401 — the token is
   *       given only in the sign-in answer and kept by the page in its own origin's storage, so a
   *       service on another port of the host, which receives the cookie (cookies ignore ports),
   *       cannot use it, nor can a planted cookie pass for the victim's;
   *   <li>a request that may change something without an {@code Origin} naming this server: 403,
   *       audited under the session's key.
   * </ul>
   */
  private Authenticated authenticateSession(
      Context ctx, List<String> cookies, String address, boolean secure) {
    if (cookies.size() > 1) {
      metrics.authFailure();
      Sessions.clearCookies(secure, ctx.path()).forEach(c -> ctx.res().addHeader("Set-Cookie", c));
      ctx.header("WWW-Authenticate", challenge("more than one session cookie"));
      throw new Problem(
              401,
              "Unauthorized",
              "the request carried "
                  + cookies.size()
                  + " session cookies; another "
                  + "site on this host may have planted one. All were cleared: sign in again, and check the key and "
                  + "tenant the dashboard shows")
          .code(Problem.SESSION_CONFLICT);
    }
    String cookie = cookies.get(0);
    Optional<Sessions.Session> session = sessions.use(cookie);
    Optional<ApiKey> key = session.flatMap(s -> keys.active(s.keyId()));
    if (key.isEmpty()) {
      sessions.end(cookie);
      // Cleared, so the browser stops sending an id that will never work again.
      Sessions.clearCookies(secure, ctx.path()).forEach(c -> ctx.res().addHeader("Set-Cookie", c));
      throw refuse(
          ctx,
          address,
          true,
          "the session has ended",
          new Problem(
              401, "Unauthorized", "the session has ended, or its key was revoked; sign in again"));
    }
    String token = ctx.header(Sessions.CSRF_HEADER);
    boolean tokenOk =
        token != null
            && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8));
    if (!tokenOk) {
      ctx.header("WWW-Authenticate", challenge("a session needs its " + Sessions.CSRF_HEADER));
      // Audited under the session's key.
      throw new Refusal(
          new Problem(
                  401,
                  "Unauthorized",
                  "a request made with a dashboard session needs the "
                      + "session's "
                      + Sessions.CSRF_HEADER
                      + " header, given only when it signed in")
              .code(Problem.SESSION_TOKEN),
          key);
    }
    if (!SAFE_METHODS.contains(ctx.method().name())) {
      String origin = ctx.header("Origin");
      if (origin == null || !origin.equals(ownOrigin(ctx))) {
        // Audited under the session's key.
        throw new Refusal(
            new Problem(
                403,
                "Forbidden",
                "a change made with a dashboard session needs an Origin "
                    + "header naming this server"),
            key);
      }
    }
    return new Authenticated(key.get(), Optional.of(new Call.Session(cookie, session.get())));
  }

  /** {@code scheme://host[:port]} as the browser addressed this server. */
  static String ownOrigin(Context ctx) {
    return ctx.scheme() + "://" + ctx.host();
  }
}
