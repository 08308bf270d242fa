package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link MemoryRecordStore} seen through a window that counts the reads of sealed records,
 * so a test can tell a value served from the read cache from one fetched from storage. Closing it
 * leaves the memory store open for the other stores that share it.
 */
final class CountingRecordStore implements RecordStore {
  private final MemoryRecordStore inner;
  final AtomicInteger recordReads = new AtomicInteger();

  CountingRecordStore(MemoryRecordStore inner) {
    this.inner = inner;
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
  public Optional<SecretHead> head(String tenant, SecretName name) {
    return inner.head(tenant, name);
  }

  @Override
  public boolean append(String tenant, SealedRecord record, Optional<SecretAttributes> attributes) {
    return inner.append(tenant, record, attributes);
  }

  @Override
  public List<VersionInfo> versions(String tenant, SecretName name) {
    return inner.versions(tenant, name);
  }

  @Override
  public List<SecretHead> list(String tenant, String prefix, Optional<SecretName> after, int limit) {
    return inner.list(tenant, prefix, after, limit);
  }

  @Override
  public boolean updateAttributes(String tenant, SecretName name, SecretAttributes attributes, Instant now) {
    return inner.updateAttributes(tenant, name, attributes, now);
  }

  @Override
  public boolean setDeleted(String tenant, SecretName name, boolean deleted, Instant now) {
    return inner.setDeleted(tenant, name, deleted, now);
  }

  @Override
  public boolean destroyVersion(String tenant, SecretName name, long version) {
    return inner.destroyVersion(tenant, name, version);
  }

  @Override
  public boolean destroyAll(String tenant, SecretName name, Instant now) {
    return inner.destroyAll(tenant, name, now);
  }

  @Override
  public Optional<WrappedKeyset> tenantKeyset(String tenant) {
    return inner.tenantKeyset(tenant);
  }

  @Override
  public boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration) {
    return inner.putTenantKeyset(tenant, next, expectedGeneration);
  }

  @Override
  public boolean deleteTenantKeyset(String tenant) {
    return inner.deleteTenantKeyset(tenant);
  }

  @Override
  public List<String> tenants(Optional<String> after, int limit) {
    return inner.tenants(after, limit);
  }

  @Override
  public void close() {
    // the shared memory store outlives this view; the test closes it
  }
}
