package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every secret command directly on an embedded H2 file store, through picocli with captured
 * streams.
 */
class EmbeddedCliTest {
  static final String VALUE = "S3NTINEL-cli-value";

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

  Result lnsWithStdin(String stdin, String... args) {
    return cli.runWithStdin(stdin, onStore(store, keyset, args));
  }

  /** {@code args} after {@code --store STORE --keyset KEYSET}. */
  static String[] onStore(String store, String keyset, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--store";
    all[1] = store;
    all[2] = "--keyset";
    all[3] = keyset;
    System.arraycopy(args, 0, all, 4, args.length);
    return all;
  }

  Result lns(String... args) {
    return lnsWithStdin(null, args);
  }

  @Test
  void setGet_createsADevelopmentKeysetOnAnEmptyStore_andPrintsTheBareValue() throws IOException {
    Result set = lns("secret", "set", "app/db/password", VALUE);
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("app/db/password version 1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(keyset))))
        .isEqualTo("rw-------");

    Result get = lns("secret", "get", "app/db/password");
    assertThat(get.exit()).isZero();
    assertThat(get.out()).as("no newline when not on a terminal").isEqualTo(VALUE);
    assertThat(get.err()).isEmpty();
  }

  @Test
  void set_readsTheValueFromStdin_byteForByte() {
    assertThat(lnsWithStdin("line one\nline two\n", "secret", "set", "app/cert").exit()).isZero();
    assertThat(lns("secret", "get", "app/cert").out()).isEqualTo("line one\nline two\n");
  }

  @Test
  void checkAndSet_conflictsExitWith3_andChangeNothing() {
    lns("secret", "set", "app/cas", "v1");
    Result ok = lns("secret", "set", "app/cas", "v2", "--expected-version", "1");
    assertThat(ok.exit()).isZero();
    Result stale = lnsWithStdin("v3", "secret", "set", "app/cas", "--expected-version", "1");
    assertThat(stale.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(stale.err()).startsWith("lanonasis: ").doesNotContain("v3").hasLineCount(1);
    assertThat(lns("secret", "get", "app/cas").out()).isEqualTo("v2");
    assertThat(lns("secret", "set", "app/new", "x", "--expected-version", "0").exit()).isZero();
  }

  @Test
  void listHistoryDeleteRestoreDestroy_workAndSpeakJson() {
    lns("secret", "set", "svc/a", "1");
    lns("secret", "set", "svc/a", "2");
    lns("secret", "set", "svc/b", "3");
    lns("secret", "set", "other/c", "4");

    assertThat(lns("secret", "list", "svc/").out()).isEqualTo("svc/a\t2\nsvc/b\t1\n");
    Result list = lns("--json", "secret", "list");
    assertThat(list.json().get("items"))
        .extracting(n -> n.get("key").asText())
        .containsExactly("other/c", "svc/a", "svc/b");
    assertThat(list.out()).doesNotContain("\"value\"");

    Result history = lns("--json", "secret", "history", "svc/a");
    assertThat(history.json().get("versions"))
        .extracting(n -> n.get("version").asLong())
        .containsExactly(1L, 2L);
    assertThat(lns("secret", "get", "svc/a", "--version", "1").out()).isEqualTo("1");
    assertThat(lns("--json", "secret", "get", "svc/a").json().get("value").asText()).isEqualTo("2");

    assertThat(lns("secret", "delete", "svc/b").out()).isEqualTo("deleted svc/b\n");
    assertThat(lns("secret", "get", "svc/b").exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(lns("--json", "secret", "restore", "svc/b").json().get("result").asText())
        .isEqualTo("restored");
    assertThat(lns("secret", "get", "svc/b").out()).isEqualTo("3");

    assertThat(lns("secret", "destroy", "svc/a", "--version", "1").exit()).isZero();
    assertThat(lns("secret", "get", "svc/a", "--version", "1").exit())
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(lns("secret", "history", "svc/a").out()).contains("destroyed");
    assertThat(lns("secret", "destroy", "svc/a").exit()).isZero();
    assertThat(lns("secret", "get", "svc/a").exit()).isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void aStoreFileThatDoesNotExist_isRefusedByReads_withItsAbsolutePath_andNotCreated() {
    Path relative = Path.of("").toAbsolutePath().relativize(dir);
    store = "jdbc:sqlite:" + relative.resolve("data/secrets.db");
    Path file = dir.resolve("data/secrets.db").toAbsolutePath();
    for (String[] read :
        new String[][] {
          {"secret", "get", "a"},
          {"secret", "list"},
          {"secret", "export", "--format", "json"},
          {"key", "status"},
          {"run", "--secret", "a", "true"}
        }) {
      Result r = lns(read);
      assertThat(r.exit())
          .as(String.join(" ", read) + ": " + r.err())
          .isEqualTo(ExitCode.NOT_FOUND);
      assertThat(r.err()).contains("no store at " + file + ": this command does not create one");
      assertThat(file).as("no empty store made").doesNotExist();
    }

    Result first = lns("secret", "set", "a", VALUE);
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.err()).contains("created a new store " + file);
    assertThat(lns("secret", "get", "a").out()).isEqualTo(VALUE);
  }

  @Test
  void badInput_givesTypedExitCodes_oneLineOnStderr() {
    Result badName = lns("secret", "set", "../etc/passwd", VALUE);
    assertThat(badName.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(badName.err()).hasLineCount(1).doesNotContain(VALUE);
    Result usage = lns("secret", "get");
    assertThat(usage.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("secret", "get", "x").exit())
        .as("no target at all")
        .isEqualTo(ExitCode.USAGE);
    assertThat(
            cli.run("--url", "http://127.0.0.1:1", "--store", store, "secret", "get", "x").exit())
        .as("a server and a store at once")
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aMissingKeysetFile_isRefusedOnceTheStoreHoldsSecrets() throws IOException {
    assertThat(lns("secret", "set", "app/x", VALUE).exit()).isZero();
    Files.move(Path.of(keyset), dir.resolve("moved-away.json"));
    Result refused = lns("secret", "get", "app/x");
    assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err()).contains("a new key could never open them");
    assertThat(Files.exists(Path.of(keyset))).as("no new keyset was created").isFalse();
  }

  @Test
  void keyRotate_addsAPrimary_rewrapsTheStore_andOldSecretsStillOpen() {
    lns("secret", "set", "app/x", VALUE);
    Result rotated = lns("--json", "key", "rotate");
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.json().get("keyIds")).hasSize(2);
    assertThat(rotated.json().get("rewrapped").asInt()).isEqualTo(1);
    assertThat(lns("secret", "get", "app/x").out()).isEqualTo(VALUE);
    assertThat(rotated.out()).doesNotContain(VALUE);
  }

  @Test
  void profiles_saveTyping_andAFileWithAnApiKeyMustBe0600() throws IOException {
    Path config = dir.resolve("config");
    Files.writeString(config, "dev.store = " + store + "\ndev.keyset = " + keyset + "\n");
    cli.env.put("LANONASIS_CLI_CONFIG", config.toString());
    assertThat(cli.run("--profile", "dev", "secret", "set", "p/x", "v").exit()).isZero();
    assertThat(cli.run("--profile", "dev", "secret", "get", "p/x").out()).isEqualTo("v");
    assertThat(cli.run("--profile", "nope", "secret", "get", "p/x").exit())
        .isEqualTo(ExitCode.USAGE);

    Files.writeString(
        config, "dev.url = http://127.0.0.1:9\ndev.api-key = lns_0123456789abcdef_S3NTINEL\n");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    Result refused = cli.run("--profile", "dev", "secret", "get", "p/x");
    assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err()).contains("chmod 600").doesNotContain("S3NTINEL");
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Result help = cli.run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("secret", "apikey", "serve", "key", "generate-completion", "Exit codes");
    Result completion = cli.run("generate-completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.out()).contains("complete -F");
  }
}
