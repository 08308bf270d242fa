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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of the {@code run_with_secrets} tool: runs an allow-listed command with secrets in
 * its environment and returns its output scrubbed of them (see {@link Redactor}).
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
 * <p>A request names the entry exactly. Nothing runs through a shell: the argument vector is the
 * resolved command followed by the request's arguments as given. The child gets the base
 * environment without any {@code LANONASIS_*} variable (the server's own API key and keysets),
 * plus the injected secrets; its stdin is empty. At the timeout the whole process tree is killed.
 * Every refusal is a {@link CommandRefusedException}, thrown before anything starts, whose message
 * says why and what to do instead and never holds a value.
 *
 * <p>Limits: a descendant that detaches before the runner sees it (a double fork within about
 * 100 ms) is not killed; if it keeps the output pipes open, the output is taken as it stands two
 * seconds after the command ended, and the reading thread lingers until that process closes them.
 * Values become Java strings in the child's environment and cannot be wiped from the JVM's
 * memory.
 *
 * <p>Thread-safety: immutable; {@link #run} may be called from several threads at once.
 */
final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Variables that would change which program or library runs, or how a shell parses. */
  private static final Set<String> FORBIDDEN_VARIABLES = Set.of("PATH", "IFS", "BASH_ENV", "ENV");
  private static final String HIDDEN_PREFIX = "LANONASIS_";
  /** How long the output may keep coming after the command ended, before it is cut off. */
  private static final Duration PIPE_GRACE = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration REAP = Duration.ofSeconds(5);

  private final List<String> allowedCommands;
  /** Bare names and absolute paths, to the file they run; relative entries are resolved per run. */
  private final Map<String, Path> fixedCommands;
  private final Path workspaceRoot;
  private final Map<String, String> childEnvironment;
  private final int maxOutputBytes;
  private final Duration defaultTimeout;
  private final Duration maxTimeout;

  CommandRunner(List<String> allowedCommands, Path workspaceRoot, Map<String, String> baseEnvironment,
      int maxOutputBytes, Duration defaultTimeout, Duration maxTimeout) {
    Objects.requireNonNull(allowedCommands, "allowedCommands");
    Objects.requireNonNull(workspaceRoot, "workspaceRoot");
    Objects.requireNonNull(baseEnvironment, "baseEnvironment");
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    if (maxOutputBytes < 1) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
    }
    if (maxTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("maxTimeout must be at least 1 second: " + maxTimeout);
    }
    if (defaultTimeout.isNegative() || defaultTimeout.isZero() || defaultTimeout.compareTo(maxTimeout) > 0) {
      throw new IllegalArgumentException(
          "defaultTimeout must be positive and at most maxTimeout (" + maxTimeout + "): " + defaultTimeout);
    }
    this.allowedCommands = List.copyOf(allowedCommands);
    this.workspaceRoot = realDirectory(workspaceRoot);
    Map<String, String> base = Map.copyOf(baseEnvironment);
    this.fixedCommands = resolveFixed(this.allowedCommands, base.get("PATH"));
    Map<String, String> child = new HashMap<>(base);
    child.keySet().removeIf(CommandRunner::hidden);
    this.childEnvironment = Map.copyOf(child);
    this.maxOutputBytes = maxOutputBytes;
    this.defaultTimeout = defaultTimeout;
    this.maxTimeout = maxTimeout;
  }

  /** Whether the tool is on: false when no command is allow-listed. */
  boolean enabled() {
    return !allowedCommands.isEmpty();
  }

  /** The allow-list as given, for the tool's description. */
  List<String> allowedCommands() {
    return allowedCommands;
  }

  /**
   * Runs {@code request} to completion or timeout.
   *
   * @throws CommandRefusedException if the request breaks a rule or the command cannot be started;
   *     nothing has run then
   * @throws CancellationException if the calling thread is interrupted; the command is killed
   */
  Result run(Request request) {
    Objects.requireNonNull(request, "request");
    if (!enabled()) {
      throw new CommandRefusedException("run_with_secrets is off: no command is allow-listed. "
          + "Start the server with --allow-command NAME (once per command) to turn it on.");
    }
    if (!allowedCommands.contains(request.command())) {
      throw new CommandRefusedException("command '" + request.command() + "' is not allow-listed; "
          + "name one of these exactly: " + String.join(", ", allowedCommands)
          + ". Others need --allow-command NAME when the server starts.");
    }
    checkArguments(request.args());
    Path cwd = workingDirectory(request.cwd());
    Duration timeout = timeout(request.timeoutSeconds());
    checkInjections(request.env());
    Path executable = executable(request.command(), cwd);

    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(request.args());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(childEnvironment);
    for (Injected injected : request.env()) {
      byte[] value = injected.value();
      environment.put(injected.variable(), new String(value, StandardCharsets.UTF_8));
      Arrays.fill(value, (byte) 0);
    }

    Redactor redactor = new Redactor(request.env(), maxOutputBytes);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      redactor.wipe();
      throw new CommandRefusedException("could not start '" + request.command() + "': " + e.getMessage(), e);
    }
    Capture stdout = Capture.start(process.getInputStream(), redactor.retainBound(), "stdout");
    Capture stderr = Capture.start(process.getErrorStream(), redactor.retainBound(), "stderr");
    try {
      closeQuietly(process.getOutputStream());
      Set<ProcessHandle> seen = new LinkedHashSet<>();
      boolean timedOut = !awaitExit(process, timeout, seen);
      if (timedOut) {
        killTree(process, seen);
        process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
      }
      long graceEnd = System.nanoTime() + PIPE_GRACE.toNanos();
      if (!(stdout.awaitEnd(graceEnd) & stderr.awaitEnd(graceEnd))) {
        // The command ended but something it started still holds the pipes.
        killTree(process, seen);
        long lastEnd = System.nanoTime() + POLL.toNanos() * 5;
        if (!(stdout.awaitEnd(lastEnd) & stderr.awaitEnd(lastEnd))) {
          log.warn("run_with_secrets: the output of '{}' is held open by a process it left behind; "
              + "taking the output as it stands", request.command());
        }
        stdout.abandon();
        stderr.abandon();
      }
      int exitCode = process.isAlive() ? -1 : process.exitValue();
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Redactor.Scrubbed out = stdout.scrub(redactor);
      Redactor.Scrubbed err = stderr.scrub(redactor);
      return new Result(exitCode, timedOut, out.text(), err.text(), out.truncated(), err.truncated(), elapsedMillis);
    } catch (InterruptedException e) {
      killTree(process, Set.of());
      stdout.abandon();
      stderr.abandon();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while running '" + request.command() + "'; it was killed");
    } finally {
      stdout.wipe();
      stderr.wipe();
      redactor.wipe();
    }
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

  private static Map<String, Path> resolveFixed(List<String> entries, String path) {
    Map<String, Path> fixed = new LinkedHashMap<>();
    for (String entry : entries) {
      if (entry.isBlank() || entry.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("allow-listed command '" + entry + "' is not a command name or path");
      }
      if (entry.indexOf('/') < 0) {
        fixed.put(entry, onPath(entry, path).orElseThrow(() ->
            new IllegalArgumentException("allow-listed command '" + entry + "' is not on PATH")));
      } else if (entry.startsWith("/")) {
        Path file = Path.of(entry);
        if (!isExecutableFile(file)) {
          throw new IllegalArgumentException("allow-listed command '" + entry + "' is not an executable file");
        }
        fixed.put(entry, file);
      }
    }
    return Map.copyOf(fixed);
  }

  private static Optional<Path> onPath(String name, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(":")) {
      // An empty or relative PATH entry means the working directory, where a planted file would win.
      if (!directory.startsWith("/")) {
        continue;
      }
      try {
        Path candidate = Path.of(directory, name).normalize();
        if (isExecutableFile(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        continue;
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
        throw new CommandRefusedException("argument " + (i + 1) + " is null; give every argument as a string");
      }
      if (arg.indexOf('\0') >= 0) {
        throw new CommandRefusedException("argument " + (i + 1) + " contains a NUL character, which no command "
            + "can receive; remove it");
      }
    }
  }

  private Path workingDirectory(Optional<String> requested) {
    if (requested.isEmpty()) {
      return workspaceRoot;
    }
    String given = requested.get();
    String fix = "; give a directory inside the workspace " + workspaceRoot
        + " (a relative path is taken from there), or none for the workspace itself";
    Path real;
    try {
      real = workspaceRoot.resolve(given).toRealPath();
    } catch (IOException | InvalidPathException e) {
      throw new CommandRefusedException("working directory '" + given + "' does not exist" + fix);
    }
    if (!Files.isDirectory(real)) {
      throw new CommandRefusedException("working directory '" + given + "' is not a directory" + fix);
    }
    if (!real.startsWith(workspaceRoot)) {
      throw new CommandRefusedException("working directory '" + given + "' is outside the workspace" + fix);
    }
    return real;
  }

  private Duration timeout(Optional<Integer> requestedSeconds) {
    if (requestedSeconds.isEmpty()) {
      return defaultTimeout;
    }
    int seconds = requestedSeconds.get();
    if (seconds < 1 || seconds > maxTimeout.toSeconds()) {
      throw new CommandRefusedException("timeoutSeconds must be between 1 and " + maxTimeout.toSeconds()
          + ", was " + seconds + "; leave it out for the default of " + defaultTimeout.toSeconds() + " s");
    }
    return Duration.ofSeconds(seconds);
  }

  private static void checkInjections(List<Injected> injections) {
    Map<String, String> secretByVariable = new HashMap<>();
    for (Injected injected : injections) {
      String variable = injected.variable();
      String secret = injected.secretName();
      if (!VARIABLE_NAME.matcher(variable).matches()) {
        throw new CommandRefusedException("variable name '" + variable + "' for secret '" + secret
            + "' is not valid; use letters, digits and _, not starting with a digit");
      }
      if (FORBIDDEN_VARIABLES.contains(variable) || variable.startsWith("LD_") || variable.startsWith("DYLD_")) {
        throw new CommandRefusedException("variable '" + variable + "' cannot be set, because it would change "
            + "which program or library runs or how a shell reads its input; choose another name for secret '"
            + secret + "'");
      }
      String earlier = secretByVariable.putIfAbsent(variable, secret);
      if (earlier != null) {
        throw new CommandRefusedException("variable '" + variable + "' is given twice, for secrets '" + earlier
            + "' and '" + secret + "'; give each its own variable");
      }
      checkValue(injected);
    }
  }

  private static void checkValue(Injected injected) {
    byte[] value = injected.value();
    try {
      String where = "the value of secret '" + injected.secretName() + "' cannot be environment variable "
          + injected.variable();
      for (byte b : value) {
        if (b == 0) {
          throw new CommandRefusedException(where + ": it contains a NUL byte; store it encoded (base64, for "
              + "instance) and decode it in the command");
        }
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(value))
            .toString();
      } catch (CharacterCodingException e) {
        throw new CommandRefusedException(where + ": it is not UTF-8 text; store it encoded (base64, for "
            + "instance) and decode it in the command");
      }
      // Java 17 passes the environment in the default charset, which may not be UTF-8.
      Charset platform = Charset.defaultCharset();
      if (!Arrays.equals(text.getBytes(platform), value)) {
        throw new CommandRefusedException(where + ": this JVM's default charset, " + platform
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
    String fix = "; the allow-listed '" + command + "' is taken from the working directory " + cwd
        + " and must be an executable file inside the workspace";
    Path real;
    try {
      real = cwd.resolve(command).toRealPath();
    } catch (IOException | InvalidPathException e) {
      throw new CommandRefusedException("command '" + command + "' does not exist" + fix);
    }
    if (!isExecutableFile(real)) {
      throw new CommandRefusedException("command '" + command + "' is not an executable file" + fix);
    }
    if (!real.startsWith(workspaceRoot)) {
      throw new CommandRefusedException("command '" + command + "' leads outside the workspace" + fix);
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

  /** What to run. {@code args} may hold nulls here so that {@link #run} can refuse them by position. */
  record Request(String command, List<String> args, List<Injected> env, Optional<String> cwd,
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
   * reports 128 plus the signal (137). The outputs are scrubbed and capped.
   */
  record Result(int exitCode, boolean timedOut, String stdout, String stderr, boolean stdoutTruncated,
      boolean stderrTruncated, long elapsedMillis) {}

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
    private Thread thread;
    private byte[] kept = new byte[0];
    private int size;
    private long discarded;
    private boolean abandoned;

    private Capture(InputStream in, int bound) {
      this.in = in;
      this.bound = bound;
    }

    static Capture start(InputStream in, int bound, String name) {
      Capture capture = new Capture(in, bound);
      capture.thread = new Thread(capture::pump, "run_with_secrets " + name);
      capture.thread.setDaemon(true);
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
        byte[] bigger = Arrays.copyOf(kept, (int) Math.min(bound, Math.max(8192L, 2L * (size + keep))));
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
