package com.lanonasis.secrets;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Key administration over a {@link RecordStore}: rotating tenant data keys, re-wrapping every
 * tenant's data keyset after a master key rotation, and crypto-shredding a tenant.
 *
 * <pre>{@code
 * MasterKeyring next = current.rotate();          // save next's keyset first
 * new TenantKeyManager(records, next).rewrapTenantKeysets();
 * MasterKeyring trimmed = next.retainPrimaryOnly(); // the old master key can now go
 * }</pre>
 *
 * <p>Every change is a check-and-set on the tenant keyset's generation, so it is safe beside
 * running stores and other administrators, and {@link #rewrapTenantKeysets()} can be re-run after
 * an interruption: it skips keysets already wrapped under the primary master key.
 *
 * @since 0.1
 */
public final class TenantKeyManager {
  private static final int MAX_ATTEMPTS = 20;
  private static final int TENANT_PAGE = 500;

  private final RecordStore records;
  private final MasterKeyring keyring;
  private final MasterKeyring primaryOnly;

  public TenantKeyManager(RecordStore records, MasterKeyring keyring) {
    this.records = Objects.requireNonNull(records, "records");
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.primaryOnly = keyring.retainPrimaryOnly();
  }

  /** The outcome of {@link #rewrapTenantKeysets()}. */
  public record RewrapReport(int rewrapped, int alreadyCurrent) {}

  /**
   * Adds a new primary AES-256-GCM key to the tenant's data keyset (creating the keyset if it has
   * none). Records sealed with older keys still open; new writes use the new key once each store
   * reloads the keyset (at the latest a minute later).
   *
   * @return the new primary key's id
   */
  public int rotateDataKey(String tenant) {
    TenantId.check(tenant);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
        KeysetHandle next;
        long generation;
        if (current.isEmpty()) {
          next = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
          generation = 0;
        } else {
          KeysetHandle old = unwrap(current.get(), tenant);
          next = KeysetHandle.newBuilder(old)
              .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                  .withRandomId().makePrimary())
              .build();
          generation = current.get().generation();
        }
        if (records.putTenantKeyset(tenant, new WrappedKeyset(keyring.wrap(next, tenant), generation + 1), generation)) {
          return next.getPrimary().getId();
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Tink could not rotate the data keyset", e);
      }
    }
    throw new BackendUnavailableException("data keyset of tenant '" + tenant + "' kept changing; rotation gave up");
  }

  /**
   * Re-wraps every tenant's data keyset under the keyring's primary key. Cost grows with the
   * number of tenants, not of secrets: no record is touched.
   */
  public RewrapReport rewrapTenantKeysets() {
    int rewrapped = 0;
    int current = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = records.tenants(after, TENANT_PAGE);
      for (String tenant : page) {
        if (rewrapOne(tenant)) {
          rewrapped++;
        } else {
          current++;
        }
      }
      if (page.size() < TENANT_PAGE) {
        return new RewrapReport(rewrapped, current);
      }
      after = Optional.of(page.get(page.size() - 1));
    }
  }

  /**
   * Deletes the tenant's data keyset. Every value sealed with it becomes unreadable at once
   * (crypto-shredding): reads fail with {@link IntegrityException}. Irreversible.
   */
  public boolean destroyDataKeyset(String tenant) {
    return records.deleteTenantKeyset(TenantId.check(tenant));
  }

  /** Ids of the keys in the tenant's data keyset, primary first; empty if it has none. */
  public List<Integer> dataKeyIds(String tenant) {
    TenantId.check(tenant);
    Optional<WrappedKeyset> w = records.tenantKeyset(tenant);
    if (w.isEmpty()) {
      return List.of();
    }
    KeysetHandle h = unwrap(w.get(), tenant);
    List<Integer> ids = new ArrayList<>();
    ids.add(h.getPrimary().getId());
    for (int i = 0; i < h.size(); i++) {
      if (!h.getAt(i).isPrimary()) {
        ids.add(h.getAt(i).getId());
      }
    }
    return List.copyOf(ids);
  }

  private boolean rewrapOne(String tenant) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isEmpty() || primaryOnly.isWrappedUnderPrimary(current.get().ciphertext(), tenant)) {
        return false;
      }
      KeysetHandle h = unwrap(current.get(), tenant);
      try {
        long g = current.get().generation();
        if (records.putTenantKeyset(tenant, new WrappedKeyset(keyring.wrap(h, tenant), g + 1), g)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Tink could not wrap the data keyset", e);
      }
    }
    throw new BackendUnavailableException("data keyset of tenant '" + tenant + "' kept changing; re-wrap gave up");
  }

  private KeysetHandle unwrap(WrappedKeyset w, String tenant) {
    try {
      return keyring.unwrap(w.ciphertext(), tenant);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("the master keyring cannot open the data keyset of tenant '" + tenant
          + "': a different master keyring is configured, or the stored keyset was altered", e);
    }
  }
}
