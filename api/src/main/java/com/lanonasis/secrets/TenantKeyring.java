package com.lanonasis.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's data keyset for one store: unwrapped once and cached, checked against the record
 * store's generation, created on the first write, rotated when its primary key reaches the {@link
 * DataKeyPolicy}'s limits.
 *
 * <ul>
 *   <li>Every record read comes with the tenant keyset's current generation; a cached copy of
 *       another generation is reloaded first. A destroyed keyset is a {@link
 *       KeysetDestroyedException} at once.
 *   <li>Every append names the generation it sealed under and the record store refuses it if the
 *       keyset changed; the store then reloads and seals again (or fails, if destroyed).
 *   <li>Whatever else uses the cached copy (read-cache hits) reloads it once it is {@link #REFRESH}
 *       old on the store's {@link Clock} (a copy loaded "after now" counts as stale, so a clock
 *       stepping back never stretches the minute).
 *   <li>Whenever a load finds another generation than the last one seen (or a destroyed keyset),
 *       the store's listener runs: the store drops its read cache.
 * </ul>
 *
 * <p>A tenant whose keyset was destroyed gets no new keyset here: only {@link
 * TenantKeyManager#reprovision(String)} makes one.
 */
final class TenantKeyring {
  static final Duration REFRESH = Duration.ofMinutes(1);
  private static final long REFRESH_MILLIS = REFRESH.toMillis();
  private static final int MAX_ATTEMPTS = 20;

  /**
   * Seals reserved per trip to the record store: starts small (one-shot processes), doubles to the
   * cap.
   */
  private static final long FIRST_BLOCK = 64;

  private static final long MAX_BLOCK = 1 << 16;

  /** An unwrapped data keyset, ready to use. */
  record DataKey(
      KeysetHandle handle,
      Aead aead,
      int primaryId,
      long generation,
      long primarySealed,
      Instant primarySince,
      long loadedAtMillis) {}

  /** What the record store holds for the tenant, as last loaded. */
  private record Loaded(
      @Nullable DataKey key, long generation, boolean destroyed, long loadedAtMillis) {}

  private final RecordStore records;
  private final MasterKeyring master;
  private final String tenant;
  private final Clock clock;
  private final DataKeyPolicy policy;
  private final Runnable onChange;
  private volatile @Nullable Loaded cached;

  /** The generation the store last saw (survives {@link #forget()}), 0 before the first load. */
  private long lastSeen;

  // Seals this store may make under the primary of generation reservedFor: next..end (inclusive).
  private long reservedFor;
  private long reservedNext = 1;
  private long reservedEnd;

  /** The key's count after this store's last reservation (for generation reservedFor). */
  private long reservedTotal;

  private long block = FIRST_BLOCK;

  TenantKeyring(
      RecordStore records,
      MasterKeyring master,
      String tenant,
      Clock clock,
      DataKeyPolicy policy,
      Runnable onChange) {
    this.records = records;
    this.master = master;
    this.tenant = tenant;
    this.clock = clock;
    this.policy = policy;
    this.onChange = onChange;
  }

  /**
   * The keyset for opening a record read while the tenant keyset was at {@code generation} (0: the
   * tenant had none). Empty if the tenant has no keyset.
   *
   * @throws KeysetDestroyedException if it was destroyed
   */
  Optional<DataKey> forReading(long generation) {
    Loaded l = cached;
    if (l == null || l.generation() != generation) {
      l = load();
    }
    if (l.destroyed()) {
      throw new KeysetDestroyedException(tenant);
    }
    return Optional.ofNullable(l.key());
  }

  /**
   * Reloads the cached keyset if it is {@link #REFRESH} old, so that a change elsewhere reaches
   * this store.
   */
  void refreshIfStale() {
    Loaded l = cached;
    if (l == null || !fresh(l.loadedAtMillis())) {
      load();
    }
  }

  /**
   * The keyset to seal one value with, one encryption reserved under its primary; created if the
   * tenant has none, rotated first if its primary reached the policy's limits.
   *
   * @throws KeysetDestroyedException if the tenant's keyset was destroyed
   */
  DataKey forSealing() {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Loaded l = cached;
      // A cached tombstone is read again before refusing: the tenant may have been re-provisioned
      // since, and a write to a destroyed tenant is rare enough to afford the trip.
      if (l == null || !fresh(l.loadedAtMillis()) || l.destroyed()) {
        l = load();
      }
      if (l.destroyed()) {
        throw new KeysetDestroyedException(tenant);
      }
      if (l.key() == null) {
        create();
        continue;
      }
      DataKey k = l.key();
      if (tooOld(k) || k.primarySealed() >= policy.maxEncryptions()) {
        rotate(k);
        continue;
      }
      if (takeReserved(k.generation())) {
        return k;
      }
      long room = policy.maxEncryptions() - Math.max(k.primarySealed(), lastTotal(k.generation()));
      if (room <= 0) {
        rotate(k);
        continue;
      }
      long want = Math.min(nextBlock(), room);
      OptionalLong total = records.reserveSeals(tenant, k.generation(), want);
      if (total.isEmpty()) {
        forget(); // the keyset changed underneath: load it again
        continue;
      }
      // Ours are total-want+1..total; other stores may have reserved meanwhile, so only those up
      // to the limit may be used. None left: the key is spent.
      long first = total.getAsLong() - want + 1;
      long end = Math.min(total.getAsLong(), policy.maxEncryptions());
      synchronized (this) {
        reservedFor = k.generation();
        reservedNext = first;
        reservedEnd = end;
        reservedTotal = total.getAsLong();
      }
      if (first > end) {
        rotate(k);
        continue;
      }
      if (takeReserved(k.generation())) {
        return k;
      }
    }
    throw new BackendUnavailableException(
        "the data keyset of tenant '"
            + tenant
            + "' kept changing underneath; gave up after "
            + MAX_ATTEMPTS
            + " attempts");
  }

  /** Drops the cached copy: the next use loads it again. */
  void forget() {
    cached = null;
  }

  private synchronized boolean takeReserved(long generation) {
    if (reservedFor == generation && reservedNext <= reservedEnd) {
      reservedNext++;
      return true;
    }
    return false;
  }

  private synchronized long lastTotal(long generation) {
    return reservedFor == generation ? reservedTotal : 0;
  }

  private synchronized long nextBlock() {
    long b = block;
    block = Math.min(block * 2, MAX_BLOCK);
    return b;
  }

  private boolean fresh(long loadedAtMillis) {
    long age = clock.millis() - loadedAtMillis;
    return age >= 0 && age < REFRESH_MILLIS;
  }

  private boolean tooOld(DataKey k) {
    return policy.maxAge().isPresent()
        && !k.primarySince().plus(policy.maxAge().get()).isAfter(clock.instant());
  }

  private Loaded load() {
    Optional<WrappedKeyset> wrapped = records.tenantKeyset(tenant);
    long now = clock.millis();
    Loaded l;
    if (wrapped.isEmpty()) {
      l = new Loaded(null, 0, false, now);
    } else if (wrapped.get().isDestroyed()) {
      l = new Loaded(null, wrapped.get().generation(), true, now);
    } else {
      WrappedKeyset w = wrapped.get();
      l =
          new Loaded(
              toDataKey(DataKeysets.unwrap(master, tenant, w), w, now), w.generation(), false, now);
    }
    cached = l;
    boolean changed;
    synchronized (this) {
      changed = lastSeen != 0 && lastSeen != l.generation();
      lastSeen = l.generation();
    }
    if (changed || l.destroyed()) {
      onChange.run();
    }
    return l;
  }

  /**
   * The first keyset of a tenant that never had one; a lost race is fine (the next load sees the
   * winner's).
   */
  private void create() {
    WrappedKeyset w = DataKeysets.wrap(master, tenant, DataKeysets.fresh(), 1, 0, clock.instant());
    records.putTenantKeyset(tenant, w, 0);
    forget();
  }

  /**
   * A new primary key, by check-and-set on the generation; a lost race is fine (someone else
   * changed it).
   */
  private void rotate(DataKey k) {
    WrappedKeyset w =
        DataKeysets.wrap(
            master,
            tenant,
            DataKeysets.withNewPrimary(k.handle()),
            k.generation() + 1,
            0,
            clock.instant());
    records.putTenantKeyset(tenant, w, k.generation());
    forget();
  }

  private DataKey toDataKey(KeysetHandle handle, WrappedKeyset w, long now) {
    try {
      Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
      return new DataKey(
          handle,
          aead,
          handle.getPrimary().getId(),
          w.generation(),
          w.primarySealed(),
          w.primarySince(),
          now);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException(
          "the data keyset of tenant '" + tenant + "' holds no usable AEAD key", e);
    }
  }
}
