package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link com.lanonasis.secrets.SecretStores} hands a {@link SecretStoreProvider}: the URI,
 * the tenant, the keyring the application configured (if any), and the way to put the common
 * encrypted layer over a {@link RecordStore}.
 *
 * @since 0.1
 */
public interface StoreRequest {

  /** The store URI as given, for example {@code memory:} or {@code jdbc:h2:mem:x}. */
  String uri();

  /** The tenant the store is scoped to. */
  String tenant();

  /**
   * A setting from the environment the application configured (by default the process
   * environment), such as {@code LANONASIS_DB_PASSWORD}. Blank values count as absent.
   */
  Optional<String> environment(String name);

  /** The keyring set in code, if any. */
  Optional<MasterKeyring> keyring();

  /**
   * The keyring set in code, else the one named by the environment ({@code LANONASIS_KEYSET} or
   * {@code LANONASIS_KEYSET_FILE}); otherwise a {@link com.lanonasis.secrets.ConfigurationException}
   * naming both ways.
   */
  MasterKeyring requireKeyring();

  /**
   * The common layer (validation, versions, Tink envelope encryption, optional cache) over
   * {@code records}, configured as the application asked. The returned store closes
   * {@code records} when closed.
   */
  SecretStore encrypted(RecordStore records, MasterKeyring keyring);

  /**
   * The read cache's time to live, when the application enabled the cache with
   * {@link SecretStores.Builder#cache}. {@link #encrypted} applies it by itself; a remote store that
   * keeps its own cache reads it here. Empty by default.
   */
  default Optional<Duration> cacheTtl() {
    return Optional.empty();
  }

  /** The read cache's bound on entries when {@link #cacheTtl()} is present; 0 otherwise. */
  default int cacheMaxEntries() {
    return 0;
  }

  /**
   * The largest value the application accepts, in bytes ({@link SecretStores.Builder#maxValueBytes});
   * a remote store checks it before sending. Default {@link SecretStores#DEFAULT_MAX_VALUE_BYTES}.
   */
  default int maxValueBytes() {
    return SecretStores.DEFAULT_MAX_VALUE_BYTES;
  }
}
