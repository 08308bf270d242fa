package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.Storage;
import com.lanonasis.secrets.spi.StoreRequest;
import java.util.Set;

/**
 * Opens {@code memory:} stores: each {@code open} gets a fresh, empty {@link MemoryRecordStore}.
 * Its storage is {@linkplain Storage#ephemeral ephemeral}, so without a configured keyring the
 * facade generates a throwaway one: nothing outlives the store.
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
  public Storage open(StoreRequest request) {
    if (!request.uri().equals("memory:")) {
      throw new ConfigurationException("the memory store takes no options: use exactly 'memory:'");
    }
    return Storage.ephemeral(MemoryRecordStore::new);
  }
}
