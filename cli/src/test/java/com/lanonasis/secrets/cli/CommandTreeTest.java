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
}
