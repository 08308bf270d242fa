package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.audit.AuditCheckpoints;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.server.AuthThrottleTest.ManualClock;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed checkpoints anchor the audit chain outside the database: deleting its newest entries,
 * reusing their sequence numbers, or rewriting the whole chain consistently all pass the plain
 * chain check (that is what a database writer can do), and all fail against a checkpoint taken
 * before.
 */
@DisplayName("signed audit checkpoints")
class AuditCheckpointTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final HttpTestClient client = new HttpTestClient();
  final ManualClock clock = new ManualClock();
  final MasterKeyring keyring = MasterKeyring.generate();
  SecretsServer server;
  String admin;

  @BeforeEach
  void start() {
    server = start(true);
  }

  SecretsServer start(boolean first) {
    RealServer s =
        RealServer.start(
            dir,
            b ->
                b.keyring(keyring)
                    .clock(clock)
                    .auditCheckpoints(
                        dir.resolve("keys/audit-signing-key.pem"),
                        dir.resolve("checkpoints.jsonl")));
    if (first) {
      admin = s.adminKey();
    }
    return s.server();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Reply call(String method, String path) {
    return client.call(server.port(), method, path, admin, null, null);
  }

  void write(String name) {
    assertThat(
            client
                .call(
                    server.port(),
                    "POST",
                    "/api/v1/secrets",
                    admin,
                    "application/json",
                    "{\"key\":\"" + name + "\",\"value\":\"v\"}")
                .status())
        .isBetween(200, 201);
  }

  JsonNode verify(AuditCheckpoints.Checkpoint c) {
    clock.advance(Duration.ofSeconds(AuditRoutes.VERIFY_INTERVAL_SECONDS));
    Reply r =
        call(
            "GET",
            "/api/v1/audit/verify"
                + (c == null
                    ? ""
                    : "?seq=" + c.seq() + "&hash=" + HexFormat.of().formatHex(c.hash())));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  AuditCheckpoints.Checkpoint checkpoint() {
    Reply r = call("GET", "/api/v1/audit/checkpoint");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return AuditCheckpoints.Checkpoint.fromJson(r.json());
  }

  /** As someone who can write the database file: the append-only triggers go first. */
  void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER IF EXISTS server_audit_log_no_update");
      s.executeUpdate("DROP TRIGGER IF EXISTS server_audit_log_no_delete");
      for (String statement : statements) {
        s.executeUpdate(statement);
      }
    }
  }

  @Test
  @DisplayName("a checkpoint is signed by the server's key, in its file and its log, and verifies")
  void checkpoint_isSigned_published_andVerifies() throws Exception {
    write("app/a");
    write("app/b");
    AuditCheckpoints.Checkpoint c = checkpoint();
    assertThat(c.verify()).isTrue();
    assertThat(c.seq()).isEqualTo(2);
    assertThat(c.hash()).isEqualTo(server.auditLog().at(2).orElseThrow().hash());

    byte[] forged = c.signature();
    forged[0] ^= 1;
    assertThat(
            new AuditCheckpoints.Checkpoint(c.seq(), c.hash(), c.time(), forged, c.publicKey())
                .verify())
        .isFalse();
    byte[] otherHash = c.hash();
    otherHash[0] ^= 1;
    assertThat(
            new AuditCheckpoints.Checkpoint(
                    c.seq(), otherHash, c.time(), c.signature(), c.publicKey())
                .verify())
        .isFalse();

    List<String> lines = Files.readAllLines(dir.resolve("checkpoints.jsonl"));
    assertThat(lines).isNotEmpty();
    assertThat(
            AuditCheckpoints.Checkpoint.fromJson(JSON.readTree(lines.get(lines.size() - 1))).seq())
        .isEqualTo(2);
    assertThat(Files.readString(Path.of("target/server-test.log")))
        .contains("audit checkpoint {\"seq\":2");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("keys/audit-signing-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(verify(c).get("checkpoint").get("holds").asBoolean()).isTrue();

    // The same key after a restart: old checkpoints keep verifying against the server's key id.
    server.close();
    server = start(false);
    assertThat(checkpoint().keyId()).isEqualTo(c.keyId());
  }

  @Test
  @DisplayName("deleting the newest entries: the chain still checks, the checkpoint does not hold")
  void tailDeleted_passesTheChainCheck_failsTheCheckpoint() throws Exception {
    for (int i = 0; i < 5; i++) {
      write("app/s" + i);
    }
    AuditCheckpoints.Checkpoint c = checkpoint();
    long before = c.seq();
    sql("DELETE FROM server_audit_log WHERE seq >= " + (before - 1));
    JsonNode plain = verify(null);
    assertThat(plain.get("intact").asBoolean())
        .as("what a database writer could hide before")
        .isTrue();
    JsonNode anchored = verify(c);
    assertThat(anchored.get("intact").asBoolean()).isFalse();
    assertThat(anchored.get("checkpoint").get("holds").asBoolean()).isFalse();

    // New entries take the deleted sequence numbers: the entry at the checkpoint's seq is another
    // one.
    write("app/after-1");
    write("app/after-2");
    assertThat(server.auditLog().newest().orElseThrow().seq()).isGreaterThanOrEqualTo(before);
    assertThat(verify(c).get("checkpoint").get("holds").asBoolean()).isFalse();
  }

  @Test
  @DisplayName(
      "rewriting the whole chain consistently: the chain checks, the checkpoint does not hold")
  void chainRewritten_passesTheChainCheck_failsTheCheckpoint() throws Exception {
    for (int i = 0; i < 3; i++) {
      write("app/s" + i);
    }
    AuditCheckpoints.Checkpoint c = checkpoint();
    // Change entry 1 and recompute every hash after it, as an attacker with the documented encoding
    // can.
    List<AuditEntry> all = server.auditLog().read(0, 100, Optional.empty());
    byte[] prev = new byte[32];
    StringBuilder updates = new StringBuilder();
    for (AuditEntry e : all) {
      AuditEntry changed =
          new AuditEntry(
              e.seq(),
              e.time(),
              e.tenant(),
              e.keyId(),
              e.action(),
              e.seq() == 1 ? Optional.of("app/innocent") : e.secretName(),
              e.outcome(),
              e.clientAddress(),
              prev,
              new byte[32],
              e.repeated(),
              e.chain(),
              e.chainSeq());
      byte[] hash = AuditLog.hash(changed);
      sql(
          "UPDATE server_audit_log SET secret_name = "
              + (changed.secretName().isPresent() ? "'" + changed.secretName().get() + "'" : "NULL")
              + ", prev_hash = X'"
              + HexFormat.of().formatHex(prev)
              + "', hash = X'"
              + HexFormat.of().formatHex(hash)
              + "' WHERE seq = "
              + e.seq());
      prev = hash;
      updates.append(e.seq());
    }
    assertThat(updates).isNotEmpty();
    assertThat(verify(null).get("intact").asBoolean()).isTrue();
    assertThat(verify(c).get("checkpoint").get("holds").asBoolean()).isFalse();
  }

  @Test
  @DisplayName("checkpoints are the operator's; verifications are rate-limited and audited")
  void operatorOnly_rateLimited_audited() {
    String tenantAdmin = server.apiKeys().create("acme", Role.ADMIN, "");
    assertThat(
            client
                .call(server.port(), "GET", "/api/v1/audit/checkpoint", tenantAdmin, null, null)
                .status())
        .isEqualTo(403);
    write("app/a");
    assertThat(call("GET", "/api/v1/audit/verify").status()).isEqualTo(200);
    Reply again = call("GET", "/api/v1/audit/verify");
    assertThat(again.status()).isEqualTo(429);
    assertThat(again.raw().headers().firstValue("Retry-After")).contains("10");
    clock.advance(Duration.ofSeconds(10));
    assertThat(call("GET", "/api/v1/audit/verify").status()).isEqualTo(200);
    assertThat(server.auditLog().read(0, 100, Optional.empty()))
        .extracting(e -> e.action() + " " + e.outcome())
        .contains("audit.checkpoint denied", "audit.verify ok", "audit.verify throttled");
    assertThat(call("GET", "/api/v1/audit/verify?seq=1").status())
        .as("seq without hash")
        .isEqualTo(400);
  }
}
