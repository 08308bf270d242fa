package com.lanonasis.secrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.http.SecretManagerClientConfig;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.wire.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples against a real server on an ephemeral port (SQLite in a temporary directory). */
class HttpClientAppTest {
  @RegisterExtension static final RealServerExtension SERVER = new RealServerExtension();
  static SecretsServer server;
  static String url;

  @BeforeAll
  static void start() {
    server = SERVER.current().server();
    url = SERVER.url();
  }

  @Test
  void run_readsAndWritesThroughTheServer_withoutPrintingValuesOrTheKey() {
    String key = server.apiKeys().create("example", Role.READ_WRITE, "");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    HttpClientApp.run(
        SecretManagerClientConfig.fromEnvironment(
                Map.of("LANONASIS_URL", url, "LANONASIS_API_KEY", key))
            .build(),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("Connected: SecretManagerClient[apiUrl=" + url + "/, tenant=example")
        .contains("wrote demo/api/token, version 1")
        .contains("read demo/api/token back: 15 characters")
        .contains("check-and-set refused a stale write; the current version is 1")
        .contains("secret 'demo/missing' not found")
        .contains("demo/api/token (version 1)")
        .doesNotContain("tok_live_4f9a2c")
        .doesNotContain(key.substring(21));
  }

  @Test
  void quickstart_overHttp_onlyTheUriChanges() {
    String key = server.apiKeys().create("quickstart", Role.READ_WRITE, "");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    // The very code that runs on memory: and jdbc: in QuickstartAppTest; LANONASIS_API_KEY is the
    // environment.
    QuickstartApp.run(
        SecretStores.builder().uri(url).environment(Map.of("LANONASIS_API_KEY", key)),
        url,
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("prod/db/password is now at version 2")
        .contains("read version 2: 11 bytes, printed as SecretValue[redacted]")
        .contains("check-and-set refused a stale write")
        .contains("prod/api/token (version 1)")
        .doesNotContain("staging/db/password")
        .doesNotContain("tr0ub4dor&3");
  }
}
