package com.lanonasis.secrets;

/**
 * The storage behind the store could not be reached or failed mid-call (database down, connection
 * reset, server answering 503). Whether the write happened is reported by the backend where it can
 * know; a retry of an idempotent call is safe.
 *
 * <p>Kind {@link Kind#UNAVAILABLE}, the only retryable kind.
 *
 * @since 0.1
 */
public final class BackendUnavailableException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public BackendUnavailableException(String message) {
    super(message);
  }

  /** Always {@link Kind#UNAVAILABLE}. */
  @Override
  public Kind kind() {
    return Kind.UNAVAILABLE;
  }
}
