package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Acknowledged means on disk", checked where a SIGKILL cannot: a killed process leaves its writes
 * in the operating system's page cache, so a store that never synced would pass {@link
 * ServerCrashIT}. Here the runnable jar runs under {@code strace -f}, which records every {@code
 * fsync} and {@code fdatasync} with the path of its file, and one client makes acknowledged writes
 * and audited reads, one at a time: each of them commits (the write, and its audit entry), so each
 * must have synced the database or its write-ahead log before it was answered.
 */
@DisplayName(
    "every acknowledged request was synced to the disk before its answer (SQLite, the default)")
class ServerSyncIT {
  static final int WRITES = 100;

  /** {@code PID EPOCH.MICROS fdatasync(FD</path/to/file>) = 0}, as strace -f -ttt -y prints it. */
  private static final Pattern SYNC =
      Pattern.compile("^\\d+\\s+(\\d+)\\.(\\d{6}) f(?:data)?sync\\(\\d+<([^>]*)>\\)\\s+= 0$");

  final HttpTestClient client = new HttpTestClient();

  @Test
  void embeddedDefault_syncsTheDatabaseAtLeastOncePerAcknowledgedRequest(@TempDir Path dir)
      throws Exception {
    Path trace = dir.resolve("syncs.strace");
    Path work = Files.createDirectory(dir.resolve("work"));
    // --seccomp-bpf stops the server only at the two traced calls, not at every system call.
    List<String> strace =
        List.of(
            "strace",
            "-f",
            "--seccomp-bpf",
            "-qq",
            "-ttt",
            "-y",
            "-e",
            "trace=fsync,fdatasync",
            "-o",
            trace.toString());
    Running server = new Running(work, strace, Map.of());
    long from;
    long until;
    try {
      String admin = server.await(ServerJarIT.KEY).group();
      int port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
      from = nowMicros();
      for (int i = 1; i <= WRITES; i++) {
        String name = "sync/s" + i;
        Reply put =
            client.call(
                port,
                "POST",
                "/api/v1/secrets",
                admin,
                "application/json",
                "{\"key\":\"" + name + "\",\"value\":\"v" + i + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        Reply get = client.call(port, "GET", "/api/v1/secrets/" + name, admin, null, null);
        assertThat(get.status()).as(get.body()).isEqualTo(200);
      }
      until = nowMicros();
    } finally {
      stop(server);
    }
    assertThat(server.process.exitValue())
        .as("strace and the server it ran ended cleanly: %s", server.lines)
        .isIn(0, 143);

    Path db = work.resolve("data/secrets.db").toRealPath();
    List<String> lines = Files.readAllLines(trace);
    long syncs = 0;
    for (String line : lines) {
      Matcher m = SYNC.matcher(line);
      if (m.matches()) {
        long at = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
        String file = m.group(3);
        if (at >= from && at <= until && (file.equals(db.toString()) || file.equals(db + "-wal"))) {
          syncs++;
        }
      }
    }
    assertThat(lines)
        .as("strace recorded the server's syncs")
        .anyMatch(l -> SYNC.matcher(l).matches());
    assertThat(syncs)
        .as(
            "syncs of %s or its write-ahead log while %d writes and %d reads were acknowledged",
            db, WRITES, WRITES)
        .isGreaterThanOrEqualTo(2L * WRITES);
  }

  private static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** SIGTERM to the server itself (strace's child), then strace ends with it. */
  private static void stop(Running server) throws IOException, InterruptedException {
    for (ProcessHandle java : server.process.toHandle().children().toList()) {
      Process kill =
          new ProcessBuilder("kill", "-TERM", Long.toString(java.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    if (!server.process.waitFor(60, TimeUnit.SECONDS)) {
      server.process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      server.process.destroyForcibly();
      server.process.waitFor(30, TimeUnit.SECONDS);
    }
    server.drained();
  }
}
