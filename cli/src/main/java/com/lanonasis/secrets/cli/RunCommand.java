package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.SecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis run}: a command with secrets added to its environment. The secrets are read and
 * the store closed before the command starts; values go only into the child's environment, never
 * into an argument or a log line.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    modelTransformer = RunCommand.OptionsBeforeCommand.class,
    description = {
      "Run COMMAND with secrets in its environment: those under each --prefix and each --secret.",
      "Name to variable: the prefix is dropped, '/', '-' and '.' become '_', the rest is upper-cased "
          + "(prod/db/password under --prefix prod/ is DB_PASSWORD); --secret NAME=VAR picks the variable. "
          + "Two names making one variable is an error naming both. Variables already set are kept (and named on "
          + "stderr) unless --override. LANONASIS_API_KEY, LANONASIS_KEYSET*, the database and TLS passwords "
          + "(LANONASIS_DB_PASSWORD, LANONASIS_MIGRATION_DB_PASSWORD, LANONASIS_TLS_PKCS12_PASSWORD) are not passed on.",
      "COMMAND inherits stdin, stdout and stderr; its exit code is ours (128+N when signal N ended it; 127 when it "
          + "cannot be started). SIGTERM or SIGINT sent to lanonasis reaches COMMAND as SIGTERM, and lanonasis "
          + "waits for it to end."
    },
    footer = ExitCode.HELP)
final class RunCommand implements Callable<Integer> {
  /** The variables holding this CLI's own credentials, which the child does not get. */
  private static final List<String> OWN_CREDENTIALS =
      List.of(
          "LANONASIS_API_KEY",
          "LANONASIS_DB_PASSWORD",
          "LANONASIS_MIGRATION_DB_PASSWORD",
          "LANONASIS_TLS_PKCS12_PASSWORD",
          "LANONASIS_NEW_KEYSET_PASSPHRASE");

  static final int CANNOT_START = 127;

  @ParentCommand Lanonasis root;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "Every secret whose name starts with P (repeatable).")
  List<String> prefixes = new ArrayList<>();

  @Option(
      names = "--secret",
      paramLabel = "NAME[=VAR]",
      description = "The secret NAME, as VAR if given (repeatable).")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--override", description = "Replace variables already set in the environment.")
  boolean override;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments.")
  List<String> command;

  /** Options end at COMMAND: its own options ({@code run --prefix p ls -l}) are its, not ours. */
  static final class OptionsBeforeCommand implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      spec.parser().stopAtPositional(true);
      return spec;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (prefixes.isEmpty() && secrets.isEmpty()) {
      throw new CliException(
          ExitCode.USAGE, "name the secrets to pass: --prefix P or --secret NAME[=VAR]");
    }
    SecretVariables.check(secrets);
    Target target = root.target();
    Map<String, SecretVariables.Binding> variables;
    try (SecretStore store = target.open(root)) {
      variables = SecretVariables.read(store, prefixes, secrets);
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(root.env);
    env.keySet().removeIf(k -> OWN_CREDENTIALS.contains(k) || k.startsWith("LANONASIS_KEYSET"));
    List<String> kept = new ArrayList<>();
    for (SecretVariables.Binding b : variables.values()) {
      if (env.containsKey(b.variable) && !override) {
        kept.add(b.variable);
      } else {
        env.put(b.variable, b.value());
      }
    }
    if (!kept.isEmpty()) {
      root.err.println(
          "lanonasis run: kept as set in the environment (--override replaces them): "
              + String.join(", ", kept));
    }
    return runChild(pb);
  }

  private int runChild(ProcessBuilder pb) throws InterruptedException {
    // The real streams are handed to the child; captured ones (tests, embedding) are copied.
    pb.redirectInput(
        root.stdin == System.in ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
    pb.redirectOutput(
        root.out == System.out ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
    pb.redirectError(
        root.err == System.err ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
    root.out.flush();
    root.err.flush();
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      throw new CliException(
          CANNOT_START, "cannot start " + command.get(0) + " (" + e.getMessage() + ")");
    }
    // Java cannot catch SIGTERM or SIGINT, but runs shutdown hooks on them: this one passes the
    // request on (destroy() sends SIGTERM), waits, and makes the child's exit code ours.
    Thread forward =
        new Thread(
            () -> {
              child.destroy();
              try {
                int code = child.waitFor();
                root.out.flush();
                root.err.flush();
                Runtime.getRuntime().halt(code);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "lanonasis-run-signal");
    Runtime.getRuntime().addShutdownHook(forward);
    List<Thread> copiers = new ArrayList<>();
    if (root.stdin != System.in) {
      copy(root.stdin, child.getOutputStream(), true); // not waited for: the child need not read it
    }
    if (root.out != System.out) {
      copiers.add(copy(child.getInputStream(), root.out, false));
    }
    if (root.err != System.err) {
      copiers.add(copy(child.getErrorStream(), root.err, false));
    }
    int code = child.waitFor();
    for (Thread t : copiers) {
      t.join();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(forward);
    } catch (IllegalStateException shuttingDown) {
      // a signal came as the child ended: the hook ends the process with the same code
    }
    return code;
  }

  private static Thread copy(InputStream from, OutputStream to, boolean closeTarget) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
                to.flush();
              } catch (IOException ignored) {
                // the child closed its end (or ended): nothing left to pass
              } finally {
                if (closeTarget) {
                  try {
                    to.close();
                  } catch (IOException ignored) {
                    // already closed by the child's end
                  }
                }
              }
            },
            "lanonasis-run-copy");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
