package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.http.SecretManagerClientTest.Wire;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code checkKeyOnConnect(false)}: the constructor sends nothing, a read is one exchange, a change
 * is checked first, and a failed read reports what the check on connecting would have (same
 * exception, same message), against a real server and, for a wrong URL, a real HTTP server that is
 * not a Lanonasis server.
 */
@ExtendWith(RealServerExtension.class)
class SecretManagerClientKeyCheckTest {
  static RealServer server;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
  }

  private static SecretManagerClient unchecked(String key, Wire wire) {
    return new SecretManagerClient(
        ClientConfigs.of(server, key).okHttpClient(wire.client()).checkKeyOnConnect(false).build());
  }

  @Test
  @DisplayName("a read is one exchange; the identity is asked once, when first needed")
  void read_isOneExchange_identityAskedWhenNeeded() {
    String key = server.newTenantKey();
    try (SecretManagerClient writer =
        new SecretManagerClient(ClientConfigs.of(server, key).build())) {
      writer.setSecret("app/a", "v1");
    }
    Wire wire = new Wire();
    try (SecretManagerClient client = unchecked(key, wire)) {
      assertThat(wire.exchanges).isEmpty();
      assertThat(client.toString()).contains("key not checked yet").doesNotContain(key);
      assertThat(client.getSecret("app/a")).isEqualTo("v1");
      assertThat(wire.exchanges).containsExactly("GET /api/v1/secrets/app/a 200");
      assertThat(client.tenant()).startsWith("t-");
      assertThat(client.keyId()).isEqualTo(key.substring(4, 20));
      assertThat(client.role()).isEqualTo("READ_WRITE");
      assertThat(wire.exchanges)
          .containsExactly("GET /api/v1/secrets/app/a 200", "GET /api/v1/whoami 200");
    }
  }

  @Test
  @DisplayName("a change is sent only after the key was checked; a missing secret reads as missing")
  void change_checksTheKeyFirst_missingStaysMissing() {
    Wire wire = new Wire();
    try (SecretManagerClient client = unchecked(server.newTenantKey(), wire)) {
      client.setSecret("app/b", "v1");
      client.setSecret("app/b", "v2");
      assertThat(wire.exchanges)
          .containsExactly(
              "GET /api/v1/whoami 200", "POST /api/v1/secrets 201", "POST /api/v1/secrets 200");
      assertThatThrownBy(() -> client.get("app/none")).isInstanceOf(SecretNotFoundException.class);
    }
    Wire other = new Wire();
    try (SecretManagerClient client = unchecked(server.newTenantKey(), other)) {
      assertThatThrownBy(() -> client.get("app/none")).isInstanceOf(SecretNotFoundException.class);
      // The read failed before the key was checked: checked then, and it was fine.
      assertThat(other.exchanges)
          .containsExactly("GET /api/v1/secrets/app/none 404", "GET /api/v1/whoami 200");
    }
  }

  @Test
  @DisplayName("an unknown key: the read throws what the constructor would have, word for word")
  void unknownKey_sameFailureAsOnConnect() {
    String unknown = "lns_0000000000000000_" + "A".repeat(43);
    Throwable onConnect =
        catchThrowable(() -> new SecretManagerClient(ClientConfigs.of(server, unknown).build()));
    Throwable onRead;
    try (SecretManagerClient client = unchecked(unknown, new Wire())) {
      onRead = catchThrowable(() -> client.get("app/a"));
    }
    assertThat(onConnect).isInstanceOf(UnauthenticatedException.class);
    assertThat(onRead).isInstanceOf(UnauthenticatedException.class);
    assertThat(onRead.getMessage())
        .isEqualTo(onConnect.getMessage())
        .doesNotContain("A".repeat(43));
    assertThat(((SecretsException) onRead).kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
  }

  @Test
  @DisplayName(
      "a URL that is not a Lanonasis server: the read throws what the constructor would have")
  void notALanonasisServer_sameFailureAsOnConnect() throws Exception {
    HttpServer other =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext(
        "/",
        exchange -> {
          byte[] page = "<html>not here</html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(404, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    other.start();
    try {
      String url = "http://127.0.0.1:" + other.getAddress().getPort();
      String key = server.newTenantKey();
      Throwable onConnect =
          catchThrowable(
              () ->
                  new SecretManagerClient(
                      SecretManagerClientConfig.builder().apiUrl(url).apiKey(key).build()));
      Throwable onRead;
      try (SecretManagerClient client =
          new SecretManagerClient(
              SecretManagerClientConfig.builder()
                  .apiUrl(url)
                  .apiKey(key)
                  .checkKeyOnConnect(false)
                  .build())) {
        onRead = catchThrowable(() -> client.get("app/a"));
      }
      assertThat(onConnect).isInstanceOf(ConfigurationException.class);
      assertThat(onRead).isInstanceOf(ConfigurationException.class);
      assertThat(onRead.getMessage()).isEqualTo(onConnect.getMessage());
    } finally {
      other.stop(0);
    }
  }

  @Test
  @DisplayName("a server that does not answer is not asked twice: the failure names the read")
  void unreachable_failureNamesTheRead() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (SecretManagerClient client =
        new SecretManagerClient(
            SecretManagerClientConfig.builder()
                .apiUrl("http://127.0.0.1:" + port)
                .apiKey(server.newTenantKey())
                .retries(0, Duration.ofMillis(10), Duration.ofMillis(10))
                .checkKeyOnConnect(false)
                .build())) {
      assertThatThrownBy(() -> client.get("app/a"))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("cannot read secret 'app/a'");
    }
  }

  @Test
  @DisplayName("expectTenant needs the check on connecting")
  void expectTenant_refusedWithoutTheCheck() {
    assertThatThrownBy(
            () ->
                ClientConfigs.of(server, server.newTenantKey())
                    .expectTenant("t-1")
                    .checkKeyOnConnect(false)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expectTenant");
    assertThat(ClientConfigs.of(server, server.newTenantKey()).build().checksKeyOnConnect())
        .isTrue();
    assertThatThrownBy(
            () ->
                new SecretManagerClient(
                    SecretManagerClientConfig.builder()
                        .apiUrl("http://127.0.0.1:1")
                        .apiKey(server.newTenantKey())
                        .retries(0, Duration.ofMillis(10), Duration.ofMillis(10))
                        .build()))
        .as("the default still checks on connecting")
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("check the API key");
  }
}
