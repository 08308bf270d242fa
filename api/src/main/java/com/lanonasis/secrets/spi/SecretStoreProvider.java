package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretStore;
import java.util.Set;

/**
 * A storage backend, discovered with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/com.lanonasis.secrets.spi.SecretStoreProvider}. It claims URI schemes
 * (the text before the first {@code :}), for example {@code memory}, {@code jdbc}, {@code https}.
 *
 * <p>Discovery instantiates every provider once, each in its own {@code try}, so one broken jar
 * does not hide the others. A scheme claimed by no provider, or by two, fails with a
 * {@link com.lanonasis.secrets.ConfigurationException} that lists what was found.
 *
 * <p>A local backend builds its {@link RecordStore} and returns
 * {@link StoreRequest#encrypted(RecordStore, com.lanonasis.secrets.MasterKeyring)}; a remote one
 * returns its own {@link SecretStore}. Either way {@code open} fails fast: a store that cannot reach
 * its storage throws here, not on first use.
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

  /** Opens a store for the request's URI and tenant. */
  SecretStore open(StoreRequest request);
}
