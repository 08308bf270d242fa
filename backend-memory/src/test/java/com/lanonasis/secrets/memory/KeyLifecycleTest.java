package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.DataKeyPolicy;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("data key usage limits, re-sealing and retiring keys")
class KeyLifecycleTest {
  private final MemoryRecordStore records = new MemoryRecordStore();
  private final MasterKeyring master = MasterKeyring.generate();
  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final TenantKeyManager manager = new TenantKeyManager(records, master);

  @AfterEach
  void close() {
    records.close();
  }

  private SecretStore open(DataKeyPolicy policy) {
    return SecretStores.builder()
        .recordStore(records)
        .keyring(master)
        .clock(clock)
        .dataKeyPolicy(policy)
        .open();
  }

  private static String read(SecretStore s, String name, long version) {
    try (Secret secret = s.get(name, version)) {
      return secret.value().asUtf8();
    }
  }

  @Nested
  @DisplayName("usage limits")
  class UsageLimits {
    @Test
    @DisplayName(
        "the primary key is rotated before it has sealed more than the limit; every value still opens")
    void encryptionLimit_rotatesBeforeTheLimit() {
      SecretStore store = open(DataKeyPolicy.ofMaxEncryptions(100));
      for (int i = 0; i < 1000; i++) {
        store.put("s" + (i % 10), SecretValue.ofUtf8("value " + i));
      }
      List<Integer> keys = manager.dataKeyIds("default");
      assertThat(keys.size())
          .as("rotations for 1000 seals at 100 per key")
          .isGreaterThanOrEqualTo(10);
      // No key sealed more than the limit: count the records each key sealed.
      assertThat(records.sealedCountsByKeyId("default").values())
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));
      assertThat(manager.status("default").primarySealed()).isLessThanOrEqualTo(100);
      for (int i = 0; i < 1000; i++) {
        assertThat(read(store, "s" + (i % 10), i / 10 + 1)).isEqualTo("value " + i);
      }
    }

    @Test
    @DisplayName(
        "seals are reserved before they are made: a store that stops counts what it reserved")
    void reservations_countedBeforeUse() {
      SecretStore store = open(DataKeyPolicy.defaults());
      store.put("a", SecretValue.ofUtf8("x"));
      long reserved = records.tenantKeyset("default").orElseThrow().primarySealed();
      assertThat(reserved).as("a first block").isPositive();
      for (int i = 0; i < 200; i++) {
        store.put("a", SecretValue.ofUtf8("x" + i));
      }
      assertThat(records.tenantKeyset("default").orElseThrow().primarySealed())
          .isGreaterThanOrEqualTo(201);
    }

    @Test
    @DisplayName("a key older than the age limit is rotated at the next write")
    void ageLimit_rotatesAtTheNextWrite() {
      SecretStore store = open(DataKeyPolicy.defaults().withMaxAge(Duration.ofDays(30)));
      store.put("a", SecretValue.ofUtf8("one"));
      int first = manager.dataKeyIds("default").get(0);
      clock.advance(Duration.ofDays(29));
      store.put("a", SecretValue.ofUtf8("two"));
      assertThat(manager.dataKeyIds("default")).containsExactly(first);
      clock.advance(Duration.ofDays(2));
      store.put("a", SecretValue.ofUtf8("three"));
      assertThat(manager.dataKeyIds("default")).hasSize(2).endsWith(first);
      assertThat(read(store, "a", 1)).isEqualTo("one");
      assertThat(read(store, "a", 3)).isEqualTo("three");
    }

    @Test
    @DisplayName("a limit outside 1..2^32 is refused")
    void policy_bounds() {
      assertThatThrownBy(() -> DataKeyPolicy.ofMaxEncryptions(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DataKeyPolicy.ofMaxEncryptions((1L << 32) + 1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DataKeyPolicy.ofMaxEncryptions(10).withMaxAge(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("re-seal and retire")
  class ResealAndRetire {
    @Test
    @DisplayName(
        "rotate, re-seal, retire: every version under the new key, the old key gone, every value opens")
    void rotateResealRetire() {
      SecretStore store = open(DataKeyPolicy.defaults());
      for (int i = 0; i < 50; i++) {
        store.put("n" + i, SecretValue.ofUtf8("v1-" + i));
        store.put("n" + i, SecretValue.ofUtf8("v2-" + i));
      }
      store.delete("n3"); // a deleted name's versions are re-sealed too: it may be restored
      store.destroy("n4", 1); // a destroyed version has nothing to re-seal
      int oldKey = manager.dataKeyIds("default").get(0);
      int newKey = manager.rotateDataKey("default");

      assertThatThrownBy(() -> manager.retireDataKey("default", oldKey))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("still seals 99 records");
      assertThatThrownBy(() -> manager.retireDataKey("default", newKey))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("primary");

      TenantKeyManager.ResealReport dry = manager.planReseal("default", 7, p -> {});
      assertThat(dry.resealed()).isEqualTo(99);
      assertThat(records.sealedCountsByKeyId("default")).isEqualTo(Map.of(oldKey, 99L));

      List<TenantKeyManager.ResealReport> progress = new ArrayList<>();
      TenantKeyManager.ResealReport done = manager.reseal("default", 10, progress::add);
      assertThat(done.done()).isTrue();
      assertThat(done.resealed()).isEqualTo(99);
      assertThat(done.fromKeyIds()).isEqualTo(Map.of(oldKey, 99L));
      assertThat(progress).hasSizeGreaterThanOrEqualTo(10);
      assertThat(progress).extracting(TenantKeyManager.ResealReport::resealed).isSorted();
      KeysetStatus status = manager.status("default");
      assertThat(status.keys())
          .extracting(TenantKeyManager.DataKeyStatus::id)
          .containsExactly(newKey, oldKey);
      assertThat(status.keys())
          .extracting(TenantKeyManager.DataKeyStatus::records)
          .containsExactly(99L, 0L);
      assertThat(status.masterKeyId()).hasValue(master.primaryKeyId());

      manager.retireDataKey("default", oldKey);
      assertThat(manager.dataKeyIds("default")).containsExactly(newKey);
      store.restore("n3");
      for (int i = 0; i < 50; i++) {
        if (i != 4) {
          assertThat(read(store, "n" + i, 1)).isEqualTo("v1-" + i);
        }
        assertThat(read(store, "n" + i, 2)).isEqualTo("v2-" + i);
      }
      assertThat(manager.reseal("default", 10, p -> {}).resealed()).as("nothing left").isZero();
    }

    @Test
    @DisplayName(
        "a read that raced with a re-seal and a retirement reads the record again instead of failing")
    void read_racingResealAndRetire_readsAgain() {
      SecretStore writer = open(DataKeyPolicy.defaults());
      writer.put("a", SecretValue.ofUtf8("value"));
      int oldKey = manager.dataKeyIds("default").get(0);
      manager.rotateDataKey("default");
      java.util.concurrent.atomic.AtomicBoolean raced =
          new java.util.concurrent.atomic.AtomicBoolean();
      ForwardingRecordStore racing =
          new ForwardingRecordStore(records) {
            @Override
            public Optional<com.lanonasis.secrets.spi.StoredRecord> readLatest(
                String tenant, SecretName name) {
              Optional<com.lanonasis.secrets.spi.StoredRecord> read =
                  inner.readLatest(tenant, name);
              if (raced.compareAndSet(false, true)) {
                // Between this read and the opening: the record is re-sealed and its old key
                // retired.
                manager.reseal(tenant, 10, p -> {});
                manager.retireDataKey(tenant, oldKey);
              }
              return read;
            }

            @Override
            public void close() {
              // the test closes the shared store
            }
          };
      SecretStore reader =
          SecretStores.builder().recordStore(racing).keyring(master).clock(clock).open();
      try (Secret s = reader.get("a")) {
        assertThat(s.value().asUtf8()).isEqualTo("value");
      }
      assertThat(raced).isTrue();
      assertThat(manager.dataKeyIds("default")).doesNotContain(oldKey);
    }

    @Test
    @DisplayName(
        "a re-seal in bounded slices resumes where the last stopped; the slices add up; a new primary starts over")
    void reseal_inSlices() {
      SecretStore store = open(DataKeyPolicy.defaults());
      for (int i = 0; i < 10; i++) {
        store.put("s" + i, SecretValue.ofUtf8("v" + i));
      }
      manager.rotateDataKey("default");
      TenantKeyManager.ResealReport first =
          manager.resealSlice("default", TenantKeyManager.ResealMode.RESEAL, 2, 3, r -> {});
      assertThat(first.done()).isFalse();
      assertThat(first.resealed()).as("stops after the batch reaching 3").isEqualTo(4);
      TenantKeyManager.ResealPosition at = first.resumeAfter().orElseThrow();
      assertThat(at.name().value()).isEqualTo("s3");

      // Resuming from a position of another primary starts from the first version again.
      int newer = manager.rotateDataKey("default");
      TenantKeyManager.ResealReport again =
          manager.resealSlice(
              "default", TenantKeyManager.ResealMode.RESEAL, 100, 1000, at, r -> {});
      assertThat(again.done()).isTrue();
      assertThat(again.primaryKeyId()).isEqualTo(newer);
      assertThat(again.resealed()).as("all ten, s0..s3 included").isEqualTo(10);

      manager.rotateDataKey("default");
      long total = 0;
      Optional<TenantKeyManager.ResealPosition> resume = Optional.empty();
      int requests = 0;
      while (true) {
        TenantKeyManager.ResealReport slice =
            resume.isPresent()
                ? manager.resealSlice(
                    "default", TenantKeyManager.ResealMode.RESEAL, 1, 3, resume.get(), r -> {})
                : manager.resealSlice("default", TenantKeyManager.ResealMode.RESEAL, 1, 3, r -> {});
        total += slice.resealed();
        requests++;
        if (slice.done()) {
          break;
        }
        resume = slice.resumeAfter();
      }
      assertThat(total).as("each version re-sealed once across the slices").isEqualTo(10);
      assertThat(requests).isEqualTo(4); // 3 + 3 + 3, then 1 and the empty page that says done
      assertThat(manager.status("default").keys().get(0).records()).isEqualTo(10);
      assertThatThrownBy(
              () ->
                  manager.resealSlice("default", TenantKeyManager.ResealMode.RESEAL, 1, 0, r -> {}))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("re-sealing counts its seals against the new key's limit")
    void reseal_countsItsSeals() {
      SecretStore store = open(DataKeyPolicy.defaults());
      for (int i = 0; i < 30; i++) {
        store.put("n" + i, SecretValue.ofUtf8("v"));
      }
      manager.rotateDataKey("default");
      assertThat(records.tenantKeyset("default").orElseThrow().primarySealed()).isZero();
      manager.reseal("default", 8, p -> {});
      assertThat(records.tenantKeyset("default").orElseThrow().primarySealed()).isEqualTo(30);
    }

    @Test
    @DisplayName("a master key leaves the keyring only once no tenant keyset is wrapped under it")
    void masterKey_retiredAfterRewrap() {
      SecretStore store = open(DataKeyPolicy.defaults());
      store.put("a", SecretValue.ofUtf8("x"));
      SecretStores.builder()
          .recordStore(records)
          .keyring(master)
          .tenant("other")
          .open()
          .put("b", SecretValue.ofUtf8("y"));
      MasterKeyring next = master.rotate();
      TenantKeyManager nextManager = new TenantKeyManager(records, next);
      assertThat(nextManager.masterKeys().keysets())
          .isEqualTo(Map.of(master.primaryKeyId(), 2L, next.primaryKeyId(), 0L));
      assertThatThrownBy(() -> next.withoutKey(next.primaryKeyId()))
          .isInstanceOf(InvalidInputException.class);

      nextManager.rewrapTenantKeysets();
      assertThat(nextManager.masterKeys().keysets())
          .isEqualTo(Map.of(master.primaryKeyId(), 0L, next.primaryKeyId(), 2L));
      MasterKeyring trimmed = next.withoutKey(master.primaryKeyId());
      assertThat(trimmed.keyIds()).containsExactly(next.primaryKeyId());
      try (Secret s =
          SecretStores.builder().recordStore(records).keyring(trimmed).open().get("a")) {
        assertThat(s.value().asUtf8()).isEqualTo("x");
      }
      assertThat(records.head("other", SecretName.of("b"))).isPresent();
    }
  }
}
