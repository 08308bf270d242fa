package com.lanonasis.secrets.audit;

import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.time.Clock;
import java.util.Objects;

/**
 * Records a change the operator made to a store without the server (the CLI's key lifecycle
 * commands on the store itself, the break-glass {@code apikey create --store}) in the same
 * hash-chained log the server writes: tenant {@code default} (the operator's), no key id, {@code
 * action} and {@code subject} as the server's routes write them, {@code client} (at most 64
 * characters kept) where the key's address would be. On SQLite and H2 the entry joins the chain
 * {@value AuditLog#LOCAL_CHAIN}; on PostgreSQL each call is a writer of its own, so its entry
 * starts (and ends) a chain of its own (see {@link AuditLog}).
 *
 * @since 0.1
 */
public final class OperatorChanges {
  /** The tenant whose ADMIN keys are the operator's. */
  private static final String OPERATOR_TENANT = TenantId.DEFAULT;

  private static final int CLIENT_LENGTH = 64;

  private OperatorChanges() {}

  /**
   * Appends one entry to the audit log in {@code database}, creating the server's tables first if
   * the store has none, and returns once it is committed.
   *
   * @param outcome one of {@link AuditLog#OUTCOMES}
   * @throws com.lanonasis.secrets.BackendUnavailableException if the entry could not be written
   */
  public static AuditEntry record(
      JdbcDatabase database, String action, String subject, String outcome, String client) {
    Objects.requireNonNull(client, "client");
    ServerTables.migrate(database, "");
    AuditLog log = new AuditLog(database, Clock.systemUTC());
    try {
      return log.append(
          OPERATOR_TENANT,
          null,
          action,
          subject,
          outcome,
          client.length() > CLIENT_LENGTH ? client.substring(0, CLIENT_LENGTH) : client);
    } finally {
      log.close();
    }
  }
}
