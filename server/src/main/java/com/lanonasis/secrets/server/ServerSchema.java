package com.lanonasis.secrets.server;

import com.lanonasis.secrets.wire.Role;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.time.Clock;
import java.util.List;

/**
 * The server's own tables (API keys, the audit log) beside the record store's, for tools that move
 * or check a server's database without running the server: {@code lanonasis migrate-store}.
 *
 * @since 0.1
 */
public final class ServerSchema {
  private ServerSchema() {}

  /** The server's tables, parents first, as {@link JdbcDatabase#copyTo} wants them. */
  public static List<String> tableNames() {
    return ApiKeys.tableNames();
  }

  /** Creates or upgrades the server's tables in {@code database} (SQLite, H2 or PostgreSQL). */
  public static void migrate(JdbcDatabase database) {
    ApiKeys.migrate(database, "");
  }

  /** The audit entries after seq {@code after}, oldest first, at most {@code limit}, read from {@code database}. */
  public static List<AuditEntry> readAuditLog(JdbcDatabase database, long after, int limit) {
    return new AuditLog(database, Clock.systemUTC()).read(after, limit, java.util.Optional.empty());
  }

  /**
   * Records a change the operator made to {@code database} without the server (the CLI's key
   * lifecycle commands on the store itself), in the same hash-chained log the server writes: tenant
   * {@code default}, no key id, {@code action} and {@code subject} as the server's routes write them,
   * {@code client} where the key's address would be. Creates the server's tables first if the store
   * has none. Returns once the entry is committed.
   *
   * @param outcome one of the log's outcomes: ok, denied, not_found, conflict, invalid, throttled, error
   * @throws com.lanonasis.secrets.BackendUnavailableException if the entry could not be written
   */
  public static void recordOperatorChange(JdbcDatabase database, String action, String subject, String outcome,
      String client) {
    migrate(database);
    AuditLog log = new AuditLog(database, Clock.systemUTC());
    try {
      log.append(Requests.OPERATOR_TENANT, null, action, subject, outcome,
          client.length() > 64 ? client.substring(0, 64) : client);
    } finally {
      log.close();
    }
  }

  /**
   * Creates an API key in {@code database} without the server: the operator's break-glass on the
   * host ({@code lanonasis apikey create --store}), e.g. when the bootstrap admin key is lost. The
   * caller audits it ({@link #recordOperatorChange}). Creates the server's tables first if needed.
   *
   * @return the full key, shown this once
   */
  public static String createApiKey(JdbcDatabase database, String tenant, Role role, String namePrefix) {
    migrate(database);
    return new ApiKeys(database, Clock.systemUTC()).create(tenant, role, namePrefix);
  }

  /** Checks the audit log's hash chain in {@code database}, as {@code GET /api/v1/audit/verify} does. */
  public static AuditVerification verifyAuditLog(JdbcDatabase database) {
    return new AuditLog(database, Clock.systemUTC()).verify();
  }
}
