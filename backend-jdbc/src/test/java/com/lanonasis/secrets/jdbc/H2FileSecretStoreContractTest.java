package com.lanonasis.secrets.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("H2 file: the SecretStore contract")
class H2FileSecretStoreContractTest extends JdbcSecretStoreContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.H2_FILE;
  }
}
