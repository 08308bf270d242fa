package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;

@DisplayName("memory: store passes the SecretStore contract")
class MemorySecretStoreContractTest extends SecretStoreContract {
  private MemoryRecordStore shared;
  private MasterKeyring keyring;

  @Override
  protected SecretStore newStore() {
    shared = new MemoryRecordStore();
    keyring = MasterKeyring.generate();
    return SecretStores.builder().recordStore(shared).keyring(keyring).open();
  }

  @Override
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.of(SecretStores.builder().recordStore(shared).keyring(keyring).open());
  }

  @Override
  protected Optional<String> openedTenant() {
    return Optional.of("default");
  }
}
