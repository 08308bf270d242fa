package com.lanonasis.secrets.distribution;

import static com.lanonasis.secrets.distribution.Processes.find;
import static com.lanonasis.secrets.distribution.Processes.mavenFreePath;
import static com.lanonasis.secrets.distribution.Processes.run;
import static com.lanonasis.secrets.distribution.Processes.version;
import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.distribution.Processes.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code lanonasis-VERSION.tar.gz} as a user gets it: its entries, then its launcher
 * and install.sh run from the unpacked directory with no Maven on PATH.
 */
class DistributionArchiveIT {
  @TempDir static Path unpacked;
  static Path top;

  @BeforeAll
  static void unpack() throws Exception {
    top = Processes.unpack(unpacked);
  }

  @Test
  void archive_isOneFlatDirectory_withFixedTimesOwnersAndModes() throws Exception {
    Path archive = Path.of(System.getProperty("lanonasis.archive"));
    Map<String, String> env =
        Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "TZ", "UTC");
    Run list =
        run(unpacked, env, "tar", "--numeric-owner", "--full-time", "-tvzf", archive.toString());
    assertThat(list.exit()).as(list.err()).isZero();

    String dir = "lanonasis-" + version() + "/";
    String time =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.parse(System.getProperty("lanonasis.outputTimestamp")));
    Map<String, String> modes = new HashMap<>();
    for (String line : list.out().split("\n")) {
      // -rwxr-xr-x 0/0            6299 2026-01-01 00:00:00 lanonasis-0.1.0/lanonasis
      String[] f = line.trim().split(" +", 6);
      assertThat(f).as(line).hasSize(6);
      assertThat(f[1]).as("owner of %s", f[5]).isEqualTo("0/0");
      assertThat(f[3] + " " + f[4]).as("time of %s", f[5]).isEqualTo(time);
      assertThat(f[5]).as("under the one top directory").startsWith(dir);
      modes.put(f[5].substring(dir.length()), f[0]);
    }
    assertThat(modes)
        .containsOnly(
            Map.entry("lanonasis", "-rwxr-xr-x"),
            Map.entry("install.sh", "-rwxr-xr-x"),
            Map.entry("lanonasis.cmd", "-rw-r--r--"),
            Map.entry("lanonasis.jar", "-rw-r--r--"),
            Map.entry("lanonasis-server.jar", "-rw-r--r--"),
            Map.entry("README.md", "-rw-r--r--"),
            Map.entry("LICENSE", "-rw-r--r--"));
  }

  @Test
  void launcher_printsTheMavenVersion_withNoMavenOnPath_andKeepsItsStartupArchiveInTheCache(
      @TempDir Path work) throws Exception {
    Map<String, String> env = env(work);
    Run first = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("lanonasis " + version() + "\n");
    assertThat(first.err()).doesNotContain("mvnw").doesNotContain("not found");

    // The install directory stays as unpacked (it may be read-only); the archive is in the cache.
    assertThat(find(top, ".jsa")).isEmpty();
    assertThat(find(work.resolve("home/.cache/lanonasis"), "lanonasis.jsa")).hasSize(1);

    Run second = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo("lanonasis " + version() + "\n");
    assertThat(second.err()).as("no second training run").isEmpty();
  }

  /**
   * With a {@code java} of 25 or later the launcher makes the JDK's ahead-of-time cache instead of
   * a class-data-sharing archive, and the JVM loads our classes from it; with the build's JDK
   * (older than 25 here) it makes the class-data-sharing archive, no cache. A machine without a JDK
   * 25 checks the second half only, and says so.
   */
  @Test
  void launcher_onJdk25_makesAndUsesAnAheadOfTimeCache_onOlderJdks_aSharingArchive(
      @TempDir Path work) throws Exception {
    Path buildJdk = Path.of(System.getProperty("java.home"));
    if (Processes.feature(buildJdk) < 25) {
      Map<String, String> env = env(work.resolve("build-jdk"));
      Run r = run(work, env, top.resolve("lanonasis").toString(), "--version");
      assertThat(r.exit()).as(r.err()).isZero();
      Path cache = work.resolve("build-jdk/home/.cache/lanonasis");
      assertThat(find(cache, "lanonasis.jsa")).hasSize(1);
      assertThat(find(cache, ".aot")).isEmpty();
    }
    java.util.Optional<Path> jdk25 = Processes.jdk25();
    if (jdk25.isEmpty()) {
      System.out.println(
          "no JDK 25 or later found (LANONASIS_TEST_JDK25, the build's JDK, /usr/lib/jvm): the"
              + " ahead-of-time cache is not checked on this machine");
      return;
    }
    Path dir = work.resolve("jdk25");
    Path home = Files.createDirectories(dir.resolve("home"));
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "PATH", mavenFreePath(dir.resolve("tools"), jdk25.get()), "HOME", home.toString()));
    Run first = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("lanonasis " + version() + "\n");
    assertThat(first.err()).contains("preparing a start-up archive");
    Path cache = home.resolve(".cache/lanonasis");
    assertThat(find(cache, "lanonasis.aot")).hasSize(1);
    assertThat(find(cache, ".jsa")).as("no class-data-sharing archive on 25").isEmpty();
    assertThat(find(cache, ".tmp")).as("no temporary file left").isEmpty();
    assertThat(find(cache, ".config")).as("no training configuration left").isEmpty();
    assertThat(find(top, ".aot")).as("nothing in the install directory").isEmpty();

    Path log = dir.resolve("class-load.log");
    env.put("LANONASIS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
    Run second = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo("lanonasis " + version() + "\n");
    assertThat(second.err()).as("no second training run, no JVM warning").isEmpty();
    assertThat(Files.readString(log))
        .as("our classes come from the cache")
        .contains("com.lanonasis.secrets.cli.Lanonasis source: shared objects file");
  }

  /**
   * A {@code java} that says it is 25 (its {@code release} file) but whose training run fails: no
   * cache is left, the command runs without one, and the training is not tried again.
   */
  @Test
  void launcher_whenTheAheadOfTimeTrainingFails_runsWithoutACache(@TempDir Path work)
      throws Exception {
    Path fake = Files.createDirectories(work.resolve("jdk/bin"));
    Files.writeString(work.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
    Path real = Path.of(System.getProperty("java.home"), "bin", "java");
    Path java = fake.resolve("java");
    // The training run is the one with -XX:AOTCacheOutput: it fails, as on a broken JDK.
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "for a in \"$@\"; do case $a in -XX:AOTCacheOutput=*) exit 1 ;; esac; done\n"
            + "exec "
            + real
            + " \"$@\"\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Path home = Files.createDirectories(work.resolve("home"));
    Map<String, String> env =
        Map.of(
            "PATH",
            mavenFreePath(work.resolve("tools"), work.resolve("jdk")),
            "HOME",
            home.toString());
    Run first = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("lanonasis " + version() + "\n");
    Path cache = home.resolve(".cache/lanonasis");
    assertThat(find(cache, ".aot")).isEmpty();
    assertThat(find(cache, ".jsa")).isEmpty();
    assertThat(find(cache, ".tmp")).isEmpty();
    assertThat(find(cache, "lanonasis.aot.stamp")).hasSize(1);
    Run second = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.err()).as("no retry until the jar or JDK changes").isEmpty();
  }

  @Test
  void launcher_withNoWritableCache_runsWithoutAStartupArchive(@TempDir Path work)
      throws Exception {
    Map<String, String> env = new HashMap<>(env(work));
    Path notADirectory = Files.writeString(work.resolve("cache-is-a-file"), "");
    env.put("XDG_CACHE_HOME", notADirectory.toString());
    Run r = run(work, env, top.resolve("lanonasis").toString(), "--version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("lanonasis " + version() + "\n");
    assertThat(find(top, ".jsa")).isEmpty();
  }

  @Test
  void installScript_linksTheLauncherIntoPrefixBin_andIsIdempotent(@TempDir Path work)
      throws Exception {
    Map<String, String> env = env(work);
    Path prefix = work.resolve("prefix");
    String install = top.resolve("install.sh").toString();

    Run first = run(work, env, install, "--prefix", prefix.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    Path bin = prefix.resolve("bin").toRealPath();
    assertThat(first.out())
        .contains(
            "Installed lanonasis " + version() + " in " + prefix.toRealPath() + "/lib/lanonasis")
        .contains(bin + " is not on your PATH")
        .contains("export PATH=\"" + bin + ":$PATH\"");
    Path link = prefix.resolve("bin/lanonasis");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(prefix.resolve("lib/lanonasis/lanonasis.jar")).isRegularFile();
    assertThat(Files.isExecutable(prefix.resolve("lib/lanonasis/lanonasis"))).isTrue();

    Run viaLink = run(work, env, link.toString(), "--version");
    assertThat(viaLink.exit()).as(viaLink.err()).isZero();
    assertThat(viaLink.out()).isEqualTo("lanonasis " + version() + "\n");

    // Again, with prefix/bin on PATH now: the same layout, the link still works, no leftovers.
    Map<String, String> onPath = new HashMap<>(env);
    onPath.put("PATH", bin + ":" + env.get("PATH"));
    Run again = run(work, onPath, install, "--prefix=" + prefix);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains(bin + " is on your PATH");
    try (var s = Files.list(prefix.resolve("lib"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("lanonasis");
    }
    try (var s = Files.list(prefix.resolve("bin"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("lanonasis");
    }
    // Found on PATH by name, as an editor's MCP configuration runs it.
    Run byName = run(work, onPath, "sh", "-c", "lanonasis --version");
    assertThat(byName.exit()).as(byName.err()).isZero();
    assertThat(byName.out()).isEqualTo("lanonasis " + version() + "\n");

    // A relative link to the link (two hops, each read against its own directory).
    Path other = Files.createDirectories(work.resolve("elsewhere/deeper"));
    Path hop =
        Files.createSymbolicLink(other.resolve("lns"), Path.of("../../prefix/bin/lanonasis"));
    Run viaHops = run(work, env, hop.toString(), "--version");
    assertThat(viaHops.exit()).as(viaHops.err()).isZero();
    assertThat(viaHops.out()).isEqualTo("lanonasis " + version() + "\n");
  }

  @Test
  void installScript_helpAndRefusals(@TempDir Path work) throws Exception {
    Map<String, String> env = env(work);
    String install = top.resolve("install.sh").toString();
    Run help = run(work, env, install, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--prefix DIR").contains("~/.local").contains("bin/lanonasis");

    Run unknown = run(work, env, install, "--prefx", "x");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown argument: --prefx");

    // A file of the user's own at PREFIX/bin/lanonasis is never replaced.
    Path prefix = work.resolve("p");
    Files.createDirectories(prefix.resolve("bin"));
    Files.writeString(prefix.resolve("bin/lanonasis"), "mine");
    Run refused = run(work, env, install, "--prefix", prefix.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("is not a link from an earlier install");
    assertThat(prefix.resolve("bin/lanonasis")).hasContent("mine");
    assertThat(prefix.resolve("lib/lanonasis")).doesNotExist();
  }

  @Test
  void windowsLauncher_runsTheJarBesideIt() throws Exception {
    byte[] bytes = Files.readAllBytes(top.resolve("lanonasis.cmd"));
    String text = new String(bytes, StandardCharsets.US_ASCII);
    assertThat(text).as("ASCII only").isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    assertThat(text).endsWith("\r\n");
    assertThat(text.replace("\r\n", "")).as("CRLF line ends only").doesNotContain("\n", "\r");
    List<String> commands = new ArrayList<>();
    for (String line : text.split("\r\n")) {
      if (!line.isBlank() && !line.regionMatches(true, 0, "rem ", 0, 4)) {
        commands.add(line);
      }
    }
    assertThat(commands.get(0)).isEqualTo("@echo off");
    assertThat(commands)
        .contains("setlocal")
        .contains("if defined JAVA_HOME set \"LANONASIS_JAVA=%JAVA_HOME%\\bin\\java.exe\"")
        .contains("\"%LANONASIS_JAVA%\" %LANONASIS_JAVA_OPTS% -jar \"%~dp0lanonasis.jar\" %*");
    assertThat(commands.get(commands.size() - 1)).isEqualTo("exit /b %ERRORLEVEL%");
  }

  /** A user's environment: a home of its own and no Maven on PATH. */
  static Map<String, String> env(Path work) throws Exception {
    Path home = Files.createDirectories(work.resolve("home"));
    return Map.of("PATH", mavenFreePath(work.resolve("tools")), "HOME", home.toString());
  }
}
