package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The experiments of the key-lifecycle review, each of which failed before keysets became
 * tombstones with generations that never repeat: a shredded tenant stays shredded across every
 * running store, cache and race.
 */
@DisplayName("crypto-shredding is final")
class CryptoShreddingTest {
  private final MemoryRecordStore records = new MemoryRecordStore();
  private final MasterKeyring master = MasterKeyring.generate();
  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final TenantKeyManager manager = new TenantKeyManager(records, master);

  @AfterEach
  void close() {
    records.close();
  }

  private SecretStore open(String tenant) {
    return SecretStores.builder()
        .recordStore(records)
        .keyring(master)
        .tenant(tenant)
        .clock(clock)
        .open();
  }

  private SecretStore openCached(String tenant) {
    return SecretStores.builder()
        .recordStore(records)
        .keyring(master)
        .tenant(tenant)
        .clock(clock)
        .cache(Duration.ofHours(1), 100)
        .open();
  }

  private static String read(SecretStore s, String name) {
    try (Secret secret = s.get(name)) {
      return secret.value().asUtf8();
    }
  }

  @Nested
  @DisplayName("after a shred")
  class AfterAShred {
    @Test
    @DisplayName("a store that cached the keyset cannot write: typed error, nothing written")
    void staleStore_write_refusedAndNothingWritten() {
      SecretStore stale = open("victim");
      stale.put("s1", SecretValue.ofUtf8("one")); // caches the keyset
      assertThat(manager.destroyDataKeyset("victim")).isTrue();

      assertThatThrownBy(() -> stale.put("s2", SecretValue.ofUtf8("two")))
          .isInstanceOf(KeysetDestroyedException.class)
          .hasMessageContaining("'victim'");
      assertThatThrownBy(() -> stale.put("s1", SecretValue.ofUtf8("one again")))
          .isInstanceOf(KeysetDestroyedException.class);
      assertThat(records.head("victim", SecretName.of("s2"))).isEmpty();
      assertThat(records.head("victim", SecretName.of("s1")).orElseThrow().currentVersion())
          .isEqualTo(1);
      assertThat(records.tenantKeyset("victim").orElseThrow().isDestroyed()).isTrue();
    }

    @Test
    @DisplayName(
        "no put from any store creates a new keyset until an operator re-provisions the tenant")
    void anyPut_refusedUntilReprovisioned() {
      open("victim").put("old", SecretValue.ofUtf8("before the shred"));
      manager.destroyDataKeyset("victim");
      for (int i = 0; i < 3; i++) {
        SecretStore fresh = open("victim");
        assertThatThrownBy(() -> fresh.put("new", SecretValue.ofUtf8("x")))
            .isInstanceOf(KeysetDestroyedException.class);
      }
      assertThat(records.tenantKeyset("victim").orElseThrow().isDestroyed()).isTrue();
      long destroyedAt = records.tenantKeyset("victim").orElseThrow().generation();

      int primary = manager.reprovision("victim");
      WrappedKeyset now = records.tenantKeyset("victim").orElseThrow();
      assertThat(now.isDestroyed()).isFalse();
      assertThat(now.generation()).as("generations never repeat").isEqualTo(destroyedAt + 1);
      SecretStore after = open("victim");
      after.put("new", SecretValue.ofUtf8("after"));
      assertThat(read(after, "new")).isEqualTo("after");
      assertThat(records.readLatest("victim", SecretName.of("new")).orElseThrow().record().keyId())
          .isEqualTo(primary);
      // What was sealed before the shred stays unreadable: its key is gone for good.
      assertThatThrownBy(() -> after.get("old"))
          .isInstanceOf(DataKeyGoneException.class)
          .hasMessageContaining("no longer holds");
      assertThatThrownBy(() -> manager.reprovision("victim"))
          .hasMessageContaining("live data keyset");
    }

    @Test
    @DisplayName(
        "a store that was refused a write after the shred writes at once after a re-provision")
    void refusedStore_writesAfterReprovision_withoutWaitingForRefresh() {
      SecretStore stale = open("victim");
      stale.put("s1", SecretValue.ofUtf8("one"));
      manager.destroyDataKeyset("victim");
      assertThatThrownBy(() -> stale.put("s2", SecretValue.ofUtf8("two")))
          .isInstanceOf(KeysetDestroyedException.class);
      manager.reprovision("victim");
      // The clock stands still: the cached tombstone is not "stale", yet the write must see the new
      // keyset.
      stale.put("s2", SecretValue.ofUtf8("two"));
      assertThat(read(open("victim"), "s2")).isEqualTo("two");
      assertThat(read(stale, "s2")).isEqualTo("two");
    }

