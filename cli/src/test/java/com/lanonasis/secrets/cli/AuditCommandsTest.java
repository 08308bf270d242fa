package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanonasis audit checkpoint} and {@code audit verify --checkpoint}, against a real server
 * and its database.
 */
class AuditCommandsTest {
  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  SecretsServer server;
  String admin;

  @BeforeEach
  void start() {
    RealServer started =
        RealServer.start(
            dir.resolve("server"),
            b ->
                b.auditCheckpoints(
                    dir.resolve("signing.pem"), dir.resolve("server-checkpoints.jsonl")));
    server = started.server();
    admin = started.adminKey();
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_URL", "http://127.0.0.1:" + server.port());
    cli.env.put("LANONASIS_API_KEY", admin);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void writes(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(cli.runWithStdin("v" + i, "secret", "set", "audit/s" + i).exit()).isZero();
    }
  }

  @Test
  @DisplayName(
      "audit list: newest first, times to the second, the key's role and prefix beside its id, listings hidden on request")
  void list_describesKeys_secondsAndHidesListings() {
    String reader =
        server.apiKeys().create("default", com.lanonasis.secrets.wire.Role.READ_ONLY, "team/");
    String id = reader.substring(4, 20);
    CliRunner asReader = new CliRunner();
    asReader.env.putAll(cli.env);
    asReader.env.put("LANONASIS_API_KEY", reader);
    assertThat(asReader.run("secret", "list", "team/").exit()).isZero();
    assertThat(asReader.run("secret", "get", "team/missing").exit()).isEqualTo(ExitCode.NOT_FOUND);

    Result all = cli.run("audit", "list", "--key", id);
    assertThat(all.exit()).as(all.err()).isZero();
    String[] lines = all.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0].split("\t"))
        .satisfies(
            f -> {
              assertThat(f[1]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
              assertThat(f[2]).isEqualTo(id + " (READ_ONLY, prefix team/)");
              assertThat(f[3] + " " + f[4] + " " + f[5]).isEqualTo("read team/missing not_found");
            });
    assertThat(all.out()).contains("\tlist\tteam/\tok\t").doesNotContain(reader.substring(21));

    Result hidden = cli.run("audit", "list", "--key", id, "--hide-listings");
    assertThat(hidden.exit()).as(hidden.err()).isZero();
    assertThat(hidden.out())
        .doesNotContain("\tlist\t")
        .contains("\tread\tteam/missing\tnot_found\t");
    assertThat(cli.run("audit", "list", "--hide-listings").out()).doesNotContain("\taudit.read\t");
    assertThat(
            cli.run("--json", "audit", "list", "--limit", "1", "--key", id)
                .json()
                .get("items")
                .get(0)
                .get("key")
                .get("role")
                .asText())
        .isEqualTo("READ_ONLY");
  }

  @Test
  @DisplayName(
      "a checkpoint kept in a file verifies while the log is intact, and fails once its tail is deleted")
  void checkpointThenVerify_holds_thenTailDeleted_exit3() throws Exception {
    writes(4);
    Path kept = dir.resolve("kept/checkpoints.jsonl");
    Files.createDirectories(kept.getParent());
    Result taken = cli.run("audit", "checkpoint", "--to", kept.toString());
    assertThat(taken.exit()).as(taken.err()).isZero();
    assertThat(taken.out()).startsWith("checkpoint of entry ");
    writes(2);
    assertThat(cli.run("audit", "checkpoint", "--to", kept.toString()).exit()).isZero();
    assertThat(Files.readAllLines(kept)).hasSize(2);

    Result ok = cli.run("audit", "verify", "--checkpoint", kept.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out().lines().toList())
        .hasSize(2)
        .allMatch(l -> l.startsWith("holds  checkpoint of entry "));

    // Someone with the database deletes the newest entries (the plain chain check would pass).
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:" + RealServer.storeFileIn(dir.resolve("server")));
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER server_audit_log_no_delete");
      s.executeUpdate("DELETE FROM server_audit_log WHERE seq > 5");
    }
    Result broken = cli.run("--json", "audit", "verify", "--checkpoint", kept.toString());
    assertThat(broken.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(broken.json().get("holds").asBoolean()).isFalse();
    assertThat(broken.json().get("checkpoints").get(0).get("holds").asBoolean())
        .as("the older checkpoint")
        .isTrue();
    // Reading the log over the API appends entries of its own, which take the deleted numbers:
    // the entry at the checkpoint's seq is now another one.
    assertThat(broken.json().get("checkpoints").get(1).get("explanation").asText())
        .contains("reused");
  }

  @Test
  @DisplayName(
      "with --store the database is read directly, against the key given; a stranger's key is refused")
  void embeddedStore_withPinnedKey_andAWrongKey() throws Exception {
    writes(3);
    Result taken = cli.run("audit", "checkpoint");
    assertThat(taken.exit()).isZero();
    Path one = Files.writeString(dir.resolve("one.json"), taken.out());
    String key = cli.run("--json", "audit", "checkpoint").json().get("publicKey").asText();
    server.close();

    CliRunner embedded = new CliRunner();
    embedded.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    String store = "jdbc:sqlite:" + RealServer.storeFileIn(dir.resolve("server"));
    Result ok =
        embedded.run(
            "--store",
            store,
            "audit",
            "verify",
            "--checkpoint",
            one.toString(),
            "--public-key",
            key);
    assertThat(ok.exit()).as(ok.err()).isZero();
    Result noKey =
        embedded.run("--store", store, "audit", "verify", "--checkpoint", one.toString());
    assertThat(noKey.exit()).isEqualTo(ExitCode.USAGE);
    String stranger =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.security.KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair()
                    .getPublic()
                    .getEncoded());
    Result wrong =
        embedded.run(
            "--store",
            store,
            "audit",
            "verify",
            "--checkpoint",
            one.toString(),
            "--public-key",
            stranger);
    assertThat(wrong.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(wrong.out()).contains("not by the key it must be signed with");
    // A server for the tear-down to close, on a store of its own: a new keyring on this one is
    // refused.
    server = RealServer.start(dir.resolve("after")).server();
  }

  @Test
  @DisplayName("the server's own checkpoint file verifies too, line by line")
  void theServersCheckpointFile_verifies() throws Exception {
    writes(2);
    assertThat(cli.run("audit", "checkpoint").exit()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("server-checkpoints.jsonl"));
    assertThat(lines).isNotEmpty();
    Result ok =
        cli.run(
            "audit", "verify", "--checkpoint", dir.resolve("server-checkpoints.jsonl").toString());
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
  }
}
