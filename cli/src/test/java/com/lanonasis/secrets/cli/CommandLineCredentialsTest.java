package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 9: credentials on the command line. A VALUE argument works but warns and names
 * the safe forms; {@code --value-file} is one; a password inside {@code --store} (or {@code
 * migrate-store}'s URLs) is refused; a profile with a store password must be 0600. The prompt on a
 * terminal is tested with a real pseudo-terminal in {@code CliJarIT}.
 */
class CommandLineCredentialsTest {
  static final String PASSWORD = "S3NTINEL-db-password";

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  String store;
  String keyset;

  @BeforeEach
  void setUp() {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    keyset = dir.resolve("data/keyset.json").toString();
  }

  Result lns(String stdin, String... args) {
    return cli.runWithStdin(
        stdin,
        RemoteTransportTest.concat(new String[] {"--store", store, "--keyset", keyset}, args));
  }

  @Nested
  @DisplayName("secret set's value")
  class Value {
    @Test
    @DisplayName("a VALUE argument is stored, with a warning that names the safe forms")
    void valueArgument_warns() {
      Result set = lns(null, "secret", "set", "app/x", "S3NTINEL-arg");
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(set.err())
          .startsWith(
              "lanonasis: warning: a VALUE on the command line is visible to other users "
                  + "in the process list (ps) and stays in your shell history")
          .contains("prompt")
          .contains("standard input")
          .contains("--value-file FILE")
          .doesNotContain("S3NTINEL-arg");
      assertThat(lns(null, "secret", "get", "app/x").out()).isEqualTo("S3NTINEL-arg");
      Result piped = lns("from stdin", "secret", "set", "app/y");
      assertThat(piped.exit()).isZero();
      assertThat(piped.err()).as("no warning for standard input").isEmpty();
    }

    @Test
    @DisplayName("--value-file stores the file's bytes exactly, without a warning")
    void valueFile_byteForByte() throws Exception {
      Path file = dir.resolve("value.txt");
      byte[] bytes = "line one\nzwei – drei\n".getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
      Result set = lns(null, "secret", "set", "app/file", "--value-file", file.toString());
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(set.err())
          .as("no warning: the value is not on the command line")
          .matches("lanonasis: created a new store \\S+\n");
      assertThat(lns(null, "secret", "get", "app/file").out())
          .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName(
        "--value-file with a VALUE, or a file that cannot be read, is a usage error that writes nothing")
    void valueFile_misuse() {
      Result both =
          lns(null, "secret", "set", "app/z", "v", "--value-file", dir.resolve("v").toString());
      assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(both.err())
          .isEqualTo("lanonasis: give the value once: VALUE or --value-file, not both\n");
      Result missing =
          lns(null, "secret", "set", "app/z", "--value-file", dir.resolve("missing").toString());
      assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(missing.err())
          .contains("cannot read --value-file")
          .contains("NoSuchFileException");
      assertThat(lns(null, "secret", "get", "app/z").exit()).isEqualTo(ExitCode.NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("a database password in a URL")
  class StorePassword {
    @Test
    @DisplayName(
        "in --store (;PASSWORD=, password= in the query, user:pass@) is refused before connecting")
    void inStoreFlag_refused() {
      Path h2 = dir.resolve("h2/secrets");
      String[] urls = {
        "jdbc:h2:file:" + h2 + ";PASSWORD=" + PASSWORD,
        "jdbc:postgresql://127.0.0.1:5432/lanonasis_cli_no_such_db?user=postgres&password="
            + PASSWORD,
        "jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:1/lanonasis_cli_no_such_db"
      };
      for (String url : urls) {
        Result r = cli.run("--store", url, "--keyset", keyset, "secret", "list");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .hasLineCount(1)
            .startsWith("lanonasis: --store holds a database password")
            .contains("LANONASIS_DB_PASSWORD")
            .doesNotContain(PASSWORD);
      }
      assertThat(h2.resolveSibling("secrets.mv.db")).doesNotExist();
      assertThat(Path.of(keyset)).as("no keyset was created either").doesNotExist();
    }

    @Test
    @DisplayName("in migrate-store's --from or --to is refused too")
    void inMigrateStore_refused() {
      Result r =
          cli.run(
              "migrate-store",
              "--from",
              store,
              "--to",
              "jdbc:h2:file:" + dir.resolve("to") + ";PASSWORD=" + PASSWORD);
      assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err())
          .startsWith("lanonasis: --to holds a database password")
          .doesNotContain(PASSWORD);
      assertThat(dir.resolve("to.mv.db")).doesNotExist();
    }

    @Test
    @DisplayName("a profile whose store URL has a password must be 0600, like one with an API key")
    void inProfile_needs0600() throws Exception {
      Path config = dir.resolve("config");
      Files.writeString(
          config,
          "dev.store = jdbc:h2:mem:profile-test;PASSWORD="
              + PASSWORD
              + "\ndev.keyset = "
              + keyset
              + "\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
      cli.env.put("LANONASIS_CLI_CONFIG", config.toString());
      Result refused = cli.run("--profile", "dev", "secret", "list");
      assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(refused.err())
          .isEqualTo(
              "lanonasis: "
                  + config
                  + " holds a database password (in a store URL) but "
                  + "others can read or change it; run: chmod 600 "
                  + config
                  + "\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      Result listed = cli.run("--profile", "dev", "secret", "list");
      assertThat(listed.exit()).as(listed.err()).isZero();
    }
  }
}
