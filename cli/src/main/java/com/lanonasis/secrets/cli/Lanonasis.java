package com.lanonasis.secrets.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code lanonasis}: secrets on a server ({@code --url}) or directly on a database ({@code
 * --store}), API keys, key rotation, and {@code serve}.
 */
@Command(
    name = "lanonasis",
    mixinStandardHelpOptions = true,
    versionProvider = Lanonasis.Version.class,
    description =
        "Lanonasis Secrets: encrypted, versioned secrets on a Lanonasis server or directly on a database.",
    footer = {
      ExitCode.HELP,
      "Remote: --url or LANONASIS_URL, with the key in LANONASIS_API_KEY (never a flag, so it stays out of "
          + "shell history and ps) or in a profile (sent only to the profile's url); LANONASIS_TLS_CA_FILE for a "
          + "private CA. Embedded: --store JDBC-URL with --keyset FILE, LANONASIS_KEYSET or "
          + "LANONASIS_KEYSET_FILE. Profiles: --profile NAME in ~/.config/lanonasis/config."
    })
public final class Lanonasis implements Runnable {
  /**
   * The commands, in the order --help lists them. Not in the annotation: picocli reflects over
   * every command class it is given, a fifth of a short command's CPU time, so a command line that
   * names one of these builds only that one ({@link #execute}).
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          SecretCommands.class,
          ApiKeyCommands.class,
          KeyCommands.class,
          ServeCommand.class,
          McpCommand.class,
          StoreCommands.MigrateStore.class,
          StoreCommands.Backup.class,
          AuditCommands.class,
          RunCommand.class,
          LoginCommands.Login.class,
          LoginCommands.Logout.class,
          LoginCommands.Whoami.class,
          AutoComplete.GenerateCompletion.class);

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "A Lanonasis server, e.g. http://127.0.0.1:8080 (env LANONASIS_URL).")
  String url;

  @Option(
      names = "--store",
      scope = ScopeType.INHERIT,
      paramLabel = "URI",
      description =
          "Work directly on a store, e.g. jdbc:sqlite:./data/secrets.db (env LANONASIS_STORE); a "
              + "database password goes in LANONASIS_DB_PASSWORD, never here.")
  String store;

  @Option(
      names = "--keyset",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "The master keyset file for --store (default ./data/keyset.json; created as a development "
              + "keyset only when the store holds no secrets yet).")
  Path keyset;

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "A profile of the config file (env LANONASIS_PROFILE; default 'default').")
  String profile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of text.")
  boolean json;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Say more when something fails.")
  boolean verbose;

  final Map<String, String> env;
  final InputStream stdin;
  final PrintStream out;
  final PrintStream err;

  Lanonasis(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
    this.env = Objects.requireNonNull(env, "env");
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "name a command: secret, run, login, logout, whoami, apikey, key, audit, serve, mcp, migrate-store, backup "
            + "(lanonasis --help lists them)");
  }

  /** The connection this invocation names (flags, then environment, then profile). */
  Target target() {
    return Target.resolve(this);
  }

