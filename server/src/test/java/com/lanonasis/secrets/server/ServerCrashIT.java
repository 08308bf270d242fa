package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.jdbc.TestDatabases;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar killed with SIGKILL while writers hammer it, then restarted on the same data:
 * every write answered 200 or 201 must read back with its value, and every request answered with
 * success must have its audit entry. Check-and-set writers (one name each) record a write only when
 * its answer arrived, and a read only when its 200 arrived; the kill comes after a random number of
 * them, once every writer has had writes acknowledged. A writer that fails before the kill fails
 * the test. The checks' own reads are audited too: audit entries are counted only outside the
 * stretches of the log they wrote.
 */
@DisplayName("the server keeps every acknowledged write and audit entry when it is killed")
class ServerCrashIT {
  static final int WRITERS = 4;

  final HttpTestClient client = new HttpTestClient();

  /** A write answered 201, as the client saw it. */
  record Ack(String name, long version, String value) {}

  @Test
  @DisplayName(
      "embedded default (SQLite under ./data): 5 kills on one directory, nothing acknowledged lost")
  void embeddedDefault_killedFiveTimes_keepsEveryAcknowledgedWriteAndAuditEntry(@TempDir Path dir)
      throws Exception {
    Outcome all = crashRounds(dir, 5);
    assertThat(all.acks).isNotEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .as("the data directory is the owner's alone")
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/secrets.db"))))
        .as("the database file is the owner's alone")
        .isEqualTo("rw-------");
  }

  @Test
  @DisplayName("PostgreSQL, the reference: one kill, nothing acknowledged lost")
  void postgres_killedOnce_keepsEveryAcknowledgedWriteAndAuditEntry(@TempDir Path dir)
      throws Exception {
    TestDatabases.Target db = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    // As production runs it: the server's role owns nothing, the migrations run as the owner.
    Outcome all =
        crashRounds(dir, 1, "--store", db.appUrl(), "--migration-db-user", TestDatabases.PG_OWNER);
    assertThat(all.acks).isNotEmpty();
  }

  /** What the clients saw acknowledged over all rounds. */
  static final class Outcome {
    final List<Ack> acks = new ArrayList<>();
    final Map<String, Integer> reads = new HashMap<>();

    /**
     * Audit sequence numbers {@code (from, to]} written by the checks' own requests, not by the
     * load.
     */
    final List<long[]> checkEntries = new ArrayList<>();

    boolean byCheck(long seq) {
      return checkEntries.stream().anyMatch(w -> seq > w[0] && seq <= w[1]);
    }
  }

  private Outcome crashRounds(Path dir, int rounds, String... args) throws Exception {
    Outcome all = new Outcome();
    String admin = null;
    for (int round = 1; round <= rounds + 1; round++) {
      Running server = new Running(dir, args);
      try {
        if (admin == null) {
          admin = server.await(ServerJarIT.KEY).group();
        }
        int port = Integer.parseInt(server.await(ServerJarIT.URL).group(1));
        verify(port, admin, all, round == 1 ? "first start" : "restart after kill " + (round - 1));
        if (round > rounds) {
          assertThat(server.terminate()).isEqualTo(143);
          break;
        }
        Load load = new Load(port, admin);
        load.start();
        int killAfter = ThreadLocalRandom.current().nextInt(10, 300);
        for (int i = 0;
            i < 1200
                && (load.acks.size() < killAfter || !load.everyWriterAcknowledged())
                && load.allRunning();
            i++) {
          Thread.sleep(50);
        }
        assertThat(load.failures).as("round %d: writer failures before the kill", round).isEmpty();
        assertThat(load.allRunning())
            .as("round %d: every writer was still running when the server was killed", round)
            .isTrue();
        load.killed.set(true);
        server.process.destroyForcibly(); // SIGKILL
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        load.join();
        assertThat(load.failures).as("round %d: writer failures", round).isEmpty();
        for (int w = 0; w < WRITERS; w++) {
          String name = Load.name(w);
          assertThat(load.acks)
              .as("round %d: writes of %s acknowledged before the kill", round, name)
              .anyMatch(a -> a.name().equals(name));
        }
        all.acks.addAll(load.acks);
        load.reads.forEach(name -> all.reads.merge(name, 1, Integer::sum));
      } finally {
        server.process.destroyForcibly();
        server.process.waitFor(30, TimeUnit.SECONDS);
      }
    }
    return all;
  }

