package com.lanonasis.secrets.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("SQLite file: the SecretStore contract")
class SqliteSecretStoreContractTest extends JdbcSecretStoreContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
