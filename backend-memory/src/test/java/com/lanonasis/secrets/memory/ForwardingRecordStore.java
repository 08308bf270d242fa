package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.ResealedRecord;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A record store for tests that passes every call to another one: subclasses override the calls
 * they watch or alter ({@link TamperingRecordStore}, {@link CountingRecordStore}).
 */
abstract class ForwardingRecordStore implements RecordStore {
  final RecordStore inner;

  ForwardingRecordStore(RecordStore inner) {
    this.inner = inner;
  }

  @Override
  public Optional<SecretHead> head(String tenant, SecretName name) {
    return inner.head(tenant, name);
  }

  @Override
  public AppendResult append(
      String tenant,
      SealedRecord record,
      Optional<SecretAttributes> attributes,
      long keysetGeneration) {
    return inner.append(tenant, record, attributes, keysetGeneration);
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    return inner.readLatest(tenant, name);
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    return inner.readVersion(tenant, name, version);
  }

  @Override
  public List<VersionInfo> versions(String tenant, SecretName name) {
    return inner.versions(tenant, name);
  }

  @Override
  public List<SecretHead> list(
      String tenant, String prefix, Optional<SecretName> after, int limit) {
    return inner.list(tenant, prefix, after, limit);
  }

  @Override
  public boolean updateAttributes(
      String tenant, SecretName name, SecretAttributes attributes, Instant now) {
    return inner.updateAttributes(tenant, name, attributes, now);
  }

  @Override
  public boolean markDeleted(String tenant, SecretName name, Instant now) {
    return inner.markDeleted(tenant, name, now);
  }

  @Override
  public boolean restoreDeleted(String tenant, SecretName name, Instant now) {
    return inner.restoreDeleted(tenant, name, now);
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
  public OptionalLong reserveSeals(String tenant, long generation, long count) {
    return inner.reserveSeals(tenant, generation, count);
  }

  @Override
  public List<SealedRecord> sealedRecords(
      String tenant, int notKeyId, Optional<SealedRecord> after, int limit) {
    return inner.sealedRecords(tenant, notKeyId, after, limit);
  }

  @Override
  public OptionalInt reseal(String tenant, long keysetGeneration, List<ResealedRecord> batch) {
    return inner.reseal(tenant, keysetGeneration, batch);
  }

  @Override
  public Map<Integer, Long> sealedCountsByKeyId(String tenant) {
    return inner.sealedCountsByKeyId(tenant);
  }

  @Override
  public List<String> tenants(Optional<String> after, int limit) {
    return inner.tenants(after, limit);
  }

  @Override
  public void close() {
    inner.close();
  }
}
