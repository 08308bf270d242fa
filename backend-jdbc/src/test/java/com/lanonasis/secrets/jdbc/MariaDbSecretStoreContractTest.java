package com.lanonasis.secrets.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("MariaDB: the SecretStore contract")
class MariaDbSecretStoreContractTest extends JdbcSecretStoreContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.MARIADB;
  }
}
