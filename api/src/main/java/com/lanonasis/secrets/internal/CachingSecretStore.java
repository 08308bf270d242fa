package com.lanonasis.secrets.internal;

import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.VersionInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The read cache as a decorator over any {@link SecretStore}, local or remote: decrypted values
 * kept for a time to live, bounded in count ({@link ReadCache} holds the entries and says how they
 * are wiped). {@link com.lanonasis.secrets.SecretStores} puts it over a store opened with {@code
 * .cache(ttl, maxEntries)}. Not API.
 *
 * <ul>
 *   <li>Every write through this store (put, attributes, delete, restore, destroy) drops the name,
 *       whether it succeeded or not; so does a read answered "not found".
 *   <li>The tenant's keyset: the store below reports every change it finds through {@link
 *       CacheSource#onKeysetChange}, and {@link CacheSource#refreshKeysetIfStale} runs before each
 *       lookup, so a hit outlives a shredding elsewhere by at most the store's refresh bound. Any
 *       {@link KeysetDestroyedException} or {@link DataKeyGoneException} passing through from the
 *       store drops every entry too: that is how a remote store's shred (HTTP 410) reaches it.
 *   <li>A hit past the secret's expiry (as the source reported it) is {@link
 *       SecretNotFoundException#expired}, as the store would answer.
 *   <li>{@link #close()} wipes every entry and closes the store below.
 * </ul>
 *
 * <p>Thread-safe if the store below is.
 */
public final class CachingSecretStore implements SecretStore {
  private final SecretStore store;
  private final CacheSource source;
  private final ReadCache cache;
  private final Clock clock;
  private final String settings;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CachingSecretStore(
      SecretStore store, CacheSource source, Duration ttl, int maxEntries, Clock clock) {
    this.store = store;
    this.source = source;
    this.clock = clock;
    this.cache = new ReadCache(ttl, maxEntries, clock);
    this.settings = ttl + "/" + maxEntries;
  }

  /**
   * The cache over {@code store}, which {@code source} describes (the store itself when local,
   * {@link CacheSource#of(SecretStore)} when remote). The settings are checked by the caller
   * ({@code SecretStores.Builder#cache}).
   */
  public static CachingSecretStore over(
      SecretStore store, CacheSource source, Duration ttl, int maxEntries, Clock clock) {
    CachingSecretStore c =
        new CachingSecretStore(
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(source, "source"),
            Objects.requireNonNull(ttl, "ttl"),
            maxEntries,
            Objects.requireNonNull(clock, "clock"));
    source.onKeysetChange(c.cache::clear);
    return c;
  }

  @Override
  public String tenant() {
    return store.tenant();
  }

  // ---- reads -----------------------------------------------------------------------------------

  @Override
  public Secret get(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    pass(
        () -> {
          source.refreshKeysetIfStale();
          return null;
        });
    Secret hit = fromCache(name, cache.latest(name));
    if (hit != null) {
      return hit;
    }
    long generation = cache.generation();
    CacheSource.Read read = read(name, () -> source.readLatest(name));
    Secret s = read.secret();
    byte[] copy = s.value().bytes();
    try {
      cache.putLatest(s.name(), generation, s.version(), copy, s.createdAt(), read.expiresAt());
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
    return s;
  }

  @Override
  public Secret get(String name, long version) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    pass(
        () -> {
          source.refreshKeysetIfStale();
          return null;
        });
    Secret hit = fromCache(name, cache.version(name, version));
    if (hit != null) {
      return hit;
    }
    long generation = cache.generation();
    CacheSource.Read read = read(name, () -> source.readVersion(name, version));
    Secret s = read.secret();
    byte[] copy = s.value().bytes();
    try {
      cache.putVersion(s.name(), generation, s.version(), copy, s.createdAt(), read.expiresAt());
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
    return s;
  }

  @Override
  public Page<SecretMetadata> list(ListOptions options) {
    return pass(() -> store.list(options));
  }

  @Override
  public SecretMetadata metadata(String name) {
    return pass(() -> store.metadata(name));
  }

  @Override
  public List<VersionInfo> versions(String name) {
    return pass(() -> store.versions(name));
  }

  // ---- writes: each drops the name, whatever the outcome ------------------------------------

  @Override
  public VersionInfo put(String name, SecretValue value, PutOptions options) {
    return write(name, () -> store.put(name, value, options));
  }

  @Override
  public SecretMetadata updateAttributes(String name, SecretAttributes attributes) {
    return write(name, () -> store.updateAttributes(name, attributes));
  }

  @Override
  public void delete(String name) {
    write(
        name,
        () -> {
          store.delete(name);
          return null;
        });
  }

  @Override
  public void restore(String name) {
    write(
        name,
        () -> {
          store.restore(name);
          return null;
        });
  }

  @Override
  public void destroy(String name) {
    write(
        name,
        () -> {
          store.destroy(name);
          return null;
        });
  }

  @Override
  public void destroy(String name, long version) {
    write(
        name,
        () -> {
          store.destroy(name, version);
          return null;
        });
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      cache.clear();
      store.close();
    }
  }

  @Override
  public String toString() {
    return "CachingSecretStore[cache=" + settings + ", store=" + store + "]";
  }

  /** How many entries are held; for tests. */
  int size() {
    return cache.size();
  }

  // ---- internals -------------------------------------------------------------------------------

  private @Nullable Secret fromCache(String name, ReadCache.@Nullable Entry hit) {
    if (hit == null) {
      return null;
    }
    if (hit.expiresAt().isPresent() && !hit.expiresAt().get().isAfter(clock.instant())) {
      throw SecretNotFoundException.expired(name, hit.expiresAt().get());
    }
    byte[] copy = hit.copy();
    if (copy == null) {
      return null;
    }
    try {
      return new Secret(hit.name(), hit.version(), SecretValue.of(copy), hit.createdAt());
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  private CacheSource.Read read(String name, Supplier<CacheSource.Read> read) {
    try {
      return pass(read);
    } catch (SecretNotFoundException e) {
      cache.invalidate(name);
      throw e;
    }
  }

  private <T> T write(String name, Supplier<T> write) {
    try {
      return pass(write);
    } finally {
      if (name != null) {
        cache.invalidate(name);
      }
    }
  }

  /** Runs a call on the store below; a shredded keyset it reports drops every cached value. */
  private <T> T pass(Supplier<T> call) {
    try {
      return call.get();
    } catch (KeysetDestroyedException | DataKeyGoneException e) {
      cache.clear();
      throw e;
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the secret store is closed");
    }
  }
}
