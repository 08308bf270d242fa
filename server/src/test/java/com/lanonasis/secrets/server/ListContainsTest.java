package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/secrets?contains=}: substring search, paged by cursor, inside the key's scope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListContainsTest {
  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;

  @BeforeAll
  void start(@TempDir Path dir) {
    RealServer started = RealServer.start(dir);
    server = started.server();
    admin = started.adminKey();
    for (String name :
        List.of(
            "app/DB_URL",
            "app/db_password",
            "app/cache",
            "billing/db-host",
            "team/db",
            "team/redis",
            "teamwork/db",
            "zz/nothing")) {
      Reply r =
          client.call(
              server.port(),
              "POST",
              "/api/v1/secrets",
              admin,
              "application/json",
              "{\"key\":\"" + name + "\",\"value\":\"v\"}");
      assertThat(r.status()).isEqualTo(201);
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Every name a key finds, following the cursor page by page. */
  List<String> all(String key, String query, int limit) {
    List<String> names = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      Reply r =
          client.call(
              server.port(),
              "GET",
              "/api/v1/secrets?limit="
                  + limit
                  + "&"
                  + query
                  + (cursor == null ? "" : "&cursor=" + cursor),
              key,
              null,
              null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode page = r.json();
      assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
      page.get("items").forEach(i -> names.add(i.get("key").asText()));
      if (!page.has("nextCursor")) {
        return names;
      }
      cursor = page.get("nextCursor").asText();
    }
    throw new AssertionError("more than 20 pages");
  }

  @Test
  void contains_matchesCaseInsensitively_pagesWithoutRepeatsOrGaps_andKeepsToTheScope() {
    List<String> expected =
        List.of("app/DB_URL", "app/db_password", "billing/db-host", "team/db", "teamwork/db");
    assertThat(all(admin, "contains=db", 100)).containsExactlyElementsOf(expected);
    assertThat(all(admin, "contains=DB", 1))
        .as("a page of one: the cursor resumes mid-page")
        .containsExactlyElementsOf(expected);
    assertThat(all(admin, "contains=db&prefix=app/", 2))
        .containsExactly("app/DB_URL", "app/db_password");
    String scoped = server.apiKeys().create("default", Role.READ_ONLY, "team");
    assertThat(all(scoped, "contains=db", 1))
        .as("'team' covers team/..., never teamwork/...")
        .containsExactly("team/db");
    assertThat(
            client
                .call(server.port(), "GET", "/api/v1/secrets?contains=a%20b", admin, null, null)
                .status())
        .isEqualTo(400);
  }
}
