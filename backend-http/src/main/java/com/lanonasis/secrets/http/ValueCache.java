package com.lanonasis.secrets.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The optional read cache of one {@link SecretManagerClient}: values the server sent, each with
 * its {@code ETag}, keyed by (name, version) where version 0 means "the latest".
 *
 * <p>An entry is <i>fresh</i> for the time to live after the server last confirmed it, and is
 * served from memory meanwhile; afterwards it is revalidated with {@code If-None-Match}, and a
 * 304 makes it fresh again without the value crossing the network. A time to live of zero
 * revalidates on every read.
 *
 * <p>Writes through the owning client invalidate the name at once. A read that raced with such a
 * write never stores what it read: stores are checked against a generation counter that
 * invalidation bumps, as in the local stores' cache. Eviction when full drops stale entries, then
 * arbitrary ones down to 90% of the bound.
 */
final class ValueCache {
  /** A cached value; the array is never handed out, callers get copies. */
  record Entry(long version, byte[] value, Instant createdAt, String etag, long freshUntilNanos) {
    Entry refreshed(long ttlNanos) {
      return new Entry(version, value, createdAt, etag, System.nanoTime() + ttlNanos);
    }

    boolean isFresh() {
      return System.nanoTime() - freshUntilNanos < 0;
    }
  }

  record Key(String name, long version) {}

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final long ttlNanos;
  private final int maxEntries;

  ValueCache(Duration ttl, int maxEntries) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  long generation() {
    return generation.get();
  }

  /** The entry, fresh or stale (a stale one still has an ETag worth revalidating). */
  Entry get(Key key) {
    return entries.get(key);
  }

  /** Stores a value just read (copied), unless {@code name} was invalidated since {@code seenGeneration}. */
  void put(Key key, long seenGeneration, long version, byte[] value, Instant createdAt, String etag) {
    insert(key, seenGeneration, new Entry(version, value.clone(), createdAt, etag, System.nanoTime() + ttlNanos));
  }

  /** The server confirmed {@code entry} (304): fresh again. */
  void confirmed(Key key, long seenGeneration, Entry entry) {
    insert(key, seenGeneration, entry.refreshed(ttlNanos));
  }

  /** Forgets {@code key} (the server said it is gone) without touching other versions. */
  void remove(Key key) {
    generation.incrementAndGet();
    entries.remove(key);
  }

  /** Forgets everything about {@code name}. */
  void invalidate(String name) {
    // Not wiped here: a concurrent hit may be copying the entry right now. clear() wipes.
    generation.incrementAndGet();
    entries.keySet().removeIf(k -> k.name().equals(name));
  }

  /**
   * Forgets every entry, as after the server said the tenant was crypto-shredded (HTTP 410). Not
   * wiped here either, for the reason {@link #invalidate} gives; dropped entries are garbage.
   */
  void invalidateAll() {
    generation.incrementAndGet();
    entries.clear();
  }

  void clear() {
    generation.incrementAndGet();
    entries.values().forEach(e -> Arrays.fill(e.value(), (byte) 0));
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  private void insert(Key key, long seenGeneration, Entry entry) {
    if (generation.get() != seenGeneration) {
      return;
    }
    if (entries.size() >= maxEntries && !entries.containsKey(key)) {
      evict();
    }
    entries.put(key, entry);
    if (generation.get() != seenGeneration) {
      entries.remove(key, entry);
    }
  }

  private void evict() {
    entries.values().removeIf(e -> !e.isFresh());
    int target = Math.max(0, (int) (maxEntries * 0.9) - 1);
    for (Iterator<Entry> it = entries.values().iterator(); entries.size() > target && it.hasNext(); ) {
      it.next();
      it.remove();
    }
  }
}
