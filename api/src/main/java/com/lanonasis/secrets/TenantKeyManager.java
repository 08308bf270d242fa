package com.lanonasis.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.ResealedRecord;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Key administration over a {@link RecordStore}: rotating, re-sealing and retiring tenant data
 * keys, re-wrapping every tenant's data keyset after a master key rotation, crypto-shredding a
 * tenant and re-provisioning it.
 *
 * <pre>{@code
 * MasterKeyring next = current.rotate();          // save next's keyset first
 * new TenantKeyManager(records, next).rewrapTenantKeysets();
 * MasterKeyring trimmed = next.retainPrimaryOnly(); // the old master key can now go
 *
 * int fresh = manager.rotateDataKey("acme");      // new writes use the new key
 * manager.reseal("acme", 500, p -> {});           // old records too, online
 * manager.retireDataKey("acme", oldKeyId);        // refused while a record still uses it
 * }</pre>
 *
 * <p>Every change is a check-and-set on the tenant keyset's generation, which never repeats (a
 * destroyed keyset stays as a marker whose generation goes on counting), so it is safe beside
 * running stores and other administrators. A change that finds the keyset destroyed and
 * re-provisioned since it read it is refused, never applied to the new keyset.
 *
 * @since 0.1
 */
public final class TenantKeyManager {
  private static final int MAX_ATTEMPTS = 20;
  private static final int TENANT_PAGE = 500;

  /** The largest re-seal batch: one transaction each. */
  public static final int MAX_RESEAL_BATCH = 10_000;

  private final RecordStore records;
  private final MasterKeyring keyring;
  private final MasterKeyring primaryOnly;
  private final Clock clock;
  private final DataKeyPolicy policy;

  public TenantKeyManager(RecordStore records, MasterKeyring keyring) {
    this(records, keyring, Clock.systemUTC(), DataKeyPolicy.defaults());
  }

