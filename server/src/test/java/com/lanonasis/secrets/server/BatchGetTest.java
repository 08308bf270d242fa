package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/secrets:batchGet} over real HTTP: per-name results in the request's order,
 * the key's scope per name, one audit entry per name committed together, and fail-closed.
 */
@DisplayName("batch reads")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchGetTest {
  static final String SENTINEL = "S3NTINEL-batch-7c2e";

  SecretsServer server;
  RealServer started;
  final HttpTestClient client = new HttpTestClient();
  String admin;
  Path dir;

  @BeforeAll
  void start(@TempDir Path dir) {
    this.dir = dir;
    started = RealServer.start(dir);
    server = started.server();
    admin = started.adminKey();
    for (String name : List.of("b/one", "b/two", "b/three", "scoped/x", "b/poison")) {
      put(name, name.equals("b/two") ? SENTINEL : "v-" + name);
    }
    put("b/deleted", "gone-soon");
    assertThat(
            client
                .call(server.port(), "DELETE", "/api/v1/secrets/b/deleted", admin, null, null)
                .status())
        .isEqualTo(204);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  void put(String name, String value) {
    Reply r =
        client.call(
            server.port(),
            "POST",
            "/api/v1/secrets",
            admin,
            "application/json",
            "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  Reply batch(String key, String body) {
    return client.call(
        server.port(), "POST", "/api/v1/secrets:batchGet", key, "application/json", body);
  }

  List<String> entriesAfter(long seq) {
    List<String> out = new ArrayList<>();
    server
        .auditLog()
        .read(seq, 10_000, Optional.empty())
        .forEach(e -> out.add(e.action() + " " + e.secretName().orElse("-") + " " + e.outcome()));
    return out;
  }

  long lastSeq() {
    return server.auditLog().newest().orElseThrow().seq();
  }

  @Test
  @DisplayName(
      "values and per-name errors in the request's order, one read entry per name, in one commit")
  void mixedBatch_answersEachName_auditsEachName() {
    long before = lastSeq();
    Reply r =
        batch(admin, "{\"names\":[\"b/three\",\"b/missing\",\"b/two\",\"b/deleted\",\"b/one\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> audited = entriesAfter(before);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = r.json();
    List<String> keys = new ArrayList<>();
    body.get("secrets")
        .forEach(s -> keys.add(s.get("key").asText() + "=" + s.get("value").asText()));
    assertThat(keys).containsExactly("b/three=v-b/three", "b/two=" + SENTINEL, "b/one=v-b/one");
    assertThat(body.get("secrets").get(0).get("version").asLong()).isEqualTo(1);
    assertThat(body.get("secrets").get(0).has("createdAt")).isTrue();
    assertThat(body.get("errors")).hasSize(2);
    JsonNode missing = body.get("errors").get(0);
    assertThat(missing.get("key").asText()).isEqualTo("b/missing");
    assertThat(missing.get("status").asInt()).isEqualTo(404);
    assertThat(missing.get("code").asText()).isEqualTo("not_found");
    assertThat(body.get("errors").get(1).get("key").asText()).isEqualTo("b/deleted");
    assertThat(body.get("errors").get(1).get("status").asInt()).isEqualTo(404);
    // The single read of the missing name answers the same problem.
    Reply single =
        client.call(server.port(), "GET", "/api/v1/secrets/b/missing", admin, null, null);
    JsonNode alone = single.json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) missing).remove("key");
    assertThat(missing).isEqualTo(alone);
    assertThat(audited)
        .containsExactly(
            "read b/three ok",
            "read b/missing not_found",
            "read b/two ok",
            "read b/deleted not_found",
            "read b/one ok");
    assertThat(server.auditLog().verify().firstBrokenSeq()).isEmpty();
  }

  @Test
  @DisplayName("base64 encoding gives each value's bytes")
  void base64() {
    Reply r =
        client.call(
            server.port(),
            "POST",
            "/api/v1/secrets:batchGet?encoding=base64",
            admin,
            "application/json",
            "{\"names\":[\"b/one\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(
            new String(
                java.util.Base64.getDecoder()
                    .decode(r.json().get("secrets").get(0).get("valueBase64").asText()),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("v-b/one");
    assertThat(r.json().get("secrets").get(0).has("value")).isFalse();
  }

  @Test
  @DisplayName("a name outside the key's prefix is that name's 404, identical to a missing one's")
  void scopedKey_outsideName_isPerNameNotFound() {
    String scoped = server.apiKeys().create("default", Role.READ_ONLY, "scoped/");
    Reply r = batch(scoped, "{\"names\":[\"scoped/x\",\"b/two\",\"scoped/none\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(SENTINEL);
    assertThat(r.json().get("secrets")).hasSize(1);
    assertThat(r.json().get("secrets").get(0).get("key").asText()).isEqualTo("scoped/x");
    JsonNode hidden = r.json().get("errors").get(0);
    JsonNode absent = r.json().get("errors").get(1);
    assertThat(hidden.get("key").asText()).isEqualTo("b/two");
    assertThat(absent.get("key").asText()).isEqualTo("scoped/none");
    ((com.fasterxml.jackson.databind.node.ObjectNode) hidden).remove("key");
    ((com.fasterxml.jackson.databind.node.ObjectNode) absent).remove("key");
    assertThat(hidden).isEqualTo(absent);
  }

  @Test
  @DisplayName(
      "an empty list, more than 100 names, a duplicate, a bad name: 400, nothing read, one refusal entry")
  void badBodies_refusedWhole() {
    StringBuilder many = new StringBuilder("{\"names\":[");
    for (int i = 0; i <= 100; i++) {
      many.append(i == 0 ? "" : ",").append("\"b/n").append(i).append('"');
    }
    many.append("]}");
    for (String body :
        List.of(
            "{\"names\":[]}",
            "{}",
            "{\"names\":null}",
            many.toString(),
            "{\"names\":[\"b/two\",\"b/two\"]}",
            "{\"names\":[\"b/two\",\"../etc\"]}",
            "{\"names\":[\"b/two\",null]}",
            "{\"names\":\"b/two\"}",
            "{\"names\":[\"b/two\"],\"other\":1}")) {
      long before = lastSeq();
      Reply r = batch(admin, body);
      assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.body()).doesNotContain(SENTINEL);
      assertThat(entriesAfter(before)).as(body).containsExactly("read - invalid");
    }
  }

  @Test
  @DisplayName("100 names are allowed")
  void hundredNames_allowed() {
    StringBuilder names = new StringBuilder("{\"names\":[");
    for (int i = 0; i < 100; i++) {
      names.append(i == 0 ? "" : ",").append("\"b/h").append(i).append('"');
    }
    names.append("]}");
    long before = lastSeq();
    Reply r = batch(admin, names.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("errors")).hasSize(100);
    assertThat(entriesAfter(before)).hasSize(100).allMatch(e -> e.endsWith(" not_found"));
  }

  @Test
  @DisplayName(
      "when the entries cannot be committed the answer is 503, no value leaves, and no entry of the batch is written")
  void auditFails_wholeBatchWithheld_noEntryWritten() throws SQLException {
    sql(
        "CREATE TRIGGER batch_poison BEFORE INSERT ON server_audit_log "
            + "WHEN NEW.secret_name = 'b/poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
    try {
      long before = lastSeq();
      Reply r = batch(admin, "{\"names\":[\"b/two\",\"b/poison\",\"b/one\"]}");
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.body()).doesNotContain(SENTINEL).doesNotContain("v-b/one");
      assertThat(entriesAfter(before)).isEmpty();
    } finally {
      sql("DROP TRIGGER batch_poison");
    }
    Reply again = batch(admin, "{\"names\":[\"b/two\"]}");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
  }

  void sql(String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }
}
