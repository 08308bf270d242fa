package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The admin key endpoints, end to end: a real server on an ephemeral port over H2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;

  @BeforeAll
  void start(@TempDir Path dir) {
    RealServer started = RealServer.start(dir);
    server = started.server();
    admin = started.adminKey();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Reply call(String method, String path, String key, String contentType, String body) {
    return client.call(server.port(), method, path, key, contentType, body);
  }

  Reply create(String key, String body) {
    return call("POST", "/api/v1/keys", key, "application/json", body);
  }

  Reply revoke(String key, String id) {
    return call("POST", "/api/v1/keys/" + id + ":revoke", key, null, null);
  }

  Reply list(String key) {
    return call("GET", "/api/v1/keys", key, null, null);
  }

  static void assertProblem(Reply r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.body()).doesNotContain("lns_");
  }

  List<String> auditColumns() {
    List<String> out = new ArrayList<>();
    for (AuditEntry e : server.auditLog().read(0, 1000, Optional.empty())) {
      out.add(e.toString());
      out.add(
          e.action()
              + "|"
              + e.secretName().orElse("")
              + "|"
              + e.tenant().orElse("")
              + "|"
              + e.keyId().orElse("")
              + "|"
              + e.outcome()
              + "|"
              + e.clientAddress().orElse(""));
    }
    return out;
  }

  @Nested
  @DisplayName("an admin of the default tenant")
  class Lifecycle {
    @Test
    void create_use_list_revoke_theRevokedKeyIs401AtOnce() throws IOException {
      Reply created =
          create(admin, "{\"tenant\":\"acme\",\"role\":\"READ_WRITE\",\"prefix\":\"app/\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonNode c = created.json();
      String key = c.get("key").asText();
      String id = c.get("id").asText();
      assertThat(key).startsWith("lns_" + id + "_");
      assertThat(c.get("tenant").asText()).isEqualTo("acme");
      assertThat(c.get("role").asText()).isEqualTo("READ_WRITE");
      assertThat(c.get("prefix").asText()).isEqualTo("app/");
      assertThat(c.get("createdAt").asText()).isNotEmpty();

      Reply put =
          call(
              "POST",
              "/api/v1/secrets",
              key,
              "application/json",
              "{\"key\":\"app/db\",\"value\":\"v\"}");
      assertThat(put.status()).as(put.body()).isEqualTo(201);

      Reply listed = list(admin);
      assertThat(listed.status()).isEqualTo(200);
      assertThat(listed.body())
          .doesNotContain(key)
          .doesNotContain(RealServer.secretPart(key))
          .doesNotContain("sha256")
          .doesNotContain("secret");
      JsonNode item = null;
      for (JsonNode i : listed.json().get("items")) {
        if (i.get("id").asText().equals(id)) {
          item = i;
        }
      }
      assertThat(item).isNotNull();
      assertThat(item.get("tenant").asText()).isEqualTo("acme");
      assertThat(item.has("revokedAt")).isFalse();
      assertThat(item.has("key")).isFalse();

      assertThat(revoke(admin, id).status()).isEqualTo(204);
      assertThat(call("GET", "/api/v1/secrets/app/db", key, null, null).status()).isEqualTo(401);
      assertProblem(revoke(admin, id), 409);
      assertProblem(revoke(admin, "0123456789abcdef"), 404);
      for (JsonNode i : list(admin).json().get("items")) {
        if (i.get("id").asText().equals(id)) {
          assertThat(i.get("revokedAt").asText()).isNotEmpty();
        }
      }

      List<String> audit = auditColumns();
      assertThat(audit).noneMatch(s -> s.contains(key) || s.contains(RealServer.secretPart(key)));
      assertThat(audit)
          .contains("key.create|" + id + "|default|" + ApiKeys.idOf(admin) + "|ok|127.0.0.1")
          .anyMatch(s -> s.startsWith("key.list||default|"))
          .contains("key.revoke|" + id + "|default|" + ApiKeys.idOf(admin) + "|ok|127.0.0.1")
          .contains("key.revoke|" + id + "|default|" + ApiKeys.idOf(admin) + "|conflict|127.0.0.1");
      assertThat(server.auditLog().verify().intact()).isTrue();

      String logged = Files.readString(Path.of("target/server-test.log"));
      assertThat(logged).doesNotContain(key).doesNotContain("lns_");
    }

    @Test
    void createWithoutTenant_isForTheAdminsOwnTenant() {
      Reply r = create(admin, "{\"role\":\"READ_ONLY\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().get("tenant").asText()).isEqualTo("default");
      assertThat(r.json().get("prefix").asText()).isEmpty();
    }
  }

  @Nested
  @DisplayName("authorization")
  class Authorization {
    @Test
    void nonAdmin_is403_onAllThree() {
      String rw = server.apiKeys().create("default", Role.READ_WRITE, "");
      String ro = server.apiKeys().create("default", Role.READ_ONLY, "");
      String victim = ApiKeys.idOf(server.apiKeys().create("default", Role.READ_ONLY, ""));
      for (String k : List.of(rw, ro)) {
        assertProblem(create(k, "{\"role\":\"ADMIN\"}"), 403);
        assertProblem(list(k), 403);
        assertProblem(revoke(k, victim), 403);
      }
      assertThat(list(admin).json().toString()).contains(victim);
      assertThat(auditColumns())
          .anyMatch(s -> s.startsWith("key.create||default|" + ApiKeys.idOf(rw) + "|denied|"));
    }

    @Test
    void tenantAdmin_managesOnlyItsOwnTenant() {
      String tenantAdmin = server.apiKeys().create("t1", Role.ADMIN, "");
      String otherId = ApiKeys.idOf(server.apiKeys().create("t2", Role.READ_ONLY, ""));

      assertProblem(create(tenantAdmin, "{\"tenant\":\"t2\",\"role\":\"READ_ONLY\"}"), 403);
      assertProblem(create(tenantAdmin, "{\"tenant\":\"default\",\"role\":\"ADMIN\"}"), 403);
      Reply own = create(tenantAdmin, "{\"tenant\":\"t1\",\"role\":\"READ_ONLY\"}");
      assertThat(own.status()).as(own.body()).isEqualTo(201);

      JsonNode items = list(tenantAdmin).json().get("items");
      assertThat(items).isNotEmpty().allMatch(i -> i.get("tenant").asText().equals("t1"));
      assertThat(list(admin).json().toString()).contains("\"t2\"").contains("\"t1\"");

      assertProblem(revoke(tenantAdmin, otherId), 404);
      assertThat(revoke(tenantAdmin, own.json().get("id").asText()).status()).isEqualTo(204);
      assertThat(revoke(admin, otherId).status()).isEqualTo(204);
    }
  }

  @Nested
  @DisplayName("bad input")
  class BadInput {
    @Test
    void badRoleTenantPrefixOrJson_are400_wrongContentType_is415() {
      int before = list(admin).json().get("items").size();
      assertProblem(create(admin, "{\"role\":\"ROOT\"}"), 400);
      assertProblem(create(admin, "{}"), 400);
      assertProblem(create(admin, "{\"role\":1}"), 400);
      assertProblem(create(admin, "{\"role\":\"ADMIN\",\"tenant\":\"\"}"), 400);
      assertProblem(create(admin, "{\"role\":\"ADMIN\",\"tenant\":\"a/b\"}"), 400);
      assertProblem(
          create(admin, "{\"role\":\"ADMIN\",\"tenant\":\"" + "x".repeat(65) + "\"}"), 400);
      assertProblem(create(admin, "{\"role\":\"ADMIN\",\"prefix\":\"../x\"}"), 400);
      assertProblem(create(admin, "{\"role\":\"ADMIN\",\"extra\":1}"), 400);
      assertProblem(create(admin, "{\"role\":\"ADMIN\""), 400);
      assertProblem(create(admin, "[]"), 400);
      assertProblem(call("POST", "/api/v1/keys", admin, "text/plain", "{\"role\":\"ADMIN\"}"), 415);
      assertProblem(call("POST", "/api/v1/keys/0123456789abcdef:explode", admin, null, null), 400);
      assertThat(list(admin).json().get("items").size()).isEqualTo(before);
    }
  }
}
