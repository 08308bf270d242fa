package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis mcp config --ide NAME}: the exact configuration an editor needs to start (stdio)
 * or reach ({@code --http}) the Lanonasis MCP server. The API key is never written into it: VS Code
 * asks for it with a password prompt, Cursor, Windsurf and Claude Code read it from the environment
 * variable {@code LANONASIS_API_KEY} when they start.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the MCP configuration for an editor: vscode (.vscode/mcp.json), cursor (~/.cursor/mcp.json or "
          + ".cursor/mcp.json), windsurf (~/.codeium/windsurf/mcp_config.json), claude (Claude Code's .mcp.json).",
      "Without --http the editor starts 'lanonasis mcp' itself (stdio) for the server or store this invocation "
          + "names; with --http it connects to a running server's /mcp endpoint.",
      "The API key is never written into the file."
    })
final class McpConfigCommand implements Runnable {
  private static final String KEY_INPUT = "lanonasis-api-key";

  enum Ide {
    vscode,
    cursor,
    windsurf,
    claude
  }

  @ParentCommand McpCommand mcp;

  @Option(
      names = "--ide",
      required = true,
      paramLabel = "IDE",
      description = "vscode, cursor, windsurf or claude.")
  Ide ide;

  @Option(
      names = "--http",
      paramLabel = "SERVER-URL",
      description =
          "Connect to this server's /mcp over HTTP instead of starting lanonasis mcp (e.g. "
              + "https://secrets.example.com).")
  String http;

  @Option(
      names = "--command",
      paramLabel = "PATH",
      defaultValue = "lanonasis",
      description =
          "How the editor starts the CLI (default ${DEFAULT-VALUE}; give the absolute path of the "
              + "launcher if it is not on the editor's PATH).")
  String command;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "lanonasis",
      description = "The server's name in the editor's configuration (default ${DEFAULT-VALUE}).")
  String name;

  @Override
  public void run() {
    Lanonasis root = mcp.root;
    // Resolved once: flags, environment and the profiles file decide where the editor's server
    // goes.
    Target target = http != null ? null : root.target();
    boolean usesKey = target == null || target.remote();
    Map<String, Object> server = target == null ? httpServer() : stdioServer(root, target);
    Map<String, Object> file = new LinkedHashMap<>();
    if (ide == Ide.vscode) {
      if (usesKey) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "promptString");
        input.put("id", KEY_INPUT);
        input.put("description", "Lanonasis API key (lns_...)");
        input.put("password", true);
        file.put("inputs", List.of(input));
      }
      file.put("servers", Map.of(name, server));
    } else {
      file.put("mcpServers", Map.of(name, server));
    }
    try {
      root.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(file));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("configuration not written", e);
    }
    root.err.println(where(usesKey));
  }

  /** The reference to the API key in this editor's own interpolation syntax. */
  private String keyReference() {
    return switch (ide) {
      case vscode -> "${input:" + KEY_INPUT + "}";
      case cursor, windsurf -> "${env:LANONASIS_API_KEY}";
      case claude -> "${LANONASIS_API_KEY}";
    };
  }

  private Map<String, Object> httpServer() {
    String base = http.endsWith("/") ? http.substring(0, http.length() - 1) : http;
    if (base.contains(ApiKeyFormat.PREFIX) || base.contains("?")) {
      throw new CliException(
          ExitCode.USAGE, "--http takes the server's URL without a key or a query");
    }
    Map<String, Object> s = new LinkedHashMap<>();
    switch (ide) {
      case vscode, claude -> {
        s.put("type", "http");
        s.put("url", base + "/mcp");
      }
      case cursor -> s.put("url", base + "/mcp");
      case windsurf -> s.put("serverUrl", base + "/mcp");
    }
    s.put("headers", Map.of("Authorization", "Bearer " + keyReference()));
    return s;
  }

  private Map<String, Object> stdioServer(Lanonasis root, Target target) {
    List<String> args = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (target.remote()) {
      env.put("LANONASIS_URL", target.url());
      env.put("LANONASIS_API_KEY", keyReference());
    } else {
      if (root.store == null) {
        throw new CliException(
            ExitCode.USAGE,
            "the store comes from the environment or a profile, which the editor "
                + "may not have: name it with --store (and --keyset) on this command");
      }
      // Every path absolute: the editor starts the command in a directory of its own choosing.
      target.requireExistingStore();
      args.add("--store");
      args.add(target.store());
      Path keyset = target.keyset() != null ? target.keyset() : keysetFromEnvironment(root.env);
      if (keyset != null) {
        args.add("--keyset");
        args.add(keyset.toAbsolutePath().normalize().toString());
      }
    }
    if (root.profile != null) {
      args.add("--profile");
      args.add(root.profile);
    }
    args.add("mcp");
    if (mcp.allowReveal) {
      args.add("--allow-reveal");
    }
    if (mcp.allowWrite) {
      args.add("--allow-write");
    }
    if (mcp.recipes != null) {
      args.add("--recipes");
      args.add(mcp.recipes.toAbsolutePath().normalize().toString());
    }
    for (String c : mcp.commands) {
      args.add("--allow-command");
      args.add(c);
    }
    if (!mcp.commandOutput.equals("none")) {
      args.addAll(List.of("--command-output", mcp.commandOutput));
    }
    if (mcp.commandNetwork) {
      args.add("--allow-command-network");
    }
    for (String v : mcp.variables) {
      args.addAll(List.of("--allow-variable", v));
    }
    if (!mcp.runBudget.equals("60/1h")) {
      args.addAll(List.of("--run-budget", mcp.runBudget));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    if (ide == Ide.vscode || ide == Ide.claude) {
      s.put("type", "stdio");
    }
    s.put("command", command);
    s.put("args", args);
    if (!env.isEmpty()) {
      s.put("env", env);
    }
    return s;
  }

  /**
   * The keyset file the environment names, else the default; none when the keyset itself is in the
   * environment.
   */
  private static Path keysetFromEnvironment(Map<String, String> env) {
    String file = env.get(KeyringSources.ENV_KEYSET_FILE);
    if (file != null && !file.isBlank()) {
      return Path.of(file.trim());
    }
    String inline = env.get(KeyringSources.ENV_KEYSET);
    return inline != null && !inline.isBlank() ? null : Target.DEFAULT_KEYSET;
  }

  private String where(boolean usesKey) {
    String key =
        switch (ide) {
          case vscode ->
              "VS Code asks for the API key when it starts the server and keeps it in its secret storage.";
          case cursor, windsurf, claude ->
              "Set LANONASIS_API_KEY in the environment the editor starts from; the file "
                  + "only refers to it.";
        };
    String file =
        switch (ide) {
          case vscode ->
              ".vscode/mcp.json in the workspace (or the user's mcp.json: 'MCP: Open User Configuration')";
          case cursor -> "~/.cursor/mcp.json (every project) or .cursor/mcp.json (this project)";
          case windsurf -> "~/.codeium/windsurf/mcp_config.json";
          case claude -> ".mcp.json at the project root (Claude Code)";
        };
    if (!usesKey) {
      key = "No API key is involved: the editor opens the store directly, with its keyset.";
    }
    return "lanonasis mcp config: put this in " + file + ". " + key;
  }
}
