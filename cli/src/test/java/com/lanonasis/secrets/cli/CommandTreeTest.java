package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The command tree is built for what a command line names ({@link Lanonasis#COMMANDS}): help,
 * completion and errors still see every command; root options before the name are skipped.
 */
class CommandTreeTest {
  final CliRunner cli = new CliRunner();

  @Test
  void help_listsEveryCommand() {
    CliRunner.Result r = cli.run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("secret ", "apikey ", "key ", "serve ", "mcp ", "migrate-store ", "backup ",
        "audit ", "generate-completion ");
  }

  @Test
  void generateCompletion_coversEveryCommand() {
    CliRunner.Result r = cli.run("generate-completion");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("apikey", "migrate-store", "secret", "audit");
  }

  @Test
  void unknownCommand_isAUsageError() {
    CliRunner.Result r = cli.run("--json", "secrte", "get", "a");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("secrte");
  }

  @Test
  void commandAfterRootOptionsWithValues_isFound() {
    CliRunner.Result r = cli.run("--profile", "secret", "--url", "http://127.0.0.1:1", "apikey", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: lanonasis apikey");
  }

  @Test
  void verboseRequested_onlyWhenItIsOurs_notTheCommandRunStarts() {
    assertThat(Lanonasis.verboseRequested(new String[] {"--verbose", "secret", "get", "a"})).isTrue();
    assertThat(Lanonasis.verboseRequested(new String[] {"serve", "--verbose"})).isTrue();
    assertThat(Lanonasis.verboseRequested(new String[] {"run", "--prefix", "prod/", "--verbose", "--", "x"})).isTrue();
    assertThat(Lanonasis.verboseRequested(new String[] {"run", "--", "tool", "--verbose"})).isFalse();
    assertThat(Lanonasis.verboseRequested(new String[] {"run", "--prefix", "prod/", "tool", "--verbose"})).isFalse();
    assertThat(Lanonasis.verboseRequested(new String[] {"secret", "get", "a"})).isFalse();
  }

  @Test
  void everyCommandsHelp_exitsZero_withoutAPicocliWarning() {
    java.io.PrintStream realErr = System.err;
    java.io.ByteArrayOutputStream picocliErr = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(picocliErr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command : java.util.List.of("secret", "secret set", "secret get", "secret list", "secret history",
          "secret delete", "secret restore", "secret destroy", "secret export", "secret import", "run", "login",
          "logout", "whoami", "apikey", "apikey create", "key", "key init", "key info", "key protect", "key rotate",
          "key status", "serve", "mcp", "mcp config", "migrate-store", "backup", "audit")) {
        String[] args = (command + " --help").split(" ");
        CliRunner.Result r = new CliRunner().run(args);
        assertThat(r.exit()).as(command + ": " + r.err()).isZero();
        assertThat(r.out()).as(command).contains("Usage: lanonasis " + command);
      }
    } finally {
      System.setErr(realErr);
    }
    assertThat(picocliErr.toString(java.nio.charset.StandardCharsets.UTF_8)).as("picocli's own warnings").isEmpty();
  }
}
