package com.lanonasis.secrets.spi;

import java.util.Set;

/**
 * A storage backend, discovered with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/com.lanonasis.secrets.spi.SecretStoreProvider}. It claims URI schemes
 * (the text before the first {@code :}), for example {@code memory}, {@code jdbc}, {@code https}.
 *
 * <p>Discovery instantiates every provider once, each in its own {@code try}, so one broken jar
 * does not hide the others. A scheme claimed by no provider, or by two, fails with a {@link
 * com.lanonasis.secrets.ConfigurationException} that lists what was found.
 *
 * <p>Direction: a provider <em>returns</em> its {@link Storage} and never calls back into {@link
 * com.lanonasis.secrets.SecretStores}. A local backend returns {@link
 * Storage#durable(java.util.function.Supplier)} (or {@link Storage#ephemeral}) with a way to
 * connect its {@link RecordStore}; the facade resolves the keyring before it connects, then adds
 * the encrypted layer and the cache. A remote backend returns {@link Storage#remote} with its own,
 * already connected {@link com.lanonasis.secrets.SecretStore}. {@code open} checks the URI at once;
 * connecting fails fast (a store that cannot reach its storage fails while being opened, not on
 * first use).
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 *
 * @since 0.1
 */
public interface SecretStoreProvider {

  /** A short name for messages, such as {@code "memory"}. */
  String name();

  /** The URI schemes this provider opens, lower case. */
  Set<String> schemes();

  /**
   * The storage for the request's URI and tenant.
   *
   * @throws com.lanonasis.secrets.ConfigurationException if the URI or a setting is not usable
   */
  Storage open(StoreRequest request);
}