  /** With the clock that dates key changes and the policy re-sealing keeps to. */
  public TenantKeyManager(
      RecordStore records, MasterKeyring keyring, Clock clock, DataKeyPolicy policy) {
    this.records = Objects.requireNonNull(records, "records");
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.primaryOnly = keyring.retainPrimaryOnly();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The outcome of {@link #rewrapTenantKeysets()}. */
  public record RewrapReport(int rewrapped, int alreadyCurrent) {}

  /**
   * One data key of a tenant.
   *
   * @param id the Tink key id
   * @param primary whether new values are sealed with it
   * @param records versions holding a value sealed with it
   */
  public record DataKeyStatus(int id, boolean primary, long records) {}

  /**
   * A tenant's data keyset as the record store holds it.
   *
   * @param tenant the tenant
   * @param generation the keyset's generation (0: the tenant never had one)
   * @param destroyed whether it was crypto-shredded
   * @param keys its keys, primary first (empty if destroyed or absent)
   * @param unknownKeyRecords versions sealed with keys the keyset does not hold (unreadable)
   * @param primarySealed encryptions reserved under the primary key
   * @param primarySince when the primary key became primary
   * @param masterKeyId the master key that wraps the keyset, if it is in the keyring
   */
  public record KeysetStatus(
      String tenant,
      long generation,
      boolean destroyed,
      List<DataKeyStatus> keys,
      long unknownKeyRecords,
      long primarySealed,
      Optional<Instant> primarySince,
      OptionalInt masterKeyId) {}

  /**
   * Progress or outcome of {@link #reseal}.
   *
   * @param tenant the tenant
   * @param primaryKeyId the key records are re-sealed with
   * @param resealed versions re-sealed so far (for a dry run: that would be)
   * @param skipped versions destroyed or re-sealed by someone else meanwhile, left alone
   * @param unreadable versions that failed to open (altered, or sealed with a key no longer held)
   * @param fromKeyIds versions read for re-sealing so far, by the key id that had sealed them
   * @param done whether nothing is left to re-seal
   * @param resumeAfter where a re-seal stopped by its {@code maxRecords} carries on (empty when
   *     done)
   */
  public record ResealReport(
      String tenant,
      int primaryKeyId,
      long resealed,
      long skipped,
      long unreadable,
      Map<Integer, Long> fromKeyIds,
      boolean done,
      Optional<ResealPosition> resumeAfter) {
    public ResealReport {
      Objects.requireNonNull(resumeAfter, "resumeAfter");
    }
  }

  /**
   * The last version a bounded re-seal looked at, under the primary it re-sealed with. Resuming
   * from it under another primary starts again from the first version, since everything not under
   * the new primary is to do again.
   */
  public record ResealPosition(int primaryKeyId, SecretName name, long version) {
    public ResealPosition {
      Objects.requireNonNull(name, "name");
      if (version < 1) {
        throw new InvalidInputException("a re-seal position's version is at least 1: " + version);
      }
    }
  }

  // ---- rotation ------------------------------------------------------------------------------

  /**
   * Adds a new primary AES-256-GCM key to the tenant's data keyset (creating the keyset if the
   * tenant never had one). Records sealed with older keys still open; new writes use the new key at
   * once (a store sealing under the old generation is refused and seals again).
   *
   * @return the new primary key's id
   * @throws KeysetDestroyedException if the tenant's keyset was destroyed
   * @throws BackendUnavailableException if the keyset was destroyed and re-provisioned while
   *     rotating (nothing was rotated), or kept changing
   */
  public int rotateDataKey(String tenant) {
    TenantId.check(tenant);
    @Nullable Set<Integer> lineage = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isEmpty()) {
        KeysetHandle first = DataKeysets.fresh();
        if (records.putTenantKeyset(
            tenant, DataKeysets.wrap(keyring, tenant, first, 1, 0, clock.instant()), 0)) {
          return first.getPrimary().getId();
        }
        continue;
      }
      WrappedKeyset w = current.get();
      KeysetHandle old = DataKeysets.unwrap(keyring, tenant, w);
      lineage = checkLineage(tenant, lineage, old);
      KeysetHandle next = DataKeysets.withNewPrimary(old);
      long g = w.generation();
      if (records.putTenantKeyset(
          tenant, DataKeysets.wrap(keyring, tenant, next, g + 1, 0, clock.instant()), g)) {
        return next.getPrimary().getId();
      }
    }
    throw new BackendUnavailableException(
        "data keyset of tenant '" + tenant + "' kept changing; rotation gave up");
  }

