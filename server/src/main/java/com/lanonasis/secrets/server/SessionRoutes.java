package com.lanonasis.secrets.server;

import jakarta.servlet.http.Cookie;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/session}: the dashboard's sign-in. A browser sends the API key the user typed,
 * once, in the {@code Authorization} header (the chain authenticates it, through the same throttle
 * and audit as any request); the answer sets a session cookie ({@code HttpOnly}, {@code
 * SameSite=Strict}; under TLS {@code __Host-lns_session} and {@code Secure}) and gives the
 * anti-CSRF token the page sends back on every request, once: no other answer carries it. The key
 * is never stored by the browser or the server's session.
 */
final class SessionRoutes {
  static final String PATH = "/api/v1/session";

  private final Sessions sessions;
  private final boolean tls;

  SessionRoutes(Sessions sessions, boolean tls) {
    this.sessions = sessions;
    this.tls = tls;
  }

  /**
   * {@code POST}: a new session for the key of the Authorization header; any session the browser
   * had ends.
   */
  Reply create(Call call) {
    if (call.session().isPresent()) {
      throw Problem.badRequest("sign in with an API key: Authorization: Bearer lns_...");
    }
    ApiKey key = call.principal();
    Cookie[] old = call.http().req().getCookies();
    for (Cookie c : old == null ? new Cookie[0] : old) {
      if (c.getName().equals(Sessions.cookieName(tls))) {
        sessions.end(c.getValue()); // a new id at every sign-in: a planted cookie never becomes a
        // signed-in one
      }
    }
    Sessions.Created created = sessions.create(key.id());
    Reply reply = Reply.json(201, describe(key, Optional.of(created.session())));
    // A cookie planted under a longer path (Path=/api) would be sent before the new one: removed
    // too.
    for (String clear : Sessions.clearCookies(tls, call.http().path())) {
      if (!clear.contains("; Path=/;")) {
        reply = reply.header("Set-Cookie", clear);
      }
    }
    return reply
        .header("Set-Cookie", cookie(created.id(), false))
        .header("Cache-Control", "no-store");
  }

  /**
   * {@code GET}: who this request is, and its session's end if it came with one. Never the token:
   * only the sign-in answer carries it, so a cookie that reached someone else (cookies are sent to
   * every port of the host) does not buy it.
   */
  Reply get(Call call) {
    Map<String, Object> out = describe(call.principal(), call.session().map(Call.Session::state));
    out.remove("csrfToken");
    return Reply.json(200, out).header("Cache-Control", "no-store");
  }

  /**
   * {@code DELETE}: ends this request's session (if it came with one) and clears the cookie; 204.
   */
  Reply delete(Call call) {
    call.session().map(Call.Session::id).ifPresent(sessions::end);
    Reply reply = Reply.empty(204);
    for (String clear : Sessions.clearCookies(tls, call.http().path())) {
      reply = reply.header("Set-Cookie", clear);
    }
    return reply;
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
    session.ifPresent(
        s -> {
          out.put("csrfToken", s.csrfToken());
          out.put("idleTimeoutSeconds", sessions.idle().toSeconds());
          out.put("expiresAt", sessions.expiresAt(s).toString());
        });
    return out;
  }
}