  /** Runs the command line with these streams and environment; returns the exit code. */
  static int execute(
      String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
    Lanonasis root = new Lanonasis(env, stdin, out, err);
    CommandLine cli = new CommandLine(root);
    String named = commandName(args);
    boolean known = COMMANDS.stream().anyMatch(c -> commandName(c).equals(named));
    for (Class<?> command : COMMANDS) {
      // Help, completion and an unknown name (whose error lists the commands) need them all.
      if (!known || named.equals("generate-completion") || commandName(command).equals(named)) {
        cli.addSubcommand(command);
      }
    }
    CommandLine run = cli.getSubcommands().get("run");
    if (run != null) {
      // Added with addSubcommand, it takes the root's parser settings, which replace what its model
      // transformer set: options end at COMMAND (in run --prefix p sh -c ..., -c is sh's).
      run.setStopAtPositional(true);
    }
    CommandLine serve = cli.getSubcommands().get("serve");
    // Only for serve itself: its help's footer comes from the server's classes, which no other
    // command (--help included) loads.
    if (serve != null && "serve".equals(named)) {
      ServeCommand.describeServerSettings(serve);
    }
    HelpWrap.install(cli);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExitCodeExceptionMapper(ExitCode::of);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          // One line on stderr; messages of this project never hold a value or a key.
          String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          err.println("lanonasis: " + message);
          if (root.verbose && !(e instanceof CliException)) {
            err.println(
                "  ("
                    + e.getClass().getName()
                    + (e.getCause() == null
                        ? ""
                        : ", caused by " + e.getCause().getClass().getName())
                    + ")");
          }
          return ExitCode.of(e);
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          err.println("lanonasis: " + e.getMessage());
          err.println("(lanonasis --help, or lanonasis <command> --help)");
          return ExitCode.USAGE;
        });
    return cli.execute(args);
  }

  /**
   * The first argument that is neither an option of the root command nor an option's value; null if
   * none.
   */
  private static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--url")
          || a.equals("--store")
          || a.equals("--keyset")
          || a.equals("--profile")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  private static String commandName(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  public static void main(String[] args) {
    // Before any logger exists: only our own lines unless --verbose or LANONASIS_LOG_LEVEL asks for
    // more.
    LogLevels.configure(verboseRequested(args), System.getenv());
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Answered without building the command tree, which would load every command's classes.
      for (String line : new Version().getVersion()) {
        System.out.println(line);
      }
      System.exit(ExitCode.OK);
    }
    Map<String, String> env;
    try {
      env = withKeyFromDescriptor(System.getenv());
    } catch (CliException e) {
      System.err.println("lanonasis: " + e.getMessage());
      System.exit(e.exitCode());
      return;
    }
    System.exit(execute(args, env, System.in, System.out, System.err));
  }

  /**
   * Names the file descriptor the launcher hands the API key through (see {@link
   * #withKeyFromDescriptor}).
   */
  static final String API_KEY_FD = "LANONASIS_API_KEY_FD";

  /**
   * {@code env} with {@code LANONASIS_API_KEY} read from the file descriptor {@code
   * LANONASIS_API_KEY_FD} names, when it names one. The launcher hands the key to {@code lanonasis
   * mcp} that way so that it is not in the process's environment, which any process of the same
   * user (a command the MCP server starts, outside a sandbox) can read from {@code
   * /proc/<pid>/environ}.
   */
  static Map<String, String> withKeyFromDescriptor(Map<String, String> env) {
    String fd = env.get(API_KEY_FD);
    if (fd == null) {
      return env;
    }
    if (!fd.matches("[0-9]{1,4}") || Integer.parseInt(fd) < 3) {
      throw new CliException(
          ExitCode.USAGE, API_KEY_FD + " must name an open file descriptor from 3 up");
    }
    byte[] read;
    try (java.io.InputStream in =
        java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/self/fd", fd))) {
      read = in.readNBytes(4096);
    } catch (java.io.IOException | RuntimeException e) {
      throw new CliException(
          ExitCode.USAGE,
          "cannot read the API key from file descriptor "
              + fd
              + " ("
              + API_KEY_FD
              + "): "
              + e.getClass().getSimpleName());
    }
    String key = new String(read, java.nio.charset.StandardCharsets.UTF_8).strip();
    java.util.Arrays.fill(read, (byte) 0);
    Map<String, String> out = new java.util.HashMap<>(env);
    out.remove(API_KEY_FD);
    if (!key.isEmpty()) {
      out.put("LANONASIS_API_KEY", key);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Whether {@code --verbose} is ours: not after {@code --}, and not among the arguments of the
   * command {@code run} starts (its first word that is not an option, and everything after it).
   */
  static boolean verboseRequested(String[] args) {
    java.util.Set<String> withValue =
        java.util.Set.of("--prefix", "--secret", "--url", "--store", "--keyset", "--profile");
    boolean run = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--verbose")) {
        return true;
      }
      if (withValue.contains(a)) {
        i++;
      } else if (run && !a.startsWith("-")) {
        return false;
      }
      run |= a.equals("run");
    }
    return false;
  }

  /** The version of the jar, from its manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Lanonasis.class.getPackage().getImplementationVersion();
      return new String[] {"lanonasis " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
