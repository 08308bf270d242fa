package com.lanonasis.secrets;

/**
 * A call on a store (or on the database under it) after it was closed: a mistake of the caller's,
 * not a fault of the storage, so {@link #isRetryable()} is false. The message names what was closed.
 *
 * @since 0.1
 */
public final class StoreClosedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String message) {
    super(message);
  }
}
