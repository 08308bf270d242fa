package com.lanonasis.secrets.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Confines one {@code run_with_secrets} child with bubblewrap ({@code bwrap}): new user, PID, IPC,
 * UTS, cgroup and network namespaces, all capabilities dropped, a new session (no terminal to
 * inject keystrokes into), and a mount namespace that shows only the system's programs and
 * libraries ({@code /usr} and the few {@code /etc} files they read), a private {@code /tmp}, a
 * minimal {@code /dev}, the workspace (read-only unless the run may write) and the command itself.
 *
 * <p>What is never visible: the process tree outside (so no other process's {@code environ}, the
 * MCP process's own included), the home directory, the data directory, keysets and key files (each
 * {@link #protectedPaths protected path} that lies inside a visible directory is covered by an
 * empty one or made unreadable), and, unless the run asks for it, {@code /proc} at all, so a
 * program cannot read even its own environment as a file. Network: none but an unconnected loopback
 * unless the run is allowed it. When the command ends, the namespace's first process ends and the
 * kernel kills everything left in it (a double-forked grandchild included); killing the outer
 * {@code bwrap} does the same ({@code --die-with-parent}).
 *
 * <p>Resource limits come from {@code prlimit} inside the sandbox when it is installed: no core
 * files, at most 1 GiB per file written, 1024 open files, and CPU time of the run's timeout.
 *
 * <p>A sandbox is made once, when the tool server is built: {@link #detect} finds {@code bwrap} and
 * runs it once; where it is missing or cannot create namespaces, the sandbox is {@link
 * #unavailable()} and every run is refused with the reason.
 *
 * <p>Thread-safety: immutable.
 */
final class Sandbox {
  /** Where bwrap is looked for; never the caller's PATH, which an agent's workspace may precede. */
  private static final List<Path> BWRAP =
      List.of(Path.of("/usr/bin/bwrap"), Path.of("/bin/bwrap"), Path.of("/usr/local/bin/bwrap"));

  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  /** The system directories a program and its libraries live in, shown read-only. */
  private static final List<String> SYSTEM =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /** The files in /etc that programs read to link, resolve names and check certificates. */
  private static final List<String> ETC =
      List.of(
          "ld.so.cache",
          "ld.so.conf",
          "ld.so.conf.d",
          "alternatives",
          "passwd",
          "group",
          "nsswitch.conf",
          "host.conf",
          "hosts",
          "resolv.conf",
          "gai.conf",
          "ssl",
          "ca-certificates",
          "ca-certificates.conf",
          "localtime",
          "timezone",
          "mime.types",
          "protocols",
          "services",
          "postgresql-common",
          "mysql",
          "magic");

  /** Where a child's PATH looks; inside the sandbox only system directories exist anyway. */
  static final String PATH = "/usr/local/bin:/usr/bin:/bin";

  private final Optional<Path> bwrap;
  private final @Nullable String unavailable;
  private final boolean prlimit;
  private final List<Path> protectedPaths;

  private Sandbox(
      Optional<Path> bwrap,
      @Nullable String unavailable,
      boolean prlimit,
      List<Path> protectedPaths) {
    this.bwrap = bwrap;
    this.unavailable = unavailable;
    this.prlimit = prlimit;
    this.protectedPaths = List.copyOf(protectedPaths);
  }

  /**
   * Finds bubblewrap and checks that it can make a sandbox here.
   *
   * @param protectedPaths files and directories no child may see even inside the workspace (the
   *     data directory, keysets, key files, profiles)
   */
  static Sandbox detect(List<Path> protectedPaths) {
    List<Path> protect = realPaths(protectedPaths);
    boolean prlimit = Files.isExecutable(PRLIMIT);
    Optional<Path> found = BWRAP.stream().filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      return new Sandbox(
          Optional.empty(),
          "bubblewrap (bwrap) is not installed; install it (Debian and Ubuntu: "
              + "apt-get install bubblewrap; Fedora: dnf install bubblewrap)",
          prlimit,
          protect);
    }
    Sandbox candidate = new Sandbox(found, null, prlimit, protect);
    Optional<String> problem = new Sandbox(found, null, prlimit, List.of()).probe();
    return problem
        .map(p -> new Sandbox(Optional.<Path>empty(), p, prlimit, protect))
        .orElse(candidate);
  }

  /** A sandbox that refuses every run with {@code reason}: for tests of that refusal. */
  static Sandbox unavailable(String reason) {
    return new Sandbox(
        Optional.empty(), Objects.requireNonNull(reason, "reason"), false, List.of());
  }

  /** Why no sandbox can be made here, if none can. */
  Optional<String> unavailable() {
    return Optional.ofNullable(unavailable);
  }

  List<Path> protectedPaths() {
    return protectedPaths;
  }

  /** How the workspace is shown to a run. */
  enum WorkspaceAccess {
    READ_ONLY,
    READ_WRITE
  }

  /** What one run may see and do beyond the defaults. */
  record Grants(WorkspaceAccess workspace, boolean network, boolean proc) {
    static final Grants NONE = new Grants(WorkspaceAccess.READ_ONLY, false, false);

    Grants {
      Objects.requireNonNull(workspace, "workspace");
    }
  }

  /**
   * The argument vector that runs {@code argv} (its first element an absolute path) in the sandbox,
   * in {@code cwd} inside {@code workspace}. The child's environment is the one given to the
   * process that runs this vector (bwrap passes it on): never put a value in the vector itself,
   * which every user of the host can read.
   */
  List<String> wrap(List<String> argv, Path workspace, Path cwd, Grants grants, int cpuSeconds) {
    if (bwrap.isEmpty()) {
      throw new IllegalStateException("no sandbox: " + unavailable);
    }
    List<String> out = new ArrayList<>();
    out.add(bwrap.get().toString());
    out.addAll(
        List.of(
            "--unshare-all",
            "--unshare-user",
            "--uid",
            "65534",
            "--gid",
            "65534",
            "--cap-drop",
            "ALL",
            "--die-with-parent",
            "--new-session",
            "--hostname",
            "sandbox"));
    if (grants.network()) {
      out.add("--share-net");
    }
    Set<Path> visible = new LinkedHashSet<>();
    for (String dir : SYSTEM) {
      Path p = Path.of(dir);
      if (Files.isSymbolicLink(p)) {
        out.addAll(List.of("--symlink", readLink(p), dir));
      } else if (Files.isDirectory(p)) {
        out.addAll(List.of("--ro-bind", dir, dir));
        visible.add(p);
      }
    }
    for (String name : ETC) {
      Path p = Path.of("/etc", name);
      if (Files.exists(p)) {
        out.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        visible.add(p);
      }
    }
    out.addAll(List.of("--dev", "/dev", "--tmpfs", "/tmp", "--setenv", "HOME", "/tmp"));
    if (grants.proc()) {
      out.addAll(List.of("--proc", "/proc"));
    }
    Path command = Path.of(argv.get(0));
    if (visible.stream().noneMatch(command::startsWith) && !command.startsWith(workspace)) {
      out.addAll(List.of("--ro-bind", command.toString(), command.toString()));
      visible.add(command);
    }
    out.addAll(
        List.of(
            grants.workspace() == WorkspaceAccess.READ_WRITE ? "--bind" : "--ro-bind",
            workspace.toString(),
            workspace.toString()));
    visible.add(workspace);
    List<Path> masked = new ArrayList<>();
    for (Path p : protectedPaths.stream().sorted().toList()) {
      // Sorted, a directory comes before what is inside it: once it is covered, they are gone too.
      if (masked.stream().anyMatch(p::startsWith)) {
        continue;
      }
      if (visible.stream().anyMatch(p::startsWith) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        masked.add(p);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.addAll(List.of("--tmpfs", p.toString(), "--remount-ro", p.toString()));
        } else {
          out.addAll(List.of("--ro-bind", "/dev/null", p.toString()));
        }
      }
    }
    out.addAll(List.of("--chdir", cwd.toString(), "--"));
    if (prlimit) {
      out.addAll(
          List.of(
              PRLIMIT.toString(),
              "--core=0",
              "--fsize=1073741824",
              "--nofile=1024",
              "--cpu=" + Math.max(1, cpuSeconds),
              "--"));
    }
    out.addAll(argv);
    return out;
  }

  /** Whether {@code dir} is, or lies inside, a protected path: such a directory is never shown. */
  Optional<Path> protecting(Path dir) {
    return protectedPaths.stream().filter(dir::startsWith).findFirst();
  }

  /**
   * Runs {@code true} in a sandbox once, in an empty directory; the reason it failed, if it did.
   */
  private Optional<String> probe() {
    Path tmp;
    try {
      tmp = Files.createTempDirectory("lanonasis-sandbox-probe-");
    } catch (IOException e) {
      return Optional.of("cannot create a directory to test bubblewrap in: " + e.getMessage());
    }
    try {
      return probeIn(tmp);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // An empty directory left in the temporary directory.
      }
    }
  }

  private Optional<String> probeIn(Path tmp) {
    Path truePath =
        Stream.of("/usr/bin/true", "/bin/true")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(Path.of("/usr/bin/true"));
    List<String> argv;
    try {
      argv = wrap(List.of(truePath.toString()), tmp.toRealPath(), tmp.toRealPath(), Grants.NONE, 5);
    } catch (IOException e) {
      return Optional.of("the temporary directory " + tmp + " is not usable: " + e.getMessage());
    }
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      p.getOutputStream().close();
      byte[] said;
      try (InputStream in = p.getInputStream()) {
        said = in.readNBytes(2048);
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("bubblewrap did not finish a test run within 20 s");
      }
      if (p.exitValue() != 0) {
        String first =
            new String(said, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        return Optional.of(
            "bubblewrap cannot make a sandbox here ("
                + (first.isEmpty() ? "exit " + p.exitValue() : first)
                + "); unprivileged user namespaces may be off (sysctl kernel.unprivileged_userns_clone=1, "
                + "or an AppArmor profile for bwrap)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("bubblewrap could not be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while testing bubblewrap");
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the link " + link, e);
    }
  }

  private static List<Path> realPaths(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      try {
        Path abs = p.toAbsolutePath().normalize();
        out.add(abs);
        if (Files.exists(abs)) {
          Path real = abs.toRealPath();
          if (!real.equals(abs)) {
            out.add(real);
          }
        }
      } catch (IOException | InvalidPathException e) {
        // A path that cannot be resolved is not visible anywhere either.
      }
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }
}
