package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
 *       record's version is exactly the head's counter + 1 (1 when there is no head) and the name
 *       is not soft-deleted; it then stores the record, sets the counter, makes a destroyed name
 *       active again and, if given, replaces the attributes. Otherwise it changes nothing and
 *       answers {@code false}. Two concurrent appends of the same version: exactly one wins,
 *       whichever process or host they come from.
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

  /** Appends a version; see the class docs for the atomic rule. */
  boolean append(String tenant, SealedRecord record, Optional<SecretAttributes> attributes);

  /** The newest non-destroyed version of an active name. */
  Optional<StoredRecord> readLatest(String tenant, SecretName name);

  /** One non-destroyed version of an active name. */
  Optional<StoredRecord> readVersion(String tenant, SecretName name, long version);

  /** Every version of a name that is not destroyed as a whole, oldest first; empty otherwise. */
  List<VersionInfo> versions(String tenant, SecretName name);

  /**
   * Active heads in ascending name order (binary order of the name's characters), whose name
   * starts with {@code prefix} and sorts after {@code after}, at most {@code limit}.
   */
  List<SecretHead> list(String tenant, String prefix, Optional<SecretName> after, int limit);

  /** Replaces the attributes of an active name. */
  boolean updateAttributes(String tenant, SecretName name, SecretAttributes attributes, Instant now);

  /** Moves an active name to deleted ({@code deleted = true}) or a deleted one back to active. */
  boolean setDeleted(String tenant, SecretName name, boolean deleted, Instant now);

  /** Erases one version's ciphertext for good; its number stays taken. */
  boolean destroyVersion(String tenant, SecretName name, long version);

  /**
   * Erases every version and the attributes of a name, leaving a destroyed head that keeps the
   * counter so numbers are never reused.
   */
  boolean destroyAll(String tenant, SecretName name, Instant now);

  // ---- tenant data keysets ------------------------------------------------------------------

  /** The tenant's wrapped data keyset, if one exists. */
  Optional<WrappedKeyset> tenantKeyset(String tenant);

  /**
   * Stores {@code next} if the current generation is {@code expectedGeneration} (0: none exists).
   * {@code next.generation()} must be {@code expectedGeneration + 1}.
   */
  boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration);

  /** Deletes the tenant's keyset: crypto-shredding of every value sealed with it. */
  boolean deleteTenantKeyset(String tenant);

  /** Tenants that have a keyset, ascending, after {@code after}, at most {@code limit}. */
  List<String> tenants(Optional<String> after, int limit);

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
