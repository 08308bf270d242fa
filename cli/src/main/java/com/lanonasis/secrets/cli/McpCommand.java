package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.mcp.CommandOutput;
import com.lanonasis.secrets.mcp.McpCaller;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.mcp.ToolEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis mcp}: the MCP tool server on stdio, for an IDE's agent, over the server or store
 * this invocation names. stdout carries the protocol and nothing else; every tool call is written
 * to stderr as an audit line (never a value).
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    subcommands = McpConfigCommand.class,
    description = {
      "Serve the Lanonasis MCP tools on stdio for an AI agent (VS Code, Cursor, Windsurf, Claude): list_secrets, "
          + "describe_secret (masked), get_secret, set_secret, run_with_secrets.",
      "By default the agent sees names, metadata and masked previews, never a value: get_secret needs "
          + "--allow-reveal, set_secret --allow-write, run_with_secrets --recipes FILE or an --allow-command; commands "
          + "run in a bubblewrap sandbox, and only their exit code comes back unless you allow more.",
      "'lanonasis mcp config --ide vscode' prints the configuration for an editor."
    })
final class McpCommand implements Runnable {
  @ParentCommand Lanonasis root;

  @Option(
      names = "--allow-reveal",
      description = "Let get_secret return values to the agent (audited). Off by default.")
  boolean allowReveal;

  @Option(names = "--allow-write", description = "Let set_secret write secrets. Off by default.")
  boolean allowWrite;

  @Option(
      names = "--recipes",
      paramLabel = "FILE",
      description =
          "Commands you define for run_with_secrets (JSON; mcp/README.md, Recipes): a fixed program and "
              + "argument template, parameters the agent fills in, the secrets it gets. The safe way to let an agent "
              + "use a secret.")
  Path recipes;

  @Option(
      names = "--allow-command",
      paramLabel = "COMMAND",
      description =
          "A command run_with_secrets may run with the agent's own arguments (repeat for each): a name on "
              + "PATH, an absolute path, or a path in the workspace such as ./gradlew. Runs sandboxed; only programs "
              + "that cannot be told to compute on their environment keep the secrets from the agent. None by default.")
  List<String> commands = new ArrayList<>();

  @Option(
      names = "--command-output",
      paramLabel = "none|redacted",
      defaultValue = "none",
      description =
          "What --allow-command runs return besides the exit code: none (default), or their output with "
              + "the values redacted (an agent that can choose the output can then test guesses, within the budget).")
  String commandOutput;

  @Option(
      names = "--allow-command-network",
      description =
          "Let --allow-command runs reach the network (off by default: the agent could send a secret to "
              + "any host the command can reach).")
  boolean commandNetwork;

  @Option(
      names = "--allow-variable",
      paramLabel = "NAME",
      description =
          "A variable agents may inject a secret into besides credential names such as PGPASSWORD, "
              + "NAME_PASSWORD, NAME_TOKEN, NAME_KEY (repeat for each).")
  List<String> variables = new ArrayList<>();

