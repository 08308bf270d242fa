package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.spi.StoredRecord;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A hostile storage layer for tests: a real {@link MemoryRecordStore} whose reads pass through a
 * function that may alter what comes back, as an attacker with write access to the database could.
 */
final class TamperingRecordStore extends ForwardingRecordStore {
  volatile UnaryOperator<StoredRecord> onRead = UnaryOperator.identity();

  TamperingRecordStore() {
    super(new MemoryRecordStore());
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    return inner.readLatest(tenant, name).map(onRead);
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    return inner.readVersion(tenant, name, version).map(onRead);
  }
}
