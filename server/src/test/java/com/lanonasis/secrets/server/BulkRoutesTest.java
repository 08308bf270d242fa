package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
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
 * {@code :import} and {@code :export} over real HTTP: the preview, all or nothing, scope, audit.
 */
@DisplayName("bulk import and export")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkRoutesTest {
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

  Reply post(String key, String path, String body) {
    return client.call(server.port(), "POST", path, key, "application/json", body);
  }

  Reply read(String name) {
    return client.call(server.port(), "GET", "/api/v1/secrets/" + name, admin, null, null);
  }

  void put(String name, String value) {
    assertThat(
            post(admin, "/api/v1/secrets", "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}")
                .status())
        .isIn(200, 201);
  }

  static String entry(String key, String value, Long expected) {
    return "{\"key\":\""
        + key
        + "\",\"value\":\""
        + value
        + "\""
        + (expected == null ? "" : ",\"expectedVersion\":" + expected)
        + "}";
  }

  List<String> actions() {
    List<String> out = new ArrayList<>();
    server
        .auditLog()
        .read(0, 10_000, Optional.empty())
        .forEach(e -> out.add(e.action() + " " + e.secretName().orElse("") + " " + e.outcome()));
    return out;
  }

  @Test
  void preview_thenImport_writesEveryEntry_atTheVersionsThePreviewSaw() {
    put("imp/app/EXISTING", "old");
    String entries =
        "["
            + entry("imp/app/EXISTING", "new", null)
            + ","
            + entry("imp/app/FRESH", "f", null)
            + "]";
    JsonNode preview =
        post(admin, BulkRoutes.IMPORT, "{\"dryRun\":true,\"entries\":" + entries + "}").json();
    assertThat(preview.get("ok").asBoolean()).isTrue();
    assertThat(preview.get("items").get(0).get("action").asText()).isEqualTo("update");
    assertThat(preview.get("items").get(0).get("currentVersion").asLong()).isEqualTo(1);
    assertThat(preview.get("items").get(1).get("action").asText()).isEqualTo("create");
    assertThat(read("imp/app/FRESH").status()).as("a preview writes nothing").isEqualTo(404);

    Reply done =
        post(
            admin,
            BulkRoutes.IMPORT,
            "{\"entries\":["
                + entry("imp/app/EXISTING", "new", 1L)
                + ","
                + entry("imp/app/FRESH", "f", 0L)
                + "]}");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.json().get("items").get(0).get("version").asLong()).isEqualTo(2);
    assertThat(read("imp/app/EXISTING").json().get("value").asText()).isEqualTo("new");
    assertThat(read("imp/app/FRESH").json().get("value").asText()).isEqualTo("f");
    assertThat(actions())
        .contains(
            "import imp/app/ ok",
            "import.write imp/app/EXISTING ok",
            "import.write imp/app/FRESH ok");
  }

  @Test
  void aStaleOrBadEntry_writesNothing_andSaysWhichLine() {
    put("stale/A", "a1");
    put("stale/A", "a2"); // the preview saw version 1
    Reply stale =
        post(
            admin,
            BulkRoutes.IMPORT,
            "{\"entries\":[" + entry("stale/B", "b", 0L) + "," + entry("stale/A", "a3", 1L) + "]}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.contentType()).startsWith("application/problem+json");
    assertThat(stale.json().get("code").asText()).isEqualTo("import_conflict");
    assertThat(stale.json().get("items").get(1).get("error").asText()).contains("version 2");
    assertThat(read("stale/B").status()).isEqualTo(404);
    assertThat(read("stale/A").json().get("value").asText()).isEqualTo("a2");

    Reply bad =
        post(
            admin,
            BulkRoutes.IMPORT,
            "{\"entries\":["
                + entry("bad/ok", "x", 0L)
                + ","
                + entry("bad//name", "y", 0L)
                + ","
                + entry("bad/ok", "z", 0L)
                + "]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("items").get(1).get("error").asText())
        .contains("not a valid secret name");
    assertThat(bad.json().get("items").get(2).get("error").asText()).isEqualTo("appears twice");
    assertThat(bad.body())
        .doesNotContain("\"y\"")
        .doesNotContain("\"z\"")
        .as("values are not echoed");
    assertThat(read("bad/ok").status()).isEqualTo(404);

    assertThat(
            post(admin, BulkRoutes.IMPORT, "{\"entries\":[" + entry("bad/nover", "x", null) + "]}")
                .status())
        .as("an import without the preview's versions")
        .isEqualTo(400);
  }

  @Test
  void aFailureWhileWriting_destroysWhatThisImportWrote() {
    put("roll/KEPT", "before");
    put("roll/GONE", "g");
    assertThat(
            client
                .call(server.port(), "DELETE", "/api/v1/secrets/roll/GONE", admin, null, null)
                .status())
        .isEqualTo(204); // a deleted name: its preview says "create", its write fails
    Reply r =
        post(
            admin,
            BulkRoutes.IMPORT,
            "{\"entries\":["
                + entry("roll/KEPT", "after", 1L)
                + ","
                + entry("roll/NEW", "n", 0L)
                + ","
                + entry("roll/GONE", "again", 0L)
                + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().get("detail").asText())
        .contains("the 2 written before it were destroyed again");
    assertThat(r.json().get("items").get(2).get("error").asText()).contains("deleted");
    assertThat(read("roll/KEPT").json().get("value").asText())
        .as("back to what it was")
        .isEqualTo("before");
    assertThat(read("roll/NEW").status()).isEqualTo(404);
    // Written, then destroyed again: each name is on record all the same.
    assertThat(actions())
        .contains("import.write roll/KEPT conflict", "import.write roll/NEW conflict");
  }

  @Test
  @DisplayName("S12: every name an import writes is found by the audit log's name filter")
  void everyNameAnImportWrites_isFoundByTheAuditNameFilter() {
    put("prod/db/password", "before");
    Reply done =
        post(
            admin,
            BulkRoutes.IMPORT,
            "{\"entries\":["
                + entry("prod/db/password", "overwritten", 1L)
                + ","
                + entry("staging/api/token", "t", 0L)
                + "]}");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    for (String name : List.of("prod/db/password", "staging/api/token")) {
      Reply found =
          client.call(
              server.port(),
              "GET",
              "/api/v1/audit?before=0&limit=50&name=" + name,
              admin,
              null,
              null);
      assertThat(found.status()).isEqualTo(200);
      List<String> hits = new ArrayList<>();
      found
          .json()
          .get("items")
          .forEach(i -> hits.add(i.get("action").asText() + " " + i.get("outcome").asText()));
      assertThat(hits).as(name).contains("import.write ok");
    }
    assertThat(actions())
        .as("the request's own entry: its subject is the names' common prefix, here none")
        .contains("import  ok");
    Reply filtered =
        client.call(
            server.port(),
            "GET",
            "/api/v1/audit?before=0&limit=50&action=import.write",
            admin,
            null,
            null);
    assertThat(filtered.json().get("items"))
        .extracting(i -> i.get("secretName").asText())
        .contains("prod/db/password", "staging/api/token");
  }

  @Test
  void scope_readOnly_andExport() {
    String scoped = server.apiKeys().create("default", Role.READ_WRITE, "team/");
    Reply outside =
        post(
            scoped,
            BulkRoutes.IMPORT,
            "{\"entries\":[" + entry("team/x", "1", 0L) + "," + entry("other/x", "2", 0L) + "]}");
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.json().get("items").get(1).get("error").asText())
        .isEqualTo("outside this key's prefix");
    String reader = server.apiKeys().create("default", Role.READ_ONLY, "");
    assertThat(
            post(
                    reader,
                    BulkRoutes.IMPORT,
                    "{\"dryRun\":true,\"entries\":[" + entry("ro/x", "1", null) + "]}")
                .status())
        .isEqualTo(403);

    put("exp/one", "1");
    put("exp/two", "<script>2</script>");
    put("other/hidden", "h");
    Reply all = post(admin, BulkRoutes.EXPORT, "{\"prefix\":\"exp/\"}");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(all.json().get("items")).hasSize(2);
    assertThat(all.json().get("items").get(1).get("value").asText())
        .isEqualTo("<script>2</script>");
    put("team/a", "ta");
    put("team/b/c", "tbc");
    put("teams/near", "outside: a prefix of the name, not of the scope");
    Reply fromScoped = post(scoped, BulkRoutes.EXPORT, "{\"prefix\":\"\"}");
    assertThat(fromScoped.status()).as(fromScoped.body()).isEqualTo(200);
    assertThat(fromScoped.json().get("items"))
        .extracting(i -> i.get("key").asText() + "=" + i.get("value").asText())
        .as("exactly the secrets under the key's prefix")
        .containsExactly("team/a=ta", "team/b/c=tbc");
    assertThat(post(reader, BulkRoutes.EXPORT, "{\"prefix\":\"exp/\"}").status())
        .as("an export is a read")
        .isEqualTo(200);
    assertThat(actions()).contains("export exp/ ok");
  }
}
