package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acknowledged means on disk: a child JVM writes through {@code SecretStores.open(<embedded URL>)}
 * and reports each write only after {@code put} returned; it is killed with SIGKILL at a random
 * moment, the store is reopened, and every reported version must be there with its value. Several
 * rounds on one file, so each round also starts from a store that was killed before.
 */
@DisplayName("embedded stores keep every acknowledged write when the process is killed")
class CrashDurabilityTest {
  private static final int WRITERS = 3;

  @TempDir Path dir;

  /** One acknowledged write, as the child reported it. */
  record Ack(String name, long version, String value) {}

  @ParameterizedTest(name = "{0}: {1} rounds of kill -9")
  @CsvSource({"sqlite, 5", "h2, 3"})
  @DisplayName("every acknowledged version survives SIGKILL, round after round")
  void killedWriter_everyAcknowledgedVersionSurvives(String engine, int rounds) throws Exception {
    String url =
        engine.equals("sqlite")
            ? "jdbc:sqlite:" + dir.resolve("secrets.db")
            : "jdbc:h2:file:" + dir.resolve("secrets");
    Path keyset = dir.resolve("keyset.json");
    MasterKeyring keyring = MasterKeyring.generate();
    KeyringFile.writeCleartext(keyring, keyset);
    List<Ack> all = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Child child = Child.start(url, keyset, "own", WRITERS, "crash", 1_000_000);
      // Kill after a random number of acknowledgements: early, mid-stream, or well into the run.
      int killAfter = ThreadLocalRandom.current().nextInt(10, 400);
      child.awaitAcks(killAfter, 60);
      child.kill();
      List<Ack> acked = child.acks();
      assertThat(acked)
          .as("round %d: the child acknowledged writes before it was killed", round)
          .isNotEmpty();
      all.addAll(acked);
      assertAllPresent(url, keyring, all, "round " + round);
    }
  }

  @Test
  @DisplayName(
      "SQLite: two processes writing one name by check-and-set get versions 1..N, each once")
  void twoProcesses_checkAndSetOnOneName_noLostUpdate() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("shared.db");
    Path keyset = dir.resolve("keyset.json");
    MasterKeyring keyring = MasterKeyring.generate();
    KeyringFile.writeCleartext(keyring, keyset);
    int putsEach = 40;
    Child a = Child.start(url, keyset, "shared", 2, "race", putsEach);
    Child b = Child.start(url, keyset, "shared", 2, "race", putsEach);
    a.awaitExit(180);
    b.awaitExit(180);
    List<Ack> acks = new ArrayList<>(a.acks());
    acks.addAll(b.acks());
    int total = 2 * 2 * putsEach;
    assertThat(acks).hasSize(total);
    assertThat(acks.stream().map(Ack::version).sorted().toList())
        .as("versions handed out: exactly 1..%d, none twice", total)
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
    assertAllPresent(url, keyring, acks, "after both processes");
  }

  private static void assertAllPresent(
      String url, MasterKeyring keyring, List<Ack> acks, String when) {
    try (SecretStore store = SecretStores.builder().uri(url).keyring(keyring).open()) {
      Map<String, Long> newest = new HashMap<>();
      List<String> missing = new ArrayList<>();
      for (Ack ack : acks) {
        newest.merge(ack.name(), ack.version(), Math::max);
        try (Secret s = store.get(ack.name(), ack.version())) {
          if (!s.value().asUtf8().equals(ack.value())) {
            missing.add(ack.name() + " v" + ack.version() + " (other value)");
          }
        } catch (RuntimeException e) {
          missing.add(
              ack.name() + " v" + ack.version() + " (" + e.getClass().getSimpleName() + ")");
        }
      }
      assertThat(missing).as("%s: acknowledged versions lost, of %d", when, acks.size()).isEmpty();
      for (Map.Entry<String, Long> n : newest.entrySet()) {
        try (Secret s = store.get(n.getKey())) {
          assertThat(s.version())
              .as("%s: newest version of %s", when, n.getKey())
              .isGreaterThanOrEqualTo(n.getValue());
        }
      }
    }
  }

  /** A {@link CrashWriter} in its own JVM, its acknowledgements read as they come. */
  static final class Child {
    private final Process process;
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Child(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "crash-child-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(String url, Path keyset, String mode, int writers, String prefix, int puts)
        throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classpath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xmx256m",
              "-cp",
              classpath,
              CrashWriter.class.getName(),
              url,
              keyset.toString(),
              mode,
              Integer.toString(writers),
              prefix,
              Integer.toString(puts));
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      return new Child(pb.start());
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(" ");
          // A line cut off by the kill has no END: that write's acknowledgement never arrived.
          if (f.length == 5 && f[0].equals("ACK") && f[4].equals("END")) {
            acks.add(new Ack(f[1], Long.parseLong(f[2]), f[3]));
          }
        }
      } catch (IOException e) {
        // the process was killed: what was read is what was acknowledged
      }
    }

    /** Waits (bounded) until at least {@code n} writes were acknowledged or the child ended. */
    void awaitAcks(int n, int maxSeconds) throws InterruptedException {
      for (int i = 0; i < maxSeconds * 20 && acks.size() < n && process.isAlive(); i++) {
        Thread.sleep(50);
      }
      assertThat(process.isAlive())
          .as("the writer is still running when it is killed (it did not fail)")
          .isTrue();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }

    void awaitExit(int maxSeconds) throws InterruptedException {
      boolean exited = process.waitFor(maxSeconds, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      reader.join(10_000);
      assertThat(exited).as("the writer finished its bounded work").isTrue();
      assertThat(process.exitValue()).isZero();
    }

    List<Ack> acks() {
      return List.copyOf(acks);
    }

    @Override
    public String toString() {
      return acks.stream().map(Ack::name).distinct().collect(Collectors.joining(", "));
    }
  }
}
