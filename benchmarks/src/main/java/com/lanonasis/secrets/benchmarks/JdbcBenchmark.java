package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * Get and put through the JDBC store beside raw JDBC running the same SQL on the same pool, with no
 * library layers and no crypto, in the same run:
 *
 * <ul>
 *   <li>{@link #jdbcGet} vs {@link #rawJdbcGet}: one transaction that (on PostgreSQL) sets the
 *       tenant for row-level security, then reads the newest version's row with the tenant keyset's
 *       generation.
 *   <li>{@link #jdbcPut} vs {@link #rawJdbcPut}: the head read, then one transaction that reads the
 *       keyset's generation under a shared row lock, advances the head's counter and inserts the
 *       version row.
 * </ul>
 *
 * The databases are set up by {@link BenchDatabase}. Needs PostgreSQL on 127.0.0.1:5432 ({@code
 * .ci/services.sh}). Run with {@code benchmarks/run-jdbc.sh}. The raw SQLite baseline reads in
 * auto-commit and writes inside {@code BEGIN IMMEDIATE}, the least a correct writer does.
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

  private BenchDatabase db;
  private SecretStore store;
  private String[] names;
  private SecretValue value;
  private byte[] rawCiphertextSizedPayload;
  private String lockKeyset;

  // The statements the store runs (Sql.java): a read joins the tenant keyset row for its
  // generation; an append first reads the live keyset's generation under a shared row lock.
  private static final String READ_LATEST =
      "SELECT v.version, v.key_id, v.ciphertext, v.created_us, h.expires_us,"
          + " k.generation FROM secret_heads h JOIN secret_versions v ON v.tenant = h.tenant AND v.name = h.name"
          + " LEFT JOIN tenant_keysets k ON k.tenant = h.tenant"
          + " WHERE h.tenant = ? AND h.name = ? AND h.state = 'A' AND v.ciphertext IS NOT NULL"
          + " ORDER BY v.version DESC LIMIT 1";
  private static final String HEAD =
      "SELECT name, current_version, state, created_us, updated_us, description,"
          + " labels, expires_us FROM secret_heads WHERE tenant = ? AND name = ?";
  private static final String ADVANCE =
      "UPDATE secret_heads SET created_us = CASE WHEN state = 'X' THEN ?"
          + " ELSE created_us END, current_version = ?, state = 'A', updated_us = ? WHERE tenant = ? AND name = ?"
          + " AND current_version = ? AND state <> 'D'";
  private static final String INSERT_VERSION =
      "INSERT INTO secret_versions (tenant, name, version, key_id,"
          + " ciphertext, created_us) VALUES (?, ?, ?, ?, ?, ?)";

  @Setup
  public void setUp() throws SQLException {
    db = BenchDatabase.open(database);
    lockKeyset =
        "SELECT generation FROM tenant_keysets WHERE tenant = ? AND wrapped IS NOT NULL"
            + db.sharedRowLock();
    store =
        SecretStores.builder()
            .recordStore(db.records)
            .keyring(MasterKeyring.generate())
            .tenant(TENANT)
            .open();
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
  }

  @TearDown
  public void tearDown() throws SQLException {
    store.close();
    db.close();
  }

  /** Per-thread cursor over the names. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    int next() {
      i = (i + 1) & (NAMES - 1);
      return i;
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
    try (Connection c = db.pool.getConnection()) {
      db.setTenant(c, TENANT);
      try (PreparedStatement ps = c.prepareStatement(READ_LATEST)) {
        ps.setString(1, TENANT);
        ps.setString(2, names[cursor.next()]);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          int n = rs.getBytes(3).length + (int) rs.getLong(6);
          db.endRead(c);
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
    try (Connection c = db.pool.getConnection()) {
      db.setTenant(c, TENANT);
      try (PreparedStatement ps = c.prepareStatement(HEAD)) {
        ps.setString(1, TENANT);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          current = rs.getLong(2);
        }
      }
      db.endRead(c);
    }
    long now = System.currentTimeMillis() * 1000;
    try (Connection c = db.pool.getConnection()) {
      db.beginWrite(c);
      db.setTenant(c, TENANT);
      try (PreparedStatement ps = c.prepareStatement(lockKeyset)) {
        ps.setString(1, TENANT);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
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
      db.commitWrite(c);
    }
    return current + 1;
  }
}
