package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code login}, {@code logout} and {@code whoami} against a real server: the key comes on stdin
 * (no terminal here), is checked before anything is written, lands in a 0600 profile beside the
 * other lines of the file, and never appears in any output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginCommandsTest {
  static final String SENTINEL_KEY =
      "lns_0123456789abcdef_S3NTINEL-login-key-never-printed-000000000";

  RealServer server;
  Path dir;
  Path config;
  final CliRunner cli = new CliRunner();

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    server = RealServer.start(dir.resolve("db"));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void freshConfig() throws Exception {
    config = dir.resolve("cfg-" + System.nanoTime()).resolve("lanonasis").resolve("config");
    cli.env.clear();
    cli.env.put("LANONASIS_CLI_CONFIG", config.toString());
  }

  Result login(String key, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "login";
    System.arraycopy(args, 0, all, 1, args.length);
    Result r = cli.runWithStdin(key + "\n", all);
    assertNoKey(r, key);
    return r;
  }

  static void assertNoKey(Result r, String key) {
    assertThat(r.out()).doesNotContain(key).doesNotContain(key.substring(21));
    assertThat(r.err()).doesNotContain(key).doesNotContain(key.substring(21));
  }

  @Nested
  @DisplayName("login")
  class Login {
    @Test
    void login_goodKeyOnStdin_writesA0600ProfileThatLaterCommandsUse() throws Exception {
      Result r = login(server.adminKey(), "--url", server.url());
      assertThat(r.exit()).as(r.err()).isZero();
      String keyId = server.adminKey().substring(4, 20);
      assertThat(r.out())
          .startsWith(
              "signed in to "
                  + server.url()
                  + " as key "
                  + keyId
                  + " (tenant default, role ADMIN)\n")
          .contains("profile 'default' of " + config);
      assertThat(Files.getPosixFilePermissions(config))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(config.getParent()))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.readString(config))
          .isEqualTo(
              "default.url = "
                  + server.url()
                  + "\n"
                  + "default.api-key = "
                  + server.adminKey()
                  + "\n");

      Result set = cli.runWithStdin("v1", "secret", "set", "login/x");
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(cli.run("secret", "get", "login/x").out()).isEqualTo("v1");
      Result who = cli.run("whoami");
      assertThat(who.out())
          .contains("key " + keyId)
          .contains("tenant default")
          .contains("role   ADMIN");
      assertNoKey(who, server.adminKey());
    }

    @Test
    void login_badKey_exit4AndNothingWritten() throws Exception {
      Result r = login(SENTINEL_KEY, "--url", server.url());
      assertThat(r.exit()).isEqualTo(ExitCode.AUTH);
      assertThat(r.err()).startsWith("lanonasis: ");
      assertThat(config).doesNotExist();

      Files.createDirectories(config.getParent());
      Files.writeString(config, "# mine\nother.url = https://other.example\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      assertThat(login(SENTINEL_KEY, "--url", server.url()).exit()).isEqualTo(ExitCode.AUTH);
      assertThat(Files.readString(config)).isEqualTo("# mine\nother.url = https://other.example\n");
    }

    @Test
    void login_otherProfilesCommentsAndSettingsKept_oldKeyReplaced() throws Exception {
      Files.createDirectories(config.getParent());
      Files.writeString(
          config,
          "# my profiles\nprod.url = https://prod.example\nprod.api-key = lns_old\n"
              + "dev.store = jdbc:sqlite:./dev.db\nprod.keyset = ./k.json\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      cli.env.put("LANONASIS_URL", server.url());
      Result r = login(server.adminKey(), "--profile", "prod");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(Files.readString(config))
          .isEqualTo(
              "# my profiles\ndev.store = jdbc:sqlite:./dev.db\n"
                  + "prod.keyset = ./k.json\nprod.url = "
                  + server.url()
                  + "\nprod.api-key = "
                  + server.adminKey()
                  + "\n");
      assertThat(Files.getPosixFilePermissions(config))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      try (var files = Files.list(config.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config");
      }
    }

    @Test
    void login_prefixedKey_saysItsPrefix_andJson() {
      cli.env.put("LANONASIS_URL", server.url());
      cli.env.put("LANONASIS_API_KEY", server.adminKey());
      Result created = cli.run("apikey", "create", "--role", "READ_WRITE", "--prefix", "team/");
      String key = created.out().strip();
      cli.env.remove("LANONASIS_API_KEY");
      Result r = login(key, "--json", "--profile", "team");
      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode json = r.json();
      assertThat(json.get("keyId").asText()).isEqualTo(key.substring(4, 20));
      assertThat(json.get("role").asText()).isEqualTo("READ_WRITE");
      assertThat(json.get("prefix").asText()).isEqualTo("team/");
      assertThat(json.get("profile").asText()).isEqualTo("team");
      Result text = login(key, "--profile", "team2");
      assertThat(text.out())
          .startsWith(
              "signed in to "
                  + server.url()
                  + " as key "
                  + key.substring(4, 20)
                  + " (tenant default, role READ_WRITE, prefix team/)");
    }

    @Test
    void login_fileOthersCanRead_refusedBeforeAsking() throws Exception {
      Files.createDirectories(config.getParent());
      Files.writeString(config, "other.url = https://other.example\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
      Result r = login(server.adminKey(), "--url", server.url());
      assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err())
          .contains("can be read or changed by others")
          .contains("chmod 600 " + config);
      assertThat(Files.readString(config)).isEqualTo("other.url = https://other.example\n");
    }

    @Test
    void login_refusals_noUrlNoKeyPlainHttpElsewhereBadProfileAndNoApiKeyFlag() {
      Result noUrl = login(server.adminKey());
      assertThat(noUrl.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(noUrl.err()).contains("give --url URL");
      Result noKey = cli.runWithStdin("\n", "login", "--url", server.url());
      assertThat(noKey.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(noKey.err()).contains("no API key given");
      Result plain = login(SENTINEL_KEY, "--url", "http://10.255.255.1:8080");
      assertThat(plain.exit()).isEqualTo(ExitCode.USAGE);
      Result inUrl = login(server.adminKey(), "--url", server.url() + "/" + SENTINEL_KEY);
      assertThat(inUrl.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(login(server.adminKey(), "--url", server.url(), "--profile", "a.b").exit())
          .isEqualTo(ExitCode.USAGE);
      Result flag = cli.run("login", "--url", server.url(), "--api-key", SENTINEL_KEY);
      assertThat(flag.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(flag.err()).contains("Unknown option");
      assertThat(config).doesNotExist();
    }
  }

  @Nested
  @DisplayName("logout and whoami")
  class LogoutWhoami {
    @Test
    void logout_removesTheKeyKeepsTheUrl_thenNothingToRemove() throws Exception {
      assertThat(login(server.adminKey(), "--url", server.url()).exit()).isZero();
      Result out = cli.run("logout");
      assertThat(out.exit()).isZero();
      assertThat(out.out()).contains("removed the API key of profile 'default'");
      assertThat(Files.readString(config)).isEqualTo("default.url = " + server.url() + "\n");
      Result again = cli.run("logout");
      assertThat(again.exit()).isZero();
      assertThat(again.out()).contains("holds no API key: nothing to remove");
      assertThat(cli.run("--profile", "never", "logout").exit()).isZero();
      assertThat(cli.run("whoami").exit()).as("signed out").isEqualTo(ExitCode.AUTH);
    }

    @Test
    void whoami_json_andEmbeddedStoreIsUsage() {
      cli.env.put("LANONASIS_URL", server.url());
      cli.env.put("LANONASIS_API_KEY", server.adminKey());
      Result r = cli.run("--json", "whoami");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.json().get("keyId").asText()).isEqualTo(server.adminKey().substring(4, 20));
      assertThat(r.json().get("tenant").asText()).isEqualTo("default");
      assertThat(r.json().get("role").asText()).isEqualTo("ADMIN");
      assertThat(r.json().get("prefix").isTextual())
          .as("\"\" (every name), as REST and sdk-js answer")
          .isTrue();
      assertThat(r.json().get("prefix").asText()).isEmpty();
      assertNoKey(r, server.adminKey());

      CliRunner embedded = new CliRunner();
      embedded.env.putAll(Map.of("LANONASIS_CLI_CONFIG", config.toString()));
      Result e = embedded.run("--store", "jdbc:sqlite:" + dir.resolve("embedded.db"), "whoami");
      assertThat(e.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(e.err()).contains("an embedded store (--store) has none");
    }

    @Test
    void whoami_badKey_exit4() {
      cli.env.put("LANONASIS_URL", server.url());
      cli.env.put("LANONASIS_API_KEY", SENTINEL_KEY);
      Result r = cli.run("whoami");
      assertThat(r.exit()).isEqualTo(ExitCode.AUTH);
      assertNoKey(r, SENTINEL_KEY);
    }
  }
}
