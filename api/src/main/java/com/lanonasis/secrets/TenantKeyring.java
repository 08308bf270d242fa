package com.lanonasis.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One tenant's data keyset, unwrapped once and cached. Created on the first write (two stores
 * racing to create it agree through the record store's check-and-set); reloaded when a record
 * names a key the cached copy lacks, and whenever the cached copy is {@link #REFRESH} old, so a
 * rotation or a crypto-shredding by another process reaches a running store within that time.
 *
 * <p>Age is measured on the store's {@link Clock}; a copy loaded "after now" (the clock stepped
 * back) counts as stale, so a jumping clock never stretches the minute.
 */
final class TenantKeyring {
  static final Duration REFRESH = Duration.ofMinutes(1);
  private static final long REFRESH_MILLIS = REFRESH.toMillis();

  /** An unwrapped data keyset, ready to use. */
  record DataKey(KeysetHandle handle, Aead aead, int primaryId, long generation, long loadedAtMillis) {}

  private final RecordStore records;
  private final MasterKeyring master;
  private final String tenant;
  private final Clock clock;
  private volatile DataKey cached;

  TenantKeyring(RecordStore records, MasterKeyring master, String tenant, Clock clock) {
    this.records = records;
    this.master = master;
    this.tenant = tenant;
    this.clock = clock;
  }

  /** The keyset for opening records, if the tenant has one. */
  Optional<DataKey> forReading() {
    DataKey k = cached;
    return k != null && fresh(k) ? Optional.of(k) : load();
  }

  /** The keyset for sealing new records, created if the tenant has none. */
  DataKey forWriting() {
    DataKey k = cached;
    if (k != null && fresh(k)) {
      return k;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<DataKey> loaded = load();
      if (loaded.isPresent()) {
        return loaded.get();
      }
      DataKey created = tryCreate();
      if (created != null) {
        return created;
      }
    }
    throw new BackendUnavailableException("could not create the data keyset of tenant '" + tenant
        + "': it kept changing underneath");
  }

  /** Reloads from the record store; answers the fresh copy if its generation differs from {@code seen}. */
  Optional<DataKey> reloadIfChanged(DataKey seen) {
    Optional<DataKey> fresh = load();
    return fresh.filter(k -> seen == null || k.generation() != seen.generation());
  }

  void forget() {
    cached = null;
  }

  private boolean fresh(DataKey k) {
    long age = clock.millis() - k.loadedAtMillis();
    return age >= 0 && age < REFRESH_MILLIS;
  }

  private Optional<DataKey> load() {
    Optional<WrappedKeyset> wrapped = records.tenantKeyset(tenant);
    if (wrapped.isEmpty()) {
      cached = null;
      return Optional.empty();
    }
    DataKey k = unwrap(wrapped.get());
    cached = k;
    return Optional.of(k);
  }

  private DataKey tryCreate() {
    try {
      KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      WrappedKeyset w = new WrappedKeyset(master.wrap(fresh, tenant), 1);
      if (!records.putTenantKeyset(tenant, w, 0)) {
        return null;
      }
      DataKey k = toDataKey(fresh, 1);
      cached = k;
      return k;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not create a data keyset", e);
    }
  }

  private DataKey unwrap(WrappedKeyset w) {
    try {
      return toDataKey(master.unwrap(w.ciphertext(), tenant), w.generation());
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("the master keyring cannot open the data keyset of tenant '" + tenant
          + "': a different master keyring is configured, or the stored keyset was altered", e);
    }
  }

  private DataKey toDataKey(KeysetHandle handle, long generation) throws GeneralSecurityException {
    Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    return new DataKey(handle, aead, handle.getPrimary().getId(), generation, clock.millis());
  }
}
