package com.lanonasis.secrets.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for the distribution's tests, in an environment of their own: no variable of the
 * build's, and a PATH that holds the JDK's {@code bin} and a directory of links to a few system
 * tools, so that no {@code mvn} or {@code mvnw} can be found.
 */
final class Processes {
  /** What the launcher and install.sh call (sh builtins aside). */
  static final List<String> TOOLS =
      List.of(
          "sh",
          "dirname",
          "basename",
          "readlink",
          "cat",
          "stat",
          "rm",
          "mv",
          "cp",
          "ln",
          "mkdir",
          "chmod",
          "cksum",
          "date",
          "sleep",
          "sed",
          "tail",
          "mktemp");

  /** One finished process. */
  record Run(int exit, String out, String err) {}

  private Processes() {}

  /**
   * A PATH with no Maven on it: {@code tools} (made here, links to {@link #TOOLS}) and the JDK's
   * bin.
   */
  static String mavenFreePath(Path tools) throws IOException {
    return mavenFreePath(tools, Path.of(System.getProperty("java.home")));
  }

  /** {@link #mavenFreePath(Path)} with the {@code bin} of {@code javaHome} for the JDK's. */
  static String mavenFreePath(Path tools, Path javaHome) throws IOException {
    Files.createDirectories(tools);
    for (String tool : TOOLS) {
      Path real = which(tool);
      Files.createSymbolicLink(tools.resolve(tool), real);
    }
    String path = tools + ":" + javaHome.resolve("bin");
    for (String dir : path.split(":")) {
      assertThat(Path.of(dir, "mvn")).doesNotExist();
      assertThat(Path.of(dir, "mvnw")).doesNotExist();
    }
    return path;
  }

  /** The named tool on the build's PATH, which it must have. */
  static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(tool + " is not on the build's PATH");
  }

  /** A process with exactly {@code env} as its environment, in {@code dir}. */
  static ProcessBuilder builder(Path dir, Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs to its end (at most two minutes: a first run trains the start-up archive). */
  static Run run(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Process p = builder(dir, env, List.of(command)).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p, true));
    byte[] out = readAll(p, false);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 120 s: " + String.join(" ", command));
    }
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(Process p, boolean stderr) {
    try {
      return (stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Unpacks the distribution archive into {@code dir}; returns its one top directory. */
  static Path unpack(Path dir) throws IOException, InterruptedException {
    Path archive = Path.of(System.getProperty("lanonasis.archive"));
    assertThat(archive)
        .as("the archive is built at package, before the integration tests")
        .exists();
    Run tar =
        run(
            dir,
            Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
            "tar",
            "-xzf",
            archive.toString(),
            "-C",
            dir.toString());
    assertThat(tar.exit()).as(tar.err()).isZero();
    Path top = dir.resolve("lanonasis-" + version());
    assertThat(top).isDirectory();
    return top;
  }

  /**
   * A JDK of feature release 25 or later for the launcher's ahead-of-time cache: {@code
   * LANONASIS_TEST_JDK25} if set (which must then be one), else the JDK running the tests if it is
   * one, else the newest under {@code /usr/lib/jvm} (where Debian's and Temurin's packages put
   * them; the build machines have Temurin 25 there beside JDK 17).
   */
  static Optional<Path> jdk25() throws IOException {
    String named = System.getenv("LANONASIS_TEST_JDK25");
    if (named != null && !named.isBlank()) {
      Path home = Path.of(named);
      assertThat(feature(home)).as("LANONASIS_TEST_JDK25=%s", named).isGreaterThanOrEqualTo(25);
      return Optional.of(home);
    }
    Path running = Path.of(System.getProperty("java.home"));
    if (feature(running) >= 25) {
      return Optional.of(running);
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (var s = Files.list(jvms)) {
      return s.filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> feature(h) >= 25)
          .max(java.util.Comparator.comparingInt(Processes::feature));
    }
  }

  /**
   * The feature release in a JDK's {@code release} file (JAVA_VERSION="25.0.3" is 25); 0 if none.
   */
  static int feature(Path javaHome) {
    try {
      for (String line : Files.readAllLines(javaHome.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[0-9]+").matcher(v);
          return m.find() ? Integer.parseInt(m.group()) : 0;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** The project's (Maven) version. */
  static String version() {
    String v = System.getProperty("lanonasis.version");
    assertThat(v).as("lanonasis.version, set by the pom").isNotBlank();
    return v;
  }

  /** Every file under {@code dir} whose name ends with {@code suffix}. */
  static List<Path> find(Path dir, String suffix) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.exists(dir)) {
      try (var s = Files.walk(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith(suffix)).forEach(found::add);
      }
    }
    return found;
  }
}
