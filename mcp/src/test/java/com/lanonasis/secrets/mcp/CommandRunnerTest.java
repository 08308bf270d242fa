package com.lanonasis.secrets.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.mcp.CommandRunner.CommandRefusedException;
import com.lanonasis.secrets.mcp.CommandRunner.Injected;
import com.lanonasis.secrets.mcp.CommandRunner.Request;
import com.lanonasis.secrets.mcp.CommandRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandRunnerTest {
  private static final String SENTINEL = "S3NTINEL-4f9a-db-password";
  private static final String API_KEY = "S3NTINEL-api-key";
  private static final String MARKER = "[REDACTED:prod/db/password]";
  private static final Map<String, String> BASE_ENVIRONMENT =
      Map.of(
          "PATH", "/usr/bin:/bin",
          "LANG", "C.UTF-8",
          "KEPT", "kept-value",
          "LANONASIS_API_KEY", API_KEY,
          "lanonasis_keyset", API_KEY);
  private static final int MAX_OUTPUT = 64 * 1024;

  @TempDir Path temp;
  Path workspace;

  @BeforeEach
  void createWorkspace() throws IOException {
    workspace = Files.createDirectory(temp.resolve("workspace"));
  }

  @Test
  void run_emptyAllowList_refusedAsOff() {
    CommandRunner runner = runner();

    assertThat(runner.enabled()).isFalse();
    assertThatThrownBy(() -> runner.run(sh("true")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("no command is allow-listed")
        .hasMessageContaining("--allow-command NAME");
  }

  @Test
  void run_commandNotAllowed_refusedNamingAllowedOnes() {
    CommandRunner runner = runner("/bin/echo", "sh");

    assertThat(runner.enabled()).isTrue();
    assertThat(runner.allowedCommands()).containsExactly("/bin/echo", "sh");
    assertThatThrownBy(() -> runner.run(request("ls", List.of())))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'ls' is not allow-listed")
        .hasMessageContaining("/bin/echo, sh");
  }

  @Test
  void run_pathOfAllowedBareName_refused() {
    CommandRunner runner = runner("sh");

    assertThatThrownBy(() -> runner.run(request("/bin/sh", List.of("-c", "true"))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'/bin/sh' is not allow-listed");
  }

  @Test
  void constructor_bareNameNotOnPath_throwsNamingIt() {
    assertThatThrownBy(() -> runner("no-such-command-9f2c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allow-listed command 'no-such-command-9f2c' is not on PATH");
  }

  @Test
  void constructor_absolutePathNotExecutable_throwsNamingIt() throws IOException {
    Path plain = Files.writeString(temp.resolve("plain.txt"), "not a program");

    assertThatThrownBy(() -> runner(plain.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + plain + "'");
  }

  @Test
  void run_bareName_runsTheOneFoundOnPathAtConstruction() throws IOException {
    Path trusted = Files.createDirectory(temp.resolve("trusted"));
    script(trusted.resolve("tool"), "echo trusted");
    script(workspace.resolve("tool"), "echo PLANTED");
    // The empty first entry would mean the working directory to a shell.
    Map<String, String> environment = Map.of("PATH", ":relative:" + trusted);
    CommandRunner runner =
        Runners.runner(
            List.of("tool"),
            workspace,
            environment,
            MAX_OUTPUT,
            Duration.ofSeconds(20),
            Duration.ofSeconds(60));

    Result result = runner.run(request("tool", List.of()));

    assertThat(result.stdout()).isEqualTo("trusted\n");
  }

  @Test
  void run_bareNameWithFakeInWorkingDirectory_runsResolvedAbsolutePath() throws IOException {
    script(workspace.resolve("sh"), "echo PLANTED");
    Map<String, String> environment = Map.of("PATH", ":/usr/bin:/bin");
    CommandRunner runner =
        Runners.runner(
            List.of("sh"),
            workspace,
            environment,
            MAX_OUTPUT,
            Duration.ofSeconds(20),
            Duration.ofSeconds(60));

    // With -c and no further argument, $0 is the path the shell was started by.
    Result result = runner.run(request("sh", List.of("-c", "echo \"$0\"")));

    assertThat(result.stdout()).isEqualTo("/usr/bin/sh\n");
  }

  @Test
  void run_relativeEntry_runsTheWorkspaceFileFromTheWorkingDirectory() throws IOException {
    Path sub = Files.createDirectory(workspace.resolve("sub"));
    script(sub.resolve("migrate"), "echo migrating in \"$(pwd)\"");
    CommandRunner runner = runner("./migrate");

    Result result =
        runner.run(
            new Request("./migrate", List.of(), List.of(), Optional.of("sub"), Optional.empty()));

    assertThat(result.stdout()).isEqualTo("migrating in " + sub.toRealPath() + "\n");
  }

  @Test
  void run_relativeEntryLeadingOutsideWorkspace_refused() throws IOException {
    Files.createSymbolicLink(workspace.resolve("migrate"), Path.of("/bin/sh"));
    CommandRunner runner = runner("./migrate");

    assertThatThrownBy(() -> runner.run(request("./migrate", List.of("-c", "true"))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("leads outside the workspace");
  }

  @Test
  void run_argumentsWithShellSyntax_passedLiterally() {
    CommandRunner runner = runner("/bin/echo");

    Result result = runner.run(request("/bin/echo", List.of("$HOME", "a  b", "*", "`id`;", "|")));

    assertThat(result.stdout()).isEqualTo("$HOME a  b * `id`; |\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void run_argumentWithNulOrNull_refused() {
    CommandRunner runner = runner("/bin/echo");

    assertThatThrownBy(() -> runner.run(request("/bin/echo", List.of("ok", "a\0b"))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("argument 2 contains a NUL");
    assertThatThrownBy(() -> runner.run(request("/bin/echo", Arrays.asList("ok", null))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("argument 2 is null");
  }

  @Test
  void run_secretPrinted_outputHasMarkerNotValue() {
    CommandRunner runner = runner("/bin/sh");

    Result result =
        runner.run(
            sh("printf %s \"$DB_PASSWORD\"; printf 'to err: %s' \"$DB_PASSWORD\" >&2", password()));

    assertThat(result.stdout()).isEqualTo(MARKER);
    assertThat(result.stderr()).isEqualTo("to err: " + MARKER);
  }

  @Test
  void run_secretPrintedAsBase64_outputHasMarkerNotValue() {
    CommandRunner runner = runner("/bin/sh");

    Result result = runner.run(sh("printf %s \"$DB_PASSWORD\" | base64", password()));

    assertThat(result.stdout()).isEqualTo(MARKER + "\n").doesNotContain("UzNOVElORU");
  }

  @Test
  void run_secretPrintedAsHex_outputHasMarkerNotValue() {
    CommandRunner runner = runner("/bin/sh");

    Result result = runner.run(sh("printf %s \"$DB_PASSWORD\" | xxd -p", password()));

    assertThat(result.stdout()).isEqualTo(MARKER + "\n").doesNotContain("53334e54");
  }

  @Test
  void run_secretPrintedUrlEncoded_outputHasMarkerNotValue() {
    CommandRunner runner = runner("/bin/sh");
    Injected value =
        new Injected("DB_URL_PASSWORD", "prod/db/password", "S3NTINEL-a/b c".getBytes(UTF_8));

    Result result =
        runner.run(sh("printf '%s\\n%s' 'S3NTINEL-a%2Fb+c' 'S3NTINEL-a%2Fb%20c'", value));

    assertThat(result.stdout()).isEqualTo(MARKER + "\n" + MARKER);
  }

  @Test
  void run_environment_onlyPathHomeAndTheInjectedSecrets() throws IOException {
    CommandRunner runner = runner("/usr/bin/env");

    Result result = runner.run(request("/usr/bin/env", List.of(), password()));

    assertThat(result.stdout().lines().sorted().toList())
        .containsExactly(
            "DB_PASSWORD=" + MARKER,
            "HOME=/tmp",
            "PATH=" + Sandbox.PATH,
            "PWD=" + workspace.toRealPath());
    assertThat(result.stdout())
        .doesNotContainIgnoringCase("lanonasis")
        .doesNotContain("KEPT", "S3NTINEL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "PROMPT_COMMAND",
        "PERL5OPT",
        "PYTHONSTARTUP",
        "PYTHONPATH",
        "NODE_OPTIONS",
        "GCONV_PATH",
        "JAVA_TOOL_OPTIONS",
        "GIT_SSH_COMMAND",
        "PSQLRC",
        "PAGER",
        "HOME",
        "EDITOR"
      })
  void run_variableThatChangesWhatRuns_refused(String variable) {
    CommandRunner runner = runner("/bin/sh");
    Injected injected = new Injected(variable, "prod/db/password", SENTINEL.getBytes(UTF_8));

    assertThatThrownBy(() -> runner.run(sh("true", injected)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'" + variable + "' cannot carry a secret")
        .hasMessageNotContaining("S3NTINEL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PGPASSWORD",
        "MYSQL_PWD",
        "DATABASE_URL",
        "DB_PASSWORD",
        "GITHUB_TOKEN",
        "STRIPE_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "APP_SECRET"
      })
  void run_credentialVariable_injected(String variable) {
    CommandRunner runner = runner("/usr/bin/printenv");

    Result result =
        runner.run(
            request(
                "/usr/bin/printenv",
                List.of(variable),
                new Injected(variable, "prod/db/password", SENTINEL.getBytes(UTF_8))));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo(MARKER + "\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1ABC",
        "A-B",
        "A B",
        "PATH",
        "IFS",
        "BASH_ENV",
        "ENV",
        "LD_PRELOAD",
        "DYLD_INSERT_LIBRARIES"
      })
  void run_badVariableName_refusedNamingSecret(String variable) {
    CommandRunner runner = runner("/bin/sh");
    Injected injected = new Injected(variable, "prod/db/password", SENTINEL.getBytes(UTF_8));

    assertThatThrownBy(() -> runner.run(sh("true", injected)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'" + variable + "'")
        .hasMessageContaining("prod/db/password")
        .hasMessageNotContaining("S3NTINEL");
  }

  @Test
  void run_variableGivenTwice_refusedNamingBothSecrets() {
    CommandRunner runner = runner("/bin/sh");
    Injected first = new Injected("DB_PASSWORD", "prod/db/password", SENTINEL.getBytes(UTF_8));
    Injected second = new Injected("DB_PASSWORD", "prod/db/other", SENTINEL.getBytes(UTF_8));

    assertThatThrownBy(() -> runner.run(sh("true", first, second)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'DB_PASSWORD' is given twice")
        .hasMessageContaining("'prod/db/password'")
        .hasMessageContaining("'prod/db/other'");
  }

  @Test
  void run_valueNotUtf8_refusedNamingSecretNotValue() {
    CommandRunner runner = runner("/bin/sh");
    byte[] value = Arrays.copyOf(SENTINEL.getBytes(UTF_8), SENTINEL.length() + 1);
    value[SENTINEL.length()] = (byte) 0xff;

    assertThatThrownBy(
            () -> runner.run(sh("true", new Injected("V_PASSWORD", "prod/db/password", value))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("secret 'prod/db/password'")
        .hasMessageContaining("not UTF-8")
        .hasMessageNotContaining("S3NTINEL");
  }

  @Test
  void run_valueWithNul_refusedNamingSecretNotValue() {
    CommandRunner runner = runner("/bin/sh");
    byte[] value = (SENTINEL + "\0tail").getBytes(UTF_8);

    assertThatThrownBy(
            () -> runner.run(sh("true", new Injected("V_PASSWORD", "prod/db/password", value))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("secret 'prod/db/password'")
        .hasMessageContaining("NUL")
        .hasMessageNotContaining("S3NTINEL");
  }

  @Test
  void injected_toString_showsVariableAndSecretNameOnly() {
    Injected injected = password();

    assertThat(injected).hasToString("Injected[DB_PASSWORD<-prod/db/password]");
  }

  @Test
  void injected_wiped_valueUnavailable() {
    Injected injected = password();

    injected.wipe();

    assertThatThrownBy(injected::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("S3NTINEL");
  }

  @Test
  void run_timeout_killsChildAndGrandchild() throws Exception {
    CommandRunner runner = runner("/bin/sh");
    String mark = uniqueSleep();
    Request request =
        new Request(
            "/bin/sh",
            List.of("-c", "sleep " + mark + " & sleep " + mark),
            List.of(password()),
            Optional.empty(),
            Optional.of(1));

    Result result = runner.run(request);

    assertThat(result.timedOut()).isTrue();
    assertThat(result.elapsedMillis()).isLessThan(30_000);
    assertThat(awaitNoProcess("sleep " + mark)).as("the background sleep was killed").isTrue();
  }

  /**
   * S15: a double-forked grandchild, detached from the command, held the value in its environment.
   */
  @Test
  void run_doubleForkedGrandchild_killedWhenTheCommandEnds() throws Exception {
    CommandRunner runner = runner("/bin/sh");
    String mark = uniqueSleep();

    Result result =
        runner.run(
            sh("(setsid sleep " + mark + " </dev/null >/dev/null 2>&1 &) ; exit 0", password()));

    assertThat(result.exitCode()).isZero();
    assertThat(awaitNoProcess("sleep " + mark)).as("the detached grandchild was killed").isTrue();
  }

  @Test
  void run_childExitsLeavingGrandchildOnPipes_returnsAndKillsIt() throws Exception {
    CommandRunner runner = runner("/bin/sh");
    String mark = uniqueSleep();

    Result result = runner.run(sh("sleep " + mark + " & sleep 0.5"));

    assertThat(result.timedOut()).isFalse();
    assertThat(result.exitCode()).isZero();
    assertThat(result.elapsedMillis()).isLessThan(30_000);
    assertThat(awaitNoProcess("sleep " + mark)).isTrue();
  }

  @Test
  void run_childReadsStdin_seesEndAtOnce() {
    CommandRunner runner = runner("/bin/cat");

    Result result = runner.run(request("/bin/cat", List.of()));

    assertThat(result.timedOut()).isFalse();
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void run_outputOverCap_truncatedToCap() {
    CommandRunner runner = runner("/bin/sh");

    Result result = runner.run(sh("head -c 1048576 /dev/zero | tr '\\0' a; echo to err >&2"));

    assertThat(result.stdoutTruncated()).isTrue();
    assertThat(result.stdout()).hasSize(MAX_OUTPUT).matches("a+");
    assertThat(result.stderrTruncated()).isFalse();
    assertThat(result.stderr()).isEqualTo("to err\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void run_chattyStderr_doesNotBlockTheChild() {
    CommandRunner runner = runner("/bin/sh");

    Result result = runner.run(sh("head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done"));

    assertThat(result.timedOut()).isFalse();
    assertThat(result.stdout()).isEqualTo("done\n");
    assertThat(result.stderrTruncated()).isTrue();
  }

  @Test
  void run_cwdInsideWorkspace_runsThere() throws IOException {
    Path sub = Files.createDirectories(workspace.resolve("a/b"));
    CommandRunner runner = runner("/bin/sh");

    Result result =
        runner.run(
            new Request(
                "/bin/sh", List.of("-c", "pwd"), List.of(), Optional.of("a/b"), Optional.empty()));

    assertThat(result.stdout()).isEqualTo(sub.toRealPath() + "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "/tmp", "a/../..", "escape"})
  void run_cwdOutsideWorkspace_refused(String cwd) throws IOException {
    Files.createSymbolicLink(workspace.resolve("escape"), temp);
    CommandRunner runner = runner("/bin/sh");

    assertThatThrownBy(
            () ->
                runner.run(
                    new Request(
                        "/bin/sh",
                        List.of("-c", "true"),
                        List.of(),
                        Optional.of(cwd),
                        Optional.empty())))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("working directory '" + cwd + "'");
  }

  @Test
  void run_cwdMissing_refused() {
    CommandRunner runner = runner("/bin/sh");

    assertThatThrownBy(
            () ->
                runner.run(
                    new Request(
                        "/bin/sh",
                        List.of("-c", "true"),
                        List.of(),
                        Optional.of("missing"),
                        Optional.empty())))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("'missing' does not exist");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 61})
  void run_timeoutOutOfRange_refused(int seconds) {
    CommandRunner runner = runner("/bin/sh");

    assertThatThrownBy(
            () ->
                runner.run(
                    new Request(
                        "/bin/sh",
                        List.of("-c", "true"),
                        List.of(),
                        Optional.empty(),
                        Optional.of(seconds))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("timeoutSeconds must be between 1 and 60, was " + seconds);
  }

  @Test
  void run_exitCode_passedThrough() {
    CommandRunner runner = runner("/bin/sh");

    Result result = runner.run(sh("exit 7"));

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.timedOut()).isFalse();
  }

  private CommandRunner runner(String... allowed) {
    return Runners.runner(
        List.of(allowed),
        workspace,
        BASE_ENVIRONMENT,
        MAX_OUTPUT,
        Duration.ofSeconds(20),
        Duration.ofSeconds(60));
  }

  private static Request request(String command, List<String> args, Injected... env) {
    return new Request(command, args, List.of(env), Optional.empty(), Optional.empty());
  }

  private static Request sh(String script, Injected... env) {
    return request("/bin/sh", List.of("-c", script), env);
  }

  private static Injected password() {
    return new Injected("DB_PASSWORD", "prod/db/password", SENTINEL.getBytes(UTF_8));
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A sleep of about 300 s that no other test's sleep looks like. */
  private static String uniqueSleep() {
    return "300." + (System.nanoTime() % 1_000_000);
  }

  /** Whether no process of this host runs {@code commandLine} within 10 s. */
  private static boolean awaitNoProcess(String commandLine) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      boolean found =
          ProcessHandle.allProcesses()
              .anyMatch(
                  p -> p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false));
      if (!found) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
