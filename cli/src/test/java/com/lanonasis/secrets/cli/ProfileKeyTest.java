package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 5: a profile's API key goes only to that profile's url. A {@code --url} or
 * {@code LANONASIS_URL} naming another server (a hostile {@code .envrc}, say) is refused before any
 * request; the key from {@code LANONASIS_API_KEY} still goes wherever the URL says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfileKeyTest {
  SecretsServer server;
  String admin;
  String url;
  Path dir;
  Path config;
  RecordingHttpServer collector;
  final CliRunner cli = new CliRunner();

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    RealServer started = RealServer.start(dir.resolve("db"));
    server = started.server();
    admin = started.adminKey();
    url = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void profiles() throws Exception {
    // A host that would collect any key sent to it; it answers like a server refusing the key.
    collector = new RecordingHttpServer(401, Map.of());
    config = dir.resolve("config");
    writeProfiles(
        "default.url = "
            + url
            + "\ndefault.api-key = "
            + admin
            + "\n"
            + "prod.url = "
            + url
            + "/\nprod.api-key = "
            + admin
            + "\n"
            + "keyonly.api-key = "
            + admin
            + "\n");
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", config.toString());
  }

  @AfterEach
  void stopCollector() {
    collector.close();
  }

  void writeProfiles(String text) throws Exception {
    Files.writeString(config, text);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void profileKey_worksWithTheProfilesOwnUrl() {
    assertThat(cli.run("secret", "set", "p/x", "v").exit()).isZero();
    assertThat(cli.run("--profile", "prod", "secret", "get", "p/x").out()).isEqualTo("v");
    assertThat(cli.run("--profile", "prod", "--url", url, "secret", "get", "p/x").out())
        .as("--url naming the profile's own server (the final '/' aside)")
        .isEqualTo("v");
  }

  @Test
  void profileKey_isNotSentToTheUrlOfAFlag() {
    Result r = cli.run("--profile", "prod", "--url", collector.url(), "secret", "get", "p/x");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err())
        .hasLineCount(1)
        .contains("profile 'prod' holds an API key for its own url, and --url names another server")
        .contains("put a key for it in LANONASIS_API_KEY")
        .contains("leave out --url")
        .doesNotContain(admin.substring(21));
    assertThat(cli.run("--url", collector.url(), "apikey", "list").exit())
        .isEqualTo(ExitCode.USAGE);
    assertThat(collector.requests).isEmpty();
  }

  @Test
  void profileKey_isNotSentToLanonasisUrlFromTheEnvironment() {
    cli.env.put("LANONASIS_URL", collector.url());
    for (String[] command :
        new String[][] {
          {"secret", "list"}, {"apikey", "list"}, {"--profile", "prod", "secret", "list"}
        }) {
      Result r = cli.run(command);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err())
          .contains("LANONASIS_URL names another server")
          .contains("unset LANONASIS_URL");
    }
    Result keyOnly = cli.run("--profile", "keyonly", "secret", "list");
    assertThat(keyOnly.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(keyOnly.err())
        .contains("profile 'keyonly' holds an API key but no url")
        .contains("add 'keyonly.url = <its server>' to " + config);
    assertThat(collector.requests).isEmpty();
  }

  @Test
  void keyFromTheEnvironment_stillGoesToTheUrlChosen() {
    cli.env.put("LANONASIS_URL", collector.url());
    cli.env.put("LANONASIS_API_KEY", "lns_0123456789abcdef_env-key-for-that-server");
    Result r = cli.run("secret", "list");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AUTH);
    // The read (one-shot commands do not check the key first), then the key check its failure
    // asks for: both to that url, with that key.
    assertThat(collector.requests).hasSize(2);
    assertThat(collector.requests.get(0))
        .startsWith("GET /api/v1/secrets")
        .endsWith(" Bearer lns_0123456789abcdef_env-key-for-that-server");
    assertThat(collector.requests.get(1))
        .isEqualTo("GET /api/v1/whoami Bearer lns_0123456789abcdef_env-key-for-that-server");
  }
}
