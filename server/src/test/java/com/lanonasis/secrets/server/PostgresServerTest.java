package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.TestDatabases;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances on one PostgreSQL schema (as production would run them behind a load
 * balancer): the same keyring, the same tables, row-level security forced, the audit log shared.
 * They run as production should: connected as an application role that owns nothing, the migrations
 * run as the owner role ({@code migrationCredentials}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServerTest {
  static final int WRITERS_PER_INSTANCE = 3;
  static final int INCREMENTS_PER_WRITER = 25;

  final HttpTestClient client = new HttpTestClient();
  TestDatabases.Target db;
  SecretsServer a;
  SecretsServer b;
  String admin;

  @BeforeAll
  void start(@TempDir Path dir) {
    db = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    MasterKeyring keyring = MasterKeyring.generate();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    a =
        SecretsServer.builder()
            .database(
                JdbcDatabase.builder()
                    .url(db.appUrl())
                    .migrationCredentials(TestDatabases.PG_OWNER, new char[0]))
            .keyring(keyring)
            .port(0)
            .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8))
            .start();
    Matcher m =
        Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
            .matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).as("the first instance bootstraps the admin key").isTrue();
    admin = m.group();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    b =
        SecretsServer.builder()
            .database(
                JdbcDatabase.builder()
                    .url(db.appUrl())
                    .migrationCredentials(TestDatabases.PG_OWNER, new char[0]))
            .keyring(keyring)
            .port(0)
            .bootstrapOutput(new PrintStream(second, true, StandardCharsets.UTF_8))
            .start();
    assertThat(second.toString(StandardCharsets.UTF_8))
        .as("the second instance finds keys and prints none")
        .isEmpty();
  }

  @AfterAll
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  Reply call(SecretsServer s, String method, String path, String key, String body) {
    return client.call(s.port(), method, path, key, body == null ? null : "application/json", body);
  }

  @Test
  void aSecretWrittenThroughOneInstance_isReadThroughTheOther() {
    Reply put =
        call(a, "POST", "/api/v1/secrets", admin, "{\"key\":\"shared/db\",\"value\":\"pg-value\"}");
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    Reply read = call(b, "GET", "/api/v1/secrets/shared/db", admin, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("value").asText()).isEqualTo("pg-value");
    Reply list = call(b, "GET", "/api/v1/secrets?prefix=shared/", admin, null);
    assertThat(list.json().get("items"))
        .extracting(n -> n.get("key").asText())
        .containsExactly("shared/db");
  }

  @Test
  void concurrentCasWritersThroughBothInstances_produceVersions1ToNWithNoLostUpdate()
      throws Exception {
    String name = "cas/counter";
    int writers = 2 * WRITERS_PER_INSTANCE;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> conflicts = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        SecretsServer via = w % 2 == 0 ? a : b;
        int writer = w;
        conflicts.add(
            pool.submit(
                () -> {
                  go.await();
                  int seen = 0;
                  for (int i = 0; i < INCREMENTS_PER_WRITER; i++) {
                    while (true) {
                      Reply cur = call(via, "GET", "/api/v1/secrets/" + name, admin, null);
                      long version = cur.status() == 404 ? 0 : cur.json().get("version").asLong();
                      Reply w2 =
                          call(
                              via,
                              "POST",
                              "/api/v1/secrets",
                              admin,
                              "{\"key\":\""
                                  + name
                                  + "\",\"value\":\"w"
                                  + writer
                                  + "-"
                                  + i
                                  + "\",\"expectedVersion\":"
                                  + version
                                  + "}");
                      if (w2.status() == 200 || w2.status() == 201) {
                        break;
                      }
                      assertThat(w2.status()).as(w2.body()).isEqualTo(409);
                      seen++;
                    }
                  }
                  return seen;
                }));
      }
      go.countDown();
      int totalConflicts = 0;
      for (Future<Integer> f : conflicts) {
        totalConflicts += f.get(3, TimeUnit.MINUTES);
      }
      assertThat(totalConflicts).as("the writers really raced").isPositive();
    } finally {
      pool.shutdownNow();
    }

    int n = writers * INCREMENTS_PER_WRITER;
    JsonNode versions =
        call(a, "GET", "/api/v1/secrets/" + name + ":versions", admin, null).json().get("versions");
    List<Long> numbers = new ArrayList<>();
    versions.forEach(v -> numbers.add(v.get("version").asLong()));
    assertThat(numbers).hasSize(n);
    assertThat(numbers)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
    // No lost update: every successful write is one version, each with its own value.
    Set<String> values = new HashSet<>();
    for (int v = 1; v <= n; v++) {
      SecretsServer via = v % 2 == 0 ? a : b;
      values.add(
          call(via, "GET", "/api/v1/secrets/" + name + "?version=" + v, admin, null)
              .json()
              .get("value")
              .asText());
    }
    assertThat(values).hasSize(n);

    // Both instances appended to one audit chain, serialised across processes.
    assertThat(a.auditLog().verify().intact()).isTrue();
    assertThat(b.auditLog().verify()).isEqualTo(a.auditLog().verify());
  }

  @Test
  void aKeyRevokedThroughOneInstance_isRefusedByTheOtherOnItsNextRequest() {
    Reply created = call(a, "POST", "/api/v1/keys", admin, "{\"role\":\"READ_ONLY\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().get("key").asText();
    assertThat(call(b, "GET", "/api/v1/whoami", key, null).status()).isEqualTo(200);
    assertThat(
            call(
                    a,
                    "POST",
                    "/api/v1/keys/" + created.json().get("id").asText() + ":revoke",
                    admin,
                    null)
                .status())
        .isEqualTo(204);
    assertThat(call(b, "GET", "/api/v1/whoami", key, null).status()).isEqualTo(401);
  }

  @Test
  void theServersRole_cannotChangeTheAuditLog_norDisableItsTriggerOrRowLevelSecurity()
      throws SQLException {
    call(a, "POST", "/api/v1/secrets", admin, "{\"key\":\"audit/x\",\"value\":\"v\"}");
    try (Connection c = DriverManager.getConnection(db.appUrl());
        Statement s = c.createStatement()) {
      for (String statement :
          List.of(
              "UPDATE server_audit_log SET outcome = 'denied' WHERE seq = 1",
              "DELETE FROM server_audit_log WHERE seq = 1",
              "TRUNCATE server_audit_log",
              "ALTER TABLE server_audit_log DISABLE TRIGGER ALL",
              "DROP TRIGGER server_audit_log_no_update ON server_audit_log",
              "ALTER TABLE secret_heads NO FORCE ROW LEVEL SECURITY",
              "ALTER TABLE secret_heads DISABLE ROW LEVEL SECURITY",
              "DROP POLICY IF EXISTS tenant_isolation ON secret_heads",
              "UPDATE server_api_keys SET role = 'ADMIN'")) {
        assertThatThrownBy(() -> s.executeUpdate(statement))
            .as(statement)
            .isInstanceOf(SQLException.class);
      }
    }
    assertThat(a.auditLog().verify().intact()).isTrue();
  }

  @Test
  void theOwnerCanDropTheTrigger_andVerifyThenFindsTheTamperedEntry() throws SQLException {
    call(a, "POST", "/api/v1/secrets", admin, "{\"key\":\"audit/y\",\"value\":\"v\"}");
    long seq = a.auditLog().newest().orElseThrow().seq();
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "UPDATE server_audit_log SET outcome = 'denied' WHERE seq = " + seq))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
      // A deliberate, visible act: only the owner can do it.
      s.executeUpdate("ALTER TABLE server_audit_log DISABLE TRIGGER server_audit_log_no_update");
      s.executeUpdate("UPDATE server_audit_log SET outcome = 'denied' WHERE seq = " + seq);
      s.executeUpdate("ALTER TABLE server_audit_log ENABLE TRIGGER server_audit_log_no_update");
    }
    assertThat(a.auditLog().verify().firstBrokenSeq()).contains(seq);
    // Put it back, so the chain the other tests of this class share verifies again.
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        Statement s = c.createStatement()) {
      s.executeUpdate("ALTER TABLE server_audit_log DISABLE TRIGGER server_audit_log_no_update");
      s.executeUpdate("UPDATE server_audit_log SET outcome = 'ok' WHERE seq = " + seq);
      s.executeUpdate("ALTER TABLE server_audit_log ENABLE TRIGGER server_audit_log_no_update");
    }
    assertThat(a.auditLog().verify().intact()).isTrue();
  }

  @Test
  void rowLevelSecurity_hidesSecretsFromASessionWithoutTheTenantSetting() throws SQLException {
    call(a, "POST", "/api/v1/secrets", admin, "{\"key\":\"rls/x\",\"value\":\"v\"}");
    try (Connection c = DriverManager.getConnection(db.ownerUrl());
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM secret_heads")) {
      rs.next();
      assertThat(rs.getLong(1)).as("RLS is forced on the owner too").isZero();
    }
    assertThat(call(b, "GET", "/api/v1/secrets/rls/x", admin, null).status()).isEqualTo(200);
  }
}
