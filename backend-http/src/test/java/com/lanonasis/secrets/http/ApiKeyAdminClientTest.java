package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ApiKeyNotFoundException;
import com.lanonasis.secrets.ApiKeyRevokedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.wire.Role;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key administration against a real server (ephemeral port, SQLite), and, for answers a real server
 * does not give (a redirect, a malformed body), a scripted one.
 */
@ExtendWith(RealServerExtension.class)
class ApiKeyAdminClientTest {
  static RealServer server;
  static String operator;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
    operator = server.server().apiKeys().create("default", Role.ADMIN, "");
  }

  static ApiKeyAdminClient admin(String key) {
    return new ApiKeyAdminClient(ClientConfigs.of(server, key).build());
  }

  /** The part of a key after its id: what may never be shown. */
  static String secretPart(String key) {
    return key.substring("lns_0123456789abcdef_".length());
  }

  @Nested
  @DisplayName("an unscoped ADMIN key")
  class Admin {
    @Test
    @DisplayName(
        "creates a key that works, lists it without the key, revokes it, and it stops working")
    void createListRevoke() {
      try (ApiKeyAdminClient admin = admin(operator)) {
        NewApiKey created = admin.create("acme", Role.READ_ONLY, "ci/");
        ApiKeyInfo info = created.info();
        assertThat(info.tenant()).isEqualTo("acme");
        assertThat(info.role()).isEqualTo(Role.READ_ONLY);
        assertThat(info.prefix()).isEqualTo("ci/");
        assertThat(info.revoked()).isFalse();
        assertThat(created.key()).startsWith("lns_" + info.id() + "_");
        assertThat(created.toString())
            .contains(info.id())
            .doesNotContain(secretPart(created.key()));
        try (SecretManagerClient reader =
            new SecretManagerClient(ClientConfigs.of(server, created.key()).build())) {
          assertThat(reader.tenant()).isEqualTo("acme");
        }

        List<ApiKeyInfo> keys = admin.list();
        assertThat(keys).extracting(ApiKeyInfo::id).contains(info.id());
        assertThat(keys.toString()).doesNotContain(secretPart(created.key()));

        admin.revoke(info.id());
        assertThat(admin.list())
            .filteredOn(k -> k.id().equals(info.id()))
            .singleElement()
            .satisfies(k -> assertThat(k.revoked()).isTrue());
        UnauthenticatedException refused =
            catchThrowableOfType(
                UnauthenticatedException.class,
                () -> new SecretManagerClient(ClientConfigs.of(server, created.key()).build()));
        assertThat(refused.kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
      }
    }

    @Test
    @DisplayName("revoking twice is a conflict; an unknown id is not found")
    void revoke_twice_conflict_unknown_notFound() {
      try (ApiKeyAdminClient admin = admin(operator)) {
        String id = admin.create(Role.READ_WRITE, "").info().id();
        admin.revoke(id);
        ApiKeyRevokedException twice =
            catchThrowableOfType(ApiKeyRevokedException.class, () -> admin.revoke(id));
        assertThat(twice.id()).isEqualTo(id);
        assertThat(twice.getMessage()).isEqualTo("the API key " + id + " is already revoked");
        ApiKeyNotFoundException unknown =
            catchThrowableOfType(
                ApiKeyNotFoundException.class, () -> admin.revoke("0000000000000000"));
        assertThat(unknown.getMessage()).isEqualTo("no API key with id 0000000000000000");
      }
    }

    @Test
    @DisplayName(
        "an ADMIN of another tenant manages its own keys only: another tenant's is 403, or not found")
    void tenantAdmin_ownTenantOnly() {
      String operatorsKeyId;
      try (ApiKeyAdminClient op = admin(operator)) {
        operatorsKeyId = op.create(Role.READ_ONLY, "").info().id();
      }
      try (ApiKeyAdminClient admin = admin(server.key(Role.ADMIN, ""))) {
        assertThat(admin.create(Role.READ_ONLY, "").info().tenant()).startsWith("t-");
        AccessDeniedException other =
            catchThrowableOfType(
                AccessDeniedException.class, () -> admin.create("acme", Role.READ_ONLY, ""));
        assertThat(other.kind()).isEqualTo(SecretsException.Kind.DENIED);
        assertThat(other.getMessage()).contains("create an API key").contains("HTTP 403");
        assertThatThrownBy(() -> admin.revoke(operatorsKeyId))
            .isInstanceOf(ApiKeyNotFoundException.class);
        assertThat(admin.list()).extracting(ApiKeyInfo::id).doesNotContain(operatorsKeyId);
      }
    }
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {
    @Test
    @DisplayName(
        "a READ_WRITE key and a prefix-scoped ADMIN get 403, a bad key 401, and no message holds the key")
    void wrongKeys_accessDenied() {
      String readWrite = server.newTenantKey();
      String scoped = server.key(Role.ADMIN, "team/");
      for (String key : List.of(readWrite, scoped)) {
        try (ApiKeyAdminClient admin = admin(key)) {
          AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, admin::list);
          assertThat(e.kind()).isEqualTo(SecretsException.Kind.DENIED);
          assertThat(e.getMessage())
              .contains("list API keys")
              .contains("HTTP 403")
              .doesNotContain(secretPart(key));
        }
      }
      try (ApiKeyAdminClient admin = admin(operator + "x")) {
        UnauthenticatedException e =
            catchThrowableOfType(
                UnauthenticatedException.class, () -> admin.create(Role.ADMIN, ""));
        assertThat(e.kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
        assertThat(e.getMessage()).doesNotContain(secretPart(operator));
        assertThat(admin.toString()).doesNotContain(secretPart(operator));
      }
    }

    @Test
    @DisplayName(
        "a bad id, prefix, tenant or role is refused before any request, without quoting a key")
    void badInput_refusedLocally() {
      try (ApiKeyAdminClient admin = admin(operator)) {
        InvalidInputException wholeKey =
            catchThrowableOfType(InvalidInputException.class, () -> admin.revoke(operator));
        assertThat(wholeKey.getMessage())
            .contains("16 lowercase hex digits")
            .doesNotContain(secretPart(operator));
        assertThatThrownBy(() -> admin.create(Role.READ_ONLY, "../x"))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("prefix");
        assertThatThrownBy(() -> admin.create("no tenant", Role.READ_ONLY, ""))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("tenant");
      }
      assertThat(Role.parse("read_only")).isEqualTo(Role.READ_ONLY);
      assertThatThrownBy(() -> Role.parse("GOD"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("a role is ADMIN, READ_WRITE or READ_ONLY");
    }

    @Test
    @DisplayName(
        "the config's URL rules hold: plain http beyond loopback is refused before any request")
    void plainHttpBeyondLoopback_refusedByTheConfig() {
      assertThatThrownBy(
              () ->
                  SecretManagerClientConfig.builder()
                      .apiUrl("http://10.255.255.1:9")
                      .apiKey(operator)
                      .build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("plain http");
    }
  }

  @Nested
  @DisplayName("answers only a scripted server gives")
  class Scripted {
    @Test
    @DisplayName(
        "a redirect is a ConfigurationException and is not followed; a malformed list is not retried")
    void redirect_and_malformed() throws Exception {
      try (MockWebServer mock = new MockWebServer();
          MockWebServer elsewhere = new MockWebServer()) {
        mock.start();
        elsewhere.start();
        ApiKeyAdminClient admin =
            new ApiKeyAdminClient(
                SecretManagerClientConfig.builder()
                    .apiUrl(mock.url("/").toString())
                    .apiKey(operator)
                    .retries(2, Duration.ofMillis(1), Duration.ofMillis(2))
                    .build());
        try (admin) {
          mock.enqueue(
              new MockResponse.Builder()
                  .code(302)
                  .setHeader("Location", elsewhere.url("/api/v1/keys"))
                  .build());
          ConfigurationException e =
              catchThrowableOfType(ConfigurationException.class, admin::list);
          assertThat(e.getMessage()).contains("list API keys").contains("redirected (HTTP 302)");
          assertThat(elsewhere.getRequestCount()).isZero();

          mock.enqueue(TransportFaultTest.json(200, "{\"items\":[{\"id\":\"x\"}]}"));
          BackendUnavailableException m =
              catchThrowableOfType(BackendUnavailableException.class, admin::list);
          assertThat(m.getMessage()).contains("malformed");
          assertThat(mock.getRequestCount()).isEqualTo(2);

          mock.enqueue(new MockResponse.Builder().code(503).build());
          BackendUnavailableException u =
              catchThrowableOfType(
                  BackendUnavailableException.class, () -> admin.revoke("0123456789abcdef"));
          assertThat(u.getMessage()).contains("may or may not");
          assertThat(mock.getRequestCount())
              .as("a revoke is not repeated after a 503")
              .isEqualTo(3);
        }
      }
    }
  }
}
