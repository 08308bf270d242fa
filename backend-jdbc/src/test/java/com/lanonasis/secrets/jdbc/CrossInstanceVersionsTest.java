package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several independent stores, each with its own pool as separate application instances would have,
 * writing one name at once against the same database.
 */
@DisplayName("versions stay 1..N across independent instances")
class CrossInstanceVersionsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"POSTGRESQL", "MARIADB", "H2_MEM", "SQLITE"})
  @DisplayName("4 instances x 2 writers x 60 puts: exactly versions 1..480, each written once")
  void put_fromSeveralInstances_noGapNoDuplicate(TestDatabases.Kind kind) throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    MasterKeyring keyring = MasterKeyring.generate();
    int instances = 4;
    int writersEach = 2;
    int putsEach = 60;
    List<SecretStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      stores.add(
          SecretStores.builder()
              .recordStore(target.open())
              .keyring(keyring)
              .tenant("shared")
              .open());
    }
    Set<Long> versions = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(instances * writersEach);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < instances * writersEach; i++) {
        SecretStore s = stores.get(i % instances);
        int writer = i;
        fs.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int n = 0; n < putsEach; n++) {
                    VersionInfo v = s.put("hot/name", SecretValue.ofUtf8(writer + ":" + n));
                    assertThat(versions.add(v.version()))
                        .as("version %d handed out twice", v.version())
                        .isTrue();
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = instances * writersEach * putsEach;
    List<VersionInfo> stored = stores.get(0).versions("hot/name");
    assertThat(stored).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(stored.get(i).version()).isEqualTo(i + 1L);
    }
    assertThat(versions).hasSize(total);
    stores.forEach(SecretStore::close);
  }
}
