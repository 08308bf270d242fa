package com.lanonasis.secrets;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What applications program against: a versioned, encrypted key/value store of secrets scoped to
 * one tenant. Open one with {@link SecretStores#open(String)} or {@link SecretStores#builder()}.
 *
 * <pre>{@code
 * try (SecretStore store = SecretStores.open("memory:")) {
 *   long v = store.put("prod/db/password", SecretValue.ofUtf8("hunter2")).version();
 *   try (Secret s = store.get("prod/db/password")) {
 *     connect(s.value().bytes());
 *   }
 * }
 * }</pre>
 *
 * <h2>Semantics every backend keeps</h2>
 *
 * <ul>
 *   <li><b>Versions</b> are 1, 2, 3, ... per name, with no gap and no reuse, even under concurrent
 *       writers on several hosts. Destroying a version keeps its number taken.
 *   <li><b>Check-and-set</b>: {@link PutOptions#ifVersion(long)} writes only if the current version
 *       is the expected one (0: must not exist), else {@link VersionConflictException}.
 *   <li><b>Soft delete</b> hides a secret from {@code get}, {@code list} and {@code metadata} until
 *       {@link #restore(String)}; a deleted secret takes no new versions.
 *   <li><b>Destroy</b> erases values irrecoverably: one version, or all of them and the attributes.
 *       After destroying all versions the name may be written again; numbering continues, it does
 *       not restart.
 *   <li><b>Expiry</b>: once a secret's {@link SecretAttributes#expiresAt()} has passed, {@code get}
 *       throws {@link SecretNotFoundException}; listing still shows it so operators can see it.
 * </ul>
 *
 * <p>Names are validated ({@link SecretName}); a bad one throws {@link InvalidSecretNameException}
 * and changes nothing. Every failure is a {@link SecretsException}.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 *
 * @since 0.1
 */
public interface SecretStore extends AutoCloseable {

  /** The tenant this store is scoped to. */
  String tenant();

  /** Writes a new version (creating the secret if needed) and returns it. */
  default VersionInfo put(String name, SecretValue value) {
    return put(name, value, PutOptions.upsert());
  }

  /** Writes a new version with check-and-set and/or attributes; see {@link PutOptions}. */
  VersionInfo put(String name, SecretValue value, PutOptions options);

  /**
   * The newest version that still holds a value.
   *
   * @throws SecretNotFoundException if the secret does not exist, is deleted, expired, or all its
   *     versions were destroyed
   */
  Secret get(String name);

  /**
   * A given version. Throws {@link SecretNotFoundException} if it does not exist or was destroyed.
   */
  Secret get(String name, long version);

  /**
   * The newest version of each of {@code names}, each read as {@link #get(String)} reads it: what
   * an application needs at start, in one call (a remote store asks the server once per 100 names,
   * not once per name).
   *
   * <p>All or nothing: every name is validated before anything is read, and when a name cannot be
   * read (it does not exist, is deleted, expired, outside the caller's view...) the call throws
   * what {@link #get(String)} of the first such name, in the order given, would throw, and returns
   * nothing: the secrets already read are closed. An empty collection reads nothing and returns an
   * empty map.
   *
   * <pre>{@code
   * Map<String, Secret> read = store.getAll(List.of("prod/db/user", "prod/db/password"));
   * try {
   *   connect(read.get("prod/db/user").value(), read.get("prod/db/password").value());
   * } finally {
   *   read.values().forEach(Secret::close);
   * }
   * }</pre>
   *
   * <p>The default implementation calls {@link #get(String)} for each name; a backend overrides it
   * when it can read several names at once.
   *
   * @param names distinct secret names
   * @return an unmodifiable map from each name to its secret, iterating in the order of {@code
   *     names}; close every secret when done with it (that wipes its value)
   * @throws InvalidSecretNameException if a name is invalid (nothing is read)
   * @throws InvalidInputException if a name is given twice (nothing is read)
   * @throws SecretNotFoundException as {@link #get(String)} for the first name that cannot be read
   * @since 0.1
   */
  default Map<String, Secret> getAll(Collection<String> names) {
    List<String> checked = checkBatch(names);
    Map<String, Secret> out = new LinkedHashMap<>();
    try {
      for (String name : checked) {
        out.put(name, get(name));
      }
    } catch (RuntimeException e) {
      out.values().forEach(Secret::close);
      throw e;
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The names of a {@link #getAll} call, validated as it documents: no null, every name valid, none
   * twice. For implementations of {@code getAll}, so that every backend refuses the same calls.
   *
   * @return the names, in order
   * @throws InvalidSecretNameException if a name is invalid
   * @throws InvalidInputException if a name is given twice
   * @since 0.1
   */
  static List<String> checkBatch(Collection<String> names) {
    Objects.requireNonNull(names, "names");
    List<String> out = List.copyOf(names);
    Set<String> seen = new HashSet<>();
    for (String name : out) {
      SecretName.of(name);
      if (!seen.add(name)) {
        throw new InvalidInputException("secret '" + name + "' is asked for twice; name it once");
      }
    }
    return out;
  }

  /** A page of names with their metadata, never values, in ascending name order. */
  Page<SecretMetadata> list(ListOptions options);

  /** Metadata of one secret. */
  SecretMetadata metadata(String name);

  /** Replaces a secret's attributes without writing a new version. */
  SecretMetadata updateAttributes(String name, SecretAttributes attributes);

  /** Every version of a secret, oldest first, destroyed ones included (without values). */
  List<VersionInfo> versions(String name);

  /** Soft-deletes a secret: hidden until {@link #restore(String)}. */
  void delete(String name);

  /**
   * Undoes {@link #delete(String)}. Throws {@link SecretNotFoundException} if it is not deleted.
   */
  void restore(String name);

  /**
   * Irrecoverably erases every version's value and the attributes. Works on deleted secrets too.
   */
  void destroy(String name);

  /** Irrecoverably erases one version's value; the number stays taken. */
  void destroy(String name, long version);

  /** Releases the store's resources (pools, threads). Idempotent. */
  @Override
  void close();
}
