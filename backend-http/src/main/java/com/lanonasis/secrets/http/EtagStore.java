package com.lanonasis.secrets.http;

import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The values one {@link SecretManagerClient} keeps to revalidate with: each with the {@code ETag}
 * the server sent, keyed by (name, version) where version 0 means "the latest".
 *
 * <p>It is not a cache with rules of its own: every read still asks the server, with {@code
 * If-None-Match}, and only a 304 makes the client use the stored value. So no write, conflict or
 * expiry needs to reach it to keep reads right; entries are dropped only to free memory (a 404 or
 * 410, eviction at the bound, close). Freshness (serving from memory for a time) is the facade's
 * {@code CachingSecretStore}, the same decorator as over a local store.
 *
 * <p>Eviction when full drops arbitrary entries down to 90% of the bound. Dropped values are not
 * wiped (a concurrent 304 may be copying one); {@link #clear()} wipes, at close.
 */
final class EtagStore {
  /** A stored value; the array is never handed out, callers get copies. */
  // An array so that it can be wiped; entries are looked up by Key, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Entry(long version, byte[] value, Instant createdAt, String etag) {}

  record Key(String name, long version) {}

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;

  EtagStore(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Nullable Entry get(Key key) {
    return entries.get(key);
  }

  /** Keeps a value just read (copied) with its ETag. */
  void put(Key key, long version, byte[] value, Instant createdAt, String etag) {
    if (entries.size() >= maxEntries && !entries.containsKey(key)) {
      int target = Math.max(0, (int) (maxEntries * 0.9) - 1);
      for (Iterator<Entry> it = entries.values().iterator();
          entries.size() > target && it.hasNext(); ) {
        it.next();
        it.remove();
      }
    }
    entries.put(key, new Entry(version, value.clone(), createdAt, etag));
  }

  /** Forgets {@code key}: the server said it is gone. */
  void remove(Key key) {
    entries.remove(key);
  }

  /** Forgets every entry: the server said the tenant was crypto-shredded (HTTP 410). */
  void removeAll() {
    entries.clear();
  }

  /** Wipes and forgets every entry, at close. */
  void clear() {
    entries.values().forEach(e -> Arrays.fill(e.value(), (byte) 0));
    entries.clear();
  }
}
