package com.lanonasis.secrets.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("H2 in memory: the SecretStore contract")
class H2MemSecretStoreContractTest extends JdbcSecretStoreContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.H2_MEM;
  }
}
