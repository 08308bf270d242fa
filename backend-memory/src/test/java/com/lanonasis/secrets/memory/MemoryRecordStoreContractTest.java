package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.testkit.RecordStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("MemoryRecordStore passes the RecordStore contract")
class MemoryRecordStoreContractTest extends RecordStoreContract {
  @Override
  protected RecordStore newRecordStore() {
    return new MemoryRecordStore();
  }
}
