package com.lanonasis.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The optional read cache of one {@link EncryptedSecretStore}: decrypted values, keyed by name
 * (latest) and by (name, version), each kept for a fixed time to live and bounded in count.
 *
 * <p>Writes through the owning store invalidate the name at once. A read that raced with such a
 * write never re-inserts what it read: every insert is checked against a generation counter that
 * invalidation bumps. Writes by other stores or processes become visible when entries expire.
 *
 * <p>Eviction when full drops expired entries, then arbitrary ones down to 90% of the bound: cheap
 * and good enough for a cache whose hits matter far more than its victims.
 *
 * <p>Time comes from the store's {@link Clock} (millisecond precision), so tests can move it. An
 * entry is live from the instant it was cached until its time to live has passed; if the clock
 * steps back before that instant, the entry counts as expired: a clock that jumps never keeps a
 * value longer than its time to live.
 */
final class ReadCache {
  /** A cached plaintext. The array is never handed out; callers get copies. */
  record Entry(SecretName name, long version, byte[] value, Instant createdAt, Optional<Instant> expiresAt, long cachedAtMillis) {}

  private record VersionKey(String name, long version) {}

  private final ConcurrentHashMap<String, Entry> latest = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<VersionKey, Entry> versions = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final long ttlMillis;
  private final int maxEntries;
  private final Clock clock;

  ReadCache(Duration ttl, int maxEntries, Clock clock) {
    this.ttlMillis = ttl.toMillis();
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  long generation() {
    return generation.get();
  }

  Entry latest(String name) {
    return live(latest, name);
  }

  Entry version(String name, long version) {
    return live(versions, new VersionKey(name, version));
  }

  void putLatest(SecretName name, long seenGeneration, long version, byte[] value, Instant createdAt, Optional<Instant> expiresAt) {
    insert(latest, name.value(), seenGeneration, new Entry(name, version, value.clone(), createdAt, expiresAt, clock.millis()));
  }

  void putVersion(SecretName name, long seenGeneration, long version, byte[] value, Instant createdAt, Optional<Instant> expiresAt) {
    insert(versions, new VersionKey(name.value(), version), seenGeneration,
        new Entry(name, version, value.clone(), createdAt, expiresAt, clock.millis()));
  }

  /** Forgets everything about {@code name}. */
  void invalidate(String name) {
    // Not wiped here: a concurrent hit may be copying the entry right now. Dropped arrays are
    // garbage; clear() at close wipes what is left.
    generation.incrementAndGet();
    latest.remove(name);
    versions.keySet().removeIf(k -> k.name().equals(name));
  }

  void clear() {
    generation.incrementAndGet();
    latest.values().forEach(ReadCache::wipe);
    versions.values().forEach(ReadCache::wipe);
    latest.clear();
    versions.clear();
  }

  int size() {
    return latest.size() + versions.size();
  }

  private <K> Entry live(Map<K, Entry> map, K key) {
    Entry e = map.get(key);
    if (e != null && expired(e, clock.millis())) {
      map.remove(key, e);
      return null;
    }
    return e;
  }

  private <K> void insert(ConcurrentHashMap<K, Entry> map, K key, long seenGeneration, Entry entry) {
    if (generation.get() != seenGeneration) {
      return;
    }
    if (size() >= maxEntries) {
      evict();
    }
    map.put(key, entry);
    if (generation.get() != seenGeneration) {
      map.remove(key, entry);
    }
  }

  private void evict() {
    long now = clock.millis();
    latest.values().removeIf(e -> expired(e, now));
    versions.values().removeIf(e -> expired(e, now));
    int target = Math.max(0, (int) (maxEntries * 0.9) - 1);
    for (Iterator<Entry> it = versions.values().iterator(); size() > target && it.hasNext(); ) {
      it.next();
      it.remove();
    }
    for (Iterator<Entry> it = latest.values().iterator(); size() > target && it.hasNext(); ) {
      it.next();
      it.remove();
    }
  }

  private boolean expired(Entry e, long nowMillis) {
    long age = nowMillis - e.cachedAtMillis();
    return age < 0 || age >= ttlMillis;
  }

  private static void wipe(Entry e) {
    if (e != null) {
      Arrays.fill(e.value(), (byte) 0);
    }
  }
}
