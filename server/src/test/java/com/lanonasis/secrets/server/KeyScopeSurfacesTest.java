package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Path;
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
 * A key's role and prefix are applied in one place, {@link KeyScopedStore}: the REST secret routes,
 * the bulk import and export and {@code /mcp} refuse the same out-of-scope and read-only cases,
 * each through it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyScopeSurfacesTest {
  private static final HttpTestClient HTTP = new HttpTestClient();
  private static final String OUTSIDE = "other/db";
  private static final String INSIDE = "team/db";

  private SecretsServer server;
  private String admin;
  private String scopedWriter;
  private String readOnly;

  @BeforeAll
  void start(@TempDir Path dir) {
    RealServer s =
        RealServer.start(
            dir, b -> b.mcp(SecretsMcpServer.builder().allowReveal(true).allowWrite(true).build()));
    server = s.server();
    admin = s.adminKey();
    scopedWriter = server.apiKeys().create("default", Role.READ_WRITE, "team/");
    readOnly = server.apiKeys().create("default", Role.READ_ONLY, "");
    McpHttpTest.put(server, admin, OUTSIDE, "outside-value");
    McpHttpTest.put(server, admin, INSIDE, "inside-value");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Reply call(String method, String path, String key, String body) {
    return HTTP.call(
        server.port(), method, path, key, body == null ? null : "application/json", body);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("the store itself")
  class Store {
    @Test
    void keyScopedStore_outsideThePrefix_isNotFoundForEveryOperation() {
      ApiKey key = new ApiKey("0123456789abcdef", "default", Role.READ_WRITE, "team/");
      KeyScopedStore store = new KeyScopedStore(server.store("default"), key);
      assertThatThrownBy(() -> store.get(OUTSIDE)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.metadata(OUTSIDE)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.delete(OUTSIDE)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.destroy(OUTSIDE)).isInstanceOf(SecretNotFoundException.class);
      assertThat(store.list(new ListOptions("", 100, Optional.empty())).items())
          .extracting(m -> m.name().value())
          .containsExactly(INSIDE);
    }

    @Test
    void keyScopedStore_readOnlyKey_isDeniedEveryChangeInsideAndOutside() {
      ApiKey key = new ApiKey("0123456789abcdef", "default", Role.READ_ONLY, "team/");
      KeyScopedStore store = new KeyScopedStore(server.store("default"), key);
      for (String name : new String[] {INSIDE, OUTSIDE}) {
        assertThatThrownBy(() -> store.put(name, SecretValue.ofUtf8("x"), PutOptions.upsert()))
            .isInstanceOf(AccessDeniedException.class)
            .hasMessage("this API key is read-only");
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> store.restore(name)).isInstanceOf(AccessDeniedException.class);
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("a name outside the key's prefix")
  class OutsideThePrefix {
    @Test
    void rest_readOrWriteOutside_is404LikeAMissingName() {
      Reply read = call("GET", "/api/v1/secrets/" + OUTSIDE, scopedWriter, null);
      Reply missing = call("GET", "/api/v1/secrets/team/never-created", scopedWriter, null);
      assertThat(read.status()).isEqualTo(404);
      assertThat(read.body()).isEqualTo(missing.body());
      assertThat(
              call(
                      "POST",
                      "/api/v1/secrets",
                      scopedWriter,
                      "{\"key\":\"" + OUTSIDE + "\",\"value\":\"x\"}")
                  .status())
          .isEqualTo(404);
      assertThat(call("DELETE", "/api/v1/secrets/" + OUTSIDE, scopedWriter, null).status())
          .isEqualTo(404);
      assertThat(call("GET", "/api/v1/secrets", scopedWriter, null).body())
          .contains(INSIDE)
          .doesNotContain(OUTSIDE);
    }

    @Test
    void bulk_importOrExportOutside_refusedOrLeftOut() {
      Reply imported =
          call(
              "POST",
              BulkRoutes.IMPORT,
              scopedWriter,
              "{\"entries\":[{\"key\":\""
                  + OUTSIDE
                  + "\",\"value\":\"x\",\"expectedVersion\":1}]}");
      assertThat(imported.status()).isEqualTo(400);
      assertThat(imported.body()).contains("outside this key's prefix");
      Reply exported = call("POST", BulkRoutes.EXPORT, scopedWriter, "{}");
      assertThat(exported.status()).isEqualTo(200);
      assertThat(exported.body()).contains("inside-value").doesNotContain("outside-value");
    }

    @Test
    void mcp_getOrSetOutside_isNotFound() {
      try (McpSyncClient c = McpHttpTest.client(server, scopedWriter)) {
        assertThat(
                McpHttpTest.structured(McpHttpTest.call(c, "get_secret", Map.of("name", OUTSIDE))))
            .containsEntry("error", "not_found");
        assertThat(
                McpHttpTest.structured(
                    McpHttpTest.call(c, "set_secret", Map.of("name", OUTSIDE, "value", "x"))))
            .containsEntry("error", "not_found");
        assertThat(McpHttpTest.text(McpHttpTest.call(c, "list_secrets", Map.of())))
            .doesNotContain(OUTSIDE);
      }
      assertThat(call("GET", "/api/v1/secrets/" + OUTSIDE, admin, null).body())
          .contains("outside-value");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("a write with a read-only key")
  class ReadOnlyWrite {
    @Test
    void rest_write_is403WithTheStoresReason() {
      Reply r =
          call("POST", "/api/v1/secrets", readOnly, "{\"key\":\"" + INSIDE + "\",\"value\":\"x\"}");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("this API key is read-only");
      assertThat(call("POST", "/api/v1/secrets/" + INSIDE + ":destroy", readOnly, null).status())
          .isEqualTo(403);
    }

    @Test
    void bulk_import_is403WithTheStoresReason() {
      Reply r =
          call(
              "POST",
              BulkRoutes.IMPORT,
              readOnly,
              "{\"entries\":[{\"key\":\"" + INSIDE + "\",\"value\":\"x\",\"expectedVersion\":1}]}");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("this API key is read-only");
    }

    @Test
    void mcp_set_isDenied() {
      try (McpSyncClient c = McpHttpTest.client(server, readOnly)) {
        assertThat(
                McpHttpTest.structured(
                    McpHttpTest.call(c, "set_secret", Map.of("name", INSIDE, "value", "x"))))
            .containsEntry("error", "denied");
      }
      assertThat(call("GET", "/api/v1/secrets/" + INSIDE, admin, null).body())
          .contains("inside-value");
    }
  }

  @Test
  @DisplayName("an unknown property in a body is 400 and changes nothing")
  void unknownProperty_is400AndWritesNothing() {
    Reply r =
        call(
            "POST",
            "/api/v1/secrets",
            admin,
            "{\"key\":\"team/new\",\"value\":\"x\",\"colour\":\"red\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("unknown field").doesNotContain("colour");
    assertThat(call("GET", "/api/v1/secrets/team/new", admin, null).status()).isEqualTo(404);
    Reply key = call("POST", KeyRoutes.BASE, admin, "{\"role\":\"READ_ONLY\",\"colour\":1}");
    assertThat(key.status()).isEqualTo(400);
    Reply typed = call("POST", "/api/v1/secrets", admin, "{\"key\":5,\"value\":\"x\"}");
    assertThat(typed.status()).isEqualTo(400);
    assertThat(typed.body()).contains("'key' must be a string");
  }
}
