package com.lanonasis.secrets.server;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request as the chain hands it to a route's handler (OkHttp's {@code Chain.request()},
 * OpenBao's {@code logical.Request}): the route it matched, who made it, the dashboard session it
 * came with, the secret path decoded once, and the HTTP exchange to read parameters and the body
 * from. The handler answers with a {@link Reply}; the chain records the audit entry and only then
 * sends it. Nothing passes between the links through string-keyed request attributes.
 *
 * <p>{@link #about} and {@link #also} are what a handler tells the call rather than its reply: what
 * the request is about and which further entries it makes, named as soon as they are known, so that
 * a request that fails after it (a secret that is not there, an import rolled back) is audited with
 * them too. The audit link reads them; the handler never calls into it. Not thread-safe: one
 * request, one thread.
 */
final class Call {
  /** One more audit entry of this request, after its own; its subject is redacted when recorded. */
  record Entry(String action, String subject, String outcome) {
    Entry {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * The dashboard session a request authenticated with: its cookie id and its state when it was
   * used.
   */
  record Session(String id, Sessions.Session state) {
    Session {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(state, "state");
    }
  }

  private final Route route;
  private final Context http;
  private final Optional<ApiKey> principal;
  private final Optional<Session> session;
  private final Optional<SecretPath> secretPath;
  private @Nullable String subject;
  private final List<Entry> more = new ArrayList<>();
  private List<Entry> each = List.of();

  private Call(
      Route route,
      Context http,
      Optional<ApiKey> principal,
      Optional<Session> session,
      Optional<SecretPath> secretPath) {
    this.route = Objects.requireNonNull(route, "route");
    this.http = Objects.requireNonNull(http, "http");
    this.principal = principal;
    this.session = session;
    this.secretPath = secretPath;
  }

  /** A request before authentication (and of a public route): no principal yet. */
  static Call unauthenticated(Route route, Context http) {
    Optional<SecretPath> path =
        route.path().startsWith(SecretRoutes.BASE + "/")
            ? Optional.of(SecretPath.of(http.path()))
            : Optional.empty();
    return new Call(route, http, Optional.empty(), Optional.empty(), path);
  }

  /** This request as made by {@code key}, with the session it came with, if any. */
  Call authenticated(ApiKey key, Optional<Session> with) {
    Call call =
        new Call(route, http, Optional.of(Objects.requireNonNull(key, "key")), with, secretPath);
    call.subject = subject;
    return call;
  }

  /**
   * This request as made by {@code key}, for the audit entry of a refusal of its session (no
   * session handed on).
   */
  Call refusedUnder(ApiKey key) {
    return authenticated(key, Optional.empty());
  }

  Route route() {
    return route;
  }

  /**
   * The HTTP exchange: query parameters, headers, the body. A handler answers with a {@link Reply},
   * not through it.
   */
  Context http() {
    return http;
  }

  /** The key that authenticated this request; only inside a route that needs one. */
  ApiKey principal() {
    return principal.orElseThrow(
        () -> new IllegalStateException("no authenticated API key on this request"));
  }

  /** The key that authenticated this request, if one did. */
  Optional<ApiKey> principalIfAny() {
    return principal;
  }

  /** The dashboard session this request authenticated with, if it did (else it came with a key). */
  Optional<Session> session() {
    return session;
  }

  /** What follows {@code /api/v1/secrets/}, decoded once; only on the routes under it. */
  SecretPath secretPath() {
    return secretPath.orElseThrow(
        () -> new IllegalStateException(route.label() + " has no secret path"));
  }

  /**
   * Names what the request is about (a secret's name, a list's prefix, a key's id) for its audit
   * entry.
   */
  void about(String what) {
    this.subject = what;
  }

  /**
   * One more audit entry for this request, after its own: for a request about several names (an
   * import that wrote three secrets is three more entries, each found by its secret's name). Kept
   * whether the request then succeeds or fails.
   */
  void also(String action, String subject, String outcome) {
    more.add(new Entry(action, subject, outcome));
  }

  /**
   * The request's own entries, in place of the one entry of its route: for a request about several
   * names that audits each as if it had been asked alone (a batch read is one {@code read} per
   * name, each with its own outcome). Named once every name's outcome is known; a request that
   * fails before keeps its route's one entry.
   */
  void each(List<Entry> entries) {
    this.each = List.copyOf(entries);
  }

  /** What {@link #each} named, or empty. */
  List<Entry> each() {
    return each;
  }

  /** The entries {@link #also} added, in order. */
  List<Entry> more() {
    return List.copyOf(more);
  }

  /** What {@link #about} named last, if anything. */
  Optional<String> subject() {
    return Optional.ofNullable(subject);
  }
}
