package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.spi.StoredRecord;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link MemoryRecordStore} seen through a window that counts the reads of sealed records,
 * so a test can tell a value served from the read cache from one fetched from storage. Closing it
 * leaves the memory store open for the other stores that share it.
 */
final class CountingRecordStore extends ForwardingRecordStore {
  final AtomicInteger recordReads = new AtomicInteger();

  CountingRecordStore(MemoryRecordStore inner) {
    super(inner);
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    recordReads.incrementAndGet();
    return inner.readLatest(tenant, name);
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    recordReads.incrementAndGet();
    return inner.readVersion(tenant, name, version);
  }

  @Override
  public void close() {
    // the shared memory store outlives this view; the test closes it
  }
}