  /**
   * Every acknowledged version reads back with its value; every acknowledged request has its audit
   * entry.
   */
  private void verify(int port, String admin, Outcome all, String when) {
    long mark = newestAuditSeq(port, admin);
    List<String> lost = new ArrayList<>();
    Map<String, Integer> writes = new HashMap<>();
    for (Ack ack : all.acks) {
      writes.merge(ack.name(), 1, Integer::sum);
      Reply r =
          client.call(
              port,
              "GET",
              "/api/v1/secrets/" + ack.name() + "?version=" + ack.version(),
              admin,
              null,
              null);
      if (r.status() != 200 || !r.json().get("value").asText().equals(ack.value())) {
        lost.add(ack.name() + " v" + ack.version() + " -> " + r.status());
      }
    }
    assertThat(lost).as("%s: acknowledged versions lost, of %d", when, all.acks.size()).isEmpty();

    Map<String, Integer> auditedWrites = new HashMap<>();
    Map<String, Integer> auditedReads = new HashMap<>();
    long after = 0;
    boolean pastMark = false;
    for (int page = 0; page < 10_000 && !pastMark; page++) {
      JsonNode body =
          client
              .call(port, "GET", "/api/v1/audit?limit=1000&after=" + after, admin, null, null)
              .json();
      for (JsonNode e : body.get("items")) {
        long seq = e.get("seq").asLong();
        if (seq > mark) {
          pastMark = true; // the entries of this check's reads, and later
          break;
        }
        if (!all.byCheck(seq)
            && e.get("outcome").asText().equals("ok")
            && e.get("secretName").isTextual()) {
          String name = e.get("secretName").asText();
          switch (e.get("action").asText()) {
            case "write" -> auditedWrites.merge(name, 1, Integer::sum);
            case "read" -> auditedReads.merge(name, 1, Integer::sum);
            default -> {}
          }
        }
      }
      if (!body.has("nextAfter")) {
        break;
      }
      after = body.get("nextAfter").asLong();
    }
    writes.forEach(
        (name, n) ->
            assertThat(auditedWrites.getOrDefault(name, 0))
                .as("%s: audited successful writes of %s", when, name)
                .isGreaterThanOrEqualTo(n));
    all.reads.forEach(
        (name, n) ->
            assertThat(auditedReads.getOrDefault(name, 0))
                .as("%s: audited successful reads of %s", when, name)
                .isGreaterThanOrEqualTo(n));
    JsonNode check = client.call(port, "GET", "/api/v1/audit/verify", admin, null, null).json();
    assertThat(check.get("intact").asBoolean()).as("%s: the audit chain verifies", when).isTrue();
    all.checkEntries.add(new long[] {mark, newestAuditSeq(port, admin)});
  }

  /**
   * The sequence number of the newest audit entry, 0 for none: the high-water mark ahead of a
   * check's reads.
   */
  private long newestAuditSeq(int port, String admin) {
    Reply r =
        client.call(
            port, "GET", "/api/v1/audit?limit=1&before=" + Long.MAX_VALUE, admin, null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode items = r.json().get("items");
    return items.isEmpty() ? 0 : items.get(0).get("seq").asLong();
  }

  /** Check-and-set writers, one name each, until the server stops answering. */
  final class Load {
    final int port;
    final String admin;
    final List<Ack> acks = new CopyOnWriteArrayList<>();
    final List<String> reads = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    /** Set just before the SIGKILL: from then on a request may fail because the server is gone. */
    final AtomicBoolean killed = new AtomicBoolean();

    final List<String> failures = new CopyOnWriteArrayList<>();

    Load(int port, String admin) {
      this.port = port;
      this.admin = admin;
    }

    void start() {
      for (int w = 0; w < WRITERS; w++) {
        String name = name(w);
        Thread t = new Thread(() -> write(name), "crash-" + name);
        threads.add(t);
        t.start();
      }
    }

    static String name(int writer) {
      return "crash/n" + writer;
    }

    boolean allRunning() {
      return threads.stream().allMatch(Thread::isAlive);
    }

    boolean everyWriterAcknowledged() {
      return acks.stream().map(Ack::name).distinct().count() == WRITERS;
    }

    void join() throws InterruptedException {
      for (Thread t : threads) {
        t.join(60_000);
      }
    }

    private void write(String name) {
      try {
        Reply current = client.call(port, "GET", "/api/v1/secrets/" + name, admin, null, null);
        if (current.status() == 200) {
          reads.add(name);
        } else if (current.status() != 404) {
          failures.add(name + ": GET answered " + current.status() + " " + current.body());
          return;
        }
        long version = current.status() == 200 ? current.json().get("version").asLong() : 0;
        // Bounded: the server is killed long before this many writes.
        for (int i = 0; i < 1_000_000; i++) {
          String value =
              name.replace('/', '-')
                  + "-after-"
                  + version
                  + "-"
                  + ThreadLocalRandom.current().nextLong();
          Reply put =
              client.call(
                  port,
                  "POST",
                  "/api/v1/secrets",
                  admin,
                  "application/json",
                  "{\"key\":\""
                      + name
                      + "\",\"value\":\""
                      + value
                      + "\",\"expectedVersion\":"
                      + version
                      + "}");
          if (put.status() != 200 && put.status() != 201) {
            failures.add(name + ": POST answered " + put.status() + " " + put.body());
            return;
          }
          version = put.json().get("version").asLong();
          acks.add(new Ack(name, version, value));
          Reply read = client.call(port, "GET", "/api/v1/secrets/" + name, admin, null, null);
          if (read.status() != 200) {
            failures.add(name + ": GET answered " + read.status() + " " + read.body());
            return;
          }
          reads.add(name);
        }
      } catch (AssertionError | RuntimeException e) {
        // After the kill the connection goes: what was acknowledged so far is what counts. Before
        // it, a bug.
        if (!killed.get()) {
          failures.add(name + ": " + e);
        }
      }
    }
  }
}
