package com.lanonasis.secrets.internal;

import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CachingSecretStore} needs from the store below it beyond {@link SecretStore}: the
 * expiry that goes with a value read (so a hit stops at it), and word of a change of the tenant's
 * data keyset (so no plaintext sealed under a shredded keyset is served from memory). Not API.
 *
 * <p>A local store implements it itself; {@link #of(SecretStore)} adapts a remote one, which has
 * neither: its server checks expiry and answers a shredded tenant with an error that the cache sees
 * pass through.
 */
public interface CacheSource {

  /**
   * A value read for the cache.
   *
   * @param secret what {@link SecretStore#get} answers
   * @param expiresAt when the secret expires, if it does and the store knows
   */
  record Read(Secret secret, Optional<Instant> expiresAt) {
    public Read {
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** As {@link SecretStore#get(String)}, with the expiry. */
  Read readLatest(String name);

  /** As {@link SecretStore#get(String, long)}, with the expiry. */
  Read readVersion(String name, long version);

  /**
   * Called before every cache lookup: a store that keeps a copy of the tenant's keyset reloads it
   * when that copy is old, so that a shred elsewhere reaches the cache (through the listener)
   * within the store's refresh bound. Cheap when the copy is fresh.
   */
  void refreshKeysetIfStale();

  /**
   * Registers the one listener run whenever the store finds the tenant's keyset changed or
   * destroyed.
   */
  void onKeysetChange(Runnable listener);

  /** A source over a store that knows no expiry and keeps no keyset (a remote store). */
  static CacheSource of(SecretStore store) {
    Objects.requireNonNull(store, "store");
    return new CacheSource() {
      @Override
      public Read readLatest(String name) {
        return new Read(store.get(name), Optional.empty());
      }

      @Override
      public Read readVersion(String name, long version) {
        return new Read(store.get(name, version), Optional.empty());
      }

      @Override
      public void refreshKeysetIfStale() {}

      @Override
      public void onKeysetChange(Runnable listener) {}
    };
  }
}
