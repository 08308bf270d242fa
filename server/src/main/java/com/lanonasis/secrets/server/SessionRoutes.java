package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/session}: the dashboard's sign-in. A browser sends the API key the user typed,
 * once, in the {@code Authorization} header (the chain authenticates it, through the same throttle
 * and audit as any request); the answer sets a session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}; under TLS {@code __Host-lns_session} and {@code Secure}) and gives the
 * anti-CSRF token the page sends back on every request, once: no other answer carries it. The key is never stored by the browser or the server's session.
 */
final class SessionRoutes {
  static final String PATH = "/api/v1/session";

  private final ObjectMapper json;
  private final Sessions sessions;
  private final boolean tls;

  SessionRoutes(ObjectMapper json, Sessions sessions, boolean tls) {
    this.json = json;
    this.sessions = sessions;
    this.tls = tls;
  }

  /** {@code POST}: a new session for the key of the Authorization header; any session the browser had ends. */
  void create(Context ctx) throws IOException {
    if (Authenticator.sessionIfAny(ctx).isPresent()) {
      throw Problem.badRequest("sign in with an API key: Authorization: Bearer lns_...");
    }
    ApiKey key = Authenticator.principal(ctx);
    Cookie[] old = ctx.req().getCookies();
    for (Cookie c : old == null ? new Cookie[0] : old) {
      if (c.getName().equals(Sessions.cookieName(tls))) {
        sessions.end(c.getValue()); // a new id at every sign-in: a planted cookie never becomes a signed-in one
      }
    }
    Sessions.Created created = sessions.create(key.id());
    // A cookie planted under a longer path (Path=/api) would be sent before the new one: removed too.
    for (String clear : Sessions.clearCookies(tls, ctx.path())) {
      if (!clear.contains("; Path=/;")) {
        ctx.res().addHeader("Set-Cookie", clear);
      }
    }
    ctx.res().addHeader("Set-Cookie", cookie(created.id(), false));
    ctx.header("Cache-Control", "no-store");
    send(ctx, 201, describe(key, Optional.of(created.session())));
  }

  /**
   * {@code GET}: who this request is, and its session's end if it came with one. Never the token:
   * only the sign-in answer carries it, so a cookie that reached someone else (cookies are sent to
   * every port of the host) does not buy it.
   */
  void get(Context ctx) throws IOException {
    ApiKey key = Authenticator.principal(ctx);
    Optional<Sessions.Session> session = Authenticator.sessionStateIfAny(ctx);
    ctx.header("Cache-Control", "no-store");
    Map<String, Object> out = describe(key, session);
    out.remove("csrfToken");
    send(ctx, 200, out);
  }

  /** {@code DELETE}: ends this request's session (if it came with one) and clears the cookie; 204. */
  void delete(Context ctx) {
    Authenticator.sessionIfAny(ctx).ifPresent(sessions::end);
    Sessions.clearCookies(tls, ctx.path()).forEach(c -> ctx.res().addHeader("Set-Cookie", c));
    ctx.status(204);
  }

  private String cookie(String value, boolean clear) {
    return Sessions.setCookie(value, tls, clear);
  }


  private Map<String, Object> describe(ApiKey key, Optional<Sessions.Session> session) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keyId", key.id());
    out.put("tenant", key.tenant());
    out.put("role", key.role().name());
    out.put("prefix", key.namePrefix());
    session.ifPresent(s -> {
      out.put("csrfToken", s.csrfToken());
      out.put("idleTimeoutSeconds", sessions.idle().toSeconds());
      out.put("expiresAt", sessions.expiresAt(s).toString());
    });
    return out;
  }

  private void send(Context ctx, int status, Object body) throws IOException {
    ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
  }
}
