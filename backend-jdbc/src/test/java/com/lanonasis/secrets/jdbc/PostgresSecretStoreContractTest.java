package com.lanonasis.secrets.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("PostgreSQL, as a non-owner role under row-level security: the SecretStore contract")
class PostgresSecretStoreContractTest extends JdbcSecretStoreContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRESQL;
  }
}
