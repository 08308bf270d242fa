package com.lanonasis.secrets.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the launcher's start-up archive ({@code ./lanonasis}, cli/README.md): run
 * once under {@code -XX:ArchiveClassesAtExit} (a class-data-sharing archive) or, on a JDK 25 or
 * later, {@code -XX:AOTCacheOutput} (its ahead-of-time cache), it executes in one JVM the commands
 * whose classes the archive should hold — {@code --version}, {@code --help}, an embedded {@code
 * secret set} and {@code get} on a SQLite store in a temporary directory, and a remote {@code
 * secret get} against a loopback port nobody listens on — and discards their output. Touches no
 * network and no file outside its temporary directory, which it removes.
 */
final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    LogLevels.configure(false, Map.of());
    Path dir = Files.createTempDirectory("lanonasis-cds");
    try {
      Map<String, String> env = new HashMap<>();
      env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
      String store = "jdbc:sqlite:" + dir.resolve("secrets.db");
      String keyset = dir.resolve("keyset.json").toString();
      run(env, "", "--version");
      run(env, "", "--help");
      run(env, "", "secret", "--help");
      run(
          env,
          "training-value",
          "--store",
          store,
          "--keyset",
          keyset,
          "secret",
          "set",
          "training/name");
      run(env, "", "--store", store, "--keyset", keyset, "secret", "get", "training/name");
      Map<String, String> remote = new HashMap<>(env);
      remote.put("LANONASIS_URL", "http://127.0.0.1:" + closedPort());
      remote.put("LANONASIS_API_KEY", "lns_0000000000000000_" + "A".repeat(43));
      run(remote, "", "secret", "get", "training/name");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Map<String, String> env, String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Lanonasis.execute(args, env, in, sink, sink);
  }

  /** A loopback port that was free a moment ago: connecting is refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
