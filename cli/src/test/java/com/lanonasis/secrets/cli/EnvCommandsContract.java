package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code run}, {@code secret export} and {@code secret import} through {@link Lanonasis#execute},
 * the same tests on an embedded store and on a server (the subclasses say where). Every output and
 * error is checked for the sentinel value.
 */
abstract class EnvCommandsContract {
  static final String SENTINEL = "S3NTINEL-env-commands";

  final CliRunner cli = new CliRunner();
  final List<Result> results = new ArrayList<>();

  /** Runs lanonasis against this test's server or store. */
  abstract Result lnsWithStdin(String stdin, String... args);

  abstract Path dir();

  Result lns(String... args) {
    return lnsWithStdin(null, args);
  }

  /** Runs, remembers the result for the sentinel check, and returns it. */
  Result checked(String stdin, String... args) {
    Result r = lnsWithStdin(stdin, args);
    results.add(r);
    assertThat(r.err()).as("stderr of %s", String.join(" ", args)).doesNotContain(SENTINEL);
    return r;
  }

  void set(String name, String value) {
    Result r = lnsWithStdin(value, "secret", "set", name);
    assertThat(r.exit()).as(r.err()).isZero();
  }

  String get(String name) {
    Result r = lns("secret", "get", name);
    assertThat(r.exit()).as(name + ": " + r.err()).isZero();
    return r.out();
  }

  @Nested
  @DisplayName("run")
  class Run {
    @Test
    void run_prefix_passesVariables_andReturnsTheChildsExitCode() {
      set("app/db/password", SENTINEL + "-db");
      set("app/api-key", "it's $HOME");
      Result r =
          checked(
              null,
              "run",
              "--prefix",
              "app/",
              "--",
              "sh",
              "-c",
              "printf '%s|%s' \"$DB_PASSWORD\" \"$API_KEY\"; exit 7");
      assertThat(r.exit()).isEqualTo(7);
      assertThat(r.out()).isEqualTo(SENTINEL + "-db|it's $HOME");
    }

    @Test
    void run_secretWithVar_namesTheVariable_andOptionsAfterTheCommandAreItsOwn() {
      set("app/token", SENTINEL);
      Result r =
          checked(
              null,
              "run",
              "--secret",
              "app/token=MY_TOKEN",
              "sh",
              "-c",
              "printf %s \"$MY_TOKEN\"",
              "-x");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(SENTINEL);
    }

    @Test
    void run_twoNamesForOneVariable_exit2NamingBoth_andTheCommandDoesNotRun() throws IOException {
      set("app/db-password", "a");
      set("app/db.password", "b");
      Path marker = dir().resolve("ran");
      Result r = checked(null, "run", "--prefix", "app/", "touch", marker.toString());
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("'app/db-password'", "'app/db.password'", "DB_PASSWORD");
      assertThat(marker).doesNotExist();
    }

    @Test
    void run_existingVariables_areKept_unlessOverride_andNamedOnStderr() {
      set("app/home", SENTINEL);
      cli.env.put("HOME", "/home/kept");
      Result kept = checked(null, "run", "--prefix", "app/", "printenv", "HOME");
      assertThat(kept.out()).isEqualTo("/home/kept\n");
      assertThat(kept.err()).contains("kept as set in the environment", "HOME");
      Result replaced = checked(null, "run", "--override", "--prefix", "app/", "printenv", "HOME");
      assertThat(replaced.out()).isEqualTo(SENTINEL + "\n");
      assertThat(replaced.err()).isEmpty();
    }

    @Test
    void run_passesStdinOn() {
      set("app/x", "1");
      Result r = checked("from stdin", "run", "--prefix", "app/", "cat");
      assertThat(r.out()).isEqualTo("from stdin");
    }

    @Test
    void run_aValueThatIsNotText_exit6NamingIt() throws IOException {
      Path bin = dir().resolve("bin");
      Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
      assertThat(lns("secret", "set", "bad/binary", "--value-file", bin.toString()).exit())
          .isZero();
      Result binary = checked(null, "run", "--prefix", "bad/", "true");
      assertThat(binary.exit()).isEqualTo(6);
      assertThat(binary.err()).contains("'bad/binary'", "not UTF-8");
      set("nul/value", SENTINEL + "\0tail");
      Result nul = checked(null, "run", "--secret", "nul/value", "true");
      assertThat(nul.exit()).isEqualTo(6);
      assertThat(nul.err()).contains("'nul/value'", "NUL");
    }

    @Test
    void run_usageErrors() {
      assertThat(checked(null, "run", "true").exit()).isEqualTo(2);
      assertThat(checked(null, "run", "--secret", "a/b=1BAD", "true").exit()).isEqualTo(2);
      set("num/1st", "x");
      Result noVariable = checked(null, "run", "--prefix", "num/", "true");
      assertThat(noVariable.exit()).isEqualTo(2);
      assertThat(noVariable.err()).contains("'num/1st'", "--secret NAME=VAR");
      assertThat(checked(null, "run", "--secret", "no/such", "true").exit()).isEqualTo(1);
      Result missing = checked(null, "run", "--secret", "num/1st=X", "no-such-command-here");
      assertThat(missing.exit()).isEqualTo(127);
      assertThat(missing.err()).contains("cannot start no-such-command-here");
    }
  }

  @Nested
  @DisplayName("export and import")
  class ExportImport {
    void setAwkward(String prefix) {
      DotenvTest.AWKWARD.forEach(
          (var, value) -> set(prefix + var.toLowerCase(java.util.Locale.ROOT), value));
      set(prefix + "sentinel", SENTINEL);
    }

    @Test
    void export_dotenv_thenImport_intoAnotherPrefix_givesTheSameValuesByteForByte()
        throws IOException {
      setAwkward("src/");
      Path file = dir().resolve("src.env");
      Result export =
          checked(
              null,
              "secret",
              "export",
              "--prefix",
              "src/",
              "--format",
              "dotenv",
              "-o",
              file.toString());
      assertThat(export.exit()).as(export.err()).isZero();
      assertThat(export.out()).isEmpty();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");

      Result imported = checked(null, "secret", "import", file.toString(), "--prefix", "dst/");
      assertThat(imported.exit()).as(imported.err()).isZero();
      assertThat(imported.out())
          .contains("create   dst/pem", "imported " + (DotenvTest.AWKWARD.size() + 1))
          .doesNotContain(SENTINEL);
      DotenvTest.AWKWARD.forEach(
          (var, value) ->
              assertThat(get("dst/" + var.toLowerCase(java.util.Locale.ROOT)))
                  .as(var)
                  .isEqualTo(value));
      assertThat(get("dst/sentinel")).isEqualTo(SENTINEL);
    }

    @Test
    void export_toStdout_json_isAnObject_andShell_evaluatesToTheSameValues() throws Exception {
      setAwkward("src/");
      Result json = checked(null, "secret", "export", "--prefix", "src/", "--format", "json");
      assertThat(json.exit()).isZero();
      JsonNode o = json.json();
      DotenvTest.AWKWARD.forEach(
          (var, value) -> assertThat(o.get(var).asText()).as(var).isEqualTo(value));
      assertThat(checked(null, "--json", "secret", "export", "--prefix", "src/").json())
          .isEqualTo(o);

      Result shell = checked(null, "secret", "export", "--prefix", "src/", "--format", "shell");
      assertThat(shell.out()).startsWith("export BACKSLASH='");
      Path script = dir().resolve("vars.sh");
      Files.writeString(script, shell.out());
      for (Map.Entry<String, String> e : DotenvTest.AWKWARD.entrySet()) {
        Process p =
            new ProcessBuilder(
                    "sh",
                    "-c",
                    "eval \"$(cat \"$1\")\"; eval \"printf %s \\\"\\$$2\\\"\"",
                    "sh",
                    script.toString(),
                    e.getKey())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).as(e.getKey()).isEqualTo(e.getValue());
      }
    }

    @Test
    void export_anExistingFile_isReplacedOnlyWithForce_still0600() throws IOException {
      set("src/a", SENTINEL);
      Path file = dir().resolve("exists.env");
      Files.writeString(file, "old");
      Result refused =
          checked(
              null,
              "secret",
              "export",
              "--prefix",
              "src/",
              "--format",
              "dotenv",
              "-o",
              file.toString());
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(Files.readString(file)).isEqualTo("old");
      assertThat(
              checked(
                      null,
                      "secret",
                      "export",
                      "--prefix",
                      "src/",
                      "--format",
                      "dotenv",
                      "--force",
                      "-o",
                      file.toString())
                  .exit())
          .isZero();
      assertThat(Files.readString(file)).isEqualTo("A=" + SENTINEL + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(checked(null, "secret", "export", "--prefix", "src/").exit())
          .as("no --format")
          .isEqualTo(2);
      assertThat(checked(null, "secret", "export", "--format", "yaml").exit()).isEqualTo(2);
    }

    @Test
    void import_anExistingName_isAConflict_andNothingElseIsWritten() {
      set("dst/b", "old");
      Result r =
          checked(
              "A=" + SENTINEL + "\nB=" + SENTINEL + "\nC=3\n",
              "secret",
              "import",
              "-",
              "--prefix",
              "dst/");
      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.out())
          .contains("create   dst/a", "conflict dst/b  at version 1", "create   dst/c");
      assertThat(r.err()).contains("1 name exists already", "nothing was written", "--overwrite");
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
      assertThat(lns("secret", "get", "dst/c").exit()).isEqualTo(1);
      assertThat(get("dst/b")).isEqualTo("old");
    }

    @Test
    void import_overwrite_writesNewVersions_checkAndSet() {
      set("dst/b", "old");
      Result r =
          checked(
              "A=1\nB=" + SENTINEL + "\n",
              "--json",
              "secret",
              "import",
              "-",
              "--prefix",
              "dst/",
              "--overwrite");
      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode items = r.json().get("items");
      assertThat(items.get(1).get("action").asText()).isEqualTo("update");
      assertThat(items.get(1).get("currentVersion").asLong()).isEqualTo(1);
      assertThat(items.get(1).get("version").asLong()).isEqualTo(2);
      assertThat(r.json().get("written").asBoolean()).isTrue();
      assertThat(get("dst/b")).isEqualTo(SENTINEL);
    }

    @Test
    void import_dryRun_writesNothing() {
      set("dst/b", "old");
      Result r =
          checked("A=" + SENTINEL + "\n", "secret", "import", "-", "--prefix", "dst/", "--dry-run");
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("create   dst/a", "dry run: nothing was written");
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
      Result withConflict =
          checked("A=1\nB=2\n", "secret", "import", "-", "--prefix", "dst/", "--dry-run");
      assertThat(withConflict.exit()).isEqualTo(3);
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
    }

    @Test
    void import_parseErrors_reportFileAndLine_neverTheValue_andWriteNothing() throws IOException {
      Path file = dir().resolve("bad.env");
      Files.writeString(
          file, "A=1\nB=\"" + SENTINEL + "\" x\nnot a line " + SENTINEL + "\nx//y=1\nA=2\n");
      Result r = checked(null, "secret", "import", file.toString(), "--prefix", "dst/");
      assertThat(r.exit()).isEqualTo(6);
      assertThat(r.err())
          .contains(
              file + ":2: B: text after the closing quote",
              file + ":3: not KEY=value",
              file + ":4: x//y makes the name 'dst/x//y'",
              file + ":5: A is already set on line 1",
              "nothing was written");
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
      Files.write(file, new byte[] {'A', '=', '1', '\n', 'B', '=', (byte) 0xc3, '\n'});
      Result notUtf8 = checked(null, "secret", "import", file.toString());
      assertThat(notUtf8.exit()).isEqualTo(6);
      assertThat(notUtf8.err()).contains(file + ":2: not UTF-8");
      assertThat(checked(null, "secret", "import", dir().resolve("missing.env").toString()).exit())
          .isEqualTo(2);
    }

    @Test
    void import_aWriteThatFails_destroysWhatWasWrittenBeforeIt() {
      String tooLarge = "x".repeat(70 * 1024);
      Result r =
          checked(
              "A=" + SENTINEL + "\nB=" + tooLarge + "\n",
              "secret",
              "import",
              "-",
              "--prefix",
              "dst/");
      assertThat(r.exit()).isEqualTo(6);
      assertThat(r.err())
          .contains("writing dst/b failed", "the 1 written before it were destroyed again")
          .doesNotContain(tooLarge);
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
    }

    @Test
    void import_aDeletedName_failsWhenWritten_andWhatWasWrittenIsUndone() {
      set("dst/b", "old");
      assertThat(lns("secret", "delete", "dst/b").exit()).isZero();
      Result r =
          checked(
              "A=" + SENTINEL + "\nB=" + SENTINEL + "\n",
              "secret",
              "import",
              "-",
              "--prefix",
              "dst/",
              "--overwrite");
      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.err())
          .contains("writing dst/b failed", "is deleted", "the 1 written before it were destroyed");
      assertThat(lns("secret", "get", "dst/a").exit()).isEqualTo(1);
      assertThat(lns("secret", "list", "dst/").out())
          .as("the undone name is gone, not left empty")
          .isEmpty();
      assertThat(checked("A=1\n", "secret", "import", "-", "--prefix", "dst/").exit()).isZero();
    }
  }
}
