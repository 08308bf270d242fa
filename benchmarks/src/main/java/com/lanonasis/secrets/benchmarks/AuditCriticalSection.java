package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.ServerTables;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timed harness for the audit log's scale-out on PostgreSQL (127.0.0.1:5432, database test), the
 * design before chains beside the design after, in one run, on fresh schemas migrated as the owner
 * and written as the non-owner application role:
 *
 * <ul>
 *   <li><b>before</b>: what every server instance serialised on — per append group {@code BEGIN;
 *       SELECT pg_advisory_xact_lock(K)}; read the last entry; insert; {@code COMMIT}. The critical
 *       section is from the lock's grant to the commit's return (the lock is released by the
 *       commit). Run with the old AuditLog's statements on the old (V4) table.
 *   <li><b>after</b>: the only statement serialised across instances, {@code nextval} on the audit
 *       sequence: its round trip as the client sees it (an upper bound), and its server-side time
 *       from a loop inside PostgreSQL.
 * </ul>
 *
 * Then throughput: one writer and two writers (each its own connection pool, as two processes would
 * have), each appending single entries back to back for a few seconds, for both designs — the new
 * one through {@link AuditLog} itself.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * com.lanonasis.secrets.benchmarks.AuditCriticalSection [appends] [seconds]}.
 */
public final class AuditCriticalSection {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  private AuditCriticalSection() {}

  public static void main(String[] args) throws Exception {
    int appends = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String oldSchema = schema();
    String newSchema = schema();
    try {
      migrateOld(oldSchema);
      migrateNew(newSchema);
      System.out.printf("appends per timing: %d, throughput runs: %d s each%n", appends, seconds);

      long[] before = oldCriticalSections(oldSchema, appends);
      long[] nextval = nextvalRoundTrips(newSchema, appends);
      double serverSide = nextvalServerSide(newSchema, 100_000);
      System.out.printf(
          "critical section, before (lock grant -> commit return): median %.1f us, p99 %.1f us%n",
          median(before) / 1e3, p99(before) / 1e3);
      System.out.printf(
          "critical section, after (nextval round trip, client side): median %.1f us, p99 %.1f us%n",
          median(nextval) / 1e3, p99(nextval) / 1e3);
      System.out.printf(
          "critical section, after (nextval inside PostgreSQL, loop of 100000): %.2f us%n",
          serverSide / 1e3);
      System.out.printf(
          "ratio before/after (median, client side): %.0fx%n", median(before) / median(nextval));

      // before, after, after, before: a drift of the machine's load shows as a difference between
      // the two runs of one design.
      for (int writers = 1; writers <= 2; writers++) {
        double old1 = oldThroughput(oldSchema, writers, seconds);
        double new1 = newThroughput(newSchema, writers, seconds);
        double new2 = newThroughput(newSchema, writers, seconds);
        double old2 = oldThroughput(oldSchema, writers, seconds);
        System.out.printf(
            "%d writer(s): before %.0f and %.0f appends/s, after %.0f and %.0f appends/s%n",
            writers, old1, old2, new1, new2);
      }
    } finally {
      drop(oldSchema);
      drop(newSchema);
    }
  }

  private static String appUrl(String schema) {
    return PG + "?currentSchema=" + schema + "&user=lanonasis_app";
  }

  private static String ownerUrl(String schema) {
    return PG + "?currentSchema=" + schema + "&user=lanonasis_owner";
  }

