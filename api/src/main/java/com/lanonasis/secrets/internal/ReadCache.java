package com.lanonasis.secrets.internal;

import com.lanonasis.secrets.SecretName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The entries of one {@link CachingSecretStore}: decrypted values, keyed by name (latest) and by
 * (name, version), each kept for a fixed time to live and bounded in count.
 *
 * <p>Writes through the owning store invalidate the name at once. A read that raced with such a
 * write never re-inserts what it read: every insert is checked against a generation counter that
 * invalidation bumps. Writes by other stores or processes become visible when entries expire.
 *
 * <p>Eviction when full drops expired entries, then arbitrary ones down to 90% of the bound: cheap
 * and good enough for a cache whose hits matter far more than its victims.
 *
 * <p>Every dropped entry's value is wiped (overwritten with zeros): on invalidation, expiry,
 * eviction and {@link #clear()}. A hit copies the value under the entry's lock and only if the
 * entry has not been wiped, so a concurrent drop never hands out zeros.
 *
 * <p>Time comes from the store's {@link Clock} (millisecond precision), so tests can move it. An
 * entry is live from the instant it was cached until its time to live has passed; if the clock
 * steps back before that instant, the entry counts as expired: a clock that jumps never keeps a
 * value longer than its time to live.
 */
final class ReadCache {
  /** A cached plaintext. The array is never handed out; callers get copies ({@link #copy()}). */
  static final class Entry {
    private final SecretName name;
    private final long version;
    private final byte[] value;
    private final Instant createdAt;
    private final Optional<Instant> expiresAt;
    private final long cachedAtMillis;
    private boolean wiped; // guarded by this

    Entry(
        SecretName name,
        long version,
        byte[] value,
        Instant createdAt,
        Optional<Instant> expiresAt,
        long cachedAtMillis) {
      this.name = name;
      this.version = version;
      this.value = value;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
      this.cachedAtMillis = cachedAtMillis;
    }

    SecretName name() {
      return name;
    }

    long version() {
      return version;
    }

    Instant createdAt() {
      return createdAt;
    }

    Optional<Instant> expiresAt() {
      return expiresAt;
    }

    long cachedAtMillis() {
      return cachedAtMillis;
    }

    /** A copy of the value, or null if the entry was dropped (and wiped) meanwhile: a miss. */
    synchronized byte @Nullable [] copy() {
      return wiped ? null : value.clone();
    }

    synchronized void wipe() {
      wiped = true;
      Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
      return "ReadCache.Entry[name=" + name + ", version=" + version + "]";
    }
  }

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

  @Nullable Entry latest(String name) {
    return live(latest, name);
  }

  @Nullable Entry version(String name, long version) {
    return live(versions, new VersionKey(name, version));
  }

  void putLatest(
      SecretName name,
      long seenGeneration,
      long version,
      byte[] value,
      Instant createdAt,
      Optional<Instant> expiresAt) {
    insert(
        latest,
        name.value(),
        seenGeneration,
        new Entry(name, version, value.clone(), createdAt, expiresAt, clock.millis()));
  }

  void putVersion(
      SecretName name,
      long seenGeneration,
      long version,
      byte[] value,
      Instant createdAt,
      Optional<Instant> expiresAt) {
    insert(
        versions,
        new VersionKey(name.value(), version),
        seenGeneration,
        new Entry(name, version, value.clone(), createdAt, expiresAt, clock.millis()));
  }

  /** Forgets everything about {@code name}. */
  void invalidate(String name) {
    generation.incrementAndGet();
    wipe(latest.remove(name));
    versions
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().name().equals(name)) {
                e.getValue().wipe();
                return true;
              }
              return false;
            });
  }

  /**
   * Forgets (and wipes) everything: at close, and when the tenant's data keyset changed or was
   * destroyed.
   */
  void clear() {
    generation.incrementAndGet();
    drainInto(latest);
    drainInto(versions);
  }

  private static <K> void drainInto(ConcurrentHashMap<K, Entry> map) {
    for (Iterator<Map.Entry<K, Entry>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, Entry> e = it.next();
      it.remove();
      e.getValue().wipe();
    }
  }

  int size() {
    return latest.size() + versions.size();
  }

  private <K> @Nullable Entry live(Map<K, Entry> map, K key) {
    Entry e = map.get(key);
    if (e != null && expired(e, clock.millis())) {
      if (map.remove(key, e)) {
        e.wipe();
      }
      return null;
    }
    return e;
  }

  private <K> void insert(
      ConcurrentHashMap<K, Entry> map, K key, long seenGeneration, Entry entry) {
    if (generation.get() != seenGeneration) {
      return;
    }
    if (size() >= maxEntries) {
      evict();
    }
    wipe(map.put(key, entry));
    if (generation.get() != seenGeneration && map.remove(key, entry)) {
      entry.wipe();
    }
  }

  private void evict() {
    long now = clock.millis();
    latest.values().removeIf(e -> dropIf(e, expired(e, now)));
    versions.values().removeIf(e -> dropIf(e, expired(e, now)));
    int target = Math.max(0, (int) (maxEntries * 0.9) - 1);
    for (Iterator<Entry> it = versions.values().iterator(); size() > target && it.hasNext(); ) {
      Entry e = it.next();
      it.remove();
      e.wipe();
    }
    for (Iterator<Entry> it = latest.values().iterator(); size() > target && it.hasNext(); ) {
      Entry e = it.next();
      it.remove();
      e.wipe();
    }
  }

  private boolean expired(Entry e, long nowMillis) {
    long age = nowMillis - e.cachedAtMillis();
    return age < 0 || age >= ttlMillis;
  }

  private static boolean dropIf(Entry e, boolean drop) {
    if (drop) {
      e.wipe();
    }
    return drop;
  }

  private static void wipe(@Nullable Entry e) {
    if (e != null) {
      e.wipe();
    }
  }
}
