package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.AuditVerification;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log end to end: a real server on an ephemeral port, H2 in a temporary file, real HTTP.
 */
class AuditLogTest {
  static final String SENTINEL = "S3NTINEL-audit-value-41d2";
  static final String SENTINEL_TOKEN = "lns_0123456789abcdef_S3NTINEL-audit-key-9c0e";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;
  String adminId;

  @BeforeEach
  void start() {
    RealServer started = RealServer.start(dir);
    server = started.server();
    admin = started.adminKey();
    adminId = admin.substring("lns_".length(), "lns_".length() + 16);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  String jdbcUrl() {
    return RealServer.jdbcUrlIn(dir);
  }

  /**
   * A second connection to the server's own SQLite database, as an attacker with SQL access would
   * have.
   */
  Connection sql() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  Reply call(String method, String path, String key, String body) {
    return client.call(
        server.port(), method, path, key, body == null ? null : "application/json", body);
  }

  Reply put(String key, String name, String value) {
    return call(
        "POST", "/api/v1/secrets", key, "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}");
  }

  List<AuditEntry> entries() {
    return server.auditLog().read(0, 1000, Optional.empty());
  }

  AuditEntry last() {
    List<AuditEntry> all = entries();
    return all.get(all.size() - 1);
  }

  static String describe(AuditEntry e) {
    return e.action() + " " + e.secretName().orElse("-") + " " + e.outcome();
  }

  /**
   * Runs {@code statement} as an attacker who can write the database file: the append-only triggers
   * go first.
   */
  void tamper(String statement) throws SQLException {
    try (Connection c = sql();
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER IF EXISTS server_audit_log_no_update");
      s.executeUpdate("DROP TRIGGER IF EXISTS server_audit_log_no_delete");
      s.executeUpdate(statement);
    }
  }

  @Nested
  @DisplayName("what is recorded")
  class Recorded {
    @Test
    void eachAction_isRecordedWithKeyIdTenantNameOutcomeAndAddress() {
      String rw = server.apiKeys().create("default", Role.READ_WRITE, "");
      String ro = server.apiKeys().create("default", Role.READ_ONLY, "");
      assertThat(put(admin, "app/db", "v1").status()).isEqualTo(201);
      assertThat(call("GET", "/api/v1/secrets/app/db", admin, null).status()).isEqualTo(200);
      assertThat(call("GET", "/api/v1/secrets?prefix=app/", admin, null).status()).isEqualTo(200);
      assertThat(call("GET", "/api/v1/secrets/app/db:versions", admin, null).status())
          .isEqualTo(200);
      assertThat(call("DELETE", "/api/v1/secrets/app/db", rw, null).status()).isEqualTo(204);
      assertThat(call("POST", "/api/v1/secrets/app/db:restore", rw, null).status()).isEqualTo(204);
      assertThat(call("GET", "/api/v1/secrets/app/missing", admin, null).status()).isEqualTo(404);
      assertThat(
              call(
                      "POST",
                      "/api/v1/secrets",
                      admin,
                      "{\"key\":\"app/db\",\"value\":\"x\",\"expectedVersion\":0}")
                  .status())
          .isEqualTo(409);
      assertThat(put(ro, "app/db", "v2").status()).isEqualTo(403);
      assertThat(
              call("POST", "/api/v1/secrets", admin, "{\"key\":\"a/../b\",\"value\":\"x\"}")
                  .status())
          .isEqualTo(400);
      assertThat(call("POST", "/api/v1/secrets/app/db:destroy", admin, null).status())
          .isEqualTo(204);

      List<AuditEntry> all = entries();
      assertThat(all)
          .extracting(AuditLogTest::describe)
          .containsExactly(
              "write app/db ok",
              "read app/db ok",
              "list app/ ok",
              "versions app/db ok",
              "delete app/db ok",
              "restore app/db ok",
              "read app/missing not_found",
              "write app/db conflict",
              "write - denied", // a read-only key is refused before its body is read
              "write - invalid",
              "destroy app/db ok");
      assertThat(all)
          .extracting(AuditEntry::seq)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      assertThat(all)
          .allSatisfy(
              e -> {
                assertThat(e.tenant()).contains("default");
                assertThat(e.clientAddress()).contains("127.0.0.1");
                assertThat(e.keyId()).isPresent();
              });
      assertThat(all.get(0).keyId()).contains(adminId);
      assertThat(all.get(4).keyId()).contains(rw.substring(4, 20));
      assertThat(all.get(8).keyId()).contains(ro.substring(4, 20));
      assertThat(all.get(0).prevHash()).isEqualTo(new byte[32]);
      assertThat(all.get(1).prevHash()).isEqualTo(all.get(0).hash());
      assertThat(server.auditLog().verify()).isEqualTo(new AuditVerification(11, Optional.empty()));
    }

    @Test
    void failedAuthentication_isRecordedWithoutThePresentedToken() {
      assertThat(call("GET", "/api/v1/secrets/app/db", SENTINEL_TOKEN, null).status())
          .isEqualTo(401);
      assertThat(call("GET", "/api/v1/secrets/app/db", null, null).status()).isEqualTo(401);
      assertThat(call("GET", "/api/v1/secrets/app/db", "S3NTINEL-not-even-a-key", null).status())
          .isEqualTo(401);
      server.flushRefusals(); // writes the count of the refusals aggregated after the first

      List<AuditEntry> all = entries();
      assertThat(all).extracting(AuditEntry::repeated).containsExactly(0L, 2L);
      assertThat(all)
          .allSatisfy(
              e -> {
                assertThat(e.action()).isEqualTo("authenticate");
                assertThat(e.outcome()).isEqualTo("denied");
                assertThat(e.keyId()).isEmpty();
                assertThat(e.tenant()).isEmpty();
                assertThat(e.clientAddress()).contains("127.0.0.1");
                assertThat(e.toString()).doesNotContain("S3NTINEL");
              });
    }

    @Test
    void sentinelValueAndApiKeys_appearInNoColumnOfAnyRow() throws SQLException {
      String rw = server.apiKeys().create("default", Role.READ_WRITE, "");
      assertThat(put(rw, "app/sentinel", SENTINEL).status()).isEqualTo(201);
      Reply read = call("GET", "/api/v1/secrets/app/sentinel", rw, null);
      assertThat(read.body()).contains(SENTINEL);
      put(rw, "app/sentinel", SENTINEL + "-2");
      call(
          "POST",
          "/api/v1/secrets",
          rw,
          "{\"key\":\"app/sentinel\",\"value\":\"" + SENTINEL + "\",\"expectedVersion\":1}");
      call(
          "POST",
          "/api/v1/secrets",
          rw,
          "{\"key\":\"app/../" + SENTINEL + "\",\"value\":\"" + SENTINEL + "\"}");
      call("GET", "/api/v1/secrets/app/sentinel", SENTINEL_TOKEN, null);
      call("GET", "/api/v1/secrets?prefix=" + SENTINEL + "%20x", rw, null);
      call("GET", "/api/v1/secrets/app/sentinel?key=" + SENTINEL_TOKEN, rw, null);
      call("GET", "/api/v1/audit?limit=1000", admin, null);

      List<String> forbidden =
          List.of(
              SENTINEL,
              SENTINEL_TOKEN,
              "S3NTINEL",
              admin,
              RealServer.secretPart(admin),
              rw,
              RealServer.secretPart(rw));
      int rows = 0;
      try (Connection c = sql();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT * FROM server_audit_log")) {
        int columns = r.getMetaData().getColumnCount();
        assertThat(columns).isEqualTo(13);
        while (r.next()) {
          rows++;
          for (int i = 1; i <= columns; i++) {
            Object v = r.getObject(i);
            String text =
                v instanceof byte[] b
                    ? new String(b, StandardCharsets.ISO_8859_1)
                    : String.valueOf(v);
            for (String f : forbidden) {
              assertThat(text).as("column %d of row %d", i, rows).doesNotContain(f);
            }
          }
        }
      }
      assertThat(rows).isGreaterThanOrEqualTo(7);
      Reply log = call("GET", "/api/v1/audit?limit=1000", admin, null);
      for (String f : forbidden) {
        assertThat(log.body()).doesNotContain(f);
      }
    }
  }

  @Nested
  @DisplayName("the hash chain")
  class Chain {
    @Test
    void concurrentRequestsOnSeveralThreads_leaveOneUnbrokenChainWithConsecutiveSeq()
        throws Exception {
      int threads = 4;
      int perThread = 50;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                      Reply r =
                          i % 2 == 0
                              ? put(admin, "load/t" + thread, "v" + i)
                              : call("GET", "/api/v1/secrets/load/t" + thread, admin, null);
                      if (r.status() == 200 || r.status() == 201) {
                        ok++;
                      }
                    }
                    return ok;
                  }));
        }
        for (Future<Integer> f : done) {
          assertThat(f.get()).isEqualTo(perThread);
        }
      } finally {
        pool.shutdown();
      }
      List<AuditEntry> all = entries();
      assertThat(all).hasSize(threads * perThread);
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).seq()).isEqualTo(i + 1L);
        assertThat(all.get(i).outcome()).isEqualTo("ok");
      }
      assertThat(server.auditLog().verify())
          .isEqualTo(new AuditVerification(200, Optional.empty()));
    }

    @Test
    @DisplayName("UPDATE and DELETE through SQL are refused by the append-only triggers")
    void updateOrDelete_throughSql_refused() throws Exception {
      put(admin, "app/db", "v1");
      try (Connection c = sql();
          Statement st = c.createStatement()) {
        assertThatThrownBy(
                () ->
                    st.executeUpdate(
                        "UPDATE server_audit_log SET outcome = 'denied' WHERE seq = 1"))
            .hasMessageContaining("append-only");
        assertThatThrownBy(() -> st.executeUpdate("DELETE FROM server_audit_log WHERE seq = 1"))
            .hasMessageContaining("append-only");
      }
      assertThat(server.auditLog().verify().intact()).isTrue();
    }

    @Test
    void changingOneFieldOfEntryK_makesVerifyReportExactlyK() throws SQLException {
      for (int i = 0; i < 6; i++) {
        put(admin, "app/s" + i, "v");
      }
      assertThat(server.auditLog().verify().intact()).isTrue();
      tamper("UPDATE server_audit_log SET outcome = 'denied' WHERE seq = 4");
      assertThat(server.auditLog().verify()).isEqualTo(new AuditVerification(6, Optional.of(4L)));
      JsonNode report = call("GET", "/api/v1/audit/verify", admin, null).json();
      assertThat(report.get("entries").asLong()).isEqualTo(6);
      assertThat(report.get("intact").asBoolean()).isFalse();
      assertThat(report.get("firstBrokenSeq").asLong()).isEqualTo(4);
    }

    @Test
    void changingAFieldAndItsHash_isCaughtAtTheNextEntry() throws SQLException {
      for (int i = 0; i < 5; i++) {
        put(admin, "app/s" + i, "v");
      }
      AuditEntry e = entries().get(1);
      AuditEntry forged =
          new AuditEntry(
              e.seq(),
              e.time(),
              e.tenant(),
              e.keyId(),
              e.action(),
              Optional.of("app/other"),
              e.outcome(),
              e.clientAddress(),
              e.prevHash(),
              new byte[32],
              0,
              e.chain(),
              e.chainSeq());
      String hex = java.util.HexFormat.of().formatHex(AuditLog.hash(forged));
      tamper(
          "UPDATE server_audit_log SET secret_name = 'app/other', hash = X'"
              + hex
              + "' WHERE seq = 2");
      assertThat(server.auditLog().verify().firstBrokenSeq()).contains(3L);
    }

    @Test
    void deletingAMiddleRow_isDetected() throws SQLException {
      for (int i = 0; i < 6; i++) {
        put(admin, "app/s" + i, "v");
      }
      tamper("DELETE FROM server_audit_log WHERE seq = 3");
      assertThat(server.auditLog().verify()).isEqualTo(new AuditVerification(5, Optional.of(4L)));
    }

    @Test
    void aFreshLog_isIntactAndEmpty() {
      assertThat(server.auditLog().verify()).isEqualTo(new AuditVerification(0, Optional.empty()));
    }
  }

  @Nested
  @DisplayName("fail closed")
  class FailClosed {
    @Test
    void whenTheAuditInsertFails_aGetAnswers503WithoutTheValue_andAWriteDoesNotLeakEither()
        throws SQLException, IOException {
      assertThat(put(admin, "app/db", SENTINEL).status()).isEqualTo(201);
      tamper("ALTER TABLE server_audit_log RENAME TO server_audit_log_moved");
      try {
        Reply read = call("GET", "/api/v1/secrets/app/db", admin, null);
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.contentType()).startsWith("application/problem+json");
        assertThat(read.body())
            .doesNotContain(SENTINEL)
            .doesNotContain("SQL")
            .doesNotContain("server_audit_log");

        Reply write = put(admin, "app/db", SENTINEL + "-2");
        assertThat(write.status()).isEqualTo(503);
        assertThat(write.contentType()).startsWith("application/problem+json");
        assertThat(write.body()).doesNotContain(SENTINEL);

        Reply version = call("GET", "/api/v1/secrets/app/db?version=1", admin, null);
        assertThat(version.status()).isEqualTo(503);
        assertThat(version.body()).doesNotContain(SENTINEL);

        Reply badKey = call("GET", "/api/v1/secrets/app/db", SENTINEL_TOKEN, null);
        assertThat(badKey.status()).isEqualTo(503);
        assertThat(badKey.body()).doesNotContain("S3NTINEL");
      } finally {
        tamper("ALTER TABLE server_audit_log_moved RENAME TO server_audit_log");
      }
      assertThat(call("GET", "/api/v1/secrets/app/db", admin, null).body()).contains(SENTINEL);
      assertThat(server.auditLog().verify()).isEqualTo(new AuditVerification(2, Optional.empty()));
      assertThat(java.nio.file.Files.readString(Path.of("target/server-test.log")))
          .contains("audit entry not written")
          .doesNotContain("S3NTINEL-audit")
          .doesNotContain(RealServer.secretPart(admin));
    }
  }

  @Nested
  @DisplayName("the audit endpoints")
  class Endpoints {
    @Test
    void nonAdminKeys_get403_andNoKey401() {
      String rw = server.apiKeys().create("default", Role.READ_WRITE, "");
      String ro = server.apiKeys().create("default", Role.READ_ONLY, "");
      for (String path : List.of("/api/v1/audit", "/api/v1/audit/verify")) {
        for (String key : List.of(rw, ro)) {
          Reply r = call("GET", path, key, null);
          assertThat(r.status()).as(path).isEqualTo(403);
          assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(call("GET", path, null, null).status()).isEqualTo(401);
        assertThat(call("GET", path, admin, null).status()).isEqualTo(200);
      }
    }

    @Test
    void entries_arePagedOldestFirst_withAfterAndLimit() {
      for (int i = 0; i < 5; i++) {
        put(admin, "app/s" + i, "v");
      }
      JsonNode first = call("GET", "/api/v1/audit?limit=2", admin, null).json();
      assertThat(first.get("items")).extracting(n -> n.get("seq").asLong()).containsExactly(1L, 2L);
      assertThat(first.get("nextAfter").asLong()).isEqualTo(2);
      JsonNode item = first.get("items").get(0);
      assertThat(item.get("action").asText()).isEqualTo("write");
      assertThat(item.get("secretName").asText()).isEqualTo("app/s0");
      assertThat(item.get("keyId").asText()).isEqualTo(adminId);
      assertThat(item.get("prevHash").asText()).isEqualTo("0".repeat(64));
      // Seq 6 is the audit entry of the first read of the log itself (audit.read).
      JsonNode rest = call("GET", "/api/v1/audit?after=2&limit=10", admin, null).json();
      assertThat(rest.get("items"))
          .extracting(n -> n.get("seq").asLong())
          .containsExactly(3L, 4L, 5L, 6L);
      assertThat(rest.get("items").get(3).get("action").asText()).isEqualTo("audit.read");
      assertThat(rest.has("nextAfter")).isFalse();
      assertThat(call("GET", "/api/v1/audit?limit=0", admin, null).status()).isEqualTo(400);
      assertThat(call("GET", "/api/v1/audit?after=x", admin, null).status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsAdmin_readsOnlyItsOwnTenantsEntries() {
      String other = server.apiKeys().create("acme", Role.ADMIN, "");
      put(admin, "app/default-only", "v");
      put(other, "app/acme", "v");
      JsonNode items = call("GET", "/api/v1/audit", other, null).json().get("items");
      assertThat(items)
          .extracting(n -> n.get("action").asText() + " " + n.path("secretName").asText())
          .containsExactly("write app/acme");
      JsonNode all = call("GET", "/api/v1/audit", admin, null).json().get("items");
      assertThat(all)
          .extracting(n -> n.get("tenant").asText() + " " + n.get("action").asText())
          .containsExactly("default write", "acme write", "acme audit.read");
      assertThat(call("GET", "/api/v1/audit/verify", other, null).status())
          .as("the operator's only")
          .isEqualTo(403);
      assertThat(call("GET", "/api/v1/audit/checkpoint", other, null).status()).isEqualTo(403);
    }
  }
}
