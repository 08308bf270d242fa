package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's name prefix is a scope of whole segments, in reads, listings and cursors alike: {@code
 * prod} covers {@code prod} and {@code prod/...}; {@code prod/} covers {@code prod/...}; neither
 * covers {@code production/db}, {@code prod2/x}, {@code prod.old} or {@code prod-legacy/db}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("prefix scopes end at a segment boundary")
class PrefixScopeTest {
  static final List<String> INSIDE = List.of("prod", "prod/a", "prod/b", "prod/c/d");
  static final List<String> LOOKALIKES =
      List.of("prod.old", "prod-legacy/db", "prod2/x", "production/db", "prodx");

  final HttpTestClient client = new HttpTestClient();
  RealServer started;
  String bare;
  String slash;

  @BeforeAll
  void start(@TempDir Path dir) {
    started = RealServer.start(dir);
    for (String name : concat(INSIDE, LOOKALIKES)) {
      assertThat(
              call(
                      started.adminKey(),
                      "POST",
                      "/api/v1/secrets",
                      "{\"key\":\"" + name + "\",\"value\":\"v-" + name + "\"}")
                  .status())
          .isEqualTo(201);
    }
    bare = started.server().apiKeys().create("default", Role.READ_ONLY, "prod");
    slash = started.server().apiKeys().create("default", Role.READ_ONLY, "prod/");
  }

  @AfterAll
  void stop() {
    started.server().close();
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  Reply call(String key, String method, String path, String body) {
    return client.call(
        started.server().port(), method, path, key, body == null ? null : "application/json", body);
  }

  /** Every name a listing yields, following its cursors one item at a time. */
  List<String> listAll(String key, String prefix) {
    List<String> names = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 50; page++) {
      Reply r =
          call(
              key,
              "GET",
              "/api/v1/secrets?limit=1&prefix="
                  + prefix
                  + (cursor == null ? "" : "&cursor=" + cursor),
              null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      r.json().get("items").forEach(i -> names.add(i.get("key").asText()));
      JsonNode next = r.json().get("nextCursor");
      if (next == null) {
        return names;
      }
      cursor = next.asText();
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (!key.equals(started.adminKey())) {
        assertThat(LOOKALIKES)
            .as("a cursor names only what the key may see")
            .noneMatch(decoded::endsWith);
      }
    }
    throw new AssertionError("more than 50 pages");
  }

  @Test
  void bareScope_readsTheNameAndItsChildren_only() {
    for (String name : INSIDE) {
      assertThat(call(bare, "GET", "/api/v1/secrets/" + name, null).status())
          .as(name)
          .isEqualTo(200);
    }
    for (String name : LOOKALIKES) {
      Reply r = call(bare, "GET", "/api/v1/secrets/" + name, null);
      assertThat(r.status()).as(name).isEqualTo(404);
      assertThat(r.body()).doesNotContain("v-");
    }
  }

  @Test
  void slashScope_readsTheChildren_notTheNameItself() {
    assertThat(call(slash, "GET", "/api/v1/secrets/prod", null).status()).isEqualTo(404);
    for (String name : INSIDE.subList(1, INSIDE.size())) {
      assertThat(call(slash, "GET", "/api/v1/secrets/" + name, null).status())
          .as(name)
          .isEqualTo(200);
    }
    for (String name : LOOKALIKES) {
      assertThat(call(slash, "GET", "/api/v1/secrets/" + name, null).status())
          .as(name)
          .isEqualTo(404);
    }
  }

  @Test
  void listings_followTheSameRule_pageByPage() {
    for (String prefix : List.of("", "p", "pro", "prod")) {
      assertThat(listAll(bare, prefix))
          .as("bare scope, prefix '%s'", prefix)
          .containsExactlyElementsOf(INSIDE);
      assertThat(listAll(slash, prefix))
          .as("slash scope, prefix '%s'", prefix)
          .containsExactlyElementsOf(INSIDE.subList(1, INSIDE.size()));
    }
    assertThat(listAll(bare, "prod/")).containsExactly("prod/a", "prod/b", "prod/c/d");
    assertThat(listAll(bare, "prod/b")).containsExactly("prod/b");
    for (String prefix : List.of("prod.", "prod-", "prod2", "produ", "prodx")) {
      assertThat(listAll(bare, prefix)).as(prefix).isEmpty();
      assertThat(listAll(slash, prefix)).as(prefix).isEmpty();
    }
    assertThat(listAll(started.adminKey(), "prod"))
        .as("an unscoped key sees every name starting so")
        .containsExactlyInAnyOrderElementsOf(
            concat(
                INSIDE,
                List.of("prod.old", "prod-legacy/db", "prod2/x", "production/db", "prodx")));
  }

  @Test
  void aCraftedCursor_cannotLeaveTheScope() {
    String pastLookalikes =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("c1:prod.old".getBytes(StandardCharsets.US_ASCII));
    Reply r = call(bare, "GET", "/api/v1/secrets?prefix=prod&cursor=" + pastLookalikes, null);
    if (r.status() == 200) {
      List<String> names = new ArrayList<>();
      r.json().get("items").forEach(i -> names.add(i.get("key").asText()));
      assertThat(names).allMatch(n -> n.equals("prod") || n.startsWith("prod/"));
    } else {
      assertThat(r.status()).isEqualTo(400);
    }
  }
}
