package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP backend (SecretManagerClient) relies on beyond the first API: conditional reads
 * with ETag, exact bytes in base64, one secret's metadata, attribute updates with expiry, and the
 * {@code code} member of problems. A real server on an ephemeral port over H2 in a temporary file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSupportRoutesTest {
  static final String SENTINEL = "S3NTINEL-etag-4b1d";

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

  Reply call(
      String method,
      String path,
      String key,
      String contentType,
      String body,
      Map<String, String> headers) {
    return client.call(server.port(), method, path, key, contentType, body, headers);
  }

  Reply get(String path) {
    return call("GET", path, admin, null, null, Map.of());
  }

  Reply getIfNoneMatch(String path, String etag) {
    return call("GET", path, admin, null, null, Map.of("If-None-Match", etag));
  }

  Reply write(String json) {
    return call("POST", "/api/v1/secrets", admin, "application/json", json, Map.of());
  }

  Reply attributes(String name, String json) {
    return call(
        "POST",
        "/api/v1/secrets/" + name + ":attributes",
        admin,
        "application/json",
        json,
        Map.of());
  }

  /** The audit entries about {@code name}, oldest first, as "action/outcome". */
  List<String> audited(String name) {
    return server.auditLog().read(0, 1000, Optional.empty()).stream()
        .filter(e -> e.secretName().equals(Optional.of(name)))
        .map(e -> e.action() + "/" + e.outcome())
        .toList();
  }

  static String etag(Reply r) {
    return r.raw().headers().firstValue("ETag").orElseThrow();
  }

  static void assertProblem(Reply r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().path("code").asText()).as(r.body()).isEqualTo(code);
    assertThat(r.body()).doesNotContain(SENTINEL);
  }

  @Nested
  @DisplayName("conditional reads with ETag")
  class ConditionalReads {
    @Test
    @DisplayName("a read carries a strong ETag that says nothing about the value, and no-store")
    void get_carriesStrongOpaqueEtag() {
      write("{\"key\":\"etag/a\",\"value\":\"" + SENTINEL + "\"}");
      Reply r = get("/api/v1/secrets/etag/a");
      assertThat(r.status()).isEqualTo(200);
      String tag = etag(r);
      assertThat(tag)
          .matches("\"[A-Za-z0-9_-]{24}\"")
          .doesNotContain(SENTINEL)
          .doesNotContain("etag/a");
      assertThat(r.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(tag).isEqualTo(ClientSupportRoutesTest.etagOf("etag/a", 1, false));
    }

    @Test
    @DisplayName("If-None-Match with the current tag is a 304 without a body, audited as a read")
    void get_ifNoneMatchCurrent_is304AndAudited() {
      write("{\"key\":\"etag/b\",\"value\":\"" + SENTINEL + "\"}");
      String tag = etag(get("/api/v1/secrets/etag/b"));
      Reply again = getIfNoneMatch("/api/v1/secrets/etag/b", tag);
      assertThat(again.status()).isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(etag(again)).isEqualTo(tag);
      assertThat(getIfNoneMatch("/api/v1/secrets/etag/b", "\"other\", W/" + tag).status())
          .as("weak comparison")
          .isEqualTo(304);
      assertThat(getIfNoneMatch("/api/v1/secrets/etag/b", "*").status()).isEqualTo(304);
      assertThat(audited("etag/b"))
          .containsExactly("write/ok", "read/ok", "read/ok", "read/ok", "read/ok");
    }

    @Test
    @DisplayName(
        "a new version, another encoding or another version has another tag, so the full value comes")
    void get_changedRepresentation_is200() {
      write("{\"key\":\"etag/c\",\"value\":\"one\"}");
      String v1 = etag(get("/api/v1/secrets/etag/c"));
      write("{\"key\":\"etag/c\",\"value\":\"two\"}");
      Reply fresh = getIfNoneMatch("/api/v1/secrets/etag/c", v1);
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(fresh.json().get("value").asText()).isEqualTo("two");
      assertThat(etag(fresh)).isNotEqualTo(v1);
      assertThat(getIfNoneMatch("/api/v1/secrets/etag/c?version=1", v1).status()).isEqualTo(304);
      Reply base64 = getIfNoneMatch("/api/v1/secrets/etag/c?version=1&encoding=base64", v1);
      assertThat(base64.status()).isEqualTo(200);
      assertThat(etag(base64)).isNotEqualTo(v1);
    }

    @Test
    @DisplayName("a deleted, destroyed or expired secret is a 404 even with a matching tag")
    void get_goneSecret_is404NotA304() {
      write("{\"key\":\"etag/d\",\"value\":\"x\"}");
      String tag = etag(get("/api/v1/secrets/etag/d"));
      assertThat(call("DELETE", "/api/v1/secrets/etag/d", admin, null, null, Map.of()).status())
          .isEqualTo(204);
      assertProblem(getIfNoneMatch("/api/v1/secrets/etag/d", tag), 404, "not_found");
      call("POST", "/api/v1/secrets/etag/d:restore", admin, null, null, Map.of());
      assertThat(getIfNoneMatch("/api/v1/secrets/etag/d", tag).status()).isEqualTo(304);
      attributes("etag/d", "{\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
      assertProblem(getIfNoneMatch("/api/v1/secrets/etag/d", tag), 404, "expired");
    }
  }

  @Nested
  @DisplayName("exact bytes in base64")
  class Base64Values {
    @Test
    @DisplayName("every byte value round-trips through valueBase64 and ?encoding=base64")
    void writeAndRead_base64_roundTripsEveryByte() {
      byte[] all = new byte[256];
      for (int i = 0; i < all.length; i++) {
        all[i] = (byte) i;
      }
      String encoded = Base64.getEncoder().encodeToString(all);
      assertThat(write("{\"key\":\"bin/all\",\"valueBase64\":\"" + encoded + "\"}").status())
          .isEqualTo(201);
      JsonNode read = get("/api/v1/secrets/bin/all?encoding=base64").json();
      assertThat(read.has("value")).isFalse();
      assertThat(Base64.getDecoder().decode(read.get("valueBase64").asText())).isEqualTo(all);
      assertThat(get("/api/v1/secrets/bin/all?encoding=utf8").json().has("valueBase64")).isFalse();
    }

    @Test
    @DisplayName(
        "both or neither of value and valueBase64, bad base64 and an unknown encoding are 400")
    void badValueFields_are400() {
      Reply both = write("{\"key\":\"bin/x\",\"value\":\"a\",\"valueBase64\":\"YQ==\"}");
      assertThat(both.status()).isEqualTo(400);
      assertThat(both.json().get("detail").asText())
          .contains("exactly one of 'value' and 'valueBase64'");
      assertThat(write("{\"key\":\"bin/x\"}").status()).isEqualTo(400);
      Reply bad = write("{\"key\":\"bin/x\",\"valueBase64\":\"" + SENTINEL + "!\"}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).doesNotContain(SENTINEL).contains("not valid base64");
      write("{\"key\":\"bin/y\",\"value\":\"a\"}");
      assertThat(get("/api/v1/secrets/bin/y?encoding=hex").status()).isEqualTo(400);
      assertThat(get("/api/v1/secrets/bin/x").status()).isEqualTo(404);
    }
  }

  @Nested
  @DisplayName("metadata and attributes")
  class MetadataAndAttributes {
    @Test
    @DisplayName(
        ":metadata answers as a listing item; :attributes replaces all three without a version")
    void metadata_andAttributes() {
      write(
          "{\"key\":\"meta/a\",\"value\":\""
              + SENTINEL
              + "\",\"description\":\"d\",\"labels\":{\"env\":\"prod\"},"
              + "\"expiresAt\":\"2100-01-01T00:00:00Z\"}");
      JsonNode m = get("/api/v1/secrets/meta/a:metadata").json();
      assertThat(m.get("version").asLong()).isEqualTo(1);
      assertThat(m.get("description").asText()).isEqualTo("d");
      assertThat(m.get("labels").get("env").asText()).isEqualTo("prod");
      assertThat(m.get("expiresAt").asText()).startsWith("2100-01-01T00:00");
      assertThat(m.toString()).doesNotContain(SENTINEL);

      Reply changed = attributes("meta/a", "{\"labels\":{\"team\":\"core\"}}");
      assertThat(changed.status()).as(changed.body()).isEqualTo(200);
      assertThat(changed.json().get("description").asText()).isEmpty();
      assertThat(changed.json().get("labels").toString()).isEqualTo("{\"team\":\"core\"}");
      assertThat(changed.json().has("expiresAt")).isFalse();
      assertThat(changed.json().get("version").asLong()).isEqualTo(1);
      assertThat(audited("meta/a")).containsExactly("write/ok", "metadata/ok", "attributes/ok");
    }

    @Test
    @DisplayName(
        "unknown fields, bad times and bad labels are 400; missing secrets 404; read-only keys 403")
    void attributes_refusals() {
      write("{\"key\":\"meta/b\",\"value\":\"v\"}");
      assertThat(attributes("meta/b", "{\"color\":\"red\"}").status()).isEqualTo(400);
      assertThat(attributes("meta/b", "{\"expiresAt\":\"tomorrow\"}").status()).isEqualTo(400);
      assertProblem(attributes("meta/b", "{\"labels\":{\"Bad Key\":\"x\"}}"), 400, "invalid_input");
      assertThat(
              call("POST", "/api/v1/secrets/meta/b:attributes", admin, "text/plain", "{}", Map.of())
                  .status())
          .isEqualTo(415);
      assertProblem(attributes("meta/none", "{}"), 404, "not_found");
      assertProblem(get("/api/v1/secrets/meta/none:metadata"), 404, "not_found");
      String readOnly = server.apiKeys().create("default", Role.READ_ONLY, "");
      assertThat(
              call(
                      "POST",
                      "/api/v1/secrets/meta/b:attributes",
                      readOnly,
                      "application/json",
                      "{}",
                      Map.of())
                  .status())
          .isEqualTo(403);
      assertThat(
              call("GET", "/api/v1/secrets/meta/b:attributes", admin, null, null, Map.of())
                  .status())
          .isEqualTo(405);
      assertThat(
              call("POST", "/api/v1/secrets/meta/b:metadata", admin, null, null, Map.of()).status())
          .isEqualTo(405);
    }
  }

  @Nested
  @DisplayName("problem codes")
  class ProblemCodes {
    @Test
    @DisplayName(
        "conflict, deleted, invalid name, too large, bad cursor and expiry each have their code")
    void eachProblem_hasItsCode() {
      write("{\"key\":\"code/a\",\"value\":\"v\"}");
      Reply conflict =
          write("{\"key\":\"code/a\",\"value\":\"" + SENTINEL + "\",\"expectedVersion\":0}");
      assertProblem(conflict, 409, "version_conflict");
      assertThat(conflict.json().get("currentVersion").asLong()).isEqualTo(1);
      call("DELETE", "/api/v1/secrets/code/a", admin, null, null, Map.of());
      assertProblem(
          write("{\"key\":\"code/a\",\"value\":\"" + SENTINEL + "\"}"), 409, "secret_deleted");
      assertProblem(write("{\"key\":\"code//a\",\"value\":\"v\"}"), 400, "invalid_name");
      assertProblem(get("/api/v1/secrets/code/..:versions"), 400, "invalid_name");
      Reply big =
          write(
              "{\"key\":\"code/big\",\"valueBase64\":\""
                  + Base64.getEncoder().encodeToString(new byte[64 * 1024 + 1])
                  + "\"}");
      assertProblem(big, 413, "too_large");
      assertThat(big.json().get("size").asInt()).isEqualTo(64 * 1024 + 1);
      assertThat(big.json().get("limit").asInt()).isEqualTo(64 * 1024);
      Reply cursor = get("/api/v1/secrets?cursor=forged");
      assertProblem(cursor, 400, "invalid_input");
      assertThat(cursor.json().get("detail").asText()).contains("cursor");
      write("{\"key\":\"code/old\",\"value\":\"v\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
      Reply expired = get("/api/v1/secrets/code/old");
      assertProblem(expired, 404, "expired");
      assertThat(expired.json().get("expiresAt").asText()).isEqualTo("2000-01-01T00:00:00Z");
    }

    @Test
    @DisplayName("a name outside the key's prefix is the plain not_found, even when it has expired")
    void outsidePrefix_isPlainNotFound() {
      write("{\"key\":\"hidden/old\",\"value\":\"v\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
      String scoped = server.apiKeys().create("default", Role.READ_ONLY, "visible/");
      Reply r = call("GET", "/api/v1/secrets/hidden/old", scoped, null, null, Map.of());
      Reply missing = call("GET", "/api/v1/secrets/hidden/never", scoped, null, null, Map.of());
      assertProblem(r, 404, "not_found");
      assertThat(r.body()).isEqualTo(missing.body());
    }
  }

  /**
   * The tag as server/README.md documents it, computed here rather than by the server's code: the
   * first 18 bytes of SHA-256 over "lanonasis-etag-v1" 0x00 name 0x00 version (decimal) 0x00 'u' or
   * 'b', base64url without padding, in quotes.
   */
  static String etagOf(String name, long version, boolean base64) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      String input = "lanonasis-etag-v1\0" + name + "\0" + version + "\0" + (base64 ? "b" : "u");
      byte[] digest = sha.digest(input.getBytes(StandardCharsets.US_ASCII));
      return "\""
          + java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(java.util.Arrays.copyOf(digest, 18))
          + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
