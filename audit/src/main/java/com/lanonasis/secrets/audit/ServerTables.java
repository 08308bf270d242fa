package com.lanonasis.secrets.audit;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.jdbc.DatabaseKind;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server's own tables beside the record store's: {@code server_api_keys} and {@code
 * server_audit_log}, created and upgraded by one Flyway history ({@code server_schema_history})
 * whose migrations live in this module. The server migrates them at start; the CLI does so on a
 * store it works on without a server ({@code lanonasis migrate-store}, the break-glass {@code
 * apikey create --store}, {@code audit verify}).
 *
 * @since 0.1
 */
public final class ServerTables {
  /** The migrations, under the classpath, one folder per database kind. */
  private static final String MIGRATIONS = "com/lanonasis/secrets/audit/migration";

  private ServerTables() {}

  /** The tables, parents first, as {@link JdbcDatabase#copyTo} wants them. */
  public static List<String> tableNames() {
    return List.of("server_api_keys", "server_audit_log");
  }

  /**
   * Creates or upgrades the tables in {@code database}. They share the database with the record
   * store's, so the history table has its own name. Migrations exist for SQLite, H2 and PostgreSQL;
   * on PostgreSQL a non-empty {@code appRole} (the role the server connects as, when migrations run
   * as the owner) is granted what the server does with them, and no more; empty grants nothing.
   *
   * @throws ConfigurationException on MariaDB, which has no migrations for them yet
   */
  public static void migrate(JdbcDatabase database, String appRole) {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(appRole, "appRole");
    if (database.kind() == DatabaseKind.MARIADB) {
      throw new ConfigurationException(
          "the server's tables (API keys, audit log) have migrations for SQLite, H2 "
              + "and PostgreSQL, not MariaDB; the server cannot run on it yet (the library can)");
    }
    database.migrate(
        ServerTables.class, MIGRATIONS, "server_schema_history", Map.of("appRole", appRole));
  }
}
