package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.testkit.ErrorKindTable;
import com.lanonasis.secrets.wire.Role;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the CLI's exit code of each error kind is the one docs/errors.md gives")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorKindTableTest {
  private static final ErrorKindTable TABLE = ErrorKindTable.read();
  final CliRunner cli = new CliRunner();
  SecretsServer server;
  String admin;
  Path dir;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    RealServer started = RealServer.start(dir.resolve("server"));
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
  }

  @Test
  @DisplayName("every exception class exits with its kind's code, and the help text says the same")
  void everyClass_exitCode_asTheTable() {
    for (SecretsException e : ErrorKindTable.oneOfEachClass()) {
      assertThat(ExitCode.of(e))
          .as(e.getClass().getSimpleName())
          .isEqualTo(TABLE.row(e.kind()).cliExit());
    }
    for (ErrorKindTable.Row row : TABLE.rows()) {
      assertThat(ExitCode.of(row.kind())).as(row.kind().name()).isEqualTo(row.cliExit());
      assertThat(ExitCode.HELP).contains(row.cliExit() + " ");
    }
  }

  private int exit(String key, String... args) {
    cli.env.put("LANONASIS_API_KEY", key);
    return cli.runWithStdin("v", args).exit();
  }

  @Test
  @DisplayName(
      "NOT_FOUND, CONFLICT, INVALID, DENIED, UNAUTHENTICATED, UNAVAILABLE and GONE, each run for real")
  void reachableKinds_realRuns_asTheTable() throws Exception {
    String tenant = "walk-cli";
    String writer = server.apiKeys().create(tenant, Role.READ_WRITE, "");
    String reader = server.apiKeys().create(tenant, Role.READ_ONLY, "");

    assertThat(exit(writer, "secret", "get", "walk/none"))
        .isEqualTo(TABLE.row(Kind.NOT_FOUND).cliExit());
    assertThat(exit(writer, "secret", "set", "walk/a")).isZero();
    assertThat(exit(writer, "secret", "set", "walk/a", "--expected-version", "7"))
        .isEqualTo(TABLE.row(Kind.CONFLICT).cliExit());
    assertThat(exit(writer, "secret", "set", "walk/../a"))
        .isEqualTo(TABLE.row(Kind.INVALID).cliExit());
    assertThat(exit(reader, "secret", "set", "walk/a")).isEqualTo(TABLE.row(Kind.DENIED).cliExit());
    assertThat(exit("lns_0000000000000000_" + "A".repeat(43), "secret", "get", "walk/a"))
        .isEqualTo(TABLE.row(Kind.UNAUTHENTICATED).cliExit());

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    cli.env.put("LANONASIS_URL", "http://127.0.0.1:" + closedPort);
    assertThat(exit(writer, "secret", "get", "walk/a"))
        .isEqualTo(TABLE.row(Kind.UNAVAILABLE).cliExit());
    cli.env.put("LANONASIS_URL", "http://127.0.0.1:" + server.port());

    assertThat(exit(admin, "key", "shred", "--tenant", tenant, "--confirm", tenant)).isZero();
    assertThat(exit(writer, "secret", "get", "walk/a")).isEqualTo(TABLE.row(Kind.GONE).cliExit());
  }
}