  @Option(
      names = "--run-budget",
      paramLabel = "RUNS/PERIOD",
      defaultValue = "60/1h",
      description = "How often one secret may be injected, e.g. 60/1h (default), 10/10m, 5/30s.")
  String runBudget;

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description =
          "Where commands run; a call's cwd must stay inside it (default: the current directory).")
  Path workspace;

  @Option(
      names = "--command-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "A command's timeout when the call gives none (default ${DEFAULT-VALUE}; a call may ask for up "
              + "to 600).")
  int timeoutSeconds;

  @Option(
      names = "--max-output",
      paramLabel = "BYTES",
      defaultValue = "65536",
      description =
          "Bytes of a command's stdout and of its stderr returned (default ${DEFAULT-VALUE}).")
  int maxOutput;

  @Override
  public void run() {
    SecretsMcpServer.Builder b =
        SecretsMcpServer.builder()
            .allowReveal(allowReveal)
            .allowWrite(allowWrite)
            .environment(root.env)
            .version(new Lanonasis.Version().getVersion()[0].replace("lanonasis ", ""));
    try {
      b.maxOutputBytes(maxOutput)
          .commandTimeout(
              Duration.ofSeconds(timeoutSeconds),
              Duration.ofSeconds(Math.max(600, timeoutSeconds)));
      if (workspace != null) {
        b.workspace(workspace);
      }
      commands.forEach(b::allowCommand);
      if (recipes != null) {
        b.recipes(recipes);
      }
      b.commandOutput(CommandOutput.parse(commandOutput));
      if (commandNetwork) {
        b.allowCommandNetwork();
      }
      variables.forEach(b::allowVariable);
      budget(b, runBudget);
      protectedFiles().forEach(b::protectPath);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    SecretsMcpServer server;
    try {
      server = b.build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    Target target = root.target();
    try (SecretStore store = target.openChecked(root)) {
      root.err.println(
          "lanonasis mcp: serving on stdio for "
              + (target.remote() ? target.url() : "an embedded store")
              + "; reveal "
              + (allowReveal ? "ON" : "off")
              + ", write "
              + (allowWrite ? "ON" : "off")
              + ", commands "
              + (commands.isEmpty()
                  ? "off"
                  : String.join(" ", commands) + " (output " + commandOutput + ")")
              + ", recipes "
              + (recipes == null ? "none" : recipes));
      McpCaller caller = new McpCaller(store, event -> root.err.println(auditLine(event)));
      server.serveStdio(caller, root.stdin, root.out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void budget(SecretsMcpServer.Builder b, String spec) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,6})/([0-9]{1,6})([smh])").matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--run-budget must be RUNS/PERIOD such as 60/1h, 10/10m or 5/30s: " + spec);
    }
    long amount = Long.parseLong(m.group(2));
    Duration period =
        switch (m.group(3)) {
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    b.runBudget(Integer.parseInt(m.group(1)), period);
  }

  /**
   * What a command must never see even in the workspace: the keyset file and the embedded store's
   * files with the directories they are in (./data), and the profiles file.
   */
  private List<Path> protectedFiles() {
    List<Path> files = new ArrayList<>();
    Path cwd = Path.of("").toAbsolutePath();
    Path ws = workspace == null ? cwd : workspace.toAbsolutePath().normalize();
    java.util.function.Consumer<Path> withDirectory =
        file -> {
          Path abs = file.toAbsolutePath().normalize();
          files.add(abs);
          Path dir = abs.getParent();
          // Not a directory the workspace lies in: that would hide the workspace itself.
          if (dir != null && dir.getNameCount() >= 2 && !ws.startsWith(dir)) {
            files.add(dir);
          }
        };
    withDirectory.accept(root.keyset != null ? root.keyset : Path.of("data", "keyset.json"));
    Optional.ofNullable(root.env.get("LANONASIS_KEYSET_FILE"))
        .filter(f -> !f.isBlank())
        .map(Path::of)
        .ifPresent(withDirectory);
    String store = root.store != null ? root.store : root.env.get("LANONASIS_STORE");
    if (store != null && store.startsWith("jdbc:")) {
      try {
        com.lanonasis.secrets.jdbc.JdbcDatabase.fileOf(store)
            .ifPresent(
                file -> {
                  withDirectory.accept(file);
                  for (String suffix : List.of("-wal", "-shm", "-journal")) {
                    files.add(Path.of(file + suffix).toAbsolutePath().normalize());
                  }
                });
      } catch (RuntimeException e) {
        // A URL the store will refuse, with its reason, when it is opened.
      }
    }
    files.add(Profiles.location(root.env).toAbsolutePath());
    return files;
  }

  /** One line per tool call (the tools have already cut an API key in a name to its public id). */
  static String auditLine(ToolEvent e) {
    return "lanonasis mcp: audit tool="
        + e.tool()
        + " subject="
        + (e.subject().isEmpty() ? "-" : e.subject())
        + " outcome="
        + e.outcome();
  }
}
