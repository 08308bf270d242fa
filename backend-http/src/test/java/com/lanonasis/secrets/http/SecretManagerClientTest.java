package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.wire.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a real server (ephemeral port, H2): the SDK's names, keys and roles, the ETag
 * cache as seen on the wire (a network interceptor on a caller-supplied OkHttpClient records every
 * exchange), and the client's lifecycle.
 */
@ExtendWith(RealServerExtension.class)
class SecretManagerClientTest {
  static RealServer server;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
  }

  /** Records "METHOD path status" of every exchange that reached the network. */
  static final class Wire implements Interceptor {
    final List<String> exchanges = new CopyOnWriteArrayList<>();

    @Override
    public Response intercept(Chain chain) throws java.io.IOException {
      Response r = chain.proceed(chain.request());
      exchanges.add(
          chain.request().method() + " " + chain.request().url().encodedPath() + " " + r.code());
      return r;
    }

    OkHttpClient client() {
      return new OkHttpClient.Builder().addNetworkInterceptor(this).build();
    }
  }

  @Nested
  @DisplayName("the SDK's names")
  class SdkNames {
    @Test
    @DisplayName("setSecret then getSecret reads the text back; versions count up")
    void setSecret_getSecret_roundTrip() {
      try (SecretManagerClient client =
          new SecretManagerClient(ClientConfigs.of(server, server.newTenantKey()).build())) {
        assertThat(client.setSecret("prod/db/password", "hunter2").version()).isEqualTo(1);
        assertThat(client.getSecret("prod/db/password")).isEqualTo("hunter2");
        assertThat(client.setSecret("prod/db/password", "n3w").version()).isEqualTo(2);
        assertThat(client.getSecret("prod/db/password")).isEqualTo("n3w");
      }
    }
  }

  @Test
  @DisplayName(
      "the API's URL as the server prints it works as the base: the calls go to /api/v1, not a secret named api/v1/...")
  void apiUrlAsPrinted_reachesTheApi() {
    Wire wire = new Wire();
    String key = server.newTenantKey();
    try (SecretManagerClient client =
        new SecretManagerClient(
            SecretManagerClientConfig.builder()
                .apiUrl(server.url() + "/api/v1/secrets")
                .apiKey(key)
                .okHttpClient(wire.client())
                .build())) {
      client.setSecret("app/a", "v1");
      assertThat(client.getSecret("app/a")).isEqualTo("v1");
    }
    assertThat(wire.exchanges)
        .contains("GET /api/v1/whoami 200", "GET /api/v1/secrets/app/a 200")
        .noneMatch(e -> e.contains("/api/v1/secrets/api/"));
  }

  @Nested
  @DisplayName("keys, roles and tenants")
  class Keys {
    @Test
    @DisplayName("the store's tenant is the key's; expecting another tenant refuses to open")
    void tenant_isTheKeys() {
      String key = server.newTenantKey();
      try (SecretManagerClient client =
          new SecretManagerClient(ClientConfigs.of(server, key).build())) {
        assertThat(client.tenant()).startsWith("t-");
        String other = client.tenant() + "-other";
        ConfigurationException e =
            catchThrowableOfType(
                ConfigurationException.class,
                () ->
                    new SecretManagerClient(
                        ClientConfigs.of(server, key).expectTenant(other).build()));
        assertThat(e.getMessage())
            .contains("belongs to tenant '" + client.tenant() + "'")
            .contains(other)
            .doesNotContain(key);
      }
    }

    @Test
    @DisplayName(
        "an unknown key fails at construction; a key revoked later fails the next call; both 401")
    void badAndRevokedKeys_accessDenied() {
      String unknown = "lns_0000000000000000_" + "A".repeat(43);
      UnauthenticatedException atOpen =
          catchThrowableOfType(
              UnauthenticatedException.class,
              () -> new SecretManagerClient(ClientConfigs.of(server, unknown).build()));
      assertThat(atOpen.kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
      assertThat(atOpen.getMessage()).doesNotContain(unknown).doesNotContain("A".repeat(43));

      String key = server.newTenantKey();
      try (SecretManagerClient client =
          new SecretManagerClient(ClientConfigs.of(server, key).build())) {
        client.setSecret("k", "v");
        server.server().apiKeys().revoke(key.substring(4, 20));
        UnauthenticatedException later =
            catchThrowableOfType(UnauthenticatedException.class, () -> client.get("k"));
        assertThat(later.kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
        assertThat(later.getMessage()).contains("read secret 'k'").contains("401");
      }
    }

    @Test
    @DisplayName(
        "a read-only key reads but its writes are 403; a prefix-scoped key sees others' names as missing")
    void roles_andPrefixes() {
      String writer = server.newTenantKey();
      try (SecretManagerClient rw =
          new SecretManagerClient(ClientConfigs.of(server, writer).build())) {
        rw.setSecret("app/a", "1");
        rw.setSecret("other/b", "2");
        String tenant = rw.tenant();
        String readOnly = server.server().apiKeys().create(tenant, Role.READ_ONLY, "app/");
        try (SecretManagerClient ro =
            new SecretManagerClient(ClientConfigs.of(server, readOnly).build())) {
          assertThat(ro.getSecret("app/a")).isEqualTo("1");
          AccessDeniedException denied =
              catchThrowableOfType(AccessDeniedException.class, () -> ro.setSecret("app/a", "x"));
          assertThat(denied.kind()).isEqualTo(SecretsException.Kind.DENIED);
          assertThat(denied.getMessage()).contains("403");
          assertThatThrownBy(() -> ro.delete("app/a")).isInstanceOf(AccessDeniedException.class);
          assertThatThrownBy(() -> ro.get("other/b")).isInstanceOf(SecretNotFoundException.class);
          assertThat(ro.list(com.lanonasis.secrets.ListOptions.all()).items())
              .extracting(m -> m.name().value())
              .containsExactly("app/a");
        }
      }
    }
  }

  @Nested
  @DisplayName("the read cache, on the wire")
  class Cache {
    @Test
    @DisplayName(
        "revalidating every read: an unchanged secret costs a 304, a changed one a 200 with the new value")
    void revalidateEveryRead_304ThenNewValue() {
      String key = server.newTenantKey();
      Wire wire = new Wire();
      try (SecretManagerClient writer =
              new SecretManagerClient(ClientConfigs.of(server, key).build());
          SecretManagerClient cached =
              new SecretManagerClient(
                  ClientConfigs.of(server, key)
                      .okHttpClient(wire.client())
                      .etagRevalidation(100)
                      .build())) {
        writer.setSecret("c/a", "one");
        wire.exchanges.clear();
        assertThat(cached.getSecret("c/a")).isEqualTo("one");
        assertThat(cached.getSecret("c/a")).isEqualTo("one");
        assertThat(cached.getSecret("c/a")).isEqualTo("one");
        assertThat(wire.exchanges)
            .containsExactly(
                "GET /api/v1/secrets/c/a 200",
                "GET /api/v1/secrets/c/a 304",
                "GET /api/v1/secrets/c/a 304");

        writer.setSecret("c/a", "two");
        assertThat(cached.getSecret("c/a"))
            .as("another client's write is seen at once")
            .isEqualTo("two");
        assertThat(wire.exchanges).last().isEqualTo("GET /api/v1/secrets/c/a 200");

        writer.updateAttributes(
            "c/a", SecretAttributes.none().withExpiry(Instant.now().minusSeconds(60)));
        SecretNotFoundException expired =
            catchThrowableOfType(SecretNotFoundException.class, () -> cached.get("c/a"));
        assertThat(expired.expiredAt()).isPresent();
        assertThat(wire.exchanges)
            .last()
            .as("expiry is checked, not answered 304")
            .isEqualTo("GET /api/v1/secrets/c/a 404");
      }
    }

    @Test
    @DisplayName(
        "within the time to live the facade's read cache over the client serves from memory: nothing is sent")
    void freshEntries_noRequest() {
      String key = server.newTenantKey();
      Wire wire = new Wire();
      try (SecretStore cached =
          cachedOver(
              new SecretManagerClient(
                  ClientConfigs.of(server, key)
                      .okHttpClient(wire.client())
                      .etagRevalidation(100)
                      .build()))) {
        cached.put("c/b", SecretValue.ofUtf8("v"));
        cached.get("c/b", 1).close();
        cached.get("c/b").close();
        wire.exchanges.clear();
        try (Secret one = cached.get("c/b", 1);
            Secret latest = cached.get("c/b")) {
          assertThat(one.value().asUtf8()).isEqualTo("v");
          assertThat(latest.version()).isEqualTo(1);
          one.value().wipe(); // the caller's copy: wiping it leaves the cache intact
        }
        assertThat(utf8(cached, "c/b")).isEqualTo("v");
        assertThat(wire.exchanges).as("fresh hits send nothing").isEmpty();
      }
    }

    @Test
    @DisplayName("a write through the cached store invalidates its entry; a lost check-and-set too")
    void ownWrites_invalidate() {
      String key = server.newTenantKey();
      Wire wire = new Wire();
      try (SecretManagerClient other =
              new SecretManagerClient(ClientConfigs.of(server, key).build());
          SecretStore cached =
              cachedOver(
                  new SecretManagerClient(
                      ClientConfigs.of(server, key)
                          .okHttpClient(wire.client())
                          .etagRevalidation(100)
                          .build()))) {
        cached.put("c/c", SecretValue.ofUtf8("1"));
        assertThat(utf8(cached, "c/c")).isEqualTo("1");
        cached.put("c/c", SecretValue.ofUtf8("2"));
        assertThat(utf8(cached, "c/c")).isEqualTo("2");

        other.setSecret("c/c", "3");
        assertThat(utf8(cached, "c/c")).as("stale within the hour, as documented").isEqualTo("2");
        VersionConflictException lost =
            catchThrowableOfType(
                VersionConflictException.class,
                () -> cached.put("c/c", SecretValue.ofUtf8("x"), PutOptions.ifVersion(2)));
        assertThat(lost.currentVersion()).isEqualTo(3);
        assertThat(utf8(cached, "c/c")).as("the conflict dropped the stale entry").isEqualTo("3");
      }
    }

    private SecretStore cachedOver(SecretManagerClient client) {
      return SecretStores.builder().remoteStore(client).cache(Duration.ofHours(1), 100).open();
    }

    private String utf8(SecretStore store, String name) {
      try (Secret s = store.get(name)) {
        return s.value().asUtf8();
      }
    }
  }

  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {
    @Test
    @DisplayName(
        "close is idempotent and later calls fail; the caller's OkHttpClient keeps working")
    void close_idempotent_callerClientUntouched() throws Exception {
      OkHttpClient mine = new OkHttpClient();
      SecretManagerClient client =
          new SecretManagerClient(
              ClientConfigs.of(server, server.newTenantKey()).okHttpClient(mine).build());
      client.close();
      client.close();
      assertThatThrownBy(() -> client.get("x"))
          .isInstanceOf(com.lanonasis.secrets.StoreClosedException.class)
          .hasMessageContaining("closed");
      try (Response r =
          mine.newCall(new okhttp3.Request.Builder().url(server.url() + "/healthz").build())
              .execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      mine.dispatcher().executorService().shutdown();
    }

    @Test
    @DisplayName("toString names the URL, tenant and key id, never the key")
    void toString_noKey() {
      String key = server.newTenantKey();
      SecretManagerClientConfig config = ClientConfigs.of(server, key).build();
      try (SecretManagerClient client = new SecretManagerClient(config)) {
        String secretPart = key.substring(21);
        assertThat(client.toString())
            .contains(server.url())
            .contains(client.tenant())
            .contains(key.substring(4, 20))
            .doesNotContain(secretPart);
        assertThat(config.toString())
            .contains("lns_" + key.substring(4, 20) + "_***")
            .doesNotContain(secretPart);
      }
    }
  }
}
