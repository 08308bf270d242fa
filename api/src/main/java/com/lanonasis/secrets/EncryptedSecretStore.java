package com.lanonasis.secrets;

import com.lanonasis.secrets.internal.CacheSource;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The common layer over every local backend: validates input, assigns versions, seals and opens
 * values with the tenant's data keyset. The record store below only ever sees ciphertext. The
 * optional read cache is not here: it is a decorator ({@link
 * com.lanonasis.secrets.internal.CachingSecretStore}) that this store feeds through {@link
 * CacheSource} with each value's expiry and with word of every keyset change it finds.
 *
 * <p>Each ciphertext's associated data is (tenant, name, version), length-prefixed, so a record
 * moved to another row, name, tenant or version fails to open with {@link IntegrityException}.
 *
 * <p>Crypto-shredding reaches this store at once for everything that touches the record store (each
 * read carries the keyset's generation, each append is refused if the keyset changed). The listener
 * registered with {@link #onKeysetChange} runs whenever the keyset is found changed or destroyed,
 * and {@link #refreshKeysetIfStale} reloads it when the cached copy is {@link
 * TenantKeyring#REFRESH} old, so a cache hit above can outlive a shredding elsewhere by at most
 * that long.
 */
final class EncryptedSecretStore implements SecretStore, CacheSource {
  /** Attempts of an unconditional put that keeps losing the version race before giving up. */
  private static final int MAX_PUT_ATTEMPTS = 1000;

  private final RecordStore records;
  private final String tenant;
  private final RecordAad aad;
  private final TenantKeyring keys;
  private final Clock clock;
  private final int maxValueBytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Puts to one name through this store take turns (names share one of these by hash): a put reads
   * the head, seals for the next version and appends it only if the head is still where it was, so
   * concurrent puts to one name from this process would otherwise lose that race to each other,
   * each loss a wasted seal and write transaction. Writers in other processes still race, and the
   * check-and-set still decides.
   */
  private final ReentrantLock[] putTurns = new ReentrantLock[256];

  private volatile Runnable keysetListener = () -> {};

  EncryptedSecretStore(
      RecordStore records,
      MasterKeyring master,
      String tenant,
      Clock clock,
      int maxValueBytes,
      DataKeyPolicy policy) {
    this.records = Objects.requireNonNull(records, "records");
    this.tenant = TenantId.check(tenant);
    this.aad = new RecordAad(tenant);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxValueBytes = maxValueBytes;
    this.keys =
        new TenantKeyring(
            records,
            Objects.requireNonNull(master, "master"),
            tenant,
            clock,
            Objects.requireNonNull(policy, "policy"),
            () -> keysetListener.run());
    for (int i = 0; i < putTurns.length; i++) {
      putTurns[i] = new ReentrantLock();
    }
  }

  @Override
  public String tenant() {
    return tenant;
  }

  // ---- writes ----------------------------------------------------------------------------------

  @Override
  public VersionInfo put(String name, SecretValue value, PutOptions options) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    byte[] plaintext = value.unsafeBytes();
    if (plaintext.length > maxValueBytes) {
      throw new SecretTooLargeException(n.value(), plaintext.length, maxValueBytes);
    }
    ReentrantLock turn = putTurns[Math.floorMod(n.value().hashCode(), putTurns.length)];
    turn.lock();
    try {
      return putInTurn(n, plaintext, options);
    } finally {
      turn.unlock();
    }
  }

  private VersionInfo putInTurn(SecretName n, byte[] plaintext, PutOptions options) {
    for (int attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
      Optional<SecretHead> head = records.head(tenant, n);
      if (head.isPresent() && head.get().state() == SecretHead.State.DELETED) {
        throw new SecretDeletedException(n.value());
      }
      long live = liveVersion(head);
      if (options.expectedVersion().isPresent() && options.expectedVersion().getAsLong() != live) {
        throw new VersionConflictException(n.value(), options.expectedVersion().getAsLong(), live);
      }
      long next = head.map(SecretHead::currentVersion).orElse(0L) + 1;
      TenantKeyring.DataKey key = keys.forSealing();
      byte[] ciphertext;
      try {
        ciphertext = key.aead().encrypt(plaintext, aad(n, next));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Tink could not seal a value", e);
      }
      Instant now = clock.instant();
      AppendResult result =
          records.append(
              tenant,
              new SealedRecord(n, next, key.primaryId(), ciphertext, now),
              options.attributes(),
              key.generation());
      if (result == AppendResult.APPENDED) {
        return new VersionInfo(n, next, now, false);
      }
      if (result == AppendResult.KEYSET_CHANGED) {
        keys.forget(); // rotated, re-wrapped or destroyed elsewhere: seal again under what is there
        // now
        continue;
      }
      if (options.expectedVersion().isPresent()) {
        Optional<SecretHead> now2 = records.head(tenant, n);
        if (now2.isPresent() && now2.get().state() == SecretHead.State.DELETED) {
          throw new SecretDeletedException(n.value());
        }
        throw new VersionConflictException(
            n.value(), options.expectedVersion().getAsLong(), liveVersion(now2));
      }
      Thread.onSpinWait();
    }
    throw new BackendUnavailableException(
        "gave up writing secret '" + n + "' after " + MAX_PUT_ATTEMPTS + " lost version races");
  }

  @Override
  public SecretMetadata updateAttributes(String name, SecretAttributes attributes) {
    Objects.requireNonNull(attributes, "attributes");
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    if (!records.updateAttributes(tenant, n, attributes, clock.instant())) {
      throw notFound(n);
    }
    return metadata(name);
  }

  @Override
  public void delete(String name) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    if (!records.markDeleted(tenant, n, clock.instant())) {
      throw new SecretNotFoundException(
          n.value(), "secret '" + n + "' not found (or already deleted)");
    }
  }

  @Override
  public void restore(String name) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    if (!records.restoreDeleted(tenant, n, clock.instant())) {
      throw new SecretNotFoundException(
          n.value(), "secret '" + n + "' is not deleted, so there is nothing to restore");
    }
  }

  @Override
  public void destroy(String name) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    if (!records.destroyAll(tenant, n, clock.instant())) {
      throw notFound(n);
    }
  }

  @Override
  public void destroy(String name, long version) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkVersion(version);
    checkOpen();
    if (!records.destroyVersion(tenant, n, version)) {
      throw new SecretNotFoundException(
          n.value(),
          "version " + version + " of secret '" + n + "' not found (or already destroyed)");
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  @Override
  public Secret get(String name) {
    return readLatest(name).secret();
  }

  @Override
  public Secret get(String name, long version) {
    return readVersion(name, version).secret();
  }

  @Override
  public CacheSource.Read readLatest(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    SecretName n = SecretName.of(name);
    StoredRecord stored = records.readLatest(tenant, n).orElseThrow(() -> notFound(n));
    Secret secret =
        open(n, stored, () -> records.readLatest(tenant, n).orElseThrow(() -> notFound(n)));
    return new CacheSource.Read(secret, stored.expiresAt());
  }

  @Override
  public CacheSource.Read readVersion(String name, long version) {
    Objects.requireNonNull(name, "name");
    checkVersion(version);
    checkOpen();
    SecretName n = SecretName.of(name);
    java.util.function.Supplier<StoredRecord> read =
        () ->
            records
                .readVersion(tenant, n, version)
                .orElseThrow(
                    () ->
                        new SecretNotFoundException(
                            n.value(),
                            "version "
                                + version
                                + " of secret '"
                                + n
                                + "' not found (or destroyed, or the secret is deleted)"));
    StoredRecord stored = read.get();
    if (stored.record().version() != version) {
      throw new IntegrityException(
          "record store returned version "
              + stored.record().version()
              + " of secret '"
              + n
              + "' when asked for version "
              + version);
    }
    return new CacheSource.Read(open(n, stored, read), stored.expiresAt());
  }

  @Override
  public void refreshKeysetIfStale() {
    keys.refreshIfStale();
  }

  @Override
  public void onKeysetChange(Runnable listener) {
    this.keysetListener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public Page<SecretMetadata> list(ListOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    Optional<SecretName> after = options.cursor().map(ListCursor::decode);
    List<SecretHead> heads = records.list(tenant, options.prefix(), after, options.limit() + 1);
    List<SecretMetadata> items = new ArrayList<>(Math.min(heads.size(), options.limit()));
    for (int i = 0; i < heads.size() && i < options.limit(); i++) {
      items.add(heads.get(i).toMetadata());
    }
    Optional<String> next =
        heads.size() > options.limit()
            ? Optional.of(ListCursor.encode(items.get(items.size() - 1).name()))
            : Optional.empty();
    return new Page<>(items, next);
  }

  @Override
  public SecretMetadata metadata(String name) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    return activeHead(n).toMetadata();
  }

  @Override
  public List<VersionInfo> versions(String name) {
    SecretName n = SecretName.of(Objects.requireNonNull(name, "name"));
    checkOpen();
    activeHead(n);
    return List.copyOf(records.versions(tenant, n));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      keys.forget();
      records.close();
    }
  }

  @Override
  public String toString() {
    return "SecretStore[tenant=" + tenant + ", records=" + records.getClass().getSimpleName() + "]";
  }

  // ---- internals -------------------------------------------------------------------------------

  /**
   * Opens a record with the keyset of the generation read with it. If the keyset has moved on since
   * (a key retired after re-sealing this very record), the record is read once more.
   */
  private Secret open(
      SecretName n,
      StoredRecord stored,
      java.util.function.@Nullable Supplier<StoredRecord> reread) {
    SealedRecord r = stored.record();
    if (!r.name().equals(n)) {
      throw new IntegrityException(
          "record store returned secret '" + r.name() + "' when asked for '" + n + "'");
    }
    if (stored.expiresAt().isPresent() && !stored.expiresAt().get().isAfter(clock.instant())) {
      throw SecretNotFoundException.expired(n.value(), stored.expiresAt().get());
    }
    byte[] aad = aad(n, r.version());
    byte[] ciphertext = r.ciphertext();
    // The keyset of the generation read with the record holds the key that sealed it.
    Optional<TenantKeyring.DataKey> key = keys.forReading(stored.keysetGeneration());
    if (key.isEmpty()) {
      throw new IntegrityException(
          "secret '"
              + n
              + "' version "
              + r.version()
              + " cannot be opened: tenant '"
              + tenant
              + "' has no data keyset");
    }
    try {
      return new Secret(
          n,
          r.version(),
          SecretValue.adopt(key.get().aead().decrypt(ciphertext, aad)),
          r.createdAt());
    } catch (GeneralSecurityException e) {
      if (reread != null && key.get().generation() != stored.keysetGeneration()) {
        return open(n, reread.get(), null);
      }
      if (!DataKeysets.keyIds(key.get().handle()).contains(r.keyId())) {
        throw new DataKeyGoneException(
            "secret '"
                + n
                + "' version "
                + r.version()
                + " was sealed with data key "
                + Integer.toUnsignedString(r.keyId())
                + ", which the keyset of tenant '"
                + tenant
                + "' no longer holds: "
                + "the tenant was crypto-shredded and re-provisioned (or the record's key id was altered); the value "
                + "cannot be read again");
      }
      throw new IntegrityException(
          "secret '"
              + n
              + "' version "
              + r.version()
              + " failed authentication: "
              + "the record was altered or moved, or the key that sealed it (id "
              + Integer.toUnsignedString(r.keyId())
              + ") is gone",
          e);
    }
  }

  private SecretHead activeHead(SecretName n) {
    return records
        .head(tenant, n)
        .filter(h -> h.state() == SecretHead.State.ACTIVE)
        .orElseThrow(() -> notFound(n));
  }

  private static long liveVersion(Optional<SecretHead> head) {
    return head.filter(h -> h.state() == SecretHead.State.ACTIVE)
        .map(SecretHead::currentVersion)
        .orElse(0L);
  }

  private byte[] aad(SecretName n, long version) {
    return aad.of(n, version);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the secret store is closed");
    }
  }

  private static void checkVersion(long version) {
    if (version < 1) {
      throw new InvalidInputException("version must be >= 1: " + version);
    }
  }

  private static SecretNotFoundException notFound(SecretName n) {
    return new SecretNotFoundException(n.value(), "secret '" + n + "' not found");
  }
}
