package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.audit.AuditCheckpointVerifier;
import com.lanonasis.secrets.audit.AuditCheckpoints;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.AuditVerification;
import com.lanonasis.secrets.audit.ServerTables;
import com.lanonasis.secrets.audit.StoreRollback;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.TestDatabases;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's chains on one PostgreSQL schema written by two writers with pools of their own
 * (two server processes' worth), connected as the application role, migrated as the owner: they
 * append concurrently without a shared lock, and every entry is there once, in a chain that
 * verifies; damage to one chain, and a chain's tail cut behind its checkpoint, are found; rows
 * written before chains existed still verify after the migration.
 */
class AuditChainsPostgresTest {
  static final int THREADS_PER_WRITER = 4;
  static final int APPENDS_PER_THREAD = 60;

  @TempDir Path dir;

  /** A fresh schema with the record store's tables, migrated first as the server does. */
  private TestDatabases.Target fresh() {
    TestDatabases.Target db = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    db.open().close();
    return db;
  }

  private static JdbcDatabase pool(TestDatabases.Target db) {
    return JdbcDatabase.builder()
        .url(db.appUrl())
        .migrationCredentials(TestDatabases.PG_OWNER, new char[0])
        .build();
  }

  @Test
  void twoWriters_appendConcurrently_toChainsOfTheirOwn_everyEntryOnce_andTheLogVerifies()
      throws Exception {
    TestDatabases.Target db = fresh();
    try (JdbcDatabase one = pool(db);
        JdbcDatabase two = pool(db)) {
      ServerTables.migrate(one, TestDatabases.PG_APP);
      AuditLog a = new AuditLog(one, Clock.systemUTC());
      AuditLog b = new AuditLog(two, Clock.systemUTC());
      assertThat(a.chain()).matches("[0-9a-f]{16}").isNotEqualTo(b.chain());
      List<AuditEntry> acknowledged = appendConcurrently(a, b);
      a.close();
      b.close();

      int expected = 2 * THREADS_PER_WRITER * APPENDS_PER_THREAD;
      assertThat(acknowledged).hasSize(expected);
      AuditVerification v = a.verify();
      assertThat(v).isEqualTo(new AuditVerification(expected, Optional.empty()));
      assertThat(b.verify()).isEqualTo(v);
      // Every acknowledged entry is in the table exactly once, as it was acknowledged.
      List<AuditEntry> stored = a.read(0, expected + 10, Optional.empty());
      assertThat(stored).hasSize(expected);
      assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(stored.stream().map(AuditEntry::seq).distinct().count()).isEqualTo(expected);
      // Each chain is 1..n without gaps, and n is what its writer wrote.
      Map<String, Set<Long>> places = new HashMap<>();
      for (AuditEntry e : stored) {
        assertThat(places.computeIfAbsent(e.chain(), k -> new HashSet<>()).add(e.chainSeq()))
            .isTrue();
      }
      assertThat(places.keySet()).containsExactlyInAnyOrder(a.chain(), b.chain());
      for (Set<Long> p : places.values()) {
        assertThat(p)
            .containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, expected / 2).boxed().toList());
      }
      assertThat(a.head().orElseThrow().chainSeq()).isEqualTo(expected / 2);
    }
  }

  /** Both writers' threads at once; every fourth call is an appendAll of three drafts. */
  private static List<AuditEntry> appendConcurrently(AuditLog a, AuditLog b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_WRITER);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<AuditEntry>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < 2 * THREADS_PER_WRITER; t++) {
        AuditLog log = t % 2 == 0 ? a : b;
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  List<AuditEntry> mine = new ArrayList<>();
                  int i = 0;
                  while (i < APPENDS_PER_THREAD) {
                    if (i % 4 == 3 && i + 3 <= APPENDS_PER_THREAD) {
                      List<AuditLog.Draft> drafts = new ArrayList<>();
                      for (int k = 0; k < 3; k++) {
                        drafts.add(
                            new AuditLog.Draft(
                                "default", null, "read", "t" + thread + "/" + (i + k), "ok", null));
                      }
                      List<AuditEntry> all = log.appendAll(drafts);
                      assertThat(all).hasSize(3);
                      // One transaction: consecutive places in the writer's chain.
                      assertThat(all.get(2).chainSeq()).isEqualTo(all.get(0).chainSeq() + 2);
                      mine.addAll(all);
                      i += 3;
                    } else {
                      mine.add(
                          log.append("default", null, "read", "t" + thread + "/" + i, "ok", null));
                      i++;
                    }
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<AuditEntry> all = new ArrayList<>();
      for (Future<List<AuditEntry>> f : futures) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aChangedOrDeletedEntryInOneChain_andATailCutBehindItsCheckpoint_areFound() throws Exception {
    TestDatabases.Target db = fresh();
    ObjectMapper json = new ObjectMapper();
    try (JdbcDatabase one = pool(db);
        JdbcDatabase two = pool(db)) {
      ServerTables.migrate(one, TestDatabases.PG_APP);
      AuditLog a = new AuditLog(one, Clock.systemUTC());
      AuditLog b = new AuditLog(two, Clock.systemUTC());
      List<AuditEntry> ofA = new ArrayList<>();
      List<AuditEntry> ofB = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ofA.add(a.append("default", null, "read", "a/" + i, "ok", null));
        ofB.add(b.append("default", null, "write", "b/" + i, "ok", null));
      }
      assertThat(a.verify().intact()).isTrue();

      // Changed in the middle of chain a: that entry is the first broken one.
      owner(db, "UPDATE server_audit_log SET outcome = 'denied' WHERE seq = " + ofA.get(2).seq());
      assertThat(a.verify()).isEqualTo(new AuditVerification(12, Optional.of(ofA.get(2).seq())));
      owner(db, "UPDATE server_audit_log SET outcome = 'ok' WHERE seq = " + ofA.get(2).seq());
      assertThat(a.verify().intact()).isTrue();

      // Deleted from the middle of chain a: the entry after the gap is reported, chain b is fine.
      owner(db, "DELETE FROM server_audit_log WHERE seq = " + ofA.get(3).seq());
      assertThat(a.verify()).isEqualTo(new AuditVerification(11, Optional.of(ofA.get(4).seq())));

      // Chain b's tail cut behind its checkpoint: the chain itself still links, the checkpoint
      // proves the loss, and a start on the store is refused.
      AuditCheckpoints signer = AuditCheckpoints.ephemeral(json);
      Path file = dir.resolve("checkpoints.jsonl");
      AuditCheckpoints.Checkpoint ofChainB = signer.sign(b.head().orElseThrow());
      AuditCheckpoints.Checkpoint ofChainA = signer.sign(a.head().orElseThrow());
      Files.writeString(
          file,
          json.writeValueAsString(ofChainB.json())
              + "\n"
              + json.writeValueAsString(ofChainA.json())
              + "\n");
      assertThat(ofChainB.chain()).isEqualTo(b.chain());
      assertThat(ofChainB.verify()).isTrue();
      JsonNode checkpointB = json.valueToTree(ofChainB.json());
      AuditCheckpointVerifier.Result before =
          AuditCheckpointVerifier.verify(
              checkpointB,
              Optional.of(signer.publicKey()),
              a.read(0, 100, Optional.empty()).iterator());
      assertThat(before.holds()).as(before.explanation()).isTrue();
      assertThat(before.entriesChecked()).isEqualTo(6);
      // Chain a's checkpoint does not hold: its entry 4 is gone.
      AuditCheckpointVerifier.Result brokenA =
          AuditCheckpointVerifier.verify(
              json.valueToTree(ofChainA.json()),
              Optional.empty(),
              a.read(0, 100, Optional.empty()).iterator());
      assertThat(brokenA.holds()).isFalse();
      assertThat(brokenA.explanation()).contains("place 4 is missing");

      owner(
          db,
          "DELETE FROM server_audit_log WHERE seq IN ("
              + ofB.get(4).seq()
              + ", "
              + ofB.get(5).seq()
              + ")");
      AuditCheckpointVerifier.Result after =
          AuditCheckpointVerifier.verify(
              checkpointB, Optional.empty(), a.read(0, 100, Optional.empty()).iterator());
      assertThat(after.holds()).isFalse();
      assertThat(after.explanation()).contains("deleted from its tail");
      // Put chain a back whole (re-insert its deleted entry), so only chain b's loss is left.
      insert(db, ofA.get(3));
      assertThat(a.verify().intact()).isTrue();
      assertThatThrownBy(() -> StoreRollback.check(one, a, file, json, false))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("of chain " + b.chain())
          .hasMessageContaining("rolled back");
      assertThat(StoreRollback.check(one, a, file, json, true)).isPresent();
      a.close();
      b.close();
    }
  }

  @Test
  void legacyRows_fromBeforeChains_stillVerify_afterTheMigration_andNewChainsFollowThem()
      throws Exception {
    TestDatabases.Target db = fresh();
    // The schema as the previous version left it (V1..V4), with a chain of three v1 entries.
    Flyway.configure()
        .dataSource(db.ownerUrl(), null, null)
        .locations("classpath:com/lanonasis/secrets/audit/migration/postgresql")
        .table("server_schema_history")
        .placeholders(Map.of("appRole", TestDatabases.PG_APP))
        .target("4")
        // beside the record store's tables, as JdbcDatabase.migrate does
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    byte[] prev = new byte[32];
    List<byte[]> legacyHashes = new ArrayList<>();
    Instant t = Instant.parse("2026-01-02T03:04:05.123456Z");
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO server_audit_log (seq, time_us, tenant, key_id, action, secret_name,"
                    + " outcome, client_address, prev_hash, hash) VALUES (?, ?, 'default', NULL,"
                    + " 'write', ?, 'ok', '127.0.0.1', ?, ?)")) {
      for (long seq = 1; seq <= 3; seq++) {
        byte[] hash = v1Hash(seq, t, "old/" + seq, prev);
        ps.setLong(1, seq);
        ps.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, t));
        ps.setString(3, "old/" + seq);
        ps.setBytes(4, prev);
        ps.setBytes(5, hash);
        ps.executeUpdate();
        legacyHashes.add(hash);
        prev = hash;
      }
    }
    ObjectMapper json = new ObjectMapper();
    // A v1 checkpoint signed before the upgrade, of legacy entry 3.
    AuditCheckpoints signer = AuditCheckpoints.ephemeral(json);
    AuditEntry legacyThree =
        new AuditEntry(
            3,
            t,
            Optional.of("default"),
            Optional.empty(),
            "write",
            Optional.of("old/3"),
            "ok",
            Optional.of("127.0.0.1"),
            legacyHashes.get(1),
            legacyHashes.get(2),
            0);
    AuditCheckpoints.Checkpoint v1 = signer.sign(legacyThree);
    assertThat(v1.json()).doesNotContainKey("chain");
    Path file = dir.resolve("checkpoints.jsonl");
    Files.writeString(file, json.writeValueAsString(v1.json()) + "\n");

    try (JdbcDatabase one = pool(db)) {
      // The start-up check runs before the migration, on the old schema.
      AuditLog log = new AuditLog(one, Clock.systemUTC());
      assertThat(StoreRollback.check(one, log, file, json, false)).isEmpty();
      ServerTables.migrate(one, TestDatabases.PG_APP);
      assertThat(log.verify()).isEqualTo(new AuditVerification(3, Optional.empty()));
      AuditEntry next = log.append("default", null, "read", "new/1", "ok", null);
      assertThat(next.seq()).isEqualTo(4);
      assertThat(next.chainSeq()).isEqualTo(1);
      assertThat(log.verify()).isEqualTo(new AuditVerification(4, Optional.empty()));
      List<AuditEntry> all = log.read(0, 10, Optional.empty());
      assertThat(all.get(0).chain()).isEqualTo(AuditLog.LEGACY_CHAIN);
      assertThat(all.get(2).hash()).isEqualTo(legacyHashes.get(2));
      AuditCheckpointVerifier.Result old =
          AuditCheckpointVerifier.verify(
              json.valueToTree(v1.json()), Optional.of(signer.publicKey()), all.iterator());
      assertThat(old.holds()).as(old.explanation()).isTrue();
      assertThat(old.entriesChecked()).isEqualTo(3);
      assertThat(StoreRollback.check(one, log, file, json, false)).isEmpty();
      // A changed legacy entry is still found.
      owner(db, "UPDATE server_audit_log SET secret_name = 'old/x' WHERE seq = 2");
      assertThat(log.verify().firstBrokenSeq()).contains(2L);
      log.close();
    }
  }

  /** The v1 encoding, as server/README.md documents it, for an entry with the fields above. */
  private static byte[] v1Hash(long seq, Instant t, String name, byte[] prev) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write("lanonasis-audit-v1".getBytes(StandardCharsets.US_ASCII));
    out.write(
        ByteBuffer.allocate(16)
            .putLong(seq)
            .putLong(ChronoUnit.MICROS.between(Instant.EPOCH, t))
            .array());
    for (String v : new String[] {"default", null, "write", name, "ok", "127.0.0.1"}) {
      if (v == null) {
        out.write(0);
      } else {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.write(ByteBuffer.allocate(4).putInt(b.length).array());
        out.write(b);
      }
    }
    out.write(prev);
    return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
  }

  /** Runs {@code sql} as the owner with the append-only trigger off: a deliberate tampering. */
  private static void owner(TestDatabases.Target db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        Statement s = c.createStatement()) {
      s.executeUpdate("ALTER TABLE server_audit_log DISABLE TRIGGER server_audit_log_no_update");
      try {
        s.executeUpdate(sql);
      } finally {
        s.executeUpdate("ALTER TABLE server_audit_log ENABLE TRIGGER server_audit_log_no_update");
      }
    }
  }

  private static void insert(TestDatabases.Target db, AuditEntry e) throws Exception {
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO server_audit_log (seq, time_us, tenant, key_id, action, secret_name,"
                    + " outcome, client_address, prev_hash, hash, chain, chain_seq)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, e.seq());
      ps.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, e.time()));
      ps.setString(3, e.tenant().orElse(null));
      ps.setString(4, e.keyId().orElse(null));
      ps.setString(5, e.action());
      ps.setString(6, e.secretName().orElse(null));
      ps.setString(7, e.outcome());
      ps.setString(8, e.clientAddress().orElse(null));
      ps.setBytes(9, e.prevHash());
      ps.setBytes(10, e.hash());
      ps.setString(11, e.chain());
      ps.setLong(12, e.chainSeq());
      ps.executeUpdate();
    }
  }
}
