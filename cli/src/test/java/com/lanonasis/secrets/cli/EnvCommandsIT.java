package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}, {@code secret export} and {@code secret import} in real processes, started through
 * the launcher script {@code ./lanonasis} at the repository root (it {@code exec}s java, so the
 * process started is the JVM a user's signal reaches), on an embedded SQLite store in a temporary
 * directory. Every stderr is checked for the sentinel value.
 */
class EnvCommandsIT {
  static final String SENTINEL = "S3NTINEL-env-it";

  @TempDir Path dir;

  /** One finished process, its output as bytes. */
  record Run(int exit, byte[] out, String err) {
    String outText() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  static Path launcher() {
    Path jar = Path.of(System.getProperty("lanonasis.cli.jar"));
    assertThat(jar).as("the CLI jar is built before integration tests").exists();
    Path script = jar.toAbsolutePath().getParent().getParent().getParent().resolve("lanonasis");
    assertThat(script).isExecutable();
    return script;
  }

  ProcessBuilder lanonasis(String... args) {
    List<String> command = new ArrayList<>(List.of(launcher().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    pb.environment().put("LANONASIS_STORE", "jdbc:sqlite:./data/secrets.db");
    return pb;
  }

  Run run(byte[] stdin, String... args) throws Exception {
    Process p = lanonasis(args).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = drain(p.getErrorStream(), err);
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    errReader.join();
    Run r = new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    assertThat(r.err()).as("stderr of %s", String.join(" ", args)).doesNotContain(SENTINEL);
    return r;
  }

  static Thread drain(InputStream in, ByteArrayOutputStream to) {
    Thread t =
        new Thread(
            () -> {
              try {
                in.transferTo(to);
              } catch (IOException ignored) {
                // the process ended
              }
            });
    t.start();
    return t;
  }

  void set(String name, String value) throws Exception {
    Run r = run(value.getBytes(StandardCharsets.UTF_8), "secret", "set", name);
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @BeforeEach
  void firstSecret() throws Exception {
    set("app/db/password", SENTINEL);
  }

  @Test
  void run_passesTheVariables_andTheChildsExitCode() throws Exception {
    set("app/api-key", "it's $HOME \"q\"\nline 2");
    Run r =
        run(
            null,
            "run",
            "--prefix",
            "app/",
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"$DB_PASSWORD\" \"$API_KEY\"; exit 23");
    assertThat(r.exit()).isEqualTo(23);
    assertThat(r.outText()).isEqualTo(SENTINEL + "|it's $HOME \"q\"\nline 2");
  }

  @Test
  void run_forwardsSigterm_toTheChild_andReturnsItsExitCode() throws Exception {
    Process p =
        lanonasis(
                "run",
                "--prefix",
                "app/",
                "--",
                "sh",
                "-c",
                "trap 'kill $! 2>/dev/null; echo \"TERM seen with $DB_PASSWORD\"; exit 42' TERM; "
                    + "echo ready; sleep 300 & wait")
            .start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = drain(p.getErrorStream(), err);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    assertThat(p.info().command())
        .as("the launcher exec'd java: the signal goes to the JVM")
        .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertThat(out.readLine()).isEqualTo("TERM seen with " + SENTINEL);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    errReader.join();
    assertThat(p.exitValue()).isEqualTo(42);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(SENTINEL);
  }

  @Test
  void run_aChildEndedBySignal_gives128PlusTheSignal() throws Exception {
    assertThat(run(null, "run", "--prefix", "app/", "sh", "-c", "kill -KILL $$").exit())
        .isEqualTo(128 + 9);
  }

  @Test
  void run_refusesCollidingNames_andDoesNotStartTheCommand() throws Exception {
    set("app/db-password", "other");
    Run r = run(null, "run", "--prefix", "app/", "touch", "ran");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'app/db-password'", "'app/db/password'", "DB_PASSWORD");
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void export_thenImport_intoAnotherPrefix_isByteForByte() throws Exception {
    for (Map.Entry<String, String> e : DotenvTest.AWKWARD.entrySet()) {
      set("src/" + e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    Run export =
        run(null, "secret", "export", "--prefix", "src/", "--format", "dotenv", "-o", "src.env");
    assertThat(export.exit()).as(export.err()).isZero();
    Run imported = run(null, "secret", "import", "src.env", "--prefix", "dst/");
    assertThat(imported.exit()).as(imported.err()).isZero();
    // Every value through one JSON export (one JVM, not twenty), the most awkward also as raw
    // bytes.
    JsonNode back =
        new ObjectMapper()
            .readTree(run(null, "secret", "export", "--prefix", "dst/", "--format", "json").out());
    assertThat(back.size()).isEqualTo(DotenvTest.AWKWARD.size());
    DotenvTest.AWKWARD.forEach(
        (var, value) -> assertThat(back.get(var).asText()).as(var).isEqualTo(value));
    for (String var : List.of("PEM", "CR", "UNICODE", "BACKSLASH_QUOTE", "SPACES")) {
      Run get = run(null, "secret", "get", "dst/" + var.toLowerCase(Locale.ROOT));
      assertThat(get.out())
          .as(var)
          .isEqualTo(DotenvTest.AWKWARD.get(var).getBytes(StandardCharsets.UTF_8));
    }
    Run piped =
        run(
            run(null, "secret", "export", "--prefix", "src/", "--format", "dotenv").out(),
            "secret",
            "import",
            "-",
            "--prefix",
            "again/",
            "--dry-run");
    assertThat(piped.exit()).isZero();
    assertThat(piped.outText()).contains("create   again/pem").doesNotContain("-----BEGIN");
  }

  @Test
  void import_dryRun_writesNothing_andAConflict_writesNothingElse() throws Exception {
    Files.writeString(dir.resolve("in.env"), "NEW=" + SENTINEL + "\nPASSWORD='" + SENTINEL + "'\n");
    Run dry = run(null, "secret", "import", "in.env", "--prefix", "app/db/", "--dry-run");
    assertThat(dry.exit()).isEqualTo(3);
    assertThat(dry.outText())
        .contains("create   app/db/new", "conflict app/db/password")
        .doesNotContain(SENTINEL);
    Run conflict = run(null, "secret", "import", "in.env", "--prefix", "app/db/");
    assertThat(conflict.exit()).isEqualTo(3);
    assertThat(run(null, "secret", "list", "app/").outText()).isEqualTo("app/db/password\t1\n");
    Run fresh = run(null, "secret", "import", "in.env", "--prefix", "fresh/", "--dry-run");
    assertThat(fresh.exit()).isZero();
    assertThat(run(null, "secret", "list", "fresh/").outText()).isEmpty();
  }

  @Test
  void export_toATerminal_isRefusedUnlessForced() throws Exception {
    String launcher = "'" + launcher() + "' secret export --prefix app/ --format shell";
    ProcessBuilder pb =
        new ProcessBuilder("script", "-qec", launcher, "/dev/null")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().putAll(lanonasis().environment());
    Process p = pb.start();
    p.getOutputStream().close();
    String terminal = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(terminal)
        .contains("not printing secret values to a terminal")
        .doesNotContain(SENTINEL);
    assertThat(p.exitValue()).isEqualTo(2);
  }
}
