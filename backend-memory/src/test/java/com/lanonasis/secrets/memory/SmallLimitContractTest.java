package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;

@DisplayName("memory: store with a configured 1 KiB value limit and a tenant passes the contract")
class SmallLimitContractTest extends SecretStoreContract {
  @Override
  protected SecretStore newStore() {
    return SecretStores.builder().uri("memory:").tenant("acme").maxValueBytes(1024).open();
  }

  @Override
  protected int maxValueBytes() {
    return 1024;
  }

  @Override
  protected Optional<String> openedTenant() {
    return Optional.of("acme");
  }
}
