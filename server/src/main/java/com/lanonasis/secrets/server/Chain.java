package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every route's handler as a chain of small links around its core (OpenBao's {@code
 * http/handler.go}, OkHttp's interceptors) and installs them in Javalin:
 *
 * <pre>
 *   [key routes] authenticate → body limit → typed Call → [audited routes] audit → handler → Reply
 *   → audit entry written → Reply sent; metrics labelled by route and action when the request ends
 *   any failure → {@link Problems} → problem+json
 * </pre>
 *
 * A refusal by authentication or the body limit is recorded by the audit filter too. A new surface
 * (the dashboard, {@code /mcp}) adds {@link Route}s and gets the same chain.
 */
final class Chain {
  private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

  private final Authenticator authenticator;
  private final AuditFilter audit;
  private final Problems problems;
  private final ServerMetrics metrics;
  private final long maxBodyBytes;

  private final ObjectMapper json;

  /**
   * The route of each handler this chain installed, for the request logger to label its metrics.
   */
  private final IdentityHashMap<Handler, Route> installed = new IdentityHashMap<>();

  Chain(
      Authenticator authenticator,
      AuditFilter audit,
      Problems problems,
      ServerMetrics metrics,
      long maxBodyBytes,
      ObjectMapper json) {
    this.json = json;
    this.authenticator = authenticator;
    this.audit = audit;
    this.problems = problems;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Registers the routes, the problem mapping, the HEAD refusal and the request metrics. */
  /**
   * Sent with every answer, API and dashboard alike: the page may run only its own scripts and
   * styles from this server, be framed by nobody, leak no referrer, and no type is sniffed.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
          + "object-src 'none'";

  /** The headers above, by name: Jetty's own refusals ({@link JettyProblems}) send them too. */
  static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    return Collections.unmodifiableMap(h);
  }

  void install(JavalinConfig cfg, List<Route> routes) {
    cfg.routes.before(
        ctx -> {
          SECURITY_HEADERS.forEach(ctx::header);
          // Javalin reads this header as the request's method (Context.method()), so routing, the
          // CSRF
          // check and the audit would see a DELETE that metrics and proxies saw as a GET: refused.
          if (ctx.req().getHeader(METHOD_OVERRIDE) != null) {
            throw Problem.badRequest(METHOD_OVERRIDE + " is not supported; send the method itself");
          }
        });
    // Answers under /api and /mcp hold values, keys (POST /api/v1/keys), tokens or names: no cache
    // (browser, proxy) may keep them.
    cfg.routes.before("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));
    cfg.routes.before(McpRoutes.PATH, ctx -> ctx.header("Cache-Control", "no-store"));
    // HEAD would run a GET's chain but send no body, and Javalin answers it without the handler:
    // an unaudited answer about a secret. Refused instead, before anything else.
    cfg.routes.before(
        "/api/*",
        ctx -> {
          if (ctx.method().equals(HandlerType.HEAD)) {
            ctx.header("Allow", "GET");
            throw new Problem(405, "Method Not Allowed", "HEAD is not served under /api; use GET");
          }
        });
    for (Route route : routes) {
      Handler handler = wrap(route);
      installed.put(handler, route);
      cfg.routes.addHttpHandler(route.method(), route.path(), handler);
    }
    cfg.routes.error(
        404, ctx -> problems.unlessProblem(ctx, new Problem(404, "Not Found", "no such resource")));
    cfg.routes.error(
        405,
        ctx ->
            problems.unlessProblem(
                ctx, new Problem(405, "Method Not Allowed", "method not allowed here")));
    // Javalin has a default handler of its own for HttpResponseException (413 while reading a
    // body):
    // registered explicitly, since the most specific class wins.
    cfg.routes.exception(
        HttpResponseException.class, (e, ctx) -> problems.send(ctx, problems.of(e)));
    cfg.routes.exception(Exception.class, (e, ctx) -> problems.send(ctx, problems.of(e)));
    cfg.requestLogger.http(
        (ctx, millis) -> {
          Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
          Route route = matched == null ? null : installed.get(matched.handler);
          String action =
              route != null && route.access() == Route.Access.AUDITED
                  ? route.action(Call.unauthenticated(route, ctx))
                  : "none";
          metrics.request(
              ctx.req().getMethod(),
              route == null ? "unmatched" : route.path(),
              action,
              ctx.statusCode(),
              millis);
        });
  }

  /**
   * The chain around one route: a typed {@link Call} in, the handler's {@link Reply} out, sent only
   * after the audit link has recorded it. Failures are left to the exception handlers ({@link
   * Problems}).
   */
  private Handler wrap(Route route) {
    return ctx -> {
      Call call = Call.unauthenticated(route, ctx);
      if (route.access() == Route.Access.PUBLIC) {
        limitBody(ctx);
        route.handler().handle(call).send(ctx, json);
        return;
      }
      try {
        Authenticator.Authenticated who = authenticator.authenticate(ctx);
        call = call.authenticated(who.key(), who.session());
      } catch (Authenticator.Refusal refusal) {
        call = refusal.key().map(call::refusedUnder).orElse(call);
        audit.refused(call, refusal.problem());
        throw refusal.problem();
      }
      try {
        limitBody(ctx);
      } catch (Problem refusal) {
        audit.refused(call, refusal);
        throw refusal;
      }
      Reply reply =
          route.access() == Route.Access.AUDITED ? audit.run(call) : route.handler().handle(call);
      reply.send(ctx, json);
    };
  }

  /**
   * A declared body over the limit is refused before anything reads it (a chunked one is caught
   * while read).
   */
  private void limitBody(Context ctx) {
    String length = ctx.header("Content-Length");
    if (length == null) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw Problem.badRequest("Content-Length is not a number");
    }
    if (n > maxBodyBytes) {
      if (n <= 4 * maxBodyBytes) {
        // Read and drop a moderately oversized body first: closing with it unread makes the kernel
        // reset the connection, and a client still sending then never sees the 413.
        try {
          ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
          // the client went away; the 413 below is all there is to say
        }
      }
      throw problems.tooLarge();
    }
  }
}
