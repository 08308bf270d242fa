package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real server on an ephemeral port, H2 in a temporary file, the JDK's HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsServerTest {
  static final String SENTINEL = "S3NTINEL-value-7f1c";
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;
  String printed;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    server =
        SecretsServer.builder()
            .jdbcUrl("jdbc:sqlite:" + dir.resolve("db/secrets.db"))
            .keyring(MasterKeyring.generate())
            .port(0)
            .adminKeyFile(dir.resolve("admin.key"))
            .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8))
            .start();
    printed = out.toString(StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").matcher(printed);
    assertThat(m.find()).as("bootstrap prints the admin key").isTrue();
    admin = m.group();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  Reply call(String method, String path, String key, String contentType, String body) {
    return client.call(server.port(), method, path, key, contentType, body);
  }

  Reply get(String path, String key) {
    return call("GET", path, key, null, null);
  }

  Reply post(String key, String json) {
    return call("POST", "/api/v1/secrets", key, "application/json", json);
  }

  Reply put(String key, String name, String value) {
    return post(key, "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}");
  }

  /** Every name and its version, as the admin sees them: to show a bad request changed nothing. */
  List<String> snapshot() {
    List<String> out = new ArrayList<>();
    for (JsonNode item : get("/api/v1/secrets?limit=1000", admin).json().get("items")) {
      out.add(
          item.get("key").asText()
              + "@"
              + item.get("version").asLong()
              + "/"
              + item.get("description").asText());
    }
    return out;
  }

  static void assertProblem(Reply r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("title").asText()).isNotEmpty();
    assertThat(p.get("type").asText()).isNotEmpty();
    assertThat(p.has("detail")).isTrue();
    assertThat(r.body())
        .doesNotContain(SENTINEL)
        .doesNotContain("Exception")
        .doesNotContain("at com.");
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Nested
  @DisplayName("bootstrap")
  class Bootstrap {
    @Test
    void adminKeyFile_isOwnerOnlyAndHoldsThePrintedKey() throws IOException {
      Path file = dir.resolve("admin.key");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(file).trim()).isEqualTo(admin);
    }

    @Test
    void health_and_readiness_needNoKey() {
      assertThat(get("/healthz", null).status()).isEqualTo(200);
      Reply ready = get("/readyz", null);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void whoami_namesTheCallersKeyIdTenantAndRole_neverTheKey() {
      Reply me = get("/api/v1/whoami", admin);
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json().get("tenant").asText()).isEqualTo("default");
      assertThat(me.json().get("role").asText()).isEqualTo("ADMIN");
      assertThat(admin).startsWith("lns_" + me.json().get("keyId").asText() + "_");
      assertThat(me.body()).doesNotContain(RealServer.secretPart(admin));
      assertThat(get("/api/v1/whoami", null).status()).isEqualTo(401);
    }
  }

  @Nested
  @DisplayName("secrets")
  class Secrets {
    @Test
    void put_thenGet_roundTripsANameWithSlashes() {
      Reply created = put(admin, "rt/prod/db/password", "hunter2");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("version").asLong()).isEqualTo(1);
      assertThat(created.json().get("key").asText()).isEqualTo("rt/prod/db/password");
      assertThat(created.json().has("createdAt")).isTrue();

      Reply read = get("/api/v1/secrets/rt/prod/db/password", admin);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().get("value").asText()).isEqualTo("hunter2");
      assertThat(read.json().get("version").asLong()).isEqualTo(1);
      assertThat(read.json().get("createdAt").asText())
          .isEqualTo(created.json().get("createdAt").asText());
    }

    @Test
    void versions_andGetOfAnOlderVersion() {
      put(admin, "ver/a", "one");
      Reply second = put(admin, "ver/a", "two");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.json().get("version").asLong()).isEqualTo(2);

      assertThat(get("/api/v1/secrets/ver/a", admin).json().get("value").asText()).isEqualTo("two");
      assertThat(get("/api/v1/secrets/ver/a?version=1", admin).json().get("value").asText())
          .isEqualTo("one");
      JsonNode versions = get("/api/v1/secrets/ver/a:versions", admin).json().get("versions");
      assertThat(versions).hasSize(2);
      assertThat(versions.get(0).get("version").asLong()).isEqualTo(1);
      assertThat(versions.get(1).get("destroyed").asBoolean()).isFalse();
      assertProblem(get("/api/v1/secrets/ver/a?version=9", admin), 404);
      assertProblem(get("/api/v1/secrets/ver/a?version=zero", admin), 400);
    }

    @Test
    void checkAndSet_conflict_is409WithTheCurrentVersion() {
      assertThat(post(admin, "{\"key\":\"cas/x\",\"value\":\"a\",\"expectedVersion\":0}").status())
          .isEqualTo(201);
      assertThat(post(admin, "{\"key\":\"cas/x\",\"value\":\"b\",\"expectedVersion\":1}").status())
          .isEqualTo(200);
      List<String> before = snapshot();
      Reply conflict = post(admin, "{\"key\":\"cas/x\",\"value\":\"c\",\"expectedVersion\":1}");
      assertProblem(conflict, 409);
      assertThat(conflict.json().get("currentVersion").asLong()).isEqualTo(2);
      assertThat(snapshot()).isEqualTo(before);
      assertThat(get("/api/v1/secrets/cas/x", admin).json().get("value").asText()).isEqualTo("b");
    }

    @Test
    void list_pagesWithACursor_andNeverCarriesValues() {
      for (int i = 0; i < 5; i++) {
        post(
            admin,
            "{\"key\":\"page/s"
                + i
                + "\",\"value\":\"v"
                + i
                + "\",\"description\":\"d"
                + i
                + "\",\"labels\":{\"env\":\"test\"}}");
      }
      List<String> names = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Reply r =
            get(
                "/api/v1/secrets?prefix=page/&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor),
                admin);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("\"value\"");
        for (JsonNode item : r.json().get("items")) {
          names.add(item.get("key").asText());
          assertThat(item.get("labels").get("env").asText()).isEqualTo("test");
          assertThat(item.has("updatedAt")).isTrue();
        }
        cursor = r.json().has("nextCursor") ? r.json().get("nextCursor").asText() : null;
        pages++;
      } while (cursor != null);
      assertThat(names).containsExactly("page/s0", "page/s1", "page/s2", "page/s3", "page/s4");
      assertThat(pages).isEqualTo(3);
      assertProblem(get("/api/v1/secrets?limit=0", admin), 400);
      assertProblem(get("/api/v1/secrets?limit=many", admin), 400);
      assertProblem(get("/api/v1/secrets?cursor=bm9wZQ", admin), 400);
    }

    @Test
    void delete_restore_destroy() {
      put(admin, "life/x", "one");
      put(admin, "life/x", "two");
      assertThat(call("DELETE", "/api/v1/secrets/life/x", admin, null, null).status())
          .isEqualTo(204);
      assertProblem(get("/api/v1/secrets/life/x", admin), 404);
      assertProblem(put(admin, "life/x", "three"), 409);
      assertThat(call("POST", "/api/v1/secrets/life/x:restore", admin, null, null).status())
          .isEqualTo(204);
      assertThat(get("/api/v1/secrets/life/x", admin).json().get("value").asText())
          .isEqualTo("two");

      assertThat(
              call("POST", "/api/v1/secrets/life/x:destroy?version=2", admin, null, null).status())
          .isEqualTo(204);
      assertThat(get("/api/v1/secrets/life/x", admin).json().get("value").asText())
          .isEqualTo("one");
      assertThat(
              get("/api/v1/secrets/life/x:versions", admin)
                  .json()
                  .get("versions")
                  .get(1)
                  .get("destroyed")
                  .asBoolean())
          .isTrue();
      assertThat(call("POST", "/api/v1/secrets/life/x:destroy", admin, null, null).status())
          .isEqualTo(204);
      assertProblem(get("/api/v1/secrets/life/x", admin), 404);
      assertProblem(call("POST", "/api/v1/secrets/life/x:restore", admin, null, null), 404);
    }

    @Test
    void unknownRoutesAndMethods_areProblems() {
      assertProblem(get("/api/v1/nothing", admin), 404);
      Reply wrongMethod = call("PUT", "/api/v1/secrets/x", admin, "application/json", "{}");
      assertThat(wrongMethod.status()).isIn(404, 405);
      assertProblem(wrongMethod, wrongMethod.status());
      assertProblem(call("DELETE", "/api/v1/secrets/x:versions", admin, null, null), 405);
      assertProblem(call("POST", "/api/v1/secrets/x", admin, null, null), 405);
    }

    @Test
    void namesMayEndInWordsThatAreActions() {
      assertThat(put(admin, "words/versions", "a").status()).isEqualTo(201);
      assertThat(put(admin, "words/restore", "b").status()).isEqualTo(201);
      assertThat(get("/api/v1/secrets/words/versions", admin).json().get("value").asText())
          .isEqualTo("a");
      assertThat(get("/api/v1/secrets/words/restore", admin).json().get("value").asText())
          .isEqualTo("b");
      assertThat(get("/api/v1/secrets/words/versions:versions", admin).json().get("versions"))
          .hasSize(1);
      assertProblem(get("/api/v1/secrets/words/versions:bogus", admin), 400);
    }
  }

  @Nested
  @DisplayName("authentication and authorization")
  class Auth {
    @Test
    void noKey_is401WithBearerChallenge() {
      Reply r = get("/api/v1/secrets", null);
      assertProblem(r, 401);
      assertThat(r.raw().headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void wrongKey_is401() {
      String forged = admin.substring(0, admin.length() - 4) + "AAAA";
      assertProblem(get("/api/v1/secrets", forged), 401);
      assertProblem(get("/api/v1/secrets", "lns_0000000000000000_nothing"), 401);
      assertProblem(get("/api/v1/secrets", "not-a-key"), 401);
      Reply basic = call("GET", "/api/v1/secrets", null, null, null);
      assertProblem(basic, 401);
    }

    @Test
    void revokedKey_is401() {
      String key = server.apiKeys().create("default", Role.READ_ONLY, "");
      assertThat(get("/api/v1/secrets", key).status()).isEqualTo(200);
      server.apiKeys().revoke(key.substring(4, 20));
      assertProblem(get("/api/v1/secrets", key), 401);
    }

    @Test
    void keyInTheQueryString_is400_evenWithAValidHeader() {
      assertProblem(get("/api/v1/secrets?api_key=" + admin, null), 400);
      assertProblem(get("/api/v1/secrets?x=" + admin, admin), 400);
      Reply r = get("/api/v1/secrets?token=abc", admin);
      assertProblem(r, 400);
      assertThat(r.body()).doesNotContain(admin);
    }

    @Test
    void readOnlyKey_canRead_butWritesAre403() {
      put(admin, "ro/a", "x");
      String ro = server.apiKeys().create("default", Role.READ_ONLY, "");
      assertThat(get("/api/v1/secrets/ro/a", ro).status()).isEqualTo(200);
      List<String> before = snapshot();
      assertProblem(put(ro, "ro/a", "y"), 403);
      assertProblem(put(ro, "ro/new", "y"), 403);
      assertProblem(call("DELETE", "/api/v1/secrets/ro/a", ro, null, null), 403);
      assertProblem(call("POST", "/api/v1/secrets/ro/a:destroy", ro, null, null), 403);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void foreignTenantAndOutsidePrefix_lookExactlyLikeAMissingSecret() {
      put(admin, "iso/secret", "x");
      String acme = server.apiKeys().create("acme", Role.READ_WRITE, "");
      String scoped = server.apiKeys().create("default", Role.READ_WRITE, "team-a/");
      Reply missing = get("/api/v1/secrets/iso/nothing-here", admin);
      Reply foreign = get("/api/v1/secrets/iso/secret", acme);
      Reply outside = get("/api/v1/secrets/iso/secret", scoped);
      assertProblem(missing, 404);
      assertThat(foreign.status()).isEqualTo(404);
      assertThat(outside.status()).isEqualTo(404);
      assertThat(foreign.body()).isEqualTo(missing.body());
      assertThat(outside.body()).isEqualTo(missing.body());
      assertThat(call("DELETE", "/api/v1/secrets/iso/secret", scoped, null, null).body())
          .isEqualTo(missing.body());
      assertThat(put(scoped, "iso/secret", "overwrite").body()).isEqualTo(missing.body());

      assertThat(put(scoped, "team-a/ok", "v").status()).isEqualTo(201);
      assertThat(get("/api/v1/secrets?limit=1000", scoped).json().get("items"))
          .extracting(i -> i.get("key").asText())
          .containsExactly("team-a/ok");
      assertThat(get("/api/v1/secrets?prefix=iso/", scoped).json().get("items")).isEmpty();
      assertThat(get("/api/v1/secrets", acme).json().get("items")).isEmpty();
      assertThat(get("/api/v1/secrets/iso/secret", admin).json().get("value").asText())
          .isEqualTo("x");
    }
  }

  @Nested
  @DisplayName("malformed requests change nothing")
  class Malformed {
    @Test
    void badJson_wrongTypes_missingFields_are400() {
      put(admin, "bad/existing", "keep");
      List<String> before = snapshot();
      for (String body :
          List.of(
              "{",
              "not json",
              "[]",
              "\"str\"",
              "{\"key\":\"bad/existing\",\"value\":\"x\"} trailing",
              "{\"key\":\"bad/existing\",\"value\":12}",
              "{\"key\":7,\"value\":\"x\"}",
              "{\"value\":\"x\"}",
              "{\"key\":\"bad/existing\"}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"expectedVersion\":\"1\"}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"expectedVersion\":1.5}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"expectedVersion\":-1}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"labels\":[\"a\"]}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"labels\":{\"Bad Key\":\"v\"}}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"description\":5}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"key\":\"bad/other\"}",
              "{\"key\":\"bad/existing\",\"value\":\"x\",\"extra\":true}",
              "{\"key\":\"../etc\",\"value\":\"x\"}",
              "{\"key\":\"a//b\",\"value\":\"x\"}",
              "{\"key\":\"\",\"value\":\"x\"}",
              "")) {
        assertProblem(post(admin, body), 400);
      }
      assertProblem(get("/api/v1/secrets/bad/%2e%2e/x", admin), 400);
      assertProblem(get("/api/v1/secrets/bad/%00", admin), 400);
      assertProblem(get("/api/v1/secrets/bad/a;b", admin), 400);
      assertThat(snapshot()).isEqualTo(before);
      assertThat(get("/api/v1/secrets/bad/existing", admin).json().get("value").asText())
          .isEqualTo("keep");
    }

    @Test
    void wrongContentType_is415() {
      List<String> before = snapshot();
      assertProblem(
          call(
              "POST", "/api/v1/secrets", admin, "text/plain", "{\"key\":\"ct/a\",\"value\":\"x\"}"),
          415);
      assertProblem(
          call("POST", "/api/v1/secrets", admin, null, "{\"key\":\"ct/a\",\"value\":\"x\"}"), 415);
      assertThat(post(admin, "{\"key\":\"ct/ok\",\"value\":\"x\"}").status()).isEqualTo(201);
      assertThat(
              call(
                      "POST",
                      "/api/v1/secrets",
                      admin,
                      "application/json; charset=utf-8",
                      "{\"key\":\"ct/ok2\",\"value\":\"x\"}")
                  .status())
          .isEqualTo(201);
      before.add("ct/ok@1/");
      before.add("ct/ok2@1/");
      assertThat(snapshot()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void hugeBody_andTooLargeValue_are413() {
      List<String> before = snapshot();
      String huge = "x".repeat(300 * 1024);
      assertProblem(put(admin, "big/a", huge), 413);
      String tooLargeValue = "x".repeat(65 * 1024);
      assertProblem(put(admin, "big/b", tooLargeValue), 413);
      assertThat(snapshot()).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("leaks")
  class Leaks {
    @Test
    void sentinelValueAndApiKeys_neverAppearInLogsOrErrorBodies() throws IOException {
      String sentinelKey = "lns_5e5e5e5e5e5e5e5e_S3NTINEL-key-9a2b";
      // Each call with the status it must get: an error path that quietly succeeded would not
      // test what it is here for.
      record Expect(Reply reply, int status) {}
      List<Expect> replies = new ArrayList<>();
      replies.add(new Expect(put(admin, "leak/s", SENTINEL), 201));
      replies.add(
          new Expect(
              post(
                  admin,
                  "{\"key\":\"leak/s\",\"value\":\"" + SENTINEL + "\",\"expectedVersion\":0}"),
              409));
      replies.add(
          new Expect(post(admin, "{\"key\":\"leak/s\",\"value\":\"" + SENTINEL + "\""), 400));
      replies.add(
          new Expect(
              post(admin, "{\"key\":\"leak/s\",\"value\":\"" + SENTINEL + "\",\"oops\":1}"), 400));
      replies.add(
          new Expect(
              post(admin, "{\"key\":\"../" + SENTINEL + "\",\"value\":\"" + SENTINEL + "\"}"),
              400));
      replies.add(new Expect(call("POST", "/api/v1/secrets", admin, "text/plain", SENTINEL), 415));
      replies.add(new Expect(get("/api/v1/secrets/leak/s", sentinelKey), 401));
      replies.add(new Expect(get("/api/v1/secrets/leak/s?api_key=" + sentinelKey, null), 400));
      replies.add(new Expect(get("/api/v1/secrets/leak/s?version=" + SENTINEL, admin), 400));
      String ro = server.apiKeys().create("default", Role.READ_ONLY, "");
      replies.add(new Expect(put(ro, "leak/s", SENTINEL), 403));
      assertThat(get("/api/v1/secrets/leak/s", admin).json().get("value").asText())
          .isEqualTo(SENTINEL);

      for (Expect e : replies) {
        assertThat(e.reply().status()).as(e.reply().body()).isEqualTo(e.status());
        assertThat(e.reply().body())
            .doesNotContain(SENTINEL)
            .doesNotContain("S3NTINEL")
            .doesNotContain(admin)
            .doesNotContain(ro);
      }
      assertThat(server.toString()).doesNotContain(SENTINEL).doesNotContain("lns_");
      assertThat(server.apiKeys().toString()).doesNotContain("lns_");

      Path log = Path.of("target/server-test.log");
      assertThat(log).exists();
      String logged = Files.readString(log);
      assertThat(logged).contains("listening on");
      assertThat(logged)
          .doesNotContain("S3NTINEL")
          .doesNotContain(admin)
          .doesNotContain(ro)
          .doesNotContain("lns_");
    }
  }
}
