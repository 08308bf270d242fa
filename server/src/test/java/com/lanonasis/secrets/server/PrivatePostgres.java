package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, from the Debian binaries, that the test can kill and
 * start again: the shared one on 5432 must never be killed. Runs as the {@code postgres} OS user
 * (the tests run as root, and PostgreSQL refuses to), in a temporary directory that user owns, on
 * an ephemeral port, trust authentication on loopback only.
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PrivatePostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Creates the cluster ({@code initdb}) and starts it; fails loudly when that is not possible
   * here.
   */
  static PrivatePostgres start() throws IOException, InterruptedException {
    Path bin;
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      bin =
          versions
              .map(v -> v.resolve("bin"))
              .filter(b -> Files.isExecutable(b.resolve("initdb")))
              .max(Comparator.comparing(Path::toString))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no PostgreSQL binaries under /usr/lib/postgresql/*/bin (Debian package postgresql)"));
    }
    // Not under @TempDir: that is root's 0700, which the postgres user cannot enter.
    Path dir = Files.createTempDirectory("lanonasis-pg-");
    run("chown", "postgres:postgres", dir.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(bin, dir, port);
    pg.asPostgres(
        bin.resolve("initdb").toString(),
        "-D",
        pg.data().toString(),
        "-A",
        "trust",
        "-U",
        "postgres",
        "--no-sync");
    pg.startAgain();
    return pg;
  }

  int port() {
    return port;
  }

  /** A URL for the store, as the superuser (a private cluster: nothing else lives in it). */
  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Starts the cluster on its data directory and waits until it accepts connections. */
  void startAgain() throws IOException, InterruptedException {
    asPostgres(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data().toString(),
        "-l",
        dir.resolve("log").toString(),
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "-w",
        "-t",
        "60",
        "start");
  }

  /** SIGKILL to the postmaster and every process it started, as a crash (or an OOM kill) would. */
  void kill() throws IOException, InterruptedException {
    long postmaster =
        Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).strip());
    List<String> pids = new ArrayList<>(List.of(Long.toString(postmaster)));
    ProcessHandle.of(postmaster)
        .ifPresent(p -> p.children().forEach(c -> pids.add(Long.toString(c.pid()))));
    List<String> command = new ArrayList<>(List.of("kill", "-KILL"));
    command.addAll(pids);
    run(command.toArray(String[]::new));
    ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().join());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        new ProcessBuilder(
                "runuser",
                "-u",
                "postgres",
                "--",
                bin.resolve("pg_ctl").toString(),
                "-D",
                data().toString(),
                "-m",
                "immediate",
                "stop")
            .redirectErrorStream(true)
            .start()
            .waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    run(full.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    assertThat(p.exitValue()).as("%s exited 0; it printed:%n%s", List.of(command), out).isZero();
  }
}
