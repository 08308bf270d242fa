package com.lanonasis.secrets;

/**
 * Root of the small, closed family of unchecked exceptions that every {@link SecretStore} throws,
 * whatever its backend, so that one {@code catch} works the same on memory, JDBC and HTTP stores.
 *
 * <p>Messages name the secret, the setting or the version involved; they never contain a secret
 * value, key material or ciphertext. Causes from the backend (an {@code SQLException}, an
 * {@code IOException}, a {@code GeneralSecurityException}) are kept as {@link #getCause()}.
 *
 * @since 0.1
 */
public abstract class SecretsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SecretsException(String message) {
    super(message);
  }

  protected SecretsException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether repeating the same call later may succeed without any change by the caller. Only
   * {@link BackendUnavailableException} answers {@code true}.
   */
  public boolean isRetryable() {
    return false;
  }
}
