package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.StoreRequest;
import java.util.Set;

/**
 * Opens {@code memory:} stores: each {@code open} gets a fresh, empty {@link MemoryRecordStore}.
 * Without a configured keyring it generates a throwaway one, since nothing outlives the store.
 *
 * @since 0.1
 */
public final class MemorySecretStoreProvider implements SecretStoreProvider {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public SecretStore open(StoreRequest request) {
    if (!request.uri().equals("memory:")) {
      throw new ConfigurationException("the memory store takes no options: use exactly 'memory:'");
    }
    MasterKeyring keyring = request.keyring().orElseGet(MasterKeyring::generate);
    return request.encrypted(new MemoryRecordStore(), keyring);
  }
}
