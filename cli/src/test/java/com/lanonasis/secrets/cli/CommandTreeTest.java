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
    assertThat(r.out())
        .contains(
            "secret ",
            "apikey ",
            "key ",
            "serve ",
            "mcp ",
            "migrate-store ",
            "backup ",
            "audit ",
            "generate-completion ");
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
    CliRunner.Result r =
        cli.run("--profile", "secret", "--url", "http://127.0.0.1:1", "apikey", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: lanonasis apikey");
  }

  @Test
  void verboseRequested_onlyWhenItIsOurs_notTheCommandRunStarts() {
    assertThat(Lanonasis.verboseRequested(new String[] {"--verbose", "secret", "get", "a"}))
        .isTrue();
    assertThat(Lanonasis.verboseRequested(new String[] {"serve", "--verbose"})).isTrue();
    assertThat(
            Lanonasis.verboseRequested(
                new String[] {"run", "--prefix", "prod/", "--verbose", "--", "x"}))
        .isTrue();
    assertThat(Lanonasis.verboseRequested(new String[] {"run", "--", "tool", "--verbose"}))
        .isFalse();
    assertThat(
            Lanonasis.verboseRequested(
                new String[] {"run", "--prefix", "prod/", "tool", "--verbose"}))
        .isFalse();
    assertThat(Lanonasis.verboseRequested(new String[] {"secret", "get", "a"})).isFalse();
  }

  @Test
  void everyCommandsHelp_exitsZero_withoutAPicocliWarning() {
    java.io.PrintStream realErr = System.err;
    java.io.ByteArrayOutputStream picocliErr = new java.io.ByteArrayOutputStream();
    System.setErr(
        new java.io.PrintStream(picocliErr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String command :
          java.util.List.of(
              "secret",
              "secret set",
              "secret get",
              "secret list",
              "secret history",
              "secret delete",
              "secret restore",
              "secret destroy",
              "secret export",
              "secret import",
              "run",
              "login",
              "logout",
              "whoami",
              "apikey",
              "apikey create",
              "key",
              "key init",
              "key info",
              "key protect",
              "key rotate",
              "key status",
              "serve",
              "mcp",
              "mcp config",
              "migrate-store",
              "backup",
              "audit")) {
        String[] args = (command + " --help").split(" ");
        CliRunner.Result r = new CliRunner().run(args);
        assertThat(r.exit()).as(command + ": " + r.err()).isZero();
        assertThat(r.out()).as(command).contains("Usage: lanonasis " + command);
        String[] lines = r.out().split("\n");
        for (int i = 0; i < lines.length; i++) {
          assertThat(lines[i].length())
              .as(command + ", wrapped at the width: " + lines[i])
              .isLessThanOrEqualTo(command.equals("serve") ? 100 : 80);
          if (i > 0 && lines[i - 1].endsWith(".")) {
            assertThat(lines[i].strip())
                .as(command + ": a line that starts inside a path")
                .doesNotStartWith("/");
          }
          if (i > 0 && lines[i - 1].matches(".*\\S[.:]$") && lines[i].strip().matches("[a-z/].*")) {
            String last = lines[i - 1].substring(lines[i - 1].lastIndexOf(' ') + 1);
            // A path cut after a '.' (./data, keyset.json) or a URL after its scheme's ':'
            // (jdbc:sqlite:).
            assertThat(
                    last.endsWith(".") && last.contains("/")
                        || last.matches("(jdbc|https?|file|memory)(:[a-z0-9]+)*:"))
                .as(
                    command
                        + ": a word broken at '.' or ':' between lines: "
                        + last
                        + " / "
                        + lines[i].strip())
                .isFalse();
          }
        }
      }
    } finally {
      System.setErr(realErr);
    }
    assertThat(picocliErr.toString(java.nio.charset.StandardCharsets.UTF_8))
        .as("picocli's own warnings")
        .isEmpty();
  }

  @Test
  void help_wrapsAtSpacesOnly_pathsStayWhole() {
    CliRunner.Result r = new CliRunner().run("--help");
    assertThat(r.out())
        .contains("./data/keyset.json", "jdbc:sqlite:./data/secrets.db", "lanonasis-server.jar")
        .contains("Usage: lanonasis [-hV]");
  }

  @Test
  void serveHelp_listsEveryServerSetting() {
    CliRunner.Result r = new CliRunner().run("serve", "--help");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "--audit-signing-key FILE",
            "--audit-checkpoints FILE",
            "--migration-db-user USER",
            "--mcp-allowed-hosts",
            "LANONASIS_DB_PASSWORD",
            "LANONASIS_MIGRATION_DB_PASSWORD");
    for (String key :
        java.util.List.of(
            "store",
            "keyset",
            "bind",
            "port",
            "admin-key-file",
            "tls-cert",
            "tls-key",
            "tls-pkcs12",
            "insecure-no-tls",
            "dev-keyset-ok",
            "db-user",
            "migration-db-user",
            "audit-signing-key",
            "audit-checkpoints",
            "mcp-allow-reveal",
            "mcp-allow-write",
            "mcp-allow-commands",
            "mcp-allowed-hosts")) {
      assertThat(r.out()).as(key).contains("--" + key);
    }
  }
}
