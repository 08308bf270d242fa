package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.TenantKeyManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A re-seal killed with SIGKILL in the middle leaves every record readable (each is under the old
 * key or the new one, and the keyset holds both), and running it again finishes the job.
 */
@DisplayName("a re-seal killed with kill -9 and run again")
class ResealCrashTest {
  private static final int RECORDS = 20_000;
  private static final String TENANT = "acme";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"SQLITE", "POSTGRESQL"})
  @DisplayName(
      "nothing unreadable after the kill; the second run finishes with every record under the new key")
  void killedReseal_resumes(TestDatabases.Kind kind) throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    MasterKeyring keyring = MasterKeyring.generate();
    Path keysetFile = dir.resolve("keyset.json");
    KeyringFile.writeCleartext(keyring, keysetFile);
    try (JdbcRecordStore records = target.open()) {
      BulkSeed.seed(target, records, keyring, TENANT, RECORDS);
      TenantKeyManager manager = new TenantKeyManager(records, keyring);
      int oldKey = manager.dataKeyIds(TENANT).get(0);
      int newKey = manager.rotateDataKey(TENANT);

      int killAfter = ThreadLocalRandom.current().nextInt(3, 40);
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty(
                      "surefire.test.class.path", System.getProperty("java.class.path")),
                  ResealWorker.class.getName(),
                  target.appUrl(),
                  keysetFile.toString(),
                  TENANT,
                  "200")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      AtomicInteger batches = new AtomicInteger();
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; batches.get() < killAfter && (line = in.readLine()) != null; ) {
          if (line.startsWith("BATCH ")) {
            batches.incrementAndGet();
          }
        }
        assertThat(child.isAlive()).as("the re-seal is still running when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL, in the middle of a batch or between two
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(batches.get()).isEqualTo(killAfter);

      // Killed half-way: some records under each key, every one of them readable.
      Map<Integer, Long> counts = records.sealedCountsByKeyId(TENANT);
      assertThat(counts.keySet()).containsExactlyInAnyOrder(oldKey, newKey);
      assertThat(counts.get(oldKey) + counts.get(newKey)).isEqualTo(RECORDS);
      SecretStore store =
          SecretStores.builder().recordStore(records).keyring(keyring).tenant(TENANT).open();
      assertAllReadable(store);

      TenantKeyManager.ResealReport second = manager.reseal(TENANT, 500, p -> {});
      assertThat(second.done()).isTrue();
      assertThat(second.resealed()).isEqualTo(counts.get(oldKey));
      assertThat(records.sealedCountsByKeyId(TENANT)).isEqualTo(Map.of(newKey, (long) RECORDS));
      manager.retireDataKey(TENANT, oldKey);
      assertAllReadable(store);
    }
  }

  private static void assertAllReadable(SecretStore store) {
    for (int i = 0; i < RECORDS; i++) {
      try (Secret s = store.get(BulkSeed.name(i))) {
        assertThat(s.value().asUtf8()).isEqualTo(BulkSeed.value(i));
      }
    }
  }
}
