package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.testkit.RecordStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("H2 file: the RecordStore contract")
class H2FileRecordStoreContractTest extends RecordStoreContract {
  @TempDir Path dir;

  @Override
  protected RecordStore newRecordStore() {
    return TestDatabases.fresh(TestDatabases.Kind.H2_FILE, dir).open();
  }
}
