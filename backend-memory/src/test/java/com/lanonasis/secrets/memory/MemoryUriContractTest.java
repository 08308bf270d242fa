package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;

@DisplayName("memory: opened by URI through ServiceLoader passes the SecretStore contract")
class MemoryUriContractTest extends SecretStoreContract {
  @Override
  protected SecretStore newStore() {
    return SecretStores.open("memory:");
  }

  @Override
  protected Optional<String> openedTenant() {
    return Optional.of("default");
  }
}
