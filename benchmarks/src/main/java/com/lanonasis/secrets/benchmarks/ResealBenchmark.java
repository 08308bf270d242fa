package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Re-sealing every record of a tenant ({@link TenantKeyManager#reseal}) beside raw JDBC that pages
 * through the same rows and rewrites each row's ciphertext and key id with an {@code UPDATE}, in
 * transactions of the same batch size, with no crypto and no conditions: the least any re-seal must
 * do. One invocation is one whole pass over {@link #records} rows; before each, the tenant's data
 * key is rotated, so every record is to be re-sealed. Run with {@code benchmarks/run-reseal.sh}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 6)
@State(Scope.Benchmark)
public class ResealBenchmark {
  private static final String TENANT = "bench";
  private static final int BATCH = 500;

  @Param({"SQLITE", "POSTGRESQL"})
  public String database;

  @Param({"256"})
  public int payloadBytes;

  @Param({"20000"})
  public int records;

  private BenchDatabase db;
  private TenantKeyManager manager;
  private int key = 1;

  private static final String PAGE_FROM =
      "SELECT name, version, key_id, ciphertext FROM secret_versions"
          + " WHERE tenant = ? AND ciphertext IS NOT NULL ORDER BY name, version LIMIT ?";
  private static final String PAGE_AFTER =
      "SELECT name, version, key_id, ciphertext FROM secret_versions"
          + " WHERE tenant = ? AND ciphertext IS NOT NULL AND name >= ? AND (name > ? OR version > ?)"
          + " ORDER BY name, version LIMIT ?";
  private static final String UPDATE =
      "UPDATE secret_versions SET ciphertext = ?, key_id = ?"
          + " WHERE tenant = ? AND name = ? AND version = ?";

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    db = BenchDatabase.open(database);
    MasterKeyring keyring = MasterKeyring.generate();
    manager = new TenantKeyManager(db.records, keyring);
    SecretStore store =
        SecretStores.builder().recordStore(db.records).keyring(keyring).tenant(TENANT).open();
    byte[] payload = new byte[payloadBytes];
    new SplittableRandom(7).nextBytes(payload);
    for (int i = 0; i < records; i++) {
      store.put(String.format("bench/name-%06d", i), SecretValue.of(payload));
    }
  }

  /** A new primary before each pass, so that every record is sealed with an older key. */
  @Setup(Level.Iteration)
  public void rotate() {
    manager.rotateDataKey(TENANT);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    db.close();
  }

  @Benchmark
  public long reseal() {
    TenantKeyManager.ResealReport r = manager.reseal(TENANT, BATCH, p -> {});
    if (r.resealed() != records) {
      throw new IllegalStateException("re-sealed " + r.resealed() + " of " + records);
    }
    return r.resealed();
  }

  @Benchmark
  public long rawUpdate() throws SQLException {
    long done = 0;
    String[] after = null;
    key++;
    while (true) {
      List<Object[]> page = new ArrayList<>(BATCH);
      try (Connection c = db.pool.getConnection()) {
        db.setTenant(c, TENANT);
        try (PreparedStatement ps = c.prepareStatement(after == null ? PAGE_FROM : PAGE_AFTER)) {
          int i = 1;
          ps.setString(i++, TENANT);
          if (after != null) {
            ps.setString(i++, after[0]);
            ps.setString(i++, after[0]);
            ps.setLong(i++, Long.parseLong(after[1]));
          }
          ps.setInt(i, BATCH);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              page.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getBytes(4)});
            }
          }
        }
        db.endRead(c);
      }
      if (page.isEmpty()) {
        if (done != records) {
          throw new IllegalStateException("updated " + done + " of " + records);
        }
        return done;
      }
      try (Connection c = db.pool.getConnection()) {
        db.beginWrite(c);
        db.setTenant(c, TENANT);
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
          for (Object[] row : page) {
            ps.setBytes(
                1, (byte[]) row[2]); // the same bytes back: the rows stay readable for the library
            ps.setInt(2, key);
            ps.setString(3, TENANT);
            ps.setString(4, (String) row[0]);
            ps.setLong(5, (Long) row[1]);
            ps.addBatch();
          }
          for (int n : ps.executeBatch()) {
            done += n;
          }
        }
        db.commitWrite(c);
      }
      Object[] last = page.get(page.size() - 1);
      after = new String[] {(String) last[0], Long.toString((Long) last[1])};
    }
  }
}
