package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get and put through the JDBC store beside raw JDBC running the same SQL on the same pool, with
 * no library layers and no crypto, in the same run:
 *
 * <ul>
 *   <li>{@link #jdbcGet} vs {@link #rawJdbcGet}: one transaction that (on PostgreSQL) sets the tenant for
 *       row-level security, then reads the newest version's row.
 *   <li>{@link #jdbcPut} vs {@link #rawJdbcPut}: the head read, then one transaction that advances the
 *       head's counter and inserts the version row.
 * </ul>
 *
 * PostgreSQL runs as a non-owner role under row-level security, as in production (the set-up
 * creates the roles and a fresh schema as the local superuser). Needs PostgreSQL on
 * 127.0.0.1:5432 ({@code .ci/services.sh}). Run with {@code benchmarks/run-jdbc.sh}.
 *
 * <p>SQLite runs on a file in a temporary directory with the settings the store uses (WAL,
 * {@code synchronous=FULL}: each commit is flushed to the disk); the raw baseline uses the same
 * settings on its own pool, reads in auto-commit and writes inside {@code BEGIN IMMEDIATE}, the
 * least a correct writer does. H2 runs in memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JdbcBenchmark {
  private static final int NAMES = 256;
  private static final String TENANT = "bench";

  @Param({"H2", "SQLITE", "POSTGRESQL"})
  public String database;

  @Param({"1024"})
  public int payloadBytes;

  private HikariDataSource pool;
  private JdbcRecordStore records;
  private SecretStore store;
  private String[] names;
  private SecretValue value;
  private byte[] rawCiphertextSizedPayload;
  private String schema;
  private long rawVersion;
  private boolean postgres;
  private boolean sqlite;
  private java.nio.file.Path sqliteDir;

  private static final String READ_LATEST = "SELECT v.version, v.key_id, v.ciphertext, v.created_us, h.expires_us"
      + " FROM secret_heads h JOIN secret_versions v ON v.tenant = h.tenant AND v.name = h.name"
      + " WHERE h.tenant = ? AND h.name = ? AND h.state = 'A' AND v.ciphertext IS NOT NULL"
      + " ORDER BY v.version DESC LIMIT 1";
  private static final String HEAD = "SELECT name, current_version, state, created_us, updated_us, description,"
      + " labels, expires_us FROM secret_heads WHERE tenant = ? AND name = ?";
  private static final String ADVANCE = "UPDATE secret_heads SET created_us = CASE WHEN state = 'X' THEN ?"
      + " ELSE created_us END, current_version = ?, state = 'A', updated_us = ? WHERE tenant = ? AND name = ?"
      + " AND current_version = ? AND state <> 'D'";
  private static final String INSERT_VERSION = "INSERT INTO secret_versions (tenant, name, version, key_id,"
      + " ciphertext, created_us) VALUES (?, ?, ?, ?, ?, ?)";

  @Setup
  public void setUp() throws SQLException {
    postgres = database.equals("POSTGRESQL");
    sqlite = database.equals("SQLITE");
    String url;
    String user;
    if (postgres) {
      schema = "bench_" + Long.toHexString(System.nanoTime());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
          Statement s = c.createStatement()) {
        s.execute("DO $$ BEGIN "
            + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_owner') THEN "
            + "CREATE ROLE lanonasis_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF; "
            + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_app') THEN "
            + "CREATE ROLE lanonasis_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
        s.execute("CREATE SCHEMA " + schema + " AUTHORIZATION lanonasis_owner");
      }
      url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema;
      user = "lanonasis_app";
      try (HikariDataSource owner = pool(url, "lanonasis_owner")) {
        JdbcRecordStore.builder().url(url).username("lanonasis_app").migrationDataSource(owner)
            .appRole("lanonasis_app").build().close();
      }
    } else if (sqlite) {
      try {
        sqliteDir = java.nio.file.Files.createTempDirectory("lns-bench-sqlite");
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      url = "jdbc:sqlite:" + sqliteDir.resolve("bench.db");
      user = null;
    } else {
      url = "jdbc:h2:mem:bench_" + Long.toHexString(System.nanoTime());
      user = "sa";
    }
    if (sqlite) {
      // The store makes its own pools (readers, one writer) with its durable settings.
      records = JdbcRecordStore.builder().url(url).build();
      pool = pool(url + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true", null);
    } else {
      pool = pool(url, user);
      records = JdbcRecordStore.builder().dataSource(pool).migrate(!postgres).build();
    }
    store = SecretStores.builder().recordStore(records).keyring(MasterKeyring.generate()).tenant(TENANT).open();
    byte[] payload = new byte[payloadBytes];
    new SplittableRandom(7).nextBytes(payload);
    value = SecretValue.of(payload);
    names = new String[NAMES];
    for (int i = 0; i < NAMES; i++) {
      names[i] = String.format("bench/name-%04d", i);
      store.put(names[i], value);
      store.put("raw/" + names[i], value);
    }
    // The raw put writes bytes of the size the library would write (payload + Tink's 5 + 12 + 16).
    rawCiphertextSizedPayload = new byte[payloadBytes + 33];
    rawVersion = 1;
  }

  @TearDown
  public void tearDown() throws SQLException {
    store.close();
    pool.close();
    if (sqliteDir != null) {
      try (var files = java.nio.file.Files.list(sqliteDir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
        java.nio.file.Files.delete(sqliteDir);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    if (postgres) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
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

  private void commit(Connection c) throws SQLException {
    if (!sqlite) {
      c.commit();
    }
  }

  /** Per-thread cursor over the names. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    int next() {
      return (i = (i + 1) & (NAMES - 1));
    }
  }

  @Benchmark
  public int jdbcGet(Cursor cursor) {
    try (Secret s = store.get(names[cursor.next()])) {
      return s.value().length();
    }
  }

  @Benchmark
  public int rawJdbcGet(Cursor cursor) throws SQLException {
    try (Connection c = pool.getConnection()) {
      setTenant(c);
      try (PreparedStatement ps = c.prepareStatement(READ_LATEST)) {
        ps.setString(1, TENANT);
        ps.setString(2, names[cursor.next()]);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          int n = rs.getBytes(3).length;
          commit(c);
          return n;
        }
      }
    }
  }

  /** Writes a new version of one of the names (single-threaded runs only: see run-jdbc.sh). */
  @Benchmark
  public long jdbcPut(Cursor cursor) {
    return store.put(names[cursor.next()], value).version();
  }

  @Benchmark
  public long rawJdbcPut(Cursor cursor) throws SQLException {
    String name = "raw/" + names[cursor.next()];
    long current;
    try (Connection c = pool.getConnection()) {
      setTenant(c);
      try (PreparedStatement ps = c.prepareStatement(HEAD)) {
        ps.setString(1, TENANT);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          current = rs.getLong(2);
        }
      }
      commit(c);
    }
    long now = System.currentTimeMillis() * 1000;
    try (Connection c = pool.getConnection()) {
      setTenant(c);
      if (sqlite) {
        try (Statement s = c.createStatement()) {
          s.execute("BEGIN IMMEDIATE");
        }
      }
      try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
        ps.setLong(1, now);
        ps.setLong(2, current + 1);
        ps.setLong(3, now);
        ps.setString(4, TENANT);
        ps.setString(5, name);
        ps.setLong(6, current);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_VERSION)) {
        ps.setString(1, TENANT);
        ps.setString(2, name);
        ps.setLong(3, current + 1);
        ps.setInt(4, 1);
        ps.setBytes(5, rawCiphertextSizedPayload);
        ps.setLong(6, now);
        ps.executeUpdate();
      }
      if (sqlite) {
        try (Statement s = c.createStatement()) {
          s.execute("COMMIT");
        }
      } else {
        c.commit();
      }
    }
    return current + 1;
  }

  private void setTenant(Connection c) throws SQLException {
    if (postgres) {
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lanonasis.tenant', ?, true)")) {
        ps.setString(1, TENANT);
        ps.execute();
      }
    }
  }
}
