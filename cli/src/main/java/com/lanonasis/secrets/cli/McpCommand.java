package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.mcp.McpCaller;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.mcp.ToolEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis mcp}: the MCP tool server on stdio, for an IDE's agent, over the server or store
 * this invocation names. stdout carries the protocol and nothing else; every tool call is written
 * to stderr as an audit line (never a value).
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, subcommands = McpConfigCommand.class,
    description = {
        "Serve the Lanonasis MCP tools on stdio for an AI agent (VS Code, Cursor, Windsurf, Claude): list_secrets, "
            + "describe_secret (masked), get_secret, set_secret, run_with_secrets.",
        "By default the agent sees names, metadata and masked previews, never a value: get_secret needs "
            + "--allow-reveal, set_secret --allow-write, run_with_secrets at least one --allow-command.",
        "'lanonasis mcp config --ide vscode' prints the configuration for an editor."})
final class McpCommand implements Runnable {
  @ParentCommand
  Lanonasis root;

  @Option(names = "--allow-reveal", description = "Let get_secret return values to the agent (audited). Off by default.")
  boolean allowReveal;

  @Option(names = "--allow-write", description = "Let set_secret write secrets. Off by default.")
  boolean allowWrite;

  @Option(names = "--allow-command", paramLabel = "COMMAND",
      description = "A command run_with_secrets may run (repeat for each): a name on PATH (e.g. psql), an absolute "
          + "path, or a path in the workspace such as ./gradlew. None by default: the tool is off.")
  List<String> commands = new ArrayList<>();

  @Option(names = "--workspace", paramLabel = "DIR",
      description = "Where commands run; a call's cwd must stay inside it (default: the current directory).")
  Path workspace;

  @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "A command's timeout when the call gives none (default ${DEFAULT-VALUE}; a call may ask for up "
          + "to 600).")
  int timeoutSeconds;

  @Option(names = "--max-output", paramLabel = "BYTES", defaultValue = "65536",
      description = "Bytes of a command's stdout and of its stderr returned (default ${DEFAULT-VALUE}).")
  int maxOutput;

  @Override
  public void run() {
    SecretsMcpServer.Builder b = SecretsMcpServer.builder()
        .allowReveal(allowReveal)
        .allowWrite(allowWrite)
        .environment(root.env)
        .version(new Lanonasis.Version().getVersion()[0].replace("lanonasis ", ""));
    try {
      b.maxOutputBytes(maxOutput)
          .commandTimeout(Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(Math.max(600, timeoutSeconds)));
      if (workspace != null) {
        b.workspace(workspace);
      }
      commands.forEach(b::allowCommand);
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
    try (SecretStore store = target.open(root)) {
      root.err.println("lanonasis mcp: serving on stdio for " + (target.remote() ? target.url() : "an embedded store") + "; reveal " + (allowReveal ? "ON" : "off")
          + ", write " + (allowWrite ? "ON" : "off") + ", commands " + (commands.isEmpty() ? "off"
          : String.join(" ", commands)));
      McpCaller caller = new McpCaller(store, event -> root.err.println(auditLine(event)));
      server.serveStdio(caller, root.stdin, root.out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One line per tool call (the tools have already cut an API key in a name to its public id). */
  static String auditLine(ToolEvent e) {
    return "lanonasis mcp: audit tool=" + e.tool() + " subject=" + (e.subject().isEmpty() ? "-" : e.subject())
        + " outcome=" + e.outcome();
  }
}