  private static String schema() throws SQLException {
    String schema = "bench_audit_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(PG + "?user=postgres");
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN "
              + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_owner') THEN "
              + "CREATE ROLE lanonasis_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF; "
              + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_app') THEN "
              + "CREATE ROLE lanonasis_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
      s.execute("CREATE SCHEMA " + schema + " AUTHORIZATION lanonasis_owner");
    }
    return schema;
  }

  private static void drop(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG + "?user=postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** The old table: the V2 schema of the audit log, the old columns only. */
  private static void migrateOld(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(ownerUrl(schema));
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE old_audit_log (seq BIGINT PRIMARY KEY, time_us BIGINT NOT NULL, tenant"
              + " VARCHAR(64), key_id VARCHAR(32), action VARCHAR(16) NOT NULL, secret_name"
              + " VARCHAR(256), outcome VARCHAR(16) NOT NULL, client_address VARCHAR(64),"
              + " prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL, repeated BIGINT)");
      s.execute("GRANT USAGE ON SCHEMA " + schema + " TO lanonasis_app");
      s.execute("GRANT SELECT, INSERT ON old_audit_log TO lanonasis_app");
    }
  }

  private static void migrateNew(String schema) {
    // The record store's migrations first: they grant the schema to the app role.
    JdbcRecordStore.builder()
        .database(
            JdbcDatabase.builder()
                .url(appUrl(schema))
                .migrationCredentials("lanonasis_owner", new char[0]))
        .appRole("lanonasis_app")
        .build()
        .close();
    try (JdbcDatabase db =
        JdbcDatabase.builder()
            .url(appUrl(schema))
            .migrationCredentials("lanonasis_owner", new char[0])
            .build()) {
      ServerTables.migrate(db, "lanonasis_app");
    }
  }

  /** One old-style append; returns the nanoseconds from the lock's grant to the commit's return. */
  private static long oldAppend(Connection c, MessageDigest sha, int n) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(7806)");
        PreparedStatement last =
            c.prepareStatement(
                "SELECT seq, hash FROM old_audit_log WHERE seq = (SELECT MAX(seq) FROM"
                    + " old_audit_log)");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO old_audit_log (seq, time_us, tenant, key_id, action, secret_name,"
                    + " outcome, client_address, prev_hash, hash, repeated) VALUES (?, ?,"
                    + " 'default', NULL, 'read', ?, 'ok', '127.0.0.1', ?, ?, NULL)")) {
      lock.execute();
      long granted = System.nanoTime();
      long seq = 1;
      byte[] prev = new byte[32];
      try (ResultSet rs = last.executeQuery()) {
        if (rs.next()) {
          seq = rs.getLong(1) + 1;
          prev = rs.getBytes(2);
        }
      }
      sha.update(prev);
      byte[] hash =
          sha.digest(Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      insert.setLong(1, seq);
      insert.setLong(2, System.currentTimeMillis() * 1000);
      insert.setString(3, "load/db/password" + n);
      insert.setBytes(4, prev);
      insert.setBytes(5, hash);
      insert.executeUpdate();
      c.commit();
      return System.nanoTime() - granted;
    }
  }

  private static long[] oldCriticalSections(String schema, int n) throws Exception {
    long[] out = new long[n];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Connection c = DriverManager.getConnection(appUrl(schema))) {
      c.setAutoCommit(false);
      for (int i = 0; i < n / 10; i++) {
        oldAppend(c, sha, i); // warm-up
      }
      for (int i = 0; i < n; i++) {
        out[i] = oldAppend(c, sha, i);
      }
    }
    return out;
  }

  private static long[] nextvalRoundTrips(String schema, int n) throws SQLException {
    long[] out = new long[n];
    try (Connection c = DriverManager.getConnection(appUrl(schema));
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT nextval('server_audit_log_seq') FROM generate_series(1, 1)")) {
      for (int i = -n / 10; i < n; i++) {
        long t = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
        if (i >= 0) {
          out[i] = System.nanoTime() - t;
        }
      }
    }
    return out;
  }

  /** Nanoseconds per nextval, from a loop inside the server (no round trip). */
  private static double nextvalServerSide(String schema, int n) throws SQLException {
    try (Connection c = DriverManager.getConnection(appUrl(schema));
        Statement s = c.createStatement()) {
      String loop =
          "DO $$ BEGIN FOR i IN 1.."
              + n
              + " LOOP PERFORM nextval('server_audit_log_seq'); END"
              + " LOOP; END $$";
      String empty = "DO $$ BEGIN FOR i IN 1.." + n + " LOOP PERFORM 1; END LOOP; END $$";
      s.execute(loop); // warm-up
      long t0 = System.nanoTime();
      s.execute(loop);
      long t1 = System.nanoTime();
      s.execute(empty);
      long t2 = System.nanoTime();
      return ((t1 - t0) - (t2 - t1)) / (double) n;
    }
  }

  private static double oldThroughput(String schema, int writers, int seconds) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Thread t =
          new Thread(
              () -> {
                try (Connection c = DriverManager.getConnection(appUrl(schema))) {
                  c.setAutoCommit(false);
                  MessageDigest sha = MessageDigest.getInstance("SHA-256");
                  int i = 0;
                  while (!stop.get()) {
                    oldAppend(c, sha, i++);
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      threads.add(t);
    }
    return timed(threads, stop, done, seconds);
  }

  /**
   * The new protocol with the same statements {@link AuditLog}'s writer sends (nextval, insert with
   * the head kept in memory, commit), on one thread per writer like the old one: the server's
   * writer-thread hand-off, common to both designs, is left out of both.
   */
  private static double newThroughput(String schema, int writers, int seconds) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String chain = "bench" + w + Long.toHexString(System.nanoTime() & 0xffffff);
      Thread t =
          new Thread(
              () -> {
                try (Connection c = DriverManager.getConnection(appUrl(schema))) {
                  c.setAutoCommit(false);
                  MessageDigest sha = MessageDigest.getInstance("SHA-256");
                  long chainSeq = 0;
                  byte[] prev = new byte[32];
                  while (!stop.get()) {
                    prev = newAppend(c, sha, chain, ++chainSeq, prev);
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      threads.add(t);
    }
    return timed(threads, stop, done, seconds);
  }

  private static byte[] newAppend(
      Connection c, MessageDigest sha, String chain, long chainSeq, byte[] prev)
      throws SQLException {
    try (PreparedStatement next =
            c.prepareStatement(
                "SELECT nextval('server_audit_log_seq') FROM generate_series(1, ?)");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO server_audit_log (seq, time_us, tenant, key_id, action, secret_name,"
                    + " outcome, client_address, prev_hash, hash, repeated, chain, chain_seq)"
                    + " VALUES (?, ?, 'default', NULL, 'read', 'load/db/password', 'ok',"
                    + " '127.0.0.1', ?, ?, NULL, ?, ?)")) {
      next.setInt(1, 1);
      long seq;
      try (ResultSet rs = next.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
      sha.update(prev);
      byte[] hash =
          sha.digest(Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      insert.setLong(1, seq);
      insert.setLong(2, System.currentTimeMillis() * 1000);
      insert.setBytes(3, prev);
      insert.setBytes(4, hash);
      insert.setString(5, chain);
      insert.setLong(6, chainSeq);
      insert.addBatch();
      insert.executeBatch();
      c.commit();
      return hash;
    }
  }

  private static double timed(List<Thread> threads, AtomicBoolean stop, AtomicLong done, int s)
      throws InterruptedException {
    for (Thread t : threads) {
      t.start();
    }
    Thread.sleep(1000); // warm-up
    long from = done.get();
    long t0 = System.nanoTime();
    Thread.sleep(s * 1000L);
    long n = done.get() - from;
    long t1 = System.nanoTime();
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return n / ((t1 - t0) / 1e9);
  }

  private static double median(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double p99(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[(int) (s.length * 0.99)];
  }
}
