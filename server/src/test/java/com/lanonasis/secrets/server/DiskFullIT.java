package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar with its {@code ./data} on a 32 MiB tmpfs that the test mounts (the tests run as
 * root; a machine where {@code mount} is refused fails this test, it does not skip it). The server
 * fills the disk with its own writes, another file takes what is left, and the operator then frees
 * space: readiness must say the truth all along, and a clean stop and restart must work afterwards.
 *
 * <p>Bounds are generous waits, not measurements: {@code /readyz} keeps its answer for one second,
 * so a change shows within "5 s".
 */
@DisplayName(
    "a full disk: not ready while it lasts (also after a restart), and stop and restart work once space is freed")
class DiskFullIT {
  static final Duration PROMPT = Duration.ofSeconds(5);
  static final int VALUE_CHARS = 40_000;

  final HttpTestClient client = new HttpTestClient();

  @Test
  void fullDisk_isNotReady_andOnceSpaceIsFreed_servesStopsAndRestartsWithEveryAcknowledgedWrite(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectory(data);
    run("mount", "-t", "tmpfs", "-o", "size=32m,mode=0700", "tmpfs", data.toString());
    Running server = null;
    try {
      // Space the operator can free later: a file of theirs on the same file system.
      Path operatorFile = data.resolve("old-logs");
      fill(operatorFile, 10L << 20);
      server = new Running(dir);
      String admin = server.await(ServerJarIT.KEY).group();
      int port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));

      Map<String, String> acked = new LinkedHashMap<>();
      Random random = new Random(22);
      Reply refused = null;
      // Until refused several times in a row: the first refusal truncates the write-ahead log,
      // which
      // may give back enough space for a few more writes.
      for (int i = 0, refusals = 0; i < 3000 && refusals < 5; i++) {
        String name = "fill/s" + i;
        String value = value(random);
        Reply r = write(port, admin, name, value);
        if (r.status() == 201) {
          acked.put(name, value);
          refusals = 0;
        } else {
          refused = r;
          refusals++;
        }
      }
      assertThat(refused).as("the disk filled up: a write was refused").isNotNull();
      assertThat(refused.status()).as("the refusal: %s", refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(acked).hasSizeGreaterThan(10);
      awaitReady(port, 503);
      String first = acked.keySet().iterator().next();
      assertThat(client.call(port, "GET", "/api/v1/secrets/" + first, admin, null, null).status())
          .as("not ready means a read is not answered either: its audit entry cannot be committed")
          .isEqualTo(503);

      // Another process takes all but 1 MiB, and the server is restarted on that disk.
      Path otherFile = data.resolve("other");
      fill(otherFile, Math.max(0, Files.getFileStore(data).getUsableSpace() - (1L << 20)));
      assertThat(server.terminate()).as("a clean stop on a full disk").isEqualTo(143);
      server = new Running(dir);
      port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
      awaitReady(port, 503);
      assertThat(client.call(port, "GET", "/api/v1/secrets/" + first, admin, null, null).status())
          .as("a read after the restart on the full disk")
          .isEqualTo(503);

      // The operator frees space: ready again, reads and writes answered, without a restart.
      Files.delete(operatorFile);
      Files.delete(otherFile);
      awaitReady(port, 200);
      // The read above failed to commit its audit entry; the probe that found the log writable
      // again
      // wrote one entry saying so, and probes of a ready server write none.
      assertThat(recoveredEntries(port, admin))
          .as("audit.recovered entries once ready again")
          .isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        Thread.sleep(
            Readiness.KEPT.toMillis() + 100); // past the kept answer: each probe checks again
        assertThat(client.call(port, "GET", "/readyz", null, null, null).status()).isEqualTo(200);
      }
      assertThat(recoveredEntries(port, admin))
          .as("audit.recovered entries after more probes")
          .isEqualTo(1);
      assertThat(client.call(port, "GET", "/api/v1/secrets/" + first, admin, null, null).status())
          .isEqualTo(200);
      assertThat(write(port, admin, "after/freed", "x").status()).isEqualTo(201);
      acked.put("after/freed", "x");

      // A clean stop and a restart: the stop's checkpoint of the write-ahead log does not strand
      // it.
      assertThat(server.terminate()).isEqualTo(143);
      server = new Running(dir);
      port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
      awaitReady(port, 200);
      assertThat(write(port, admin, "after/restart", "y").status()).isEqualTo(201);
      List<String> lost = new ArrayList<>();
      for (Map.Entry<String, String> e : acked.entrySet()) {
        Reply r = client.call(port, "GET", "/api/v1/secrets/" + e.getKey(), admin, null, null);
        if (r.status() != 200 || !r.json().get("value").asText().equals(e.getValue())) {
          lost.add(e.getKey() + " -> " + r.status());
        }
      }
      assertThat(lost).as("acknowledged writes lost, of %d", acked.size()).isEmpty();
      assertThat(
              client
                  .call(port, "GET", "/api/v1/audit/verify", admin, null, null)
                  .json()
                  .get("intact")
                  .asBoolean())
          .as("the audit chain verifies")
          .isTrue();
      assertThat(server.terminate()).isEqualTo(143);
    } finally {
      if (server != null) {
        server.process.destroyForcibly();
        server.process.waitFor(30, TimeUnit.SECONDS);
      }
      // A lazy unmount if a process still holds a file there: never leave the mount behind.
      if (new ProcessBuilder("umount", data.toString()).inheritIO().start().waitFor() != 0) {
        run("umount", "-l", data.toString());
      }
    }
  }

  private int recoveredEntries(int port, String admin) {
    Reply r =
        client.call(
            port, "GET", "/api/v1/audit?action=audit.recovered&limit=100", admin, null, null);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("items").size();
  }

  private static String value(Random random) {
    byte[] bytes = new byte[VALUE_CHARS * 3 / 4];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private Reply write(int port, String key, String name, String value) {
    return client.call(
        port,
        "POST",
        "/api/v1/secrets",
        key,
        "application/json",
        "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}");
  }

  /** Polls {@code /readyz} until it answers {@code status}, for up to {@link #PROMPT}. */
  private void awaitReady(int port, int status) throws InterruptedException {
    long deadline = System.nanoTime() + PROMPT.toNanos();
    Reply r;
    do {
      r = client.call(port, "GET", "/readyz", null, null, null);
      if (r.status() == status) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "/readyz did not answer "
            + status
            + " within "
            + PROMPT
            + "; last: "
            + r.status()
            + " "
            + r.body());
  }

  /** Writes up to {@code bytes} of zeros, or until the file system is full. */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long n = 0; n < bytes; n += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - n));
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(
            "%s exited 0 (the integration tests run as root); it printed:%n%s",
            List.of(command), out)
        .isZero();
  }
}
