package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;

@DisplayName("memory: store with the read cache on passes the SecretStore contract")
class CachedMemoryContractTest extends SecretStoreContract {
  @Override
  protected SecretStore newStore() {
    return SecretStores.builder().uri("memory:").cache(Duration.ofMinutes(5), 500).open();
  }

  @Override
  protected Optional<String> openedTenant() {
    return Optional.of("default");
  }
}
