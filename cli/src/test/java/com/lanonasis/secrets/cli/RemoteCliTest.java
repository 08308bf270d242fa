package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The secret and apikey commands against a real server on an ephemeral port (H2 behind it). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCliTest {
  static final String VALUE = "S3NTINEL-remote-cli-value";

  SecretsServer server;
  String admin;
  String url;
  Path dir;
  final CliRunner cli = new CliRunner();

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    RealServer started = RealServer.start(dir.resolve("db"));
    server = started.server();
    admin = started.adminKey();
    url = started.url();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void env() {
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_URL", url);
    cli.env.put("LANONASIS_API_KEY", admin);
  }

  @Test
  void secretCommands_roundTripThroughTheServer() {
    assertThat(cli.runWithStdin(VALUE, "secret", "set", "remote/db").exit()).isZero();
    assertThat(cli.run("secret", "get", "remote/db").out()).isEqualTo(VALUE);
    assertThat(cli.run("secret", "set", "remote/db", "v2", "--expected-version", "1").exit())
        .isZero();
    Result stale = cli.run("secret", "set", "remote/db", "v3", "--expected-version", "1");
    assertThat(stale.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(cli.run("--json", "secret", "history", "remote/db").json().get("versions"))
        .hasSize(2);
    assertThat(cli.run("secret", "list", "remote/").out()).isEqualTo("remote/db\t2\n");
    assertThat(cli.run("secret", "delete", "remote/db").exit()).isZero();
    assertThat(cli.run("secret", "get", "remote/db").exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(cli.run("secret", "restore", "remote/db").exit()).isZero();
    assertThat(cli.run("secret", "destroy", "remote/db").exit()).isZero();
    assertThat(cli.run("secret", "get", "remote/db").exit()).isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void theApisUrl_asEarlierServersPrintedIt_works_andOneInsideTheApiIsAUsageError() {
    assertThat(cli.runWithStdin(VALUE, "secret", "set", "printed/url").exit()).isZero();
    cli.env.put("LANONASIS_URL", url + "/api/v1/secrets");
    Result get = cli.run("secret", "get", "printed/url");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo(VALUE);
    assertThat(cli.run("--json", "whoami").json().get("role").asText()).isEqualTo("ADMIN");

    cli.env.put("LANONASIS_URL", url + "/api/v1/secrets/printed");
    Result inside = cli.run("secret", "get", "url");
    assertThat(inside.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(inside.err()).contains("points inside the API").doesNotContain("not found");
  }

  @Test
  void authFailures_exitWith4_andNeverEchoTheKey() {
    cli.env.put("LANONASIS_API_KEY", admin + "x");
    Result bad = cli.run("secret", "get", "remote/x");
    assertThat(bad.exit()).isEqualTo(ExitCode.AUTH);
    assertThat(bad.err()).hasLineCount(1).doesNotContain(admin);
    cli.env.remove("LANONASIS_API_KEY");
    assertThat(cli.run("secret", "get", "remote/x").exit()).isEqualTo(ExitCode.AUTH);
    cli.env.put("LANONASIS_API_KEY", server.apiKeys().create("default", Role.READ_ONLY, ""));
    assertThat(cli.run("secret", "set", "remote/ro", "v").exit()).isEqualTo(ExitCode.AUTH);
    assertThat(cli.run("secret", "get", "--url", url + "/?key=lns_x", "remote/x").exit())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void apikeyCommands_createListRevoke() {
    Result created =
        cli.run("--json", "apikey", "create", "--role", "READ_WRITE", "--prefix", "team/");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().get("id").asText();
    Result list = cli.run("apikey", "list");
    assertThat(list.out()).contains(id + "\tdefault\tREAD_WRITE\tteam/");
    assertThat(cli.run("apikey", "revoke", id).exit()).isZero();
    assertThat(cli.run("apikey", "revoke", id).exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(cli.run("apikey", "revoke", "0000000000000000").exit())
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(cli.run("apikey", "create", "--role", "GOD").exit()).isEqualTo(ExitCode.INVALID);
  }

  @Test
  void aProfileWithTheKey_works_whenItIs0600() throws Exception {
    Path config = dir.resolve("profiles");
    Files.writeString(config, "srv.url = " + url + "\nsrv.api-key = " + admin + "\n");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", config.toString());
    assertThat(cli.run("--profile", "srv", "secret", "set", "prof/x", "v").exit()).isZero();
    assertThat(cli.run("--profile", "srv", "secret", "get", "prof/x").out()).isEqualTo("v");
  }
}
