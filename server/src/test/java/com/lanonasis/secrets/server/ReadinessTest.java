package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} is unauthenticated, so a flood of probes must not become a flood of database work
 * or of audit entries. Counted with the pool's own metric (connections handed out), on a real
 * server over SQLite. The full-disk and database-down answers are in {@code DiskFullIT} and {@code
 * PostgresOutageIT}.
 */
@DisplayName(
    "/readyz: a flood of probes costs at most one check a second, and writes no audit entry")
class ReadinessTest {
  private static final Pattern READ_ACQUIRED =
      Pattern.compile(
          "(?m)^hikaricp_connections_acquire_seconds_count\\{pool=\"lanonasis-server-read\"} ([0-9.]+)$");

  final HttpTestClient client = new HttpTestClient();

  @Test
  void manyConcurrentProbes_shareOneCheckPerSecond_andLeaveTheAuditLogAsItWas(@TempDir Path dir)
      throws Exception {
    RealServer s = RealServer.start(dir);
    try (SecretsServer server = s.server()) {
      int port = server.port();
      assertThat(client.call(port, "GET", "/readyz", null, null, null).status()).isEqualTo(200);
      long auditBefore = server.auditLog().newest().map(AuditEntry::seq).orElse(0L);
      double acquiredBefore = readAcquired(port);

      long start = System.nanoTime();
      List<Integer> statuses = new CopyOnWriteArrayList<>();
      List<Thread> probes = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread probe =
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    statuses.add(client.call(port, "GET", "/readyz", null, null, null).status());
                  }
                });
        probes.add(probe);
        probe.start();
      }
      for (Thread probe : probes) {
        probe.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double acquired = readAcquired(port) - acquiredBefore;

      assertThat(statuses).hasSize(400).containsOnly(200);
      // One read per check, one check per second at most (plus one for a check begun as the flood
      // started, and one for the server's own checkpoint tick): not one per probe.
      assertThat(acquired)
          .as("store reads for 400 probes in %.1f s", seconds)
          .isLessThanOrEqualTo(Math.ceil(seconds) + 2);
      assertThat(server.auditLog().newest().map(AuditEntry::seq).orElse(0L))
          .as("audit entries written by probes")
          .isEqualTo(auditBefore);
    }
  }

  private double readAcquired(int port) {
    Matcher m =
        READ_ACQUIRED.matcher(client.call(port, "GET", "/metrics", null, null, null).body());
    assertThat(m.find()).as("the read pool's acquisition count is in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
