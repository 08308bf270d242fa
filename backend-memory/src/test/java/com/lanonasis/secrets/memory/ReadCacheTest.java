package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The read cache's promises, on an injected clock: each test counts the sealed-record reads that
 * reach the record store, and moves time itself.
 */
@DisplayName("the read cache, with time injected through the store's clock")
class ReadCacheTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  private final MemoryRecordStore storage = new MemoryRecordStore();
  private final MasterKeyring keyring = MasterKeyring.generate();
  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final CountingRecordStore counted = new CountingRecordStore(storage);

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  private SecretStore cached(int maxEntries) {
    return SecretStores.builder()
        .recordStore(counted)
        .keyring(keyring)
        .clock(clock)
        .cache(TTL, maxEntries)
        .open();
  }

  /** Another instance of the application on the same storage, without a cache. */
  private SecretStore otherInstance() {
    return SecretStores.builder()
        .recordStore(new CountingRecordStore(storage))
        .keyring(keyring)
        .clock(clock)
        .open();
  }

  private static String read(SecretStore store, String name) {
    try (Secret s = store.get(name)) {
      return s.value().asUtf8();
    }
  }

  @Test
  @DisplayName("a hit, of the latest value or of a given version, does not reach the record store")
  void get_cacheHit_skipsRecordStore() {
    SecretStore store = cached(100);
    store.put("db/password", SecretValue.ofUtf8("v1"));

    assertThat(read(store, "db/password")).isEqualTo("v1");
    assertThat(counted.recordReads).hasValue(1);
    assertThat(read(store, "db/password")).isEqualTo("v1");
    assertThat(read(store, "db/password")).isEqualTo("v1");
    assertThat(counted.recordReads).hasValue(1);

    try (Secret s = store.get("db/password", 1)) {
      assertThat(s.value().asUtf8()).isEqualTo("v1");
    }
    assertThat(counted.recordReads).hasValue(2);
    try (Secret s = store.get("db/password", 1)) {
      assertThat(s.value().asUtf8()).isEqualTo("v1");
    }
    assertThat(counted.recordReads).hasValue(2);
  }

  @Test
  @DisplayName("an entry is served until its time to live has passed, then read from storage again")
  void get_afterTimeToLive_readsRecordStoreAgain() {
    SecretStore store = cached(100);
    store.put("k", SecretValue.ofUtf8("v"));
    read(store, "k");
    assertThat(counted.recordReads).hasValue(1);

    clock.advance(TTL.minusMillis(1));
    read(store, "k");
    assertThat(counted.recordReads)
        .as("reads one millisecond before the time to live ends")
        .hasValue(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(read(store, "k")).isEqualTo("v");
    assertThat(counted.recordReads).as("reads once the time to live has passed").hasValue(2);
  }

  @Test
  @DisplayName(
      "another instance's write is not seen before the time to live ends, and is seen when it does")
  void get_otherInstanceWrote_seenWhenTimeToLiveEnds() {
    SecretStore store = cached(100);
    SecretStore other = otherInstance();
    other.put("k", SecretValue.ofUtf8("old"));
    assertThat(read(store, "k")).isEqualTo("old");

    other.put("k", SecretValue.ofUtf8("new"));
    clock.advance(TTL.minusMillis(1));
    assertThat(read(store, "k")).isEqualTo("old");

    clock.advance(Duration.ofMillis(1));
    assertThat(read(store, "k")).isEqualTo("new");
  }

  @Test
  @DisplayName("maxEntries bounds the cache: of 50 values read, at most 10 are still cached")
  void get_moreNamesThanMaxEntries_atMostMaxEntriesStayCached() {
    SecretStore writer = otherInstance();
    for (int i = 0; i < 50; i++) {
      writer.put("n" + i, SecretValue.ofUtf8("v" + i));
    }
    SecretStore bounded = cached(10);
    for (int i = 0; i < 50; i++) {
      read(bounded, "n" + i);
    }
    assertThat(counted.recordReads).hasValue(50);

    counted.recordReads.set(0);
    for (int i = 0; i < 50; i++) {
      assertThat(read(bounded, "n" + i)).isEqualTo("v" + i);
    }
    assertThat(counted.recordReads.get())
        .as("reads of the 50 names again")
        .isGreaterThanOrEqualTo(40);

    // The same reads with room for all of them: the second round is served from the cache.
    SecretStore roomy = cached(100);
    for (int i = 0; i < 50; i++) {
      read(roomy, "n" + i);
    }
    counted.recordReads.set(0);
    for (int i = 0; i < 50; i++) {
      read(roomy, "n" + i);
    }
    assertThat(counted.recordReads).hasValue(0);
  }
}
