package com.lanonasis.secrets.memory;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.ResealedRecord;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordStore} in the JVM's heap: the backend behind {@code memory:} and the fixture for
 * tests. Nothing survives the process.
 *
 * <p>Thread-safe and linearizable per name: every change to a name happens under that name's lock;
 * reads take no lock and see an immutable snapshot of the name's head, published after the version
 * it points at. Different names never contend.
 *
 * <p>Each tenant's keyset is guarded by a {@link StampedLock}: appends and re-seals hold it for
 * reading (so they check the keyset generation and write as one step), keyset changes for writing;
 * reads validate an optimistic stamp, so a record and the keyset generation returned with it are
 * from one moment without readers writing to shared memory.
 *
 * <p>One instance may back several {@code SecretStore}s (several tenants, or several "instances" of
 * an app in one test) through {@code SecretStores.builder().recordStore(...)}; closing any of them
 * closes it.
 *
 * @since 0.1
 */
public final class MemoryRecordStore implements RecordStore {
  private final ConcurrentHashMap<String, Names> tenants = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, WrappedKeyset> keysets =
      new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, StampedLock> keysetLocks = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A stored version; {@code record} is null once destroyed. */
  private record Ver(@Nullable SealedRecord record, Instant createdAt) {}

  /** What readers see of a name: replaced whole, under the slot's lock, after versions change. */
  private record Snapshot(SecretHead head, long latestLive) {}

  /**
   * One tenant's names twice over: hashed for point reads (the hot path) and sorted for listing. A
   * slot enters the sorted map inside the hashed map's computeIfAbsent, so both always agree.
   */
  private static final class Names {
    final ConcurrentHashMap<String, Slot> byName = new ConcurrentHashMap<>();
    final ConcurrentSkipListMap<String, Slot> sorted = new ConcurrentSkipListMap<>();

    Slot getOrCreate(String name) {
      return byName.computeIfAbsent(
          name,
          k -> {
            Slot s = new Slot();
            sorted.put(k, s);
            return s;
          });
    }
  }

  private static final class Slot {
    final ConcurrentSkipListMap<Long, Ver> versions = new ConcurrentSkipListMap<>();
    volatile @Nullable Snapshot snapshot;
  }

  // ---- secrets -------------------------------------------------------------------------------

  @Override
  public Optional<SecretHead> head(String tenant, SecretName name) {
    return Optional.ofNullable(snapshot(tenant, name)).map(Snapshot::head);
  }

