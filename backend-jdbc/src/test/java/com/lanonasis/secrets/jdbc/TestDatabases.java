package com.lanonasis.secrets.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real databases the tests run on: PostgreSQL and MariaDB on 127.0.0.1 (started by the machine,
 * or by {@code .ci/run}), SQLite files, H2 in memory and in files. Each call makes a fresh, empty
 * schema or database so tests never see each other's rows.
 *
 * <p>PostgreSQL is used as production should: the tables belong to {@value #PG_OWNER}, which runs
 * the migrations; the store connects as {@value #PG_APP}, which owns nothing and has neither
 * superuser nor BYPASSRLS, so row-level security binds it.
 *
 * <p>Public and shipped in this module's test-jar for the server module's tests.
 */
public final class TestDatabases {
  public static final String PG_HOST = "127.0.0.1:5432";
  public static final String PG_DB = "test";
  public static final String PG_SUPERUSER = "postgres";
  public static final String PG_OWNER = "lanonasis_owner";
  public static final String PG_APP = "lanonasis_app";
  static final String MARIADB_HOST = "127.0.0.1:3306";

  /** Schemas and databases this JVM made, dropped when it exits so runs do not pile up. */
  private static final java.util.List<String> CREATED =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(TestDatabases::dropCreated, "drop-test-schemas"));
  }

  private TestDatabases() {}

  private static void dropCreated() {
    for (String entry : CREATED) {
      try {
        if (entry.startsWith("pg:")) {
          superuserSql("DROP SCHEMA IF EXISTS " + entry.substring(3) + " CASCADE");
        } else {
          mariaSql("DROP DATABASE IF EXISTS " + entry.substring(3));
        }
      } catch (RuntimeException ignored) {
        // best effort: a later run is not affected by a leftover schema
      }
    }
  }

  /** One kind of database under test. */
  public enum Kind {
    POSTGRESQL,
    H2_MEM,
    H2_FILE,
    MARIADB,
    SQLITE
  }

  /** Where a store connects, and how migrations reach the same database. */
  public record Target(Kind kind, String appUrl, String ownerUrl, String schema) {
    /**
     * A builder for the app role's store; on PostgreSQL without migrations (see {@link #open()}).
     */
    public JdbcRecordStore.Builder builder() {
      return JdbcRecordStore.builder().url(appUrl);
    }

    /** A store as the application role, the schema migrated first as the owner. */
    public JdbcRecordStore open() {
      if (kind != Kind.POSTGRESQL) {
        return builder().build();
      }
      try (HikariDataSource owner = ownerDataSource()) {
        return JdbcRecordStore.builder()
            .database(JdbcDatabase.builder().url(appUrl).migrationDataSource(owner))
            .appRole(PG_APP)
            .build();
      }
    }

    /**
     * A small pool as the owner (PostgreSQL) or the same user (others), for migrations and checks.
     */
    public HikariDataSource ownerDataSource() {
      return pool(ownerUrl, 2);
    }

    public HikariDataSource appDataSource(int size) {
      return pool(appUrl, size);
    }
  }

  public static Target fresh(Kind kind, Path tempDir) {
    String id =
        "lns_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    switch (kind) {
      case POSTGRESQL:
        ensurePostgresRoles();
        superuserSql("CREATE SCHEMA " + id + " AUTHORIZATION " + PG_OWNER);
        CREATED.add("pg:" + id);
        return new Target(
            kind,
            "jdbc:postgresql://"
                + PG_HOST
                + "/"
                + PG_DB
                + "?currentSchema="
                + id
                + "&user="
                + PG_APP,
            "jdbc:postgresql://"
                + PG_HOST
                + "/"
                + PG_DB
                + "?currentSchema="
                + id
                + "&user="
                + PG_OWNER,
            id);
      case MARIADB:
        mariaSql("CREATE DATABASE " + id);
        CREATED.add("my:" + id);
        String url = "jdbc:mariadb://" + MARIADB_HOST + "/" + id + "?user=root";
        return new Target(kind, url, url, id);
      case H2_MEM:
        String mem = "jdbc:h2:mem:" + id;
        return new Target(kind, mem, mem, id);
      case H2_FILE:
        // Kept open until the JVM exits, not closed and reopened between tests: H2 2.3's MVStore
        // can fail to reopen a file right after heavy concurrent writes ("Double mark", open
        // upstream as h2database#2752); it failed this suite twice on a loaded machine. Reopening
        // a file is covered by the server's restart tests and the quick-start.
        String file = "jdbc:h2:file:" + tempDir.resolve(id).toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        return new Target(kind, file, file, id);
      case SQLITE:
        Path sqliteDir = tempDir;
        if (sqliteDir == null) {
          try {
            sqliteDir = java.nio.file.Files.createTempDirectory("lns-sqlite");
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }
        String sqlite = "jdbc:sqlite:" + sqliteDir.resolve(id + ".db").toAbsolutePath();
        return new Target(kind, sqlite, sqlite, id);
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }

  public static synchronized void ensurePostgresRoles() {
    superuserSql(
        "DO $$ BEGIN "
            + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
            + PG_OWNER
            + "') THEN "
            + "CREATE ROLE "
            + PG_OWNER
            + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; "
            + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
            + PG_APP
            + "') THEN "
            + "CREATE ROLE "
            + PG_APP
            + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; "
            + "END $$");
  }

  public static void superuserSql(String sql) {
    run("jdbc:postgresql://" + PG_HOST + "/" + PG_DB + "?user=" + PG_SUPERUSER, sql);
  }

  static void mariaSql(String sql) {
    run("jdbc:mariadb://" + MARIADB_HOST + "/?user=root", sql);
  }

  static void run(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "test database set-up failed (" + sql + "): " + e.getMessage(), e);
    }
  }

  public static HikariDataSource pool(String url, int size) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(parsed.urlWithoutCredentials());
    parsed.user().ifPresent(cfg::setUsername);
    parsed.password().ifPresent(cfg::setPassword);
    cfg.setMaximumPoolSize(size);
    cfg.setMinimumIdle(0);
    return new HikariDataSource(cfg);
  }
}
