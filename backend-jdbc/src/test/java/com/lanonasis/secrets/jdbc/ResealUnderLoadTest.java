package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.VersionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-sealing 100,000 records of one tenant on PostgreSQL (as the non-owner role, under row-level
 * security) while four threads read and write the same secrets: no read fails, no acknowledged
 * write is lost or overwritten, and afterwards every record is sealed with the new key, so the old
 * one can be retired.
 */
@DisplayName("re-sealing 100,000 records online, on PostgreSQL")
class ResealUnderLoadTest {
  private static final int RECORDS = 100_000;
  private static final String TENANT = "acme";

  @TempDir Path dir;

  @Test
  @DisplayName(
      "4 threads read and write throughout: zero read errors, zero lost writes, every record under the new key")
  void reseal_underLoad() throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    MasterKeyring keyring = MasterKeyring.generate();
    try (JdbcRecordStore records = target.open()) {
      BulkSeed.seed(target, records, keyring, TENANT, RECORDS);
      TenantKeyManager manager = new TenantKeyManager(records, keyring);
      int oldKey = manager.dataKeyIds(TENANT).get(0);
      int newKey = manager.rotateDataKey(TENANT);

      SecretStore store =
          SecretStores.builder().recordStore(records).keyring(keyring).tenant(TENANT).open();
      // name index -> the newest value acknowledged by a writer (absent: the seeded one)
      Map<Integer, String> written = new ConcurrentHashMap<>();
      // name index -> every value a writer began to write (a read may see one before its put
      // returns)
      Map<Integer, java.util.Set<String>> attempted = new ConcurrentHashMap<>();
      Map<Integer, Long> versions = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      AtomicLong writes = new AtomicLong();
      List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> load = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        load.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (!stop.get()) {
                    int i = random.nextInt(RECORDS);
                    try (Secret s = store.get(BulkSeed.name(i))) {
                      String got = s.value().asUtf8();
                      if (!got.equals(BulkSeed.value(i))
                          && !attempted.getOrDefault(i, java.util.Set.of()).contains(got)) {
                        errors.add("read of " + i + " returned a value nobody wrote");
                      }
                      reads.incrementAndGet();
                    } catch (RuntimeException e) {
                      errors.add("read of " + i + ": " + e);
                    }
                  }
                }));
      }
      for (int t = 0; t < 2; t++) {
        int writer = t;
        load.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (!stop.get()) {
                    // Each writer owns the even or the odd names, so its own record of them is
                    // exact.
                    int i = random.nextInt(RECORDS / 2) * 2 + writer;
                    String value = "rewritten-" + i + "-" + random.nextLong();
                    attempted.computeIfAbsent(i, k -> ConcurrentHashMap.newKeySet()).add(value);
                    try {
                      VersionInfo v = store.put(BulkSeed.name(i), SecretValue.ofUtf8(value));
                      written.put(i, value);
                      versions.put(i, v.version());
                      writes.incrementAndGet();
                    } catch (RuntimeException e) {
                      errors.add("write of " + i + ": " + e);
                    }
                  }
                }));
      }

      TenantKeyManager.ResealReport report = manager.reseal(TENANT, 1000, p -> {});
      stop.set(true);
      for (Future<?> f : load) {
        f.get(2, TimeUnit.MINUTES);
      }
      pool.shutdown();

      assertThat(errors).as("errors while re-sealing").isEmpty();
      assertThat(reads.get()).as("reads during the re-seal").isPositive();
      assertThat(writes.get()).as("writes during the re-seal").isPositive();
      assertThat(report.done()).isTrue();
      assertThat(report.unreadable()).isZero();
      // Every seeded version 1 was under the old key; writes during the re-seal sealed with the new
      // one.
      assertThat(report.resealed()).isEqualTo(RECORDS);
      assertThat(report.fromKeyIds()).containsOnlyKeys(oldKey);

      // Every acknowledged write is there, with its value, as the newest version.
      for (Map.Entry<Integer, String> e : written.entrySet()) {
        try (Secret s = store.get(BulkSeed.name(e.getKey()))) {
          assertThat(s.value().asUtf8()).isEqualTo(e.getValue());
          assertThat(s.version()).isEqualTo(versions.get(e.getKey()));
        }
      }
      // Every record, old versions included, is sealed with the new key and opens.
      assertThat(records.sealedCountsByKeyId(TENANT)).containsOnlyKeys(newKey);
      assertThat(records.sealedCountsByKeyId(TENANT).get(newKey)).isEqualTo(RECORDS + writes.get());
      for (int i = 0; i < RECORDS; i += 997) {
        try (Secret s = store.get(BulkSeed.name(i), 1)) {
          assertThat(s.value().asUtf8()).isEqualTo(BulkSeed.value(i));
        }
      }
      manager.retireDataKey(TENANT, oldKey);
      assertThat(manager.dataKeyIds(TENANT)).containsExactly(newKey);
      try (Secret s = store.get(BulkSeed.name(RECORDS - 1), 1)) {
        assertThat(s.value().asUtf8()).isEqualTo(BulkSeed.value(RECORDS - 1));
      }
    }
  }
}
