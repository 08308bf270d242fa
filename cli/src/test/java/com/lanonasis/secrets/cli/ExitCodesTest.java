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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes 5, 6 and 7, each produced by a real failure (issue 11's test audit): a server that
 * stopped, a bad name, a value over the limit and a bad role, a web server that is not a Lanonasis
 * server. (7 for a redirect and an untrusted certificate: {@link RemoteTransportTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExitCodesTest {
  SecretsServer server;
  String admin;
  Path dir;
  final CliRunner cli = new CliRunner();

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    RealServer started = RealServer.start(dir.resolve("db"));
    server = started.server();
    admin = started.adminKey();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void env() {
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_URL", "http://127.0.0.1:" + server.port());
    cli.env.put("LANONASIS_API_KEY", admin);
  }

  @Test
  @DisplayName("5: a server that was stopped does not answer")
  void stoppedServer_exit5() {
    RealServer stopped = RealServer.start(dir.resolve("stopped"));
    String key = stopped.adminKey();
    String hostPort = "127.0.0.1:" + stopped.port();
    cli.env.put("LANONASIS_URL", "http://" + hostPort);
    cli.env.put("LANONASIS_API_KEY", key);
    assertThat(cli.run("apikey", "list").exit()).as("it answered while it ran").isZero();
    stopped.close();

    // One-shot commands read without checking the key first (Target.httpConfig): the failure
    // names the read; a server that did not answer is not asked a second time.
    Result get = cli.run("secret", "get", "app/x");
    assertThat(get.exit()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(get.err())
        .hasLineCount(1)
        .startsWith(
            "lanonasis: cannot read secret 'app/x': the server at "
                + hostPort
                + " did not answer (ConnectException")
        .doesNotContain(key.substring(21));
    Result set = cli.runWithStdin("v", "secret", "set", "app/x");
    assertThat(set.exit()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(set.err())
        .as("a change checks the key first")
        .startsWith(
            "lanonasis: cannot check the API key: the server at "
                + hostPort
                + " did not answer (ConnectException");
    Result list = cli.run("apikey", "list");
    assertThat(list.exit()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(list.err())
        .startsWith(
            "lanonasis: cannot list API keys: the server at " + hostPort + " did not answer");
  }

  @Test
  @DisplayName("6: an invalid name, a value over the limit, a role that does not exist")
  void invalidInput_exit6() {
    Result name = cli.runWithStdin("v", "secret", "set", "app/../x");
    assertThat(name.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(name.err()).isEqualTo("lanonasis: secret name 'app/../x' has a '..' segment\n");

    Result big = cli.runWithStdin("x".repeat(64 * 1024 + 1), "secret", "set", "app/big");
    assertThat(big.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(big.err())
        .isEqualTo(
            "lanonasis: value of secret 'app/big' is 65537 bytes; the limit is 65536 bytes\n");
    assertThat(cli.run("secret", "get", "app/big").exit())
        .as("nothing was written")
        .isEqualTo(ExitCode.NOT_FOUND);

    Result role = cli.run("apikey", "create", "--role", "GOD");
    assertThat(role.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(role.err()).isEqualTo("lanonasis: a role is ADMIN, READ_WRITE or READ_ONLY\n");
  }

  @Test
  @DisplayName("7: a web server that is not a Lanonasis server")
  void notALanonasisServer_exit7() throws Exception {
    try (RecordingHttpServer other =
        new RecordingHttpServer(404, Map.of("Content-Type", "text/html"))) {
      cli.env.put("LANONASIS_URL", other.url());
      Result r = cli.run("secret", "get", "app/x");
      assertThat(r.exit()).isEqualTo(ExitCode.ERROR);
      assertThat(r.err())
          .isEqualTo(
              "lanonasis: cannot check the API key: unexpected HTTP 404 without a problem body: "
                  + "is apiUrl the root of a Lanonasis server of this version (API v1)?\n");
      Result keys = cli.run("apikey", "list");
      assertThat(keys.exit()).isEqualTo(ExitCode.ERROR);
      assertThat(keys.err())
          .startsWith(
              "lanonasis: cannot list API keys: unexpected HTTP 404 without a problem body");
    }
  }
}
