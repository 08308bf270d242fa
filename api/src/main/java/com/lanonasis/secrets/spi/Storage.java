package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link SecretStoreProvider} answers: the storage behind a store, which the facade ({@link
 * com.lanonasis.secrets.SecretStores}) then assembles. It is the provider's whole part; the
 * provider never calls back into the facade.
 *
 * <ul>
 *   <li>{@link Records}: local storage. The facade first resolves the master keyring (so a missing
 *       one fails before any database or file is touched), then calls {@link Records#connect()},
 *       puts the common encrypted layer over the record store and, if asked, the read cache.
 *   <li>{@link Remote}: a store that encrypts elsewhere (a Lanonasis server). The facade adds only
 *       the read cache, if asked.
 * </ul>
 *
 * <pre>{@code
 * public Storage open(StoreRequest request) {
 *   JdbcRecordStore.Builder b = ...;            // parse and check the URI here
 *   return Storage.durable(b::build);           // connect only when the facade asks
 * }
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface Storage permits Storage.Records, Storage.Remote {

  /** Local records that outlive the store: they need a keyring configured by the application. */
  static Storage durable(Supplier<? extends RecordStore> connect) {
    return new Records(Lifetime.DURABLE, connect);
  }

  /**
   * Local records that die with the store (such as {@code memory:}): without a configured keyring
   * the facade generates a throwaway one, since nothing sealed with it can outlive it.
   */
  static Storage ephemeral(Supplier<? extends RecordStore> connect) {
    return new Records(Lifetime.EPHEMERAL, connect);
  }

  /** A store that does its own encryption; the facade only decorates it. */
  static Storage remote(SecretStore store) {
    return new Remote(store);
  }

  /** Whether local records outlive the store that holds them. */
  enum Lifetime {
    /** Kept beyond the store (a file, a database): a generated keyring would lose them. */
    DURABLE,
    /** Gone when the store closes. */
    EPHEMERAL
  }

  /**
   * Local storage, connected only when the facade is ready for it.
   *
   * @param lifetime whether the records outlive the store
   * @param connector opens the record store; fails fast if the storage cannot be reached
   */
  record Records(Lifetime lifetime, Supplier<? extends RecordStore> connector) implements Storage {
    public Records {
      Objects.requireNonNull(lifetime, "lifetime");
      Objects.requireNonNull(connector, "connector");
    }

    /** Opens the record store: connects, migrates, and so on. */
    public RecordStore connect() {
      return Objects.requireNonNull(
          connector.get(), "the provider's connector returned no record store");
    }
  }

  /**
   * A remote store, already open.
   *
   * @param store the store, which the facade's store closes when closed
   */
  record Remote(SecretStore store) implements Storage {
    public Remote {
      Objects.requireNonNull(store, "store");
    }
  }
}
