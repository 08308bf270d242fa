package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Opening the remote store by URI through ServiceLoader, as any backend is opened. */
@ExtendWith(RealServerExtension.class)
class HttpSecretStoreProviderTest {
  static final String LEAKED = "lns_0123456789abcdef_S3NTINELuri000000000000000000000000000000000";

  static RealServer server;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
  }

  static SecretStores.Builder withKey(String uri, String key) {
    return SecretStores.builder()
        .uri(uri)
        .environment(Map.of(SecretManagerClientConfig.ENV_API_KEY, key));
  }

  @Test
  @DisplayName("ServiceLoader finds the provider for http and https")
  void discovered_forHttpAndHttps() {
    assertThat(SecretStores.providers(getClass().getClassLoader()))
        .containsEntry("http", java.util.List.of("http", "https"));
  }

  @Test
  @DisplayName("the URI is the only change: the same code writes and reads through the server")
  void openByUri_readsAndWrites() {
    try (SecretStore store =
        withKey(server.url(), server.newTenantKey()).cache(Duration.ofSeconds(30), 10).open()) {
      assertThat(store.toString())
          .as("the facade's read cache over the client")
          .startsWith("CachingSecretStore[")
          .contains("SecretManagerClient[")
          .contains("etags=10");
      store.put("by/uri", SecretValue.ofUtf8("v"));
      assertThat(store.get("by/uri").value().asUtf8()).isEqualTo("v");
      assertThat(store.toString()).contains("cache=PT30S/10");
    }
  }

  @Test
  @DisplayName(
      "a key in the query string or the user info is refused, and the message says to revoke it")
  void keyInUri_refused() {
    for (String uri :
        new String[] {server.url() + "/?api_key=" + LEAKED, "http://" + LEAKED + "@127.0.0.1:1/"}) {
      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class, () -> withKey(uri, server.newTenantKey()).open());
      assertThat(e.getMessage())
          .contains("never taken from a URL")
          .contains(SecretManagerClientConfig.ENV_API_KEY)
          .contains("revoke")
          .doesNotContain(LEAKED)
          .doesNotContain("S3NTINEL");
    }
  }

  @Test
  @DisplayName("no LANONASIS_API_KEY: a configuration error naming it")
  void noKey_namesTheVariable() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> SecretStores.builder().uri(server.url()).environment(Map.of()).open());
    assertThat(e.getMessage()).contains("no API key").contains("LANONASIS_API_KEY");
  }

  @Test
  @DisplayName("plain http beyond loopback is refused before any connection")
  void plainHttpBeyondLoopback_refused() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> withKey("http://secrets.example.invalid:8080", server.newTenantKey()).open());
    assertThat(e.getMessage())
        .contains("clear text")
        .contains("insecurePlainHttp")
        .contains(SecretManagerClientConfig.ENV_INSECURE_NO_TLS);
  }

  @Test
  @DisplayName("a tenant set on the builder must be the key's")
  void tenantMismatch_refused() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> withKey(server.url(), server.newTenantKey()).tenant("acme").open());
    assertThat(e.getMessage()).contains("not to the expected tenant 'acme'");
  }

  @Test
  @DisplayName("nothing listening: open fails fast as unavailable")
  void nothingListening_failsAtOpen() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    BackendUnavailableException e =
        catchThrowableOfType(
            BackendUnavailableException.class,
            () -> withKey("http://127.0.0.1:" + port, server.newTenantKey()).open());
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
  }
}
