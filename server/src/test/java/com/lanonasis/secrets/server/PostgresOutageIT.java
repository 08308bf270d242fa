package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar on a PostgreSQL of the test's own ({@link PrivatePostgres}), which the test
 * kills with SIGKILL and starts again.
 *
 * <p>The bounds are generous on purpose, not measurements: a request while the database is down
 * must be answered 503 "within 5 s" — it was 20 s before (a 10 s connection timeout, and a read
 * that waited it twice), and is about 2 s now (the default connection timeout of a database server)
 * — so a loaded machine does not make the test flaky while 20 s still fails it.
 */
@DisplayName("PostgreSQL down: 503 with Retry-After at once, and no stale failure once it is back")
class PostgresOutageIT {
  /** Far above the ~2 s a refusal takes, far below the 20 s it took. */
  static final Duration PROMPT = Duration.ofSeconds(5);

  final HttpTestClient client = new HttpTestClient();

  @Test
  @DisplayName(
      "idle server: reads, writes and /readyz answer 503 with Retry-After within 5 s; all succeed once it is back")
  void idleServer_postgresKilled_answers503Fast_andRecovers(@TempDir Path dir) throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      Running server = new Running(dir, "--store", pg.url());
      try {
        String admin = server.await(ServerJarIT.KEY).group();
        int port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
        assertThat(write(port, admin, "app/db", "v1").status()).isEqualTo(201);
        assertThat(client.call(port, "GET", "/readyz", null, null, null).status()).isEqualTo(200);

        pg.kill();
        // Idle: the pooled connections are older than HikariCP's 500 ms, so each is validated on
        // borrow.
        Thread.sleep(1500);
        for (String path : List.of("/api/v1/secrets/app/db", "/readyz")) {
          long start = System.nanoTime();
          Reply r =
              client.call(port, "GET", path, path.equals("/readyz") ? null : admin, null, null);
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          assertThat(r.status()).as("GET %s while the database is down", path).isEqualTo(503);
          assertThat(r.headers().firstValue("Retry-After"))
              .as("GET %s: Retry-After", path)
              .contains("1");
          assertThat(took).as("GET %s answered promptly", path).isLessThan(PROMPT);
        }
        long start = System.nanoTime();
        Reply w = write(port, admin, "app/db", "v2");
        assertThat(w.status()).isEqualTo(503);
        assertThat(w.headers().firstValue("Retry-After")).contains("1");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("a write answered promptly")
            .isLessThan(PROMPT);

        pg.startAgain();
        Reply back = awaitStatus(port, admin, "/api/v1/secrets/app/db", 200);
        assertThat(back.json().get("value").asText()).isEqualTo("v1");
        for (int i = 0; i < 20; i++) {
          assertThat(write(port, admin, "app/after", "v" + i).status())
              .as("write %d after the restart", i)
              .isIn(200, 201);
          assertThat(
                  client.call(port, "GET", "/api/v1/secrets/app/after", admin, null, null).status())
              .isEqualTo(200);
        }
        assertThat(client.call(port, "GET", "/readyz", null, null, null).status()).isEqualTo(200);
      } finally {
        server.process.destroyForcibly();
        server.process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName(
      "under load: once a request succeeds after the restart, none fails on a connection that died with the database")
  void underLoad_postgresKilledAndRestarted_noStaleConnectionFailsARequestAfterRecovery(
      @TempDir Path dir) throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      Running server = new Running(dir, "--store", pg.url());
      try {
        String admin = server.await(ServerJarIT.KEY).group();
        int port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
        record Answer(long at, int status, String what) {}
        List<Answer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        // More clients than the pool has connections, so every pooled connection is in use when it
        // dies.
        for (int t = 0; t < 12; t++) {
          String name = "load/c" + t;
          Thread c =
              new Thread(
                  () -> {
                    for (int i = 0; running.get(); i++) {
                      Reply r =
                          i % 2 == 0
                              ? write(port, admin, name, "v" + i)
                              : client.call(
                                  port, "GET", "/api/v1/secrets/" + name, admin, null, null);
                      answers.add(
                          new Answer(
                              System.nanoTime(),
                              r.status(),
                              (i % 2 == 0 ? "write " : "read ") + name));
                    }
                  },
                  "load-" + t);
          clients.add(c);
          c.start();
        }
        Thread.sleep(2000);
        pg.kill();
        Thread.sleep(3000);
        long restarted = System.nanoTime();
        pg.startAgain();
        long backAt = System.nanoTime();
        Thread.sleep(8000);
        running.set(false);
        for (Thread c : clients) {
          c.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(answers.stream().filter(a -> a.at() < restarted && a.status() == 503))
            .as("503s during the outage")
            .isNotEmpty();
        long firstOk =
            answers.stream()
                .filter(a -> a.at() > backAt && a.status() < 300)
                .mapToLong(Answer::at)
                .min()
                .orElseThrow(
                    () -> new AssertionError("no request succeeded after the database was back"));
        assertThat(Duration.ofNanos(firstOk - backAt))
            .as("the first success after the database was back")
            .isLessThan(PROMPT);
        // Answers that began before firstOk may end after it: a request lasts at most the 2 s
        // connection timeout.
        long settled = firstOk + TimeUnit.SECONDS.toNanos(3);
        assertThat(
                answers.stream()
                    .filter(a -> a.at() > settled && a.status() >= 300)
                    .map(Answer::what))
            .as("failures after the database was back and a request had succeeded")
            .isEmpty();
        assertThat(answers.stream().filter(a -> a.at() > settled))
            .as("answers after recovery")
            .hasSizeGreaterThan(100);
      } finally {
        server.process.destroyForcibly();
        server.process.waitFor(30, TimeUnit.SECONDS);
      }
    }
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

  /** Polls until {@code path} answers {@code status}, for up to {@link #PROMPT}. */
  private Reply awaitStatus(int port, String key, String path, int status)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROMPT.toNanos();
    Reply r;
    do {
      r = client.call(port, "GET", path, key, null, null);
      if (r.status() == status) {
        return r;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "GET "
            + path
            + " did not answer "
            + status
            + " within "
            + PROMPT
            + "; last: "
            + r.status()
            + " "
            + r.body());
  }
}
