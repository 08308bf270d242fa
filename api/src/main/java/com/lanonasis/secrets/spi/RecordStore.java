package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The narrow storage SPI a local backend implements: sealed records, per-name heads and wrapped
 * tenant keysets, partitioned by tenant. It never receives plaintext or key material; validation,
 * encryption, caching and the public semantics live above it, in the common layer.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Every method is scoped to the {@code tenant} it is given; nothing of one tenant is ever
 *       visible through another.
 *   <li>{@link #append} is atomic and linearizable per (tenant, name): it succeeds only if the
 *       tenant's data keyset is live and of exactly the generation the record was sealed under, the
 *       record's version is exactly the head's counter + 1 (1 when there is no head) and the name
 *       is not soft-deleted; it then stores the record, sets the counter, makes a destroyed name
 *       active again and, if given, replaces the attributes. Otherwise it changes nothing and says
 *       why ({@link AppendResult}). Two concurrent appends of the same version: exactly one wins,
 *       whichever process or host they come from. A keyset change and an append are serialised: an
 *       append that succeeded was sealed under the keyset current at its commit.
 *   <li>Tenant keysets are never deleted: destroying one stores a {@link WrappedKeyset#destroyed}
 *       marker under the next generation, so generations never repeat.
 *   <li>Methods answering {@code boolean} report whether they changed anything; they never throw
 *       for a missing name.
 *   <li>Storage failures are thrown as {@link com.lanonasis.secrets.BackendUnavailableException}
 *       (or another {@link com.lanonasis.secrets.SecretsException}) with the cause kept; messages
 *       carry no ciphertext or credentials.
 * </ul>
 *
 * <p>The testkit's {@code RecordStoreContract} checks all of this. Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface RecordStore extends AutoCloseable {

  // ---- secrets -------------------------------------------------------------------------------

  /** The head of a name in any state, if the name was ever written. */
  Optional<SecretHead> head(String tenant, SecretName name);

  /**
   * Appends a version sealed under the tenant keyset of generation {@code keysetGeneration}; see
   * the class docs for the atomic rule.
   */
  AppendResult append(
      String tenant,
      SealedRecord record,
      Optional<SecretAttributes> attributes,
      long keysetGeneration);

  /** The newest non-destroyed version of an active name. */
  Optional<StoredRecord> readLatest(String tenant, SecretName name);

  /** One non-destroyed version of an active name. */
  Optional<StoredRecord> readVersion(String tenant, SecretName name, long version);

  /** Every version of a name that is not destroyed as a whole, oldest first; empty otherwise. */
  List<VersionInfo> versions(String tenant, SecretName name);

  /**
   * Active heads in ascending name order (binary order of the name's characters), whose name starts
   * with {@code prefix} and sorts after {@code after}, at most {@code limit}.
   */
  List<SecretHead> list(String tenant, String prefix, Optional<SecretName> after, int limit);

  /** Replaces the attributes of an active name. */
  boolean updateAttributes(
      String tenant, SecretName name, SecretAttributes attributes, Instant now);

  /** Moves an active name to deleted (soft delete: hidden, its versions kept). */
  boolean markDeleted(String tenant, SecretName name, Instant now);

  /** Moves a deleted name back to active. */
  boolean restoreDeleted(String tenant, SecretName name, Instant now);

  /** Erases one version's ciphertext for good; its number stays taken. */
  boolean destroyVersion(String tenant, SecretName name, long version);

  /**
   * Erases every version and the attributes of a name, leaving a destroyed head that keeps the
   * counter so numbers are never reused.
   */
  boolean destroyAll(String tenant, SecretName name, Instant now);

  // ---- re-sealing -------------------------------------------------------------------------------

  /**
   * Versions of the tenant that still hold a value sealed with a key other than {@code notKeyId},
   * whatever the state of their name, in ascending (name, version) order after {@code after}
   * (exclusive), at most {@code limit}.
   */
  List<SealedRecord> sealedRecords(
      String tenant, int notKeyId, Optional<SealedRecord> after, int limit);

  /**
   * Replaces the ciphertexts of a batch, in one transaction, if the tenant's keyset is live and of
   * generation {@code keysetGeneration}: each row only if it still holds a value sealed with its
   * {@code fromKeyId} (a row destroyed or re-sealed meanwhile is left alone). Answers how many rows
   * were replaced, or empty (nothing replaced) if the keyset generation differs.
   */
  OptionalInt reseal(String tenant, long keysetGeneration, List<ResealedRecord> batch);

  /** How many versions holding a value each data key id seals, for the tenant. */
  Map<Integer, Long> sealedCountsByKeyId(String tenant);

  // ---- tenant data keysets ------------------------------------------------------------------

  /** The tenant's wrapped data keyset, or its destroyed marker, if either exists. */
  Optional<WrappedKeyset> tenantKeyset(String tenant);

  /**
   * Stores {@code next} (a keyset, or a destroyed marker) if the current generation is {@code
   * expectedGeneration} (0: none exists). {@code next.generation()} must be {@code
   * expectedGeneration + 1}.
   */
  boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration);

  /**
   * Adds {@code count} to the encryptions reserved under the primary key of the tenant's live
   * keyset of generation {@code generation}, without changing the generation. Answers the new
   * total, or empty (nothing changed) if the keyset is not live at that generation.
   */
  OptionalLong reserveSeals(String tenant, long generation, long count);

  /**
   * Tenants that have a keyset or a destroyed marker, ascending, after {@code after}, at most
   * {@code limit}.
   */
  List<String> tenants(Optional<String> after, int limit);

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
