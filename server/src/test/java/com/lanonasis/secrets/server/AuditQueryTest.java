package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/audit} with filters and newest-first paging, over real HTTP. */
@DisplayName("audit log queries")
class AuditQueryTest {
  @TempDir Path dir;
  final AuthThrottleTest.ManualClock clock = new AuthThrottleTest.ManualClock();
  final HttpTestClient client = new HttpTestClient();
  SecretsServer server;
  String admin;

  @BeforeEach
  void start() {
    RealServer started = RealServer.start(dir, b -> b.clock(clock));
    server = started.server();
    admin = started.adminKey();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Reply call(String method, String path, String key, String body) {
    return client.call(
        server.port(), method, path, key, body == null ? null : "application/json", body);
  }

  List<String> audit(String query) {
    Reply r = call("GET", "/api/v1/audit?limit=1000&" + query, admin, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode e : r.json().get("items")) {
      out.add(
          e.get("action").asText()
              + " "
              + e.path("secretName").asText("")
              + " "
              + e.get("outcome").asText());
    }
    return out;
  }

  @Test
  @DisplayName(
      "each entry describes its key (role, prefix, revoked); hideListings=true leaves out the listing reads")
  void entriesDescribeTheirKey_andListingReadsCanBeHidden() {
    String reader = server.apiKeys().create("default", Role.READ_ONLY, "team/");
    String id = ApiKeys.idOf(reader);
    call("GET", "/api/v1/secrets?prefix=team/", reader, null);
    call("GET", "/api/v1/secrets/team/missing", reader, null);
    call("GET", "/api/v1/audit", admin, null);

    Reply r = call("GET", "/api/v1/audit?limit=1000&keyId=" + id, admin, null);
    JsonNode key = r.json().get("items").get(0).get("key");
    assertThat(key.get("role").asText()).isEqualTo("READ_ONLY");
    assertThat(key.get("prefix").asText()).isEqualTo("team/");
    assertThat(key.get("revoked").asBoolean()).isFalse();
    assertThat(key.toString()).doesNotContain(RealServer.secretPart(reader));
    server.apiKeys().revoke(id);
    assertThat(
            call("GET", "/api/v1/audit?limit=1&keyId=" + id, admin, null)
                .json()
                .get("items")
                .get(0)
                .get("key")
                .get("revoked")
                .asBoolean())
        .isTrue();

    assertThat(audit("keyId=" + id))
        .containsExactly("list team/ ok", "read team/missing not_found");
    assertThat(audit("keyId=" + id + "&hideListings=true"))
        .containsExactly("read team/missing not_found");
    assertThat(audit("hideListings=true"))
        .noneMatch(a -> a.startsWith("audit.read ") || a.startsWith("list "));
    assertThat(audit("")).anyMatch(a -> a.startsWith("audit.read "));
    assertThat(call("GET", "/api/v1/audit?hideListings=yes", admin, null).status()).isEqualTo(400);
  }

  @Test
  void filtersNarrowTheLog_andNewestFirstPagesBackwards() {
    String writer = server.apiKeys().create("default", Role.READ_WRITE, "");
    call("POST", "/api/v1/secrets", writer, "{\"key\":\"app/db_pass\",\"value\":\"v\"}");
    clock.advance(Duration.ofHours(1));
    String since = clock.instant().toString();
    call("POST", "/api/v1/secrets", writer, "{\"key\":\"app/dbXpass\",\"value\":\"v\"}");
    call("GET", "/api/v1/secrets/app/db_pass", writer, null);
    call("GET", "/api/v1/secrets/app/missing", writer, null);

    String id = ApiKeys.idOf(writer);
    assertThat(audit("keyId=" + id))
        .containsExactly(
            "write app/db_pass ok",
            "write app/dbXpass ok",
            "read app/db_pass ok",
            "read app/missing not_found");
    assertThat(audit("keyId=" + id + "&action=write"))
        .containsExactly("write app/db_pass ok", "write app/dbXpass ok");
    assertThat(audit("keyId=" + id + "&name=app/db_"))
        .as("'_' is a character, not a wildcard")
        .containsExactly("write app/db_pass ok", "read app/db_pass ok");
    assertThat(audit("keyId=" + id + "&outcome=not_found"))
        .containsExactly("read app/missing not_found");
    assertThat(audit("keyId=" + id + "&from=" + since)).hasSize(3);
    assertThat(audit("keyId=" + id + "&until=" + since)).containsExactly("write app/db_pass ok");

    Reply newest = call("GET", "/api/v1/audit?keyId=" + id + "&before=0&limit=3", admin, null);
    List<Long> seqs = new ArrayList<>();
    newest.json().get("items").forEach(e -> seqs.add(e.get("seq").asLong()));
    assertThat(seqs).isSortedAccordingTo((a, b) -> Long.compare(b, a)).hasSize(3);
    long next = newest.json().get("nextBefore").asLong();
    Reply older =
        call("GET", "/api/v1/audit?keyId=" + id + "&before=" + next + "&limit=3", admin, null);
    assertThat(older.json().get("items")).hasSize(1);
    assertThat(older.json().get("items").get(0).get("action").asText()).isEqualTo("write");
    assertThat(older.json().has("nextBefore")).isFalse();

    for (String bad :
        List.of(
            "keyId=nothex",
            "action=DROP%20TABLE",
            "outcome=maybe",
            "from=yesterday",
            "name=a%27b",
            "after=1&before=2")) {
      assertThat(call("GET", "/api/v1/audit?" + bad, admin, null).status()).as(bad).isEqualTo(400);
    }
  }
}