  /**
   * Re-wraps every tenant's data keyset under the keyring's primary key. Cost grows with the number
   * of tenants, not of secrets: no record is touched. Destroyed keysets are skipped.
   */
  public RewrapReport rewrapTenantKeysets() {
    int rewrapped = 0;
    int current = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = records.tenants(after, TENANT_PAGE);
      for (String tenant : page) {
        if (rewrapOne(tenant)) {
          rewrapped++;
        } else {
          current++;
        }
      }
      if (page.size() < TENANT_PAGE) {
        return new RewrapReport(rewrapped, current);
      }
      after = Optional.of(page.get(page.size() - 1));
    }
  }

  // ---- shredding and re-provisioning ---------------------------------------------------------

  /**
   * Crypto-shreds the tenant: replaces its data keyset by a destroyed marker. Every value sealed
   * with it becomes unreadable at once ({@link KeysetDestroyedException} on every store, at the
   * next call that reaches the record store), and no store creates a new keyset for the tenant
   * until {@link #reprovision(String)}. A tenant that never had a keyset is marked destroyed too.
   * Irreversible.
   *
   * @return whether a live keyset was destroyed (false: there was none, or it was already
   *     destroyed)
   */
  public boolean destroyDataKeyset(String tenant) {
    TenantId.check(tenant);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isPresent() && current.get().isDestroyed()) {
        return false;
      }
      long g = current.map(WrappedKeyset::generation).orElse(0L);
      if (records.putTenantKeyset(tenant, WrappedKeyset.destroyed(g + 1, clock.instant()), g)) {
        return current.isPresent();
      }
    }
    throw new BackendUnavailableException(
        "data keyset of tenant '" + tenant + "' kept changing; destroy gave up");
  }

  /**
   * Gives a crypto-shredded tenant a new, empty data keyset so it can store secrets again. The
   * values it had stay unreadable: their keys are gone.
   *
   * @return the new keyset's primary key id
   * @throws InvalidInputException if the tenant's keyset is not destroyed
   */
  public int reprovision(String tenant) {
    TenantId.check(tenant);
    Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
    if (current.isEmpty() || !current.get().isDestroyed()) {
      throw new InvalidInputException(
          "tenant '"
              + tenant
              + "' has "
              + (current.isEmpty() ? "no" : "a live")
              + " data keyset; only a destroyed one is re-provisioned");
    }
    KeysetHandle fresh = DataKeysets.fresh();
    long g = current.get().generation();
    if (!records.putTenantKeyset(
        tenant, DataKeysets.wrap(keyring, tenant, fresh, g + 1, 0, clock.instant()), g)) {
      throw new BackendUnavailableException(
          "data keyset of tenant '"
              + tenant
              + "' changed while re-provisioning it; nothing was done, look at it again");
    }
    return fresh.getPrimary().getId();
  }

  // ---- status, re-sealing, retiring -----------------------------------------------------------

  /**
   * Ids of the keys in the tenant's data keyset, primary first; empty if it has none or it was
   * destroyed.
   */
  public List<Integer> dataKeyIds(String tenant) {
    TenantId.check(tenant);
    Optional<WrappedKeyset> w = records.tenantKeyset(tenant);
    if (w.isEmpty() || w.get().isDestroyed()) {
      return List.of();
    }
    return DataKeysets.keyIds(DataKeysets.unwrap(keyring, tenant, w.get()));
  }

  /** The tenant's keyset: its keys, how many records each seals, the primary's usage. */
  public KeysetStatus status(String tenant) {
    TenantId.check(tenant);
    Optional<WrappedKeyset> w = records.tenantKeyset(tenant);
    Map<Integer, Long> counts = new TreeMap<>(records.sealedCountsByKeyId(tenant));
    if (w.isEmpty() || w.get().isDestroyed()) {
      long all = counts.values().stream().mapToLong(Long::longValue).sum();
      return new KeysetStatus(
          tenant,
          w.map(WrappedKeyset::generation).orElse(0L),
          w.isPresent(),
          List.of(),
          all,
          0,
          w.map(WrappedKeyset::primarySince),
          OptionalInt.empty());
    }
    List<DataKeyStatus> keys = new ArrayList<>();
    List<Integer> ids = DataKeysets.keyIds(DataKeysets.unwrap(keyring, tenant, w.get()));
    for (int i = 0; i < ids.size(); i++) {
      keys.add(new DataKeyStatus(ids.get(i), i == 0, counts.getOrDefault(ids.get(i), 0L)));
      counts.remove(ids.get(i));
    }
    long unknown = counts.values().stream().mapToLong(Long::longValue).sum();
    return new KeysetStatus(
        tenant,
        w.get().generation(),
        false,
        List.copyOf(keys),
        unknown,
        w.get().primarySealed(),
        Optional.of(w.get().primarySince()),
        wrappingKeyId(tenant, w.get()));
  }

  /**
   * Whether a re-seal writes ({@link #RESEAL}) or only counts what it would write ({@link
   * #DRY_RUN}).
   */
  public enum ResealMode {
    RESEAL,
    DRY_RUN
  }

  /**
   * Re-seals every version of the tenant that holds a value sealed with a key other than the
   * primary, under the primary, in batches of {@code batchSize} (one transaction each). Online:
   * reads and writes go on, and each row is replaced only if it still holds what was read (a
   * version destroyed or re-sealed meanwhile is left alone), so no concurrent write is lost. At
   * every moment every record opens (old keys stay in the keyset until {@link #retireDataKey}).
   * Resumable: killed and run again, it carries on with what is left. If the keyset changes
   * meanwhile (a rotation elsewhere) it goes on under the new primary.
   *
   * @param progress called after each batch with the totals so far
   * @throws KeysetDestroyedException if the tenant's keyset was destroyed
   */
  public ResealReport reseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return reseal(tenant, ResealMode.RESEAL, batchSize, Long.MAX_VALUE, Optional.empty(), progress);
  }

  /**
   * What {@link #reseal(String, int, Consumer)} would do: the same walk, counting, writing nothing.
   */
  public ResealReport planReseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return reseal(
        tenant, ResealMode.DRY_RUN, batchSize, Long.MAX_VALUE, Optional.empty(), progress);
  }

  /**
   * A slice of {@link #reseal(String, int, Consumer)} (or, with {@link ResealMode#DRY_RUN}, of
   * {@link #planReseal}) from the first version: stops after the batch that brings the versions
   * looked at to {@code maxRecords} or more, with {@code done} false and the position to carry on
   * from ({@link ResealReport#resumeAfter()}), which {@link #resealSlice(String, ResealMode, int,
   * long, ResealPosition, Consumer)} takes back. This is how a server re-seals a large tenant one
   * bounded request at a time: the totals of a slice count that slice only, so the slices' totals
   * add up.
   */
  public ResealReport resealSlice(
      String tenant,
      ResealMode mode,
      int batchSize,
      long maxRecords,
      Consumer<ResealReport> progress) {
    return reseal(tenant, mode, batchSize, maxRecords, Optional.empty(), progress);
  }

  /** The slice after {@code resumeAfter}, where the previous slice stopped. */
  public ResealReport resealSlice(
      String tenant,
      ResealMode mode,
      int batchSize,
      long maxRecords,
      ResealPosition resumeAfter,
      Consumer<ResealReport> progress) {
    return reseal(tenant, mode, batchSize, maxRecords, Optional.of(resumeAfter), progress);
  }

  private ResealReport reseal(
      String tenant,
      ResealMode mode,
      int batchSize,
      long maxRecords,
      Optional<ResealPosition> resumeAfter,
      Consumer<ResealReport> progress) {
    Objects.requireNonNull(mode, "mode");
    boolean dryRun = mode == ResealMode.DRY_RUN;
    TenantId.check(tenant);
    if (batchSize < 1 || batchSize > MAX_RESEAL_BATCH) {
      throw new InvalidInputException(
          "batch size out of range (1.." + MAX_RESEAL_BATCH + "): " + batchSize);
    }
    if (maxRecords < 1) {
      throw new InvalidInputException("maxRecords must be at least 1: " + maxRecords);
    }
    Objects.requireNonNull(resumeAfter, "resumeAfter");
    Objects.requireNonNull(progress, "progress");
    long looked = 0;
    RecordAad aad = new RecordAad(tenant);
    int pageSize =
        (int) Math.min(batchSize, policy.maxEncryptions()); // a batch never outgrows a key's budget
    Map<Integer, Long> from = new TreeMap<>();
    long resealed = 0;
    long skipped = 0;
    long unreadable = 0;
    Optional<SealedRecord> after = Optional.empty();
    @Nullable Set<Integer> lineage = null;
    int changes = 0;
    while (true) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isEmpty()) {
        return new ResealReport(
            tenant, 0, resealed, skipped, unreadable, Map.copyOf(from), true, Optional.empty());
      }
      WrappedKeyset w = current.get();
      KeysetHandle h = DataKeysets.unwrap(keyring, tenant, w);
      lineage = checkLineage(tenant, lineage, h);
      int primary = h.getPrimary().getId();
      if (after.isEmpty()
          && resumeAfter.isPresent()
          && resumeAfter.get().primaryKeyId() == primary) {
        ResealPosition p = resumeAfter.get();
        after =
            Optional.of(
                new SealedRecord(p.name(), p.version(), primary, new byte[0], Instant.EPOCH));
      }
      resumeAfter = Optional.empty(); // only for the first pass
      Aead aead = aead(h);
      boolean keysetChanged = false;
      while (!keysetChanged) {
        List<SealedRecord> page = records.sealedRecords(tenant, primary, after, pageSize);
        if (page.isEmpty()) {
          ResealReport done =
              new ResealReport(
                  tenant,
                  primary,
                  resealed,
                  skipped,
                  unreadable,
                  Map.copyOf(from),
                  true,
                  Optional.empty());
          progress.accept(done);
          return done;
        }
        if (dryRun) {
          page.forEach(r -> from.merge(r.keyId(), 1L, Long::sum));
          resealed += page.size();
        } else {
          OptionalLong reserved = records.reserveSeals(tenant, w.generation(), page.size());
          if (reserved.isEmpty()) {
            keysetChanged = true;
            continue;
          }
          if (reserved.getAsLong() > policy.maxEncryptions()) {
            rotateFrom(tenant, w, h);
            keysetChanged = true;
            continue;
          }
          List<ResealedRecord> batch = new ArrayList<>(page.size());
          for (SealedRecord r : page) {
            byte[] plain = null;
            try {
              byte[] ad = aad.of(r.name(), r.version());
              plain = aead.decrypt(r.ciphertext(), ad);
              batch.add(
                  new ResealedRecord(
                      r.name(), r.version(), r.keyId(), primary, aead.encrypt(plain, ad)));
            } catch (GeneralSecurityException e) {
              unreadable++;
            } finally {
              if (plain != null) {
                Arrays.fill(plain, (byte) 0);
              }
            }
          }
          OptionalInt n =
              batch.isEmpty() ? OptionalInt.of(0) : records.reseal(tenant, w.generation(), batch);
          if (n.isEmpty()) {
            keysetChanged = true; // nothing written; the same page again under the new keyset
            continue;
          }
          resealed += n.getAsInt();
          skipped += batch.size() - n.getAsInt();
          page.forEach(r -> from.merge(r.keyId(), 1L, Long::sum));
        }
        SealedRecord last = page.get(page.size() - 1);
        after = Optional.of(last);
        looked += page.size();
        Optional<ResealPosition> here =
            Optional.of(new ResealPosition(primary, last.name(), last.version()));
        ResealReport sofar =
            new ResealReport(
                tenant, primary, resealed, skipped, unreadable, Map.copyOf(from), false, here);
        progress.accept(sofar);
        if (looked >= maxRecords) {
          return sofar;
        }
      }
      if (++changes > MAX_ATTEMPTS) {
        throw new BackendUnavailableException(
            "data keyset of tenant '" + tenant + "' kept changing; re-seal gave up");
      }
      after = Optional.empty(); // a new primary: everything not under it is to do again
    }
  }

  /**
   * Removes a data key from the tenant's keyset, once no version holds a value it sealed (run
   * {@link #reseal} first). Values it sealed afterwards could never be opened, so it refuses while
   * any exists, and never removes the primary.
   *
   * @throws InvalidInputException if the key is the primary, is not in the keyset, or still seals
   *     records
   * @throws KeysetDestroyedException if the tenant's keyset was destroyed
   */
  public void retireDataKey(String tenant, int keyId) {
    TenantId.check(tenant);
    @Nullable Set<Integer> lineage = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isEmpty()) {
        throw new InvalidInputException("tenant '" + tenant + "' has no data keyset");
      }
      WrappedKeyset w = current.get();
      KeysetHandle h = DataKeysets.unwrap(keyring, tenant, w);
      lineage = checkLineage(tenant, lineage, h);
      String id = Integer.toUnsignedString(keyId);
      if (h.getPrimary().getId() == keyId) {
        throw new InvalidInputException(
            "data key "
                + id
                + " of tenant '"
                + tenant
                + "' is the primary key; rotate first, re-seal, then retire it");
      }
      if (!DataKeysets.keyIds(h).contains(keyId)) {
        throw new InvalidInputException(
            "data key " + id + " is not in the data keyset of tenant '" + tenant + "'");
      }
      // Read after the keyset: every append under an older generation has committed by now.
      long using = records.sealedCountsByKeyId(tenant).getOrDefault(keyId, 0L);
      if (using > 0) {
        throw new InvalidInputException(
            "data key "
                + id
                + " of tenant '"
                + tenant
                + "' still seals "
                + using
                + " record"
                + (using == 1 ? "" : "s")
                + "; re-seal them first (lanonasis key reseal)");
      }
      long g = w.generation();
      WrappedKeyset next =
          DataKeysets.wrap(
              keyring,
              tenant,
              DataKeysets.without(h, keyId),
              g + 1,
              w.primarySealed(),
              w.primarySince());
      if (records.putTenantKeyset(tenant, next, g)) {
        return;
      }
    }
    throw new BackendUnavailableException(
        "data keyset of tenant '" + tenant + "' kept changing; retire gave up");
  }

  /**
   * The keyring's master keys and what they wrap.
   *
   * @param primaryKeyId the master key new tenant keysets are wrapped with
   * @param keysets for every master key id of the keyring (in its order), how many live tenant
   *     keysets it wraps; a key whose count is 0 may leave the keyring
   * @param unopenable live tenant keysets no master key of the keyring opens
   */
  public record MasterKeyUsage(int primaryKeyId, Map<Integer, Long> keysets, long unopenable) {
    public MasterKeyUsage {
      keysets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keysets));
    }
  }

  /**
   * The keyring's master keys and how many live tenant keysets each wraps (every key id present, 0
   * if unused), with the keysets no key of the keyring opens counted apart. A master key may leave
   * the keyring ({@link MasterKeyring#withoutKey}) once its count is 0.
   */
  public MasterKeyUsage masterKeys() {
    Map<Integer, Long> usage = masterKeyUsage();
    // masterKeyUsage counts keysets no key opens under id 0, unless 0 is one of the keyring's ids.
    long unopenable =
        keyring.keyIds().contains(0) ? 0 : Optional.ofNullable(usage.remove(0)).orElse(0L);
    return new MasterKeyUsage(keyring.primaryKeyId(), usage, unopenable);
  }

  /** Keysets per master key id, with those no key opens under id {@code 0}. */
  private Map<Integer, Long> masterKeyUsage() {
    Map<Integer, Long> usage = new LinkedHashMap<>();
    keyring.keyIds().forEach(id -> usage.put(id, 0L));
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = records.tenants(after, TENANT_PAGE);
      for (String tenant : page) {
        Optional<WrappedKeyset> w = records.tenantKeyset(tenant);
        if (w.isPresent() && !w.get().isDestroyed()) {
          usage.merge(wrappingKeyId(tenant, w.get()).orElse(0), 1L, Long::sum);
        }
      }
      if (page.size() < TENANT_PAGE) {
        return usage;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
  }

  /**
   * Checks that the keyring opens the data keyset of every tenant: one unwrap per tenant (the cost
   * grows with tenants, not with secrets). What a server does at start, so that a keyring from
   * another installation, or one a key was removed from, is refused before any request instead of
   * answering every read with an integrity error. Destroyed keysets hold no key and are skipped.
   *
   * @throws ConfigurationException naming the tenants whose keyset it cannot open (the first few),
   *     the master key ids they were wrapped with and the ids the keyring holds
   */
  public void requireKeyringOpensEveryKeyset() {
    Map<String, String> unopened = new LinkedHashMap<>();
    long count = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = records.tenants(after, TENANT_PAGE);
      for (String tenant : page) {
        Optional<WrappedKeyset> w = records.tenantKeyset(tenant);
        if (w.isEmpty() || w.get().isDestroyed()) {
          continue;
        }
        try {
          DataKeysets.unwrap(keyring, tenant, w.get());
        } catch (IntegrityException e) {
          count++;
          if (unopened.size() < 5) {
            OptionalInt id = DataKeysets.wrappingKeyId(w.get().ciphertext());
            unopened.put(
                tenant, id.isPresent() ? Integer.toUnsignedString(id.getAsInt()) : "unknown");
          }
        }
      }
      if (page.size() < TENANT_PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    if (count == 0) {
      return;
    }
    StringBuilder which = new StringBuilder();
    unopened.forEach(
        (tenant, id) ->
            which
                .append(which.length() == 0 ? "" : ", ")
                .append("'")
                .append(tenant)
                .append("' (wrapped with master key ")
                .append(id)
                .append(")"));
    List<String> present = keyring.keyIds().stream().map(Integer::toUnsignedString).toList();
    throw new ConfigurationException(
        "the master keyring does not open the data keysets of "
            + count
            + " tenant"
            + (count == 1 ? "" : "s")
            + ": "
            + which
            + (count > unopened.size() ? ", ..." : "")
            + "; the keyring holds master key"
            + (present.size() == 1 ? " " : "s ")
            + String.join(", ", present)
            + ". It is another installation's keyring, or one a key was removed from: start with the keyset this "
            + "store was written with (restore it from the backup made with the store)");
  }

  // ---- internals -------------------------------------------------------------------------------

  private boolean rewrapOne(String tenant) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<WrappedKeyset> current = records.tenantKeyset(tenant);
      if (current.isEmpty()
          || current.get().isDestroyed()
          || primaryOnly.isWrappedUnderPrimary(current.get().ciphertext(), tenant)) {
        return false;
      }
      WrappedKeyset w = current.get();
      KeysetHandle h = DataKeysets.unwrap(keyring, tenant, w);
      long g = w.generation();
      if (records.putTenantKeyset(
          tenant,
          DataKeysets.wrap(keyring, tenant, h, g + 1, w.primarySealed(), w.primarySince()),
          g)) {
        return true;
      }
    }
    throw new BackendUnavailableException(
        "data keyset of tenant '" + tenant + "' kept changing; re-wrap gave up");
  }

  private void rotateFrom(String tenant, WrappedKeyset w, KeysetHandle h) {
    long g = w.generation();
    records.putTenantKeyset(
        tenant,
        DataKeysets.wrap(keyring, tenant, DataKeysets.withNewPrimary(h), g + 1, 0, clock.instant()),
        g);
  }

  /**
   * The keyset an operation started on must be the one it finishes on: a keyset that lost every key
   * seen before (destroyed and re-provisioned meanwhile) is another keyset, and the operation stops
   * rather than apply itself to it.
   */
  private static Set<Integer> checkLineage(
      String tenant, @Nullable Set<Integer> seen, KeysetHandle now) {
    Set<Integer> ids = new HashSet<>(DataKeysets.keyIds(now));
    if (seen != null && java.util.Collections.disjoint(seen, ids)) {
      throw new BackendUnavailableException(
          "the data keyset of tenant '"
              + tenant
              + "' was destroyed and re-provisioned meanwhile; nothing was done to the new keyset");
    }
    return ids;
  }

  private OptionalInt wrappingKeyId(String tenant, WrappedKeyset w) {
    byte[] ct = w.ciphertext();
    for (int id : keyring.keyIds()) {
      MasterKeyring one = keyring.onlyKey(id);
      if (one != null && one.isWrappedUnderPrimary(ct, tenant)) {
        return OptionalInt.of(id);
      }
    }
    return OptionalInt.empty();
  }

  private static Aead aead(KeysetHandle h) {
    try {
      return h.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not make an AEAD of a data keyset", e);
    }
  }
}
