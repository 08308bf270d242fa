package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.testkit.RecordStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("PostgreSQL, as a non-owner role under row-level security: the RecordStore contract")
class PostgresRecordStoreContractTest extends RecordStoreContract {
  @TempDir Path dir;

  @Override
  protected RecordStore newRecordStore() {
    return TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir).open();
  }
}