  @Override
  public AppendResult append(
      String tenant,
      SealedRecord record,
      Optional<SecretAttributes> attributes,
      long keysetGeneration) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(attributes, "attributes");
    StampedLock lock = keysetLock(tenant);
    long stamp = lock.readLock();
    try {
      if (!liveAt(tenant, keysetGeneration)) {
        return AppendResult.KEYSET_CHANGED;
      }
      return appendChecked(tenant, record, attributes);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private AppendResult appendChecked(
      String tenant, SealedRecord record, Optional<SecretAttributes> attributes) {
    Slot slot = names(tenant).getOrCreate(record.name().value());
    synchronized (slot) {
      Snapshot s = slot.snapshot;
      long counter = s == null ? 0 : s.head().currentVersion();
      if (record.version() != counter + 1
          || (s != null && s.head().state() == SecretHead.State.DELETED)) {
        return AppendResult.VERSION_TAKEN;
      }
      slot.versions.put(record.version(), new Ver(record, record.createdAt()));
      SecretAttributes attrs =
          attributes.orElse(s == null ? SecretAttributes.none() : s.head().attributes());
      Instant created =
          s == null || s.head().state() == SecretHead.State.DESTROYED
              ? record.createdAt()
              : s.head().createdAt();
      slot.snapshot =
          new Snapshot(
              new SecretHead(
                  record.name(),
                  record.version(),
                  SecretHead.State.ACTIVE,
                  created,
                  record.createdAt(),
                  attrs),
              record.version());
      return AppendResult.APPENDED;
    }
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    return withGeneration(tenant, () -> readLatestRecord(tenant, name));
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    return withGeneration(tenant, () -> readVersionRecord(tenant, name, version));
  }

  /**
   * A record and the keyset generation of one moment: optimistic first, under the read lock if a
   * keyset changed meanwhile.
   */
  private Optional<StoredRecord> withGeneration(
      String tenant, Supplier<Optional<StoredRecord>> read) {
    StampedLock lock = keysetLock(tenant);
    long stamp = lock.tryOptimisticRead();
    Optional<StoredRecord> r = read.get();
    long generation = generation(tenant);
    if (!lock.validate(stamp)) {
      stamp = lock.readLock();
      try {
        r = read.get();
        generation = generation(tenant);
      } finally {
        lock.unlockRead(stamp);
      }
    }
    long g = generation;
    return r.map(s -> new StoredRecord(s.record(), s.expiresAt(), g));
  }

  private long generation(String tenant) {
    WrappedKeyset k = keysets.get(tenant);
    return k == null ? 0 : k.generation();
  }

  private Optional<StoredRecord> readLatestRecord(String tenant, SecretName name) {
    Slot slot = slot(tenant, name);
    if (slot == null) {
      return Optional.empty();
    }
    Snapshot s = slot.snapshot;
    if (s == null || s.head().state() != SecretHead.State.ACTIVE || s.latestLive() == 0) {
      return Optional.empty();
    }
    Ver v = slot.versions.get(s.latestLive());
    if (v == null || v.record() == null) {
      synchronized (slot) { // raced with a destroy: read again under the lock
        return readLatestLocked(slot);
      }
    }
    return Optional.of(new StoredRecord(v.record(), s.head().attributes().expiresAt(), 0));
  }

  private static Optional<StoredRecord> readLatestLocked(Slot slot) {
    // Under the slot's lock a published slot has a snapshot, and its latest live version a record.
    Snapshot s = Objects.requireNonNull(slot.snapshot, "snapshot");
    if (s.head().state() != SecretHead.State.ACTIVE || s.latestLive() == 0) {
      return Optional.empty();
    }
    Ver v = Objects.requireNonNull(slot.versions.get(s.latestLive()), "latest live version");
    return Optional.of(
        new StoredRecord(
            Objects.requireNonNull(v.record(), "record"), s.head().attributes().expiresAt(), 0));
  }

  private Optional<StoredRecord> readVersionRecord(String tenant, SecretName name, long version) {
    Slot slot = slot(tenant, name);
    if (slot == null) {
      return Optional.empty();
    }
    Snapshot s = slot.snapshot;
    if (s == null || s.head().state() != SecretHead.State.ACTIVE) {
      return Optional.empty();
    }
    Ver v = slot.versions.get(version);
    if (v == null || v.record() == null) {
      return Optional.empty();
    }
    return Optional.of(new StoredRecord(v.record(), s.head().attributes().expiresAt(), 0));
  }

  @Override
  public List<VersionInfo> versions(String tenant, SecretName name) {
    Slot slot = slot(tenant, name);
    if (slot == null) {
      return List.of();
    }
    synchronized (slot) {
      Snapshot s = slot.snapshot;
      if (s == null || s.head().state() == SecretHead.State.DESTROYED) {
        return List.of();
      }
      List<VersionInfo> out = new ArrayList<>(slot.versions.size());
      slot.versions.forEach(
          (n, v) -> out.add(new VersionInfo(name, n, v.createdAt(), v.record() == null)));
      return out;
    }
  }

  @Override
  public List<SecretHead> list(
      String tenant, String prefix, Optional<SecretName> after, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    Names names = tenants.get(tenant);
    if (names == null) {
      return List.of();
    }
    NavigableMap<String, Slot> tail =
        after.isPresent() && after.get().value().compareTo(prefix) >= 0
            ? names.sorted.tailMap(after.get().value(), false)
            : names.sorted.tailMap(prefix, true);
    List<SecretHead> out = new ArrayList<>(Math.min(limit, 256));
    for (Map.Entry<String, Slot> e : tail.entrySet()) {
      if (!e.getKey().startsWith(prefix) || out.size() == limit) {
        break;
      }
      Snapshot s = e.getValue().snapshot;
      if (s != null && s.head().state() == SecretHead.State.ACTIVE) {
        out.add(s.head());
      }
    }
    return out;
  }

  @Override
  public boolean updateAttributes(
      String tenant, SecretName name, SecretAttributes attributes, Instant now) {
    Objects.requireNonNull(attributes, "attributes");
    return mutate(
        tenant,
        name,
        (slot, s) -> {
          if (s.head().state() != SecretHead.State.ACTIVE) {
            return false;
          }
          slot.snapshot =
              new Snapshot(
                  withState(s.head(), SecretHead.State.ACTIVE, attributes, now), s.latestLive());
          return true;
        });
  }

  @Override
  public boolean markDeleted(String tenant, SecretName name, Instant now) {
    return moveState(tenant, name, SecretHead.State.ACTIVE, SecretHead.State.DELETED, now);
  }

  @Override
  public boolean restoreDeleted(String tenant, SecretName name, Instant now) {
    return moveState(tenant, name, SecretHead.State.DELETED, SecretHead.State.ACTIVE, now);
  }

  private boolean moveState(
      String tenant, SecretName name, SecretHead.State from, SecretHead.State to, Instant now) {
    return mutate(
        tenant,
        name,
        (slot, s) -> {
          if (s.head().state() != from) {
            return false;
          }
          slot.snapshot =
              new Snapshot(withState(s.head(), to, s.head().attributes(), now), s.latestLive());
          return true;
        });
  }

  @Override
  public boolean destroyVersion(String tenant, SecretName name, long version) {
    return mutate(
        tenant,
        name,
        (slot, s) -> {
          Ver v = slot.versions.get(version);
          if (v == null || v.record() == null) {
            return false;
          }
          slot.versions.put(version, new Ver(null, v.createdAt()));
          long live = s.latestLive();
          if (live == version) {
            live = 0;
            for (Map.Entry<Long, Ver> e : slot.versions.descendingMap().entrySet()) {
              if (e.getValue().record() != null) {
                live = e.getKey();
                break;
              }
            }
          }
          slot.snapshot = new Snapshot(s.head(), live);
          return true;
        });
  }

  @Override
  public boolean destroyAll(String tenant, SecretName name, Instant now) {
    return mutate(
        tenant,
        name,
        (slot, s) -> {
          if (s.head().state() == SecretHead.State.DESTROYED) {
            return false;
          }
          slot.snapshot =
              new Snapshot(
                  withState(s.head(), SecretHead.State.DESTROYED, SecretAttributes.none(), now), 0);
          slot.versions.clear();
          return true;
        });
  }

  // ---- re-sealing -------------------------------------------------------------------------------

  @Override
  public List<SealedRecord> sealedRecords(
      String tenant, int notKeyId, Optional<SealedRecord> after, int limit) {
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    checkOpen();
    Names names = tenants.get(Objects.requireNonNull(tenant, "tenant"));
    if (names == null) {
      return List.of();
    }
    NavigableMap<String, Slot> tail =
        after.isPresent() ? names.sorted.tailMap(after.get().name().value(), true) : names.sorted;
    List<SealedRecord> out = new ArrayList<>();
    for (Map.Entry<String, Slot> e : tail.entrySet()) {
      boolean sameName = after.isPresent() && e.getKey().equals(after.get().name().value());
      NavigableMap<Long, Ver> versions =
          sameName
              ? e.getValue().versions.tailMap(after.get().version(), false)
              : e.getValue().versions;
      for (Ver v : versions.values()) {
        if (v.record() != null && v.record().keyId() != notKeyId) {
          out.add(v.record());
          if (out.size() == limit) {
            return out;
          }
        }
      }
    }
    return out;
  }

  @Override
  public OptionalInt reseal(String tenant, long keysetGeneration, List<ResealedRecord> batch) {
    Objects.requireNonNull(batch, "batch");
    StampedLock lock = keysetLock(tenant);
    long stamp = lock.readLock();
    try {
      if (!liveAt(tenant, keysetGeneration)) {
        return OptionalInt.empty();
      }
      int replaced = 0;
      for (ResealedRecord r : batch) {
        Slot slot = slot(tenant, r.name());
        if (slot == null) {
          continue;
        }
        synchronized (slot) {
          Ver v = slot.versions.get(r.version());
          if (v != null && v.record() != null && v.record().keyId() == r.fromKeyId()) {
            slot.versions.put(
                r.version(),
                new Ver(
                    new SealedRecord(
                        r.name(), r.version(), r.toKeyId(), r.ciphertext(), v.record().createdAt()),
                    v.createdAt()));
            replaced++;
          }
        }
      }
      return OptionalInt.of(replaced);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  @Override
  public Map<Integer, Long> sealedCountsByKeyId(String tenant) {
    checkOpen();
    Names names = tenants.get(Objects.requireNonNull(tenant, "tenant"));
    Map<Integer, Long> out = new HashMap<>();
    if (names != null) {
      for (Slot slot : names.sorted.values()) {
        for (Ver v : slot.versions.values()) {
          if (v.record() != null) {
            out.merge(v.record().keyId(), 1L, Long::sum);
          }
        }
      }
    }
    return out;
  }

  // ---- tenant keysets ------------------------------------------------------------------------

  @Override
  public Optional<WrappedKeyset> tenantKeyset(String tenant) {
    checkOpen();
    return Optional.ofNullable(keysets.get(Objects.requireNonNull(tenant, "tenant")));
  }

  @Override
  public boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration) {
    checkOpen();
    Objects.requireNonNull(next, "next");
    if (next.generation() != expectedGeneration + 1) {
      throw new IllegalArgumentException(
          "next generation must be " + (expectedGeneration + 1) + ": " + next.generation());
    }
    StampedLock lock = keysetLock(tenant);
    long stamp = lock.writeLock();
    try {
      WrappedKeyset cur = keysets.get(tenant);
      if ((cur == null ? 0 : cur.generation()) != expectedGeneration) {
        return false;
      }
      keysets.put(tenant, next);
      return true;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public OptionalLong reserveSeals(String tenant, long generation, long count) {
    checkOpen();
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: " + count);
    }
    StampedLock lock = keysetLock(tenant);
    long stamp = lock.writeLock();
    try {
      WrappedKeyset cur = keysets.get(tenant);
      if (cur == null || cur.isDestroyed() || cur.generation() != generation) {
        return OptionalLong.empty();
      }
      WrappedKeyset next =
          new WrappedKeyset(
              cur.ciphertext(), cur.generation(), cur.primarySealed() + count, cur.primarySince());
      keysets.put(tenant, next);
      return OptionalLong.of(next.primarySealed());
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public List<String> tenants(Optional<String> after, int limit) {
    checkOpen();
    NavigableMap<String, WrappedKeyset> tail =
        after.isPresent() ? keysets.tailMap(after.get(), false) : keysets;
    List<String> out = new ArrayList<>();
    for (String t : tail.keySet()) {
      if (out.size() == limit) {
        break;
      }
      out.add(t);
    }
    return out;
  }

  /** Whether the tenant's keyset is live at exactly {@code generation}; call under its lock. */
  private boolean liveAt(String tenant, long generation) {
    WrappedKeyset k = keysets.get(tenant);
    return k != null && !k.isDestroyed() && k.generation() == generation;
  }

  private StampedLock keysetLock(String tenant) {
    checkOpen();
    return keysetLocks.computeIfAbsent(
        Objects.requireNonNull(tenant, "tenant"), t -> new StampedLock());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tenants.clear();
      keysets.clear();
    }
  }

  @Override
  public String toString() {
    return "MemoryRecordStore[tenants=" + tenants.size() + "]";
  }

  // ---- internals -------------------------------------------------------------------------------

  private interface Mutation {
    boolean apply(Slot slot, Snapshot current);
  }

  private boolean mutate(String tenant, SecretName name, Mutation m) {
    Slot slot = slot(tenant, name);
    if (slot == null) {
      return false;
    }
    synchronized (slot) {
      Snapshot s = slot.snapshot;
      return s != null && m.apply(slot, s);
    }
  }

  private static SecretHead withState(
      SecretHead h, SecretHead.State state, SecretAttributes attributes, Instant now) {
    return new SecretHead(h.name(), h.currentVersion(), state, h.createdAt(), now, attributes);
  }

  private @Nullable Snapshot snapshot(String tenant, SecretName name) {
    Slot slot = slot(tenant, name);
    return slot == null ? null : slot.snapshot;
  }

  private @Nullable Slot slot(String tenant, SecretName name) {
    checkOpen();
    Objects.requireNonNull(name, "name");
    Names names = tenants.get(Objects.requireNonNull(tenant, "tenant"));
    return names == null ? null : names.byName.get(name.value());
  }

  private Names names(String tenant) {
    checkOpen();
    return tenants.computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new Names());
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the memory record store is closed");
    }
  }
}
