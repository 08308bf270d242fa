package com.lanonasis.secrets.audit;

import com.lanonasis.secrets.SecretsException;

/**
 * The audit log's outcome vocabulary for a failure, decided by its kind alone (docs/errors.md, the
 * "audit outcome" column): the one mapping, used by the server's audit link and by the CLI's own
 * entries for changes made without a server.
 *
 * @since 0.1
 */
public final class AuditOutcome {
  /** The outcome of a request that succeeded. */
  public static final String OK = "ok";

  private AuditOutcome() {}

  /** The outcome recorded for a failure of this kind. */
  public static String of(SecretsException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> "not_found";
      // GONE: a shredded tenant or a lost data key is a state that forbids the request for good.
      case CONFLICT, GONE -> "conflict";
      case INVALID -> "invalid";
      case DENIED, UNAUTHENTICATED -> "denied";
      case UNAVAILABLE, INTEGRITY, CONFIGURATION -> "error";
    };
  }
}
