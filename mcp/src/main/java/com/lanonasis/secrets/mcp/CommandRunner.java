package com.lanonasis.secrets.mcp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of the {@code run_with_secrets} tool: runs an allow-listed command, or an operator's
 * {@link Recipe}, with secrets in its environment, inside a {@link Sandbox}, and returns its exit
 * code and, where allowed, its output scrubbed of them (see {@link Redactor}).
 *
 * <p>An allow-list entry is one of:
 *
 * <ul>
 *   <li>a bare name ({@code psql}): found on the {@code PATH} of the base environment when the
 *       runner is built, and always run by that absolute path, so neither a file planted in the
 *       working directory nor a changed {@code PATH} can stand in for it;
 *   <li>an absolute path ({@code /usr/bin/psql}): must exist and be executable when the runner is
 *       built;
 *   <li>a relative path with a {@code /} ({@code ./gradlew}, {@code bin/migrate}): resolved against
 *       the working directory of each run and required to lie inside the workspace. Such an entry
 *       trusts the workspace's file: whoever can change the workspace chooses what runs.
 * </ul>
 *
 * <p>A request names the entry exactly, or a recipe by name. Nothing runs through a shell: the
 * argument vector is the resolved command followed by the request's arguments as given (or the
 * recipe's template, filled in). Every run is sandboxed: where no sandbox can be made, every run is
 * refused and says why. The child's environment is only a minimal {@code PATH}, {@code HOME=/tmp},
 * a recipe's fixed variables and the injected secrets, under names from an allow-list ({@link
 * #injectable}); its stdin is empty. At the timeout the whole process tree is killed. Runs are
 * limited in number at once and, per secret, by a {@link RunBudget}. Every refusal is a {@link
 * CommandRefusedException}, thrown before anything starts, whose message says why and what to do
 * instead and never holds a value.
 *
 * <p>Values become Java strings in the child's environment and cannot be wiped from the JVM's
 * memory.
 *
 * <p>Thread-safety: safe for concurrent {@link #run} calls.
 */
final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Names that say "a credential", and nothing a program reads to decide what code to run. */
  private static final Set<String> INJECTABLE_NAMES =
      Set.of(
          "PGPASSWORD",
          "MYSQL_PWD",
          "PASSWORD",
          "TOKEN",
          "SECRET",
          "API_KEY",
          "DATABASE_URL",
          "REDIS_URL",
          "MONGODB_URI");

  private static final Pattern INJECTABLE_SHAPE =
      Pattern.compile(
          "[A-Z][A-Z0-9_]*_(PASSWORD|PASSWD|PWD|PASS|TOKEN|SECRET|API_KEY|APIKEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|KEY)");
  private static final String HIDDEN_PREFIX = "LANONASIS_";
  private static final Duration REAP = Duration.ofSeconds(5);

  /** How long the output may keep coming after the command ended, before it is cut off. */
  private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

  private static final Duration POLL = Duration.ofMillis(100);

  private final List<String> allowedCommands;

  /** Bare names and absolute paths, to the file they run; relative entries are resolved per run. */
  private final Map<String, Path> fixedCommands;

  private final Map<String, Recipe> recipes;
  private final Path workspaceRoot;
  private final @Nullable String basePath;
  private final Set<String> extraVariables;
  private final int maxOutputBytes;
  private final Duration defaultTimeout;
  private final Duration maxTimeout;
  private final CommandOutput commandOutput;
  private final Sandbox.Grants commandGrants;
  private final Sandbox sandbox;
  private final Semaphore running;
  private final int maxConcurrent;
  private final RunBudget budget;

  /**
   * What a runner may run and how.
   *
   * @param commands the allow-list for free commands (empty: none)
   * @param recipes the operator's recipes
   * @param commandOutput what free commands return besides the exit code
   * @param commandGrants what free commands may see and do beyond the sandbox's defaults
   * @param extraVariables variable names injectable besides the built-in allow-list
   * @param protectedPaths what no child may see even inside the workspace
   * @param sandbox the sandbox to use; empty: {@link Sandbox#detect} when anything may run
   */
  record Settings(
      List<String> commands,
      List<Recipe> recipes,
      Path workspace,
      Map<String, String> baseEnvironment,
      int maxOutputBytes,
      Duration defaultTimeout,
      Duration maxTimeout,
      CommandOutput commandOutput,
      Sandbox.Grants commandGrants,
      Set<String> extraVariables,
      List<Path> protectedPaths,
      int maxConcurrent,
      RunBudget budget,
      Optional<Sandbox> sandbox) {
    Settings {
      commands = List.copyOf(commands);
      recipes = List.copyOf(recipes);
      Objects.requireNonNull(workspace, "workspace");
      baseEnvironment = Map.copyOf(baseEnvironment);
      Objects.requireNonNull(defaultTimeout, "defaultTimeout");
      Objects.requireNonNull(maxTimeout, "maxTimeout");
      Objects.requireNonNull(commandOutput, "commandOutput");
      Objects.requireNonNull(commandGrants, "commandGrants");
      extraVariables = Set.copyOf(extraVariables);
      protectedPaths = List.copyOf(protectedPaths);
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(sandbox, "sandbox");
    }
  }

  CommandRunner(Settings s) {
    Objects.requireNonNull(s, "settings");
    if (s.maxOutputBytes() < 1) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + s.maxOutputBytes());
    }
    if (s.maxTimeout().toSeconds() < 1) {
      throw new IllegalArgumentException("maxTimeout must be at least 1 second: " + s.maxTimeout());
    }
    Duration defaultTimeout = s.defaultTimeout();
    if (defaultTimeout.isNegative()
        || defaultTimeout.isZero()
        || defaultTimeout.compareTo(s.maxTimeout()) > 0) {
      throw new IllegalArgumentException(
          "defaultTimeout must be positive and at most maxTimeout ("
              + s.maxTimeout()
              + "): "
              + defaultTimeout);
    }
    if (s.maxConcurrent() < 1) {
      throw new IllegalArgumentException(
          "at least one command must be allowed to run at a time: " + s.maxConcurrent());
    }
    for (String v : s.extraVariables()) {
      if (!VARIABLE_NAME.matcher(v).matches() || forbidden(v)) {
        throw new IllegalArgumentException(
            "'"
                + ControlCharacters.escape(v)
                + "' cannot be made injectable: "
                + "PATH, IFS, HOME, LD_*, DYLD_* and LANONASIS_* never are");
      }
    }
    this.allowedCommands = s.commands();
    this.workspaceRoot = realDirectory(s.workspace());
    this.basePath = s.baseEnvironment().get("PATH");
    this.fixedCommands = resolveFixed(this.allowedCommands, basePath);
    Map<String, Recipe> byName = new LinkedHashMap<>();
    for (Recipe r : s.recipes()) {
      if (byName.putIfAbsent(r.name(), r) != null) {
        throw new IllegalArgumentException("two recipes are named '" + r.name() + "'");
      }
    }
    this.recipes = Collections.unmodifiableMap(byName);
    this.extraVariables = s.extraVariables();
    this.maxOutputBytes = s.maxOutputBytes();
    this.defaultTimeout = defaultTimeout;
    this.maxTimeout = s.maxTimeout();
    this.commandOutput = s.commandOutput();
    this.commandGrants = s.commandGrants();
    this.maxConcurrent = s.maxConcurrent();
    this.running = new Semaphore(s.maxConcurrent());
    this.budget = s.budget();
    this.sandbox =
        s.sandbox()
            .orElseGet(
                () ->
                    allowedCommands.isEmpty() && recipes.isEmpty()
                        ? Sandbox.unavailable("nothing may run")
                        : Sandbox.detect(s.protectedPaths()));
    sandbox
        .protecting(workspaceRoot)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(
                  "the workspace "
                      + workspaceRoot
                      + " lies inside "
                      + p
                      + ", which no "
                      + "command may see (a data directory, keyset or key file); choose another workspace");
            });
    if (enabled()) {
      sandbox
          .unavailable()
          .ifPresent(
              reason ->
                  log.warn(
                      "run_with_secrets will refuse every run: no sandbox can be "
                          + "made here: {}",
                      reason));
    }
  }

  /**
   * The absolute path a recipe's {@code command} runs: a bare name on PATH now, or an absolute
   * path.
   */
  static Path resolveRecipeCommand(String command, @Nullable String path) {
    if (command.indexOf('/') < 0) {
      return onPath(command, path)
          .orElseThrow(
              () -> new IllegalArgumentException("command '" + command + "' is not on PATH"));
    }
    Path file = Path.of(command);
    if (!file.isAbsolute() || !isExecutableFile(file)) {
      throw new IllegalArgumentException(
          "command '"
              + command
              + "' must be a name on PATH or the absolute path of "
              + "an executable file");
    }
    return file;
  }

  /** Whether the tool is on: false when no command is allow-listed and no recipe defined. */
  boolean enabled() {
    return !allowedCommands.isEmpty() || !recipes.isEmpty();
  }

  /** The allow-list as given, for the tool's description. */
  List<String> allowedCommands() {
    return allowedCommands;
  }

  /** The recipes, by name, in the order they were defined. */
  Map<String, Recipe> recipes() {
    return recipes;
  }

  /** What free commands return besides the exit code. */
  CommandOutput commandOutput() {
    return commandOutput;
  }

  RunBudget budget() {
    return budget;
  }

  /** Why no run can happen here, if none can. */
  Optional<String> sandboxUnavailable() {
    return sandbox.unavailable();
  }

  /**
   * The recipe named {@code name}.
   *
   * @throws CommandRefusedException naming the recipes there are
   */
  Recipe recipe(String name) {
    Recipe r = recipes.get(name);
    if (r == null) {
      throw new CommandRefusedException(
          "there is no recipe named that; the recipes are "
              + (recipes.isEmpty() ? "none" : String.join(", ", recipes.keySet())));
    }
    return r;
  }

  /** {@link #run(Request, String)} in the unnamed scope (one caller, as on stdio). */
  Result run(Request request) {
    return run(request, "");
  }

  /**
   * Runs {@code request} to completion or timeout.
   *
   * @param scope whose budget the run counts against (a tenant)
   * @throws CommandRefusedException if the request breaks a rule, the budget or the limit of runs
   *     at once, or the command cannot be started; nothing has run then
   * @throws CancellationException if the calling thread is interrupted; the command is killed
   */
  Result run(Request request, String scope) {
    Objects.requireNonNull(request, "request");
    if (allowedCommands.isEmpty()) {
      throw new CommandRefusedException(
          "run_with_secrets takes no free command here: no command is allow-listed"
              + (recipes.isEmpty()
                  ? ". Start the server with --allow-command NAME (once per command) or --recipes FILE "
                      + "to turn it on."
                  : "; use one of the recipes: " + String.join(", ", recipes.keySet())));
    }
    if (!allowedCommands.contains(request.command())) {
      throw new CommandRefusedException(
          "command '"
              + ControlCharacters.escape(request.command())
              + "' is not allow-listed; name one of these exactly: "
              + String.join(", ", allowedCommands)
              + ". Others need --allow-command NAME when the server starts.");
    }
    checkArguments(request.args());
    Path cwd = workingDirectory(request.cwd());
    Duration timeout = timeout(request.timeoutSeconds(), defaultTimeout);
    checkInjections(request.env(), true);
    Path executable = executable(request.command(), cwd);
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(request.args());
    String shape = shape("command:" + request.command(), request.env(), request.args());
    return execute(
        argv,
        request.env(),
        Map.of(),
        cwd,
        timeout,
        commandOutput,
        commandGrants,
        scope,
        shape,
        request.command());
  }

  /**
   * Runs a recipe with its parameters and its secrets ({@code injected}, one per variable of the
   * recipe's {@code env}) to completion or timeout.
   *
   * @throws CommandRefusedException as {@link #run(Request, String)}
   */
  Result run(RecipeRequest request, String scope) {
    Objects.requireNonNull(request, "request");
    Recipe recipe = recipe(request.recipe());
    List<String> args = recipe.arguments(request.parameters());
    Path cwd = workingDirectory(request.cwd());
    Duration timeout = timeout(request.timeoutSeconds(), recipe.timeout().orElse(defaultTimeout));
    Map<String, String> wanted = new LinkedHashMap<>();
    request.env().forEach(i -> wanted.put(i.variable(), i.secretName()));
    if (!wanted.equals(recipe.env())) {
      throw new IllegalArgumentException(
          "the injections do not match recipe " + recipe.name() + "'s env");
    }
    checkInjections(request.env(), false);
    List<String> argv = new ArrayList<>();
    argv.add(recipe.command());
    argv.addAll(args);
    String shape = shape("recipe:" + recipe.name(), request.env(), args);
    return execute(
        argv,
        request.env(),
        recipe.setenv(),
        cwd,
        timeout,
        recipe.output(),
        new Sandbox.Grants(recipe.workspace(), recipe.network(), recipe.proc()),
        scope,
        shape,
        recipe.name());
  }

  private Result execute(
      List<String> argv,
      List<Injected> injections,
      Map<String, String> setenv,
      Path cwd,
      Duration timeout,
      CommandOutput output,
      Sandbox.Grants grants,
      String scope,
      String shape,
      String what) {
    Optional<String> noSandbox = sandbox.unavailable();
    if (noSandbox.isPresent()) {
      throw new CommandRefusedException(
          "run_with_secrets is refused on this machine: no sandbox can be made for "
              + "the command ("
              + noSandbox.get()
              + "). Commands never run unconfined.");
    }
    if (!running.tryAcquire()) {
      throw new CommandRefusedException(
          "already "
              + maxConcurrent
              + " commands running, the most at once; try "
              + "again when one has finished");
    }
    try {
      List<String> secrets = injections.stream().map(Injected::secretName).distinct().toList();
      List<String> alarms = budget.admit(scope, secrets, shape);
      for (String secret : alarms) {
        log.warn(
            "run_with_secrets: {} or more near-identical runs with secret '{}' within {} ({}): an agent may be "
                + "testing guesses",
            budget.alarmAfter(),
            secret,
            RunBudget.human(budget.window()),
            ControlCharacters.escape(what));
      }
      ProcessBuilder builder =
          new ProcessBuilder(
              sandbox.wrap(
                  argv,
                  workspaceRoot,
                  cwd,
                  grants,
                  (int) Math.min(Integer.MAX_VALUE, timeout.toSeconds() + 1)));
      Map<String, String> environment = builder.environment();
      environment.clear();
      environment.put("PATH", Sandbox.PATH);
      environment.putAll(setenv);
      for (Injected injected : injections) {
        byte[] value = injected.value();
        environment.put(injected.variable(), new String(value, StandardCharsets.UTF_8));
        Arrays.fill(value, (byte) 0);
      }
      if (output == CommandOutput.NONE) {
        builder
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
      }
      return start(builder, injections, timeout, output, alarms, what);
    } finally {
      running.release();
    }
  }

  private Result start(
      ProcessBuilder builder,
      List<Injected> injections,
      Duration timeout,
      CommandOutput output,
      List<String> alarms,
      String what) {
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CommandRefusedException(
          "could not start '" + ControlCharacters.escape(what) + "': " + e.getMessage(), e);
    }
    boolean returned = output == CommandOutput.REDACTED;
    // Both captures exist exactly when the output is returned.
    Capture stdout =
        returned ? Capture.start(process.getInputStream(), maxOutputBytes, "stdout") : null;
    Capture stderr =
        returned ? Capture.start(process.getErrorStream(), maxOutputBytes, "stderr") : null;
    Redactor redactor = null;
    try {
      closeQuietly(process.getOutputStream());
      Set<ProcessHandle> seen = new LinkedHashSet<>();
      boolean timedOut = !awaitExit(process, timeout, seen);
      if (timedOut) {
        killTree(process, seen);
        process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
      }
      if (stdout != null && stderr != null) {
        long graceEnd = System.nanoTime() + PIPE_GRACE.toNanos();
        // Both streams are awaited, whatever the first one does.
        boolean outEnded = stdout.awaitEnd(graceEnd);
        boolean errEnded = stderr.awaitEnd(graceEnd);
        if (!(outEnded && errEnded)) {
          killTree(process, seen);
          long lastEnd = System.nanoTime() + POLL.toNanos() * 5;
          boolean outEndedLast = stdout.awaitEnd(lastEnd);
          boolean errEndedLast = stderr.awaitEnd(lastEnd);
          if (!(outEndedLast && errEndedLast)) {
            log.warn(
                "run_with_secrets: the output of '{}' is held open by a process it left behind; "
                    + "taking the output as it stands",
                ControlCharacters.escape(what));
          }
          stdout.abandon();
          stderr.abandon();
        }
      }
      int exitCode = process.isAlive() ? -1 : process.exitValue();
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (stdout == null || stderr == null) {
        return new Result(exitCode, timedOut, output, "", "", false, false, elapsedMillis, alarms);
      }
      redactor = new Redactor(injections);
      Redactor.Scrubbed out = stdout.scrub(redactor);
      Redactor.Scrubbed err = stderr.scrub(redactor);
      return new Result(
          exitCode,
          timedOut,
          output,
          out.text(),
          err.text(),
          out.truncated(),
          err.truncated(),
          elapsedMillis,
          alarms);
    } catch (InterruptedException e) {
      killTree(process, Set.of());
      if (stdout != null && stderr != null) {
        stdout.abandon();
        stderr.abandon();
      }
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "interrupted while running '" + ControlCharacters.escape(what) + "'; it was killed");
    } finally {
      if (stdout != null && stderr != null) {
        stdout.wipe();
        stderr.wipe();
      }
      if (redactor != null) {
        redactor.wipe();
      }
    }
  }

  /** What makes runs "the same" for the alarm: all but the exact contents of the arguments. */
  private static String shape(String what, List<Injected> env, List<String> args) {
    StringBuilder s = new StringBuilder(what);
    env.stream()
        .map(i -> i.variable() + "=" + i.secretName())
        .sorted()
        .forEach(v -> s.append(' ').append(v));
    s.append(" #").append(args.size());
    args.forEach(a -> s.append(' ').append(a.length() / 16));
    return s.toString();
  }

  /**
   * Whether {@code variable} may carry a secret: a credential's name, never one that changes what
   * runs.
   */
  boolean injectable(String variable) {
    return !forbidden(variable)
        && (extraVariables.contains(variable)
            || INJECTABLE_NAMES.contains(variable)
            || INJECTABLE_SHAPE.matcher(variable).matches());
  }

  private static boolean forbidden(String variable) {
    return variable.equals("PATH")
        || variable.equals("IFS")
        || variable.equals("HOME")
        || variable.startsWith("LD_")
        || variable.startsWith("DYLD_")
        || hidden(variable);
  }

  private static boolean hidden(String variable) {
    return variable.regionMatches(true, 0, HIDDEN_PREFIX, 0, HIDDEN_PREFIX.length());
  }

  private static Path realDirectory(Path root) {
    try {
      Path real = root.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new IllegalArgumentException("workspaceRoot is not a directory: " + root);
      }
      return real;
    } catch (IOException e) {
      throw new IllegalArgumentException("workspaceRoot does not exist: " + root, e);
    }
  }

  private static Map<String, Path> resolveFixed(List<String> entries, @Nullable String path) {
    Map<String, Path> fixed = new LinkedHashMap<>();
    for (String entry : entries) {
      if (entry.isBlank() || entry.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "allow-listed command '" + entry + "' is not a command name or path");
      }
      if (entry.indexOf('/') < 0) {
        fixed.put(
            entry,
            onPath(entry, path)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "allow-listed command '" + entry + "' is not on PATH")));
      } else if (entry.startsWith("/")) {
        Path file = Path.of(entry);
        if (!isExecutableFile(file)) {
          throw new IllegalArgumentException(
              "allow-listed command '" + entry + "' is not an executable file");
        }
        fixed.put(entry, file);
      }
    }
    return Map.copyOf(fixed);
  }

  private static Optional<Path> onPath(String name, @Nullable String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(":", -1)) {
      // An empty or relative PATH entry means the working directory, where a planted file would
      // win.
      if (!directory.startsWith("/")) {
        continue;
      }
      try {
        Path candidate = Path.of(directory, name).normalize();
        if (isExecutableFile(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        // not a usable directory: on to the next entry
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  private static void checkArguments(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg == null) {
        throw new CommandRefusedException(
            "argument " + (i + 1) + " is null; give every argument as a string");
      }
      if (arg.indexOf('\0') >= 0) {
        throw new CommandRefusedException(
            "argument "
                + (i + 1)
                + " contains a NUL character, which no command "
                + "can receive; remove it");
      }
    }
  }

  private Path workingDirectory(Optional<String> requested) {
    if (requested.isEmpty()) {
      return workspaceRoot;
    }
    String given = requested.get();
    String shown = ControlCharacters.escape(given);
    String fix =
        "; give a directory inside the workspace "
            + workspaceRoot
            + " (a relative path is taken from there), or none for the workspace itself";
    Path real;
    try {
      real = workspaceRoot.resolve(given).toRealPath();
    } catch (IOException | InvalidPathException e) {
      throw new CommandRefusedException("working directory '" + shown + "' does not exist" + fix);
    }
    if (!Files.isDirectory(real)) {
      throw new CommandRefusedException(
          "working directory '" + shown + "' is not a directory" + fix);
    }
    if (!real.startsWith(workspaceRoot)) {
      throw new CommandRefusedException(
          "working directory '" + shown + "' is outside the workspace" + fix);
    }
    if (sandbox.protecting(real).isPresent()) {
      throw new CommandRefusedException(
          "working directory '"
              + shown
              + "' is hidden from commands (it holds "
              + "keys or data)"
              + fix);
    }
    return real;
  }

  private Duration timeout(Optional<Integer> requestedSeconds, Duration byDefault) {
    if (requestedSeconds.isEmpty()) {
      return byDefault;
    }
    int seconds = requestedSeconds.get();
    if (seconds < 1 || seconds > maxTimeout.toSeconds()) {
      throw new CommandRefusedException(
          "timeoutSeconds must be between 1 and "
              + maxTimeout.toSeconds()
              + ", was "
              + seconds
              + "; leave it out for the default of "
              + byDefault.toSeconds()
              + " s");
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * Checks each injection's variable and value; {@code agentChosen} variables must also be {@link
   * #injectable} (a recipe's are the operator's choice).
   */
  private void checkInjections(List<Injected> injections, boolean agentChosen) {
    Map<String, String> secretByVariable = new HashMap<>();
    for (Injected injected : injections) {
      String variable = injected.variable();
      String secret = injected.secretName();
      if (!VARIABLE_NAME.matcher(variable).matches()) {
        throw new CommandRefusedException(
            "variable name '"
                + ControlCharacters.escape(variable)
                + "' for secret '"
                + secret
                + "' is not valid; use letters, digits and _, not starting with a digit");
      }
      if (agentChosen && !injectable(variable)) {
        throw new CommandRefusedException(
            "variable '"
                + variable
                + "' cannot carry a secret: only names of "
                + "credentials may (PGPASSWORD, MYSQL_PWD, DATABASE_URL, or NAME_PASSWORD, NAME_TOKEN, NAME_SECRET, "
                + "NAME_KEY, NAME_API_KEY and the like), never one that changes what a program runs; choose such a name "
                + "for secret '"
                + secret
                + "', or the user allows this one with --allow-variable "
                + variable);
      }
      String earlier = secretByVariable.putIfAbsent(variable, secret);
      if (earlier != null) {
        throw new CommandRefusedException(
            "variable '"
                + variable
                + "' is given twice, for secrets '"
                + earlier
                + "' and '"
                + secret
                + "'; give each its own variable");
      }
      checkValue(injected);
    }
  }

  private static void checkValue(Injected injected) {
    byte[] value = injected.value();
    try {
      String where =
          "the value of secret '"
              + injected.secretName()
              + "' cannot be environment variable "
              + injected.variable();
      for (byte b : value) {
        if (b == 0) {
          throw new CommandRefusedException(
              where
                  + ": it contains a NUL byte; store it encoded (base64, for "
                  + "instance) and decode it in the command");
        }
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
      } catch (CharacterCodingException e) {
        throw new CommandRefusedException(
            where
                + ": it is not UTF-8 text; store it encoded (base64, for "
                + "instance) and decode it in the command");
      }
      // Java 17 passes the environment in the default charset, which may not be UTF-8.
      Charset platform = Charset.defaultCharset();
      if (!Arrays.equals(text.getBytes(platform), value)) {
        throw new CommandRefusedException(
            where
                + ": this JVM's default charset, "
                + platform
                + ", cannot carry it unchanged; start the server with -Dfile.encoding=UTF-8");
      }
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  private Path executable(String command, Path cwd) {
    Path fixed = fixedCommands.get(command);
    if (fixed != null) {
      return fixed;
    }
    String fix =
        "; the allow-listed '"
            + command
            + "' is taken from the working directory "
            + cwd
            + " and must be an executable file inside the workspace";
    Path real;
    try {
      real = cwd.resolve(command).toRealPath();
    } catch (IOException | InvalidPathException e) {
      throw new CommandRefusedException("command '" + command + "' does not exist" + fix);
    }
    if (!isExecutableFile(real)) {
      throw new CommandRefusedException(
          "command '" + command + "' is not an executable file" + fix);
    }
    if (!real.startsWith(workspaceRoot)) {
      throw new CommandRefusedException(
          "command '" + command + "' leads outside the workspace" + fix);
    }
    // The real path is what was checked, so it is what runs.
    return real;
  }

  /**
   * Waits for the process to exit within {@code timeout}, noting its descendants meanwhile: once a
   * process has exited, its orphans are no longer its descendants and could not be found to kill.
   */
  private static boolean awaitExit(Process process, Duration timeout, Set<ProcessHandle> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      seen.removeIf(handle -> !handle.isAlive());
      process.descendants().forEach(seen::add);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return !process.isAlive();
      }
      if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
  }

  /** Kills descendants first, so that the process cannot be replaced by its children. */
  private static void killTree(Process process, Set<ProcessHandle> seen) {
    Set<ProcessHandle> tree = new LinkedHashSet<>(seen);
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // The child may already be gone; it has no stdin then either.
    }
  }

  /**
   * What to run. {@code args} may hold nulls here so that {@link #run} can refuse them by position.
   */
  record Request(
      String command,
      List<String> args,
      List<Injected> env,
      Optional<String> cwd,
      Optional<Integer> timeoutSeconds) {
    Request {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(args, "args");
      Objects.requireNonNull(env, "env");
      Objects.requireNonNull(cwd, "cwd");
      Objects.requireNonNull(timeoutSeconds, "timeoutSeconds");
      args = Collections.unmodifiableList(new ArrayList<>(args));
      env = List.copyOf(env);
    }
  }

  /**
   * A secret to put in the child's environment. Not a record: it must not print or compare its
   * value. Holds a copy of the bytes; {@link #wipe()} zeroes it, after which {@link #value()}
   * throws. The runner never wipes a request's injections: their owner does, after the run.
   */
  static final class Injected {
    private final String variable;
    private final String secretName;
    private final byte[] value;
    private volatile boolean wiped;

    Injected(String variable, String secretName, byte[] value) {
      this.variable = Objects.requireNonNull(variable, "variable");
      this.secretName = Objects.requireNonNull(secretName, "secretName");
      this.value = Objects.requireNonNull(value, "value").clone();
    }

    String variable() {
      return variable;
    }

    String secretName() {
      return secretName;
    }

    /** A copy of the value, for the caller to wipe. */
    byte[] value() {
      if (wiped) {
        throw new IllegalStateException("the value for " + variable + " was wiped");
      }
      return value.clone();
    }

    void wipe() {
      wiped = true;
      Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
      return "Injected[" + variable + "<-" + secretName + "]";
    }
  }

  /**
   * How a run ended. {@code exitCode} is -1 if the process could not be reaped; a killed process
   * reports 128 plus the signal (137). The outputs are capped and scrubbed, and empty unless {@code
   * output} is {@link CommandOutput#REDACTED}. {@code alarms} names the secrets whose
   * near-identical run alarm this run raised.
   */
  record Result(
      int exitCode,
      boolean timedOut,
      CommandOutput output,
      String stdout,
      String stderr,
      boolean stdoutTruncated,
      boolean stderrTruncated,
      long elapsedMillis,
      List<String> alarms) {
    Result {
      alarms = List.copyOf(alarms);
    }
  }

  /**
   * A recipe to run: its parameters as the agent gave them, and its secrets, one per variable of
   * the recipe's {@code env}, read by the caller.
   */
  record RecipeRequest(
      String recipe,
      Map<String, String> parameters,
      List<Injected> env,
      Optional<String> cwd,
      Optional<Integer> timeoutSeconds) {
    RecipeRequest {
      Objects.requireNonNull(recipe, "recipe");
      parameters = Map.copyOf(parameters);
      env = List.copyOf(env);
      Objects.requireNonNull(cwd, "cwd");
      Objects.requireNonNull(timeoutSeconds, "timeoutSeconds");
    }
  }

  /** A request the runner will not run; the message says why and what to do, never a value. */
  static final class CommandRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandRefusedException(String message) {
      super(message);
    }

    CommandRefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * One output stream, read on its own thread so that a chatty child never blocks on a full pipe:
   * up to {@code bound} bytes are kept, the rest is read and counted.
   */
  private static final class Capture {
    private final InputStream in;
    private final int bound;
    private final Thread thread;
    private byte[] kept = new byte[0];
    private int size;
    private long discarded;
    private boolean abandoned;

    private Capture(InputStream in, int bound, String name) {
      this.in = in;
      this.bound = bound;
      this.thread = new Thread(this::pump, "run_with_secrets " + name);
      this.thread.setDaemon(true);
    }

    static Capture start(InputStream in, int bound, String name) {
      Capture capture = new Capture(in, bound, name);
      capture.thread.start();
      return capture;
    }

    private void pump() {
      byte[] chunk = new byte[8192];
      try {
        int n;
        while ((n = in.read(chunk)) != -1) {
          append(chunk, n);
        }
      } catch (IOException e) {
        // Closed by abandon(): what was read is kept.
      } finally {
        Arrays.fill(chunk, (byte) 0);
      }
    }

    private synchronized void append(byte[] chunk, int n) {
      if (abandoned) {
        return;
      }
      int keep = Math.min(n, bound - size);
      if (size + keep > kept.length) {
        byte[] bigger =
            Arrays.copyOf(kept, (int) Math.min(bound, Math.max(8192L, 2L * (size + keep))));
        Arrays.fill(kept, (byte) 0);
        kept = bigger;
      }
      System.arraycopy(chunk, 0, kept, size, keep);
      size += keep;
      discarded += n - keep;
    }

    /** Whether the stream ended by {@code deadline} (a {@link System#nanoTime()} value). */
    boolean awaitEnd(long deadline) throws InterruptedException {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        thread.join(left);
      }
      return !thread.isAlive();
    }

    /** Stops taking output; the thread ends once whoever holds the pipe lets go. */
    void abandon() {
      synchronized (this) {
        abandoned = abandoned || thread.isAlive();
      }
      closeQuietly(in);
    }

    synchronized Redactor.Scrubbed scrub(Redactor redactor) {
      byte[] copy = Arrays.copyOf(kept, size);
      try {
        // A stream given up on may have stopped inside a value, just as one cut at the bound.
        return redactor.scrub(copy, discarded > 0 || abandoned);
      } finally {
        Arrays.fill(copy, (byte) 0);
      }
    }

    synchronized void wipe() {
      abandoned = true;
      Arrays.fill(kept, (byte) 0);
      size = 0;
    }
  }
}
