package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 4: every remote command, {@code apikey} included, goes through the SDK's
 * transport and its rules — the plain-http guard, no query in the URL, {@code
 * LANONASIS_TLS_CA_FILE}, redirects refused — against real servers (plain and HTTPS) on ephemeral
 * ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteTransportTest {
  SecretsServer plain;
  SecretsServer tls;
  String admin;
  String tlsAdmin;
  SelfSignedCertificate certificate;
  Path dir;
  final CliRunner cli = new CliRunner();

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    certificate = SelfSignedCertificate.create(dir);
    RealServer plainServer = RealServer.start(dir.resolve("plain"));
    plain = plainServer.server();
    admin = plainServer.adminKey();
    RealServer tlsServer =
        RealServer.start(
            dir.resolve("tls"), b -> b.tlsPkcs12(certificate.pkcs12(), certificate.password()));
    tls = tlsServer.server();
    tlsAdmin = tlsServer.adminKey();
  }

  @AfterAll
  void stop() {
    plain.close();
    tls.close();
  }

  @BeforeEach
  void env() {
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_API_KEY", admin);
  }

  @Nested
  @DisplayName("the URL rules hold for apikey as for secret commands")
  class UrlRules {
    @Test
    @DisplayName(
        "plain http to a host that is not loopback is refused before any byte is sent, not timed out")
    void plainHttpBeyondLoopback_refusedByTheGuard() {
      for (String[] command :
          new String[][] {
            {"apikey", "list"},
            {"apikey", "create", "--role", "READ_ONLY"},
            {"apikey", "revoke", "0123456789abcdef"},
            {"secret", "get", "app/x"}
          }) {
        Result r = cli.run(concat(new String[] {"--url", "http://10.255.255.1:9"}, command));
        assertThat(r.exit())
            .as(String.join(" ", command) + ": " + r.err())
            .isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .startsWith("lanonasis: ")
            .hasLineCount(1)
            .contains("plain http to a host that is not loopback")
            .contains("LANONASIS_INSECURE_NO_TLS=true")
            .doesNotContain(admin.substring(21));
      }
    }

    @Test
    @DisplayName("a URL with a query string is refused, and nothing reaches the address")
    void queryString_refused() throws Exception {
      try (RecordingHttpServer elsewhere = new RecordingHttpServer(404, Map.of())) {
        for (String[] command : new String[][] {{"apikey", "list"}, {"secret", "list"}}) {
          Result r =
              cli.run(concat(new String[] {"--url", elsewhere.url() + "/?tenant=acme"}, command));
          assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
          assertThat(r.err()).contains("must not carry a query string").hasLineCount(1);
        }
        assertThat(elsewhere.requests).isEmpty();
      }
    }

    @Test
    @DisplayName(
        "a redirect is a clear error (exit 7) and is not followed: the key would go with it")
    void redirect_clearError_notFollowed() throws Exception {
      try (RecordingHttpServer redirecting =
          new RecordingHttpServer(
              302, Map.of("Location", "http://127.0.0.1:" + plain.port() + "/api/v1/keys"))) {
        cli.env.put("LANONASIS_URL", redirecting.url());
        Result list = cli.run("apikey", "list");
        assertThat(list.exit()).as(list.err()).isEqualTo(ExitCode.ERROR);
        assertThat(list.err())
            .hasLineCount(1)
            .startsWith("lanonasis: cannot list API keys: the server redirected " + "(HTTP 302)")
            .doesNotContain("NullPointerException")
            .doesNotContain(admin.substring(21));
        Result get = cli.run("secret", "get", "app/x");
        assertThat(get.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(get.err()).contains("redirected (HTTP 302)");
        // secret get reads first (no key check before a one-shot read), then checks the key
        // when the read failed; neither redirect is followed.
        assertThat(redirecting.requests)
            .containsExactly(
                "GET /api/v1/keys Bearer " + admin,
                "GET /api/v1/secrets/app/x?encoding=base64 Bearer " + admin,
                "GET /api/v1/whoami Bearer " + admin);
      }
    }
  }

  @Nested
  @DisplayName("LANONASIS_TLS_CA_FILE against a real HTTPS server with a private certificate")
  class PrivateCa {
    @BeforeEach
    void tlsServer() {
      cli.env.put("LANONASIS_URL", "https://localhost:" + tls.port());
      cli.env.put("LANONASIS_API_KEY", tlsAdmin);
    }

    @Test
    @DisplayName("with the CA file, apikey create, list and revoke and the secret commands work")
    void caFile_honouredByEveryCommand() {
      cli.env.put("LANONASIS_TLS_CA_FILE", certificate.pem().toString());
      Result created =
          cli.run("--json", "apikey", "create", "--role", "READ_ONLY", "--prefix", "ci/");
      assertThat(created.exit()).as(created.err()).isZero();
      String id = created.json().get("id").asText();
      assertThat(created.json().get("key").asText()).startsWith("lns_" + id + "_");
      assertThat(cli.run("apikey", "list").out()).contains(id + "\tdefault\tREAD_ONLY\tci/");
      assertThat(cli.run("apikey", "revoke", id).out()).isEqualTo("revoked " + id + "\n");
      assertThat(cli.runWithStdin("over https", "secret", "set", "tls/x").exit()).isZero();
      assertThat(cli.run("secret", "get", "tls/x").out()).isEqualTo("over https");
    }

    @Test
    @DisplayName(
        "without it the certificate is not trusted (exit 7), and the message names the setting")
    void noCaFile_untrusted() {
      for (String[] command : new String[][] {{"apikey", "list"}, {"secret", "get", "tls/x"}}) {
        Result r = cli.run(command);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.ERROR);
        assertThat(r.err())
            .hasLineCount(1)
            .contains("is not trusted")
            .contains("LANONASIS_TLS_CA_FILE");
      }
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
