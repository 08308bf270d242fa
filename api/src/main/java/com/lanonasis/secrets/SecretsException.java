package com.lanonasis.secrets;

/**
 * Root of the small, closed family of unchecked exceptions that every {@link SecretStore} throws,
 * whatever its backend, so that one {@code catch} works the same on memory, JDBC and HTTP stores.
 *
 * <p>Every exception of the family has exactly one {@link Kind}, fixed by its class, and every
 * surface (the REST server's problem status, its audit outcome, the SDKs' errors, the CLI's exit
 * code, the MCP tool error) maps the kind, never a list of classes: {@code docs/errors.md} holds
 * the table. Code that must react to a failure switches over {@link #kind()} the same way:
 *
 * <pre>{@code
 * try {
 *   store.put("app/db/password", value);
 * } catch (SecretsException e) {
 *   switch (e.kind()) {
 *     case CONFLICT -> reloadAndDecide();
 *     case UNAVAILABLE -> retryLater();
 *     default -> throw e;
 *   }
 * }
 * }</pre>
 *
 * <p>Messages name the secret, the setting or the version involved; they never contain a secret
 * value, key material or ciphertext. Causes from the backend (an {@code SQLException}, an {@code
 * IOException}, a {@code GeneralSecurityException}) are kept as {@link #getCause()}. Immutable once
 * thrown, so safe to hand between threads.
 *
 * @since 0.1
 */
public abstract sealed class SecretsException extends RuntimeException
    permits SecretNotFoundException,
        ApiKeyNotFoundException,
        VersionConflictException,
        SecretDeletedException,
        ApiKeyRevokedException,
        KeysetDestroyedException,
        InvalidInputException,
        AccessDeniedException,
        UnauthenticatedException,
        BackendUnavailableException,
        IntegrityException,
        ConfigurationException,
        StoreClosedException {
  private static final long serialVersionUID = 1L;

  /**
   * What kind of failure an exception is: the one thing every surface maps (as gRPC maps its one
   * {@code Status.Code} per transport). Stable: a kind is never renamed or removed; a new one would
   * be a new major version.
   *
   * @since 0.1
   */
  public enum Kind {
    /** The thing asked for does not exist, as far as the caller may see. Nothing was changed. */
    NOT_FOUND,
    /**
     * The current state forbids the call, and a change of state would allow it: another version won
     * a check-and-set, the name is soft-deleted (restore it), the API key is already revoked.
     */
    CONFLICT,
    /**
     * What was asked for existed and is gone for good: the tenant was crypto-shredded, or the data
     * key that sealed a version no longer exists. No retry and no restore brings it back.
     */
    GONE,
    /**
     * The caller's input is refused (a malformed name, a value over the limit). Nothing was
     * changed.
     */
    INVALID,
    /** The caller is known but may not do this (a read-only key writing). */
    DENIED,
    /** The caller's credential was refused: missing, malformed, unknown or revoked. */
    UNAUTHENTICATED,
    /**
     * The storage could not be reached or failed mid-call; the only kind worth retrying unchanged.
     */
    UNAVAILABLE,
    /**
     * Stored data failed authentication (altered, moved) or no key opens it; wrong plaintext is
     * never returned.
     */
    INTEGRITY,
    /**
     * The store is not usable as set up: a wrong URI, keyset or passphrase, or a store already
     * closed.
     */
    CONFIGURATION
  }

  protected SecretsException(String message) {
    super(message);
  }

  protected SecretsException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The kind of this failure; fixed by the exception's class. */
  public abstract Kind kind();

  /**
   * Whether repeating the same call later may succeed without any change by the caller: exactly
   * when {@link #kind()} is {@link Kind#UNAVAILABLE}.
   */
  public final boolean isRetryable() {
    return kind() == Kind.UNAVAILABLE;
  }
}
