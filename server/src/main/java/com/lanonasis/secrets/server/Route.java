package com.lanonasis.secrets.server;

import io.javalin.http.HandlerType;
import java.util.Objects;
import java.util.function.Function;

/**
 * One entry of the server's route table: method, path pattern, who may call it, the action it is
 * audited as, and the handler that does the work. The chain (authentication, body limit, audit,
 * problems) is built around the handler from these fields, so a new surface declares its routes
 * here and gets the same chain without copying any of it.
 *
 * @param action the audited action for this request; called once per request, after the chain has
 *     authenticated it. Fixed for most routes; the secret routes read it from the name's {@code
 *     :action} suffix.
 */
record Route(
    HandlerType method,
    String path,
    Access access,
    Function<Call, String> action,
    Handler handler) {
  /** Who may call a route, and whether its requests are audited. */
  enum Access {
    /** No key, not audited: health, metrics, the API description. */
    PUBLIC,
    /** An API key, not audited: whoami. */
    KEY,
    /** An API key, and an audit entry for every request, whatever its outcome. */
    AUDITED
  }

  /**
   * The core of a route: a typed call in, a reply out (or a failure, which the chain maps to a
   * problem).
   */
  @FunctionalInterface
  interface Handler {
    Reply handle(Call call) throws Exception;
  }

  Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
  }

  static Route open(HandlerType method, String path, Handler handler) {
    return new Route(method, path, Access.PUBLIC, call -> "none", handler);
  }

  static Route keyed(HandlerType method, String path, Handler handler) {
    return new Route(method, path, Access.KEY, call -> "none", handler);
  }

  static Route audited(HandlerType method, String path, String action, Handler handler) {
    return new Route(method, path, Access.AUDITED, call -> action, handler);
  }

  static Route audited(
      HandlerType method, String path, Function<Call, String> action, Handler handler) {
    return new Route(method, path, Access.AUDITED, action, handler);
  }

  String action(Call call) {
    return action.apply(call);
  }

  /**
   * {@code "GET /api/v1/secrets/*"}: how the route table, the metrics and the drift test name it.
   */
  String label() {
    return method.name() + " " + path;
  }
}