    @Test
    @DisplayName("a tenant that never had a keyset can be shredded, and then gets none")
    void neverWritten_shredded_staysShredded() {
      assertThat(manager.destroyDataKeyset("ghost")).isFalse();
      assertThatThrownBy(() -> open("ghost").put("x", SecretValue.ofUtf8("x")))
          .isInstanceOf(KeysetDestroyedException.class);
      assertThat(manager.destroyDataKeyset("ghost")).isFalse();
    }

    @Test
    @DisplayName(
        "a store that cached the old keyset reads a value sealed under the re-provisioned one")
    void staleStore_readsNewKeysetValue() {
      SecretStore stale = open("t");
      stale.put("a", SecretValue.ofUtf8("a"));
      manager.destroyDataKeyset("t");
      manager.reprovision("t");
      open("t").put("b", SecretValue.ofUtf8("b"));
      assertThat(read(stale, "b")).isEqualTo("b");
    }

    @Test
    @DisplayName("read cache: hits stop at the refresh bound, and the dropped entries are gone")
    void readCache_noHitPastTheBound() {
      SecretStore cached = openCached("victim");
      cached.put("s", SecretValue.ofUtf8("cached value"));
      assertThat(read(cached, "s")).isEqualTo("cached value"); // now a cache entry
      manager.destroyDataKeyset("victim");

      // The documented bound: a hit may be served until the store's copy of the keyset is a
      // minute old (TenantKeyring.REFRESH) — here just under it.
      clock.advance(Duration.ofSeconds(59));
      assertThat(read(cached, "s")).isEqualTo("cached value");
      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> cached.get("s")).isInstanceOf(KeysetDestroyedException.class);
      assertThatThrownBy(() -> cached.get("s", 1)).isInstanceOf(KeysetDestroyedException.class);
    }

    @Test
    @DisplayName(
        "read cache: a store that touches the record store learns of the shred at once and drops its cache")
    void readCache_droppedAtOnceWhenTheStoreSeesTheShred() {
      SecretStore cached = openCached("victim");
      cached.put("a", SecretValue.ofUtf8("value a"));
      cached.put("b", SecretValue.ofUtf8("value b"));
      assertThat(read(cached, "a")).isEqualTo("value a");
      manager.destroyDataKeyset("victim");
      // Not cached: this read reaches the record store, sees the destroyed generation, drops the
      // cache.
      assertThatThrownBy(() -> cached.get("b")).isInstanceOf(KeysetDestroyedException.class);
      assertThatThrownBy(() -> cached.get("a")).isInstanceOf(KeysetDestroyedException.class);
    }
  }

  @Nested
  @DisplayName("races with a destroy and re-provision")
  class Races {
    /** Runs {@code between} once, just before the first keyset write passes through. */
    final class Interposed extends ForwardingRecordStore {
      final AtomicBoolean fired = new AtomicBoolean();
      final Runnable between;

      Interposed(Runnable between) {
        super(records);
        this.between = between;
      }

      @Override
      public boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration) {
        if (fired.compareAndSet(false, true)) {
          between.run();
        }
        return inner.putTenantKeyset(tenant, next, expectedGeneration);
      }

      @Override
      public void close() {
        // the test closes the shared store
      }
    }

    @Test
    @DisplayName(
        "destroy + re-provision between a rotation's read and write: rotation refused, nothing resurrected")
    void rotation_refused_noResurrection() {
      SecretStore store = open("t");
      store.put("before", SecretValue.ofUtf8("sealed before the shred"));
      Interposed racing =
          new Interposed(
              () -> {
                manager.destroyDataKeyset("t");
                manager.reprovision("t");
                open("t").put("after", SecretValue.ofUtf8("sealed under the new keyset"));
              });

      assertThatThrownBy(() -> new TenantKeyManager(racing, master).rotateDataKey("t"))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("re-provisioned");

      SecretStore reader = open("t");
      assertThatThrownBy(() -> reader.get("before"))
          .as("no resurrection")
          .isInstanceOf(IntegrityException.class);
      assertThat(read(reader, "after")).as("nothing lost").isEqualTo("sealed under the new keyset");
    }

    @Test
    @DisplayName(
        "destroy + re-provision between a re-wrap's read and write: the new keyset is not overwritten")
    void rewrap_doesNotOverwriteTheNewKeyset() {
      open("t").put("before", SecretValue.ofUtf8("x"));
      MasterKeyring next = master.rotate();
      Interposed racing =
          new Interposed(
              () -> {
                manager.destroyDataKeyset("t");
                manager.reprovision("t");
                open("t").put("after", SecretValue.ofUtf8("new"));
              });
      new TenantKeyManager(racing, next).rewrapTenantKeysets();
      SecretStore reader =
          SecretStores.builder().recordStore(records).keyring(next).tenant("t").open();
      assertThat(read(reader, "after")).isEqualTo("new");
      assertThatThrownBy(() -> reader.get("before")).isInstanceOf(IntegrityException.class);
    }
  }
}
