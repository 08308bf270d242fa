package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.audit.AuditOutcome;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from a failure to the problem the client sees: the audit filter reads a refused
 * request's outcome from it, the exception handlers send it. Details are written here, never copied
 * from an exception that might quote a value, a key or SQL.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String RETRY_AFTER_SECONDS = "1";

  private final ObjectMapper json;
  private final long maxBodyBytes;

  Problems(ObjectMapper json, long maxBodyBytes) {
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The problem a failure answers with. Unexpected ones are logged by class only and answer 500.
   */
  Problem of(Throwable e) {
    if (e instanceof Problem p) {
      return p;
    }
    if (e instanceof HttpResponseException h) {
      return h.getStatus() == 413
          ? tooLarge()
          : new Problem(
              h.getStatus(), HttpStatus.getMessage(h.getStatus()), "the request was refused");
    }
    if (e instanceof SecretsException s) {
      return of(s);
    }
    // The class only: a message from a third-party library may quote request content.
    LOG.error("unexpected {}", e.getClass().getName());
    return new Problem(500, "Internal Server Error", "unexpected error");
  }

  /** A request body over the server's limit. */
  Problem tooLarge() {
    return new Problem(
        413, "Content Too Large", "the body is larger than " + maxBodyBytes + " bytes");
  }

  /**
   * The one switch from a failure's kind to its problem (docs/errors.md): status, title and audit
   * outcome come from the kind alone; a few kinds add the detail members their exception carries
   * (the current version of a conflict, the size and limit of a value too large, when a secret
   * expired), so that clients can act on them.
   */
  static Problem of(SecretsException e) {
    Problem p =
        switch (e.kind()) {
          case NOT_FOUND -> notFound(e);
          case CONFLICT -> conflict(e);
          case GONE -> gone(e);
          case INVALID -> invalid(e);
          // Messages of AccessDeniedException are the server's own (KeyScopedStore), naming the
          // rule.
          case DENIED -> new Problem(403, "Forbidden", e.getMessage());
          case UNAUTHENTICATED -> new Problem(401, "Unauthorized", "the API key was refused");
          case UNAVAILABLE -> {
            LOG.warn("store unavailable: {}", e.getMessage());
            yield new Problem(503, "Service Unavailable", "the store is unavailable; try again");
          }
          case INTEGRITY -> {
            // Damaged data, or a keyset that does not open it: permanent, so not "try again".
            LOG.error("store integrity fault: {}", e.getMessage());
            yield new Problem(
                    500,
                    "Internal Server Error",
                    "the store failed an integrity check (damaged data, or a "
                        + "keyset that does not open it); this does not pass by retrying: an operator must look at the server log")
                .code(Problem.INTEGRITY);
          }
          case CONFIGURATION -> {
            LOG.error("{}: {}", e.getClass().getSimpleName(), e.getMessage());
            yield new Problem(500, "Internal Server Error", "the store reported an error")
                .code(Problem.CONFIGURATION);
          }
        };
    return p.outcome(outcome(e.kind()));
  }

  /**
   * The audit outcome of a failure of this kind (docs/errors.md). Answers the chain gives before
   * any store is asked (a throttled address, a body over the limit) have no kind: their outcome is
   * {@link #outcome(int)} of their status.
   */
  static String outcome(SecretsException.Kind kind) {
    return AuditOutcome.of(kind);
  }

  private static Problem notFound(SecretsException e) {
    // Only a secret the key can see gets here (others are refused before the store is asked),
    // and its expiry is in the listing anyway: saying so tells nothing new.
    if (e instanceof SecretNotFoundException nf && nf.expiredAt().isPresent()) {
      return new Problem(404, "Not Found", "the secret has expired")
          .code(Problem.EXPIRED)
          .with("expiresAt", nf.expiredAt().get().toString());
    }
    return Problem.notFound();
  }

  private static Problem conflict(SecretsException e) {
    if (e instanceof VersionConflictException c) {
      return new Problem(409, "Conflict", "the secret's current version is not the expected one")
          .code(Problem.VERSION_CONFLICT)
          .with("currentVersion", c.currentVersion());
    }
    if (e instanceof SecretDeletedException) {
      return new Problem(409, "Conflict", "the secret is deleted; restore it before writing to it")
          .code(Problem.SECRET_DELETED);
    }
    return new Problem(409, "Conflict", "the current state forbids this");
  }

  private static Problem gone(SecretsException e) {
    if (e instanceof KeysetDestroyedException d) {
      // The caller's own tenant (or the one an operator named): nothing another tenant could learn.
      return new Problem(
              410,
              "Gone",
              "the tenant's data keyset was destroyed (crypto-shredded): its values are "
                  + "gone for good, and nothing can be written until an operator re-provisions it")
          .code(Problem.KEYSET_DESTROYED)
          .with("tenant", d.tenant());
    }
    // DataKeyGoneException. Only a secret the key can see gets here, of the caller's own tenant.
    return new Problem(
            410,
            "Gone",
            "this version was sealed with a data key the tenant's keyset no longer holds "
                + "(the tenant was crypto-shredded and re-provisioned): its value is gone for good")
        .code(Problem.VALUE_GONE);
  }

  private static Problem invalid(SecretsException e) {
    if (e instanceof SecretTooLargeException t) {
      // 413 rather than 400: the status HTTP has for it, also what the server's body limit answers.
      return new Problem(
              413,
              "Content Too Large",
              "the value is " + t.size() + " bytes; the limit is " + t.limit())
          .code(Problem.TOO_LARGE)
          .with("size", t.size())
          .with("limit", t.limit());
    }
    if (e instanceof InvalidSecretNameException) {
      return Problem.badRequest("invalid secret name").code(Problem.INVALID_NAME);
    }
    // Messages of the api module name settings and limits, never values.
    return Problem.badRequest(e.getMessage()).code(Problem.INVALID_INPUT);
  }

  /**
   * The audit outcome of an answer with this status, for answers that no exception's kind decided.
   */
  static String outcome(int status) {
    if (status < 400) {
      return "ok";
    }
    return switch (status) {
      case 401, 403 -> "denied";
      case 404 -> "not_found";
      case 409, 410 -> "conflict";
      case 429 -> "throttled";
      default -> status < 500 ? "invalid" : "error";
    };
  }

  /** Writes the problem as the response; a 503 says when to try again. */
  void send(Context ctx, Problem p) {
    if (p.status() == 503) {
      // Every 503 is a passing state (a database that cannot be reached, an audit entry that could
      // not be committed): clients that honour Retry-After come back instead of failing.
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    try {
      ctx.status(p.status()).contentType(CONTENT_TYPE).result(json.writeValueAsBytes(p.body()));
    } catch (IOException e) {
      ctx.status(500).result("");
    }
  }

  /**
   * Javalin's own 404/405 (no route) become problems too; ours already are and stay as they are.
   */
  void unlessProblem(Context ctx, Problem p) {
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith(CONTENT_TYPE)) {
      send(ctx, p);
    }
  }
}
