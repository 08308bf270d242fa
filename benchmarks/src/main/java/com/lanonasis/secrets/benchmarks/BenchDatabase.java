package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database for a JDBC benchmark: the library's record store on it, and a raw pool with the
 * same settings for the baseline. H2 in memory; SQLite on a file in a temporary directory (WAL,
 * {@code synchronous=FULL}, as the store sets it); PostgreSQL on 127.0.0.1:5432 in a new schema,
 * the store as a non-owner role under row-level security (migrated as the owner), as in production.
 */
final class BenchDatabase implements AutoCloseable {
  final JdbcRecordStore records;
  final HikariDataSource pool;
  final boolean postgres;
  final boolean sqlite;
  private final String schema;
  private final Path sqliteDir;

  private BenchDatabase(
      JdbcRecordStore records,
      HikariDataSource pool,
      boolean postgres,
      boolean sqlite,
      String schema,
      Path sqliteDir) {
    this.records = records;
    this.pool = pool;
    this.postgres = postgres;
    this.sqlite = sqlite;
    this.schema = schema;
    this.sqliteDir = sqliteDir;
  }

  /** {@code database}: H2, SQLITE or POSTGRESQL. */
  static BenchDatabase open(String database) throws SQLException {
    boolean postgres = database.equals("POSTGRESQL");
    boolean sqlite = database.equals("SQLITE");
    if (postgres) {
      String schema = "bench_" + Long.toHexString(System.nanoTime());
      try (Connection c =
              DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
          Statement s = c.createStatement()) {
        s.execute(
            "DO $$ BEGIN "
                + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_owner') THEN "
                + "CREATE ROLE lanonasis_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF; "
                + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_app') THEN "
                + "CREATE ROLE lanonasis_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
        s.execute("CREATE SCHEMA " + schema + " AUTHORIZATION lanonasis_owner");
      }
      String url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema;
      try (HikariDataSource owner = pool(url, "lanonasis_owner")) {
        JdbcRecordStore.builder()
            .database(
                JdbcDatabase.builder()
                    .url(url)
                    .username("lanonasis_app")
                    .migrationDataSource(owner))
            .appRole("lanonasis_app")
            .build()
            .close();
      }
      HikariDataSource pool = pool(url, "lanonasis_app");
      return new BenchDatabase(
          JdbcRecordStore.builder().dataSource(pool).validateSchemaOnly().build(),
          pool,
          true,
          false,
          schema,
          null);
    }
    if (sqlite) {
      Path dir;
      try {
        dir = Files.createTempDirectory("lns-bench-sqlite");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      String url = "jdbc:sqlite:" + dir.resolve("bench.db");
      // The store makes its own pools (readers, one writer) with its durable settings.
      JdbcRecordStore records = JdbcRecordStore.builder().url(url).build();
      HikariDataSource pool =
          pool(
              url + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true",
              null);
      return new BenchDatabase(records, pool, false, true, null, dir);
    }
    HikariDataSource pool = pool("jdbc:h2:mem:bench_" + Long.toHexString(System.nanoTime()), "sa");
    return new BenchDatabase(
        JdbcRecordStore.builder().dataSource(pool).build(), pool, false, false, null, null);
  }

  private static HikariDataSource pool(String url, String user) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setMaximumPoolSize(4);
    if (url.startsWith("jdbc:sqlite:")) {
      cfg.setAutoCommit(true); // transactions begun by hand, as the store does (see JdbcDatabase)
    } else {
      cfg.setUsername(user);
      cfg.setAutoCommit(false);
      cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    }
    return new HikariDataSource(cfg);
  }

  /**
   * Sets the tenant for row-level security (PostgreSQL), as the store does at each transaction's
   * start.
   */
  void setTenant(Connection c, String tenant) throws SQLException {
    if (postgres) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT set_config('lanonasis.tenant', ?, true)")) {
        ps.setString(1, tenant);
        ps.execute();
      }
    }
  }

  /**
   * Begins a write transaction: {@code BEGIN IMMEDIATE} on SQLite (the least a correct writer
   * does), implicit elsewhere.
   */
  void beginWrite(Connection c) throws SQLException {
    if (sqlite) {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    }
  }

  /**
   * Ends a read: SQLite reads run in auto-commit (as the store's do); elsewhere the transaction
   * commits.
   */
  void endRead(Connection c) throws SQLException {
    if (!sqlite) {
      c.commit();
    }
  }

  void commitWrite(Connection c) throws SQLException {
    if (sqlite) {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    } else {
      c.commit();
    }
  }

  /**
   * The row lock the store's appends take on the tenant keyset row (see
   * DatabaseKind#sharedRowLock).
   */
  String sharedRowLock() {
    return postgres ? " FOR SHARE" : sqlite ? "" : " FOR UPDATE";
  }

  @Override
  public void close() throws SQLException {
    records.close();
    pool.close();
    if (sqliteDir != null) {
      try (var files = Files.list(sqliteDir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
        Files.delete(sqliteDir);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    if (postgres) {
      try (Connection c =
              DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
