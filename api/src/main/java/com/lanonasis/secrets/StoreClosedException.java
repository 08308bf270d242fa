package com.lanonasis.secrets;

/**
 * A call on a store (or on the database under it) after it was closed: a mistake of the caller's,
 * not a fault of the storage, so {@link #isRetryable()} is false. The message names what was
 * closed.
 *
 * <p>Kind {@link Kind#CONFIGURATION}: the application's wiring of the store's life cycle is at
 * fault, not the call's input ({@link Kind#INVALID}) nor a passing state of the storage ({@link
 * Kind#UNAVAILABLE}: retrying on a closed store never succeeds).
 *
 * @since 0.1
 */
public final class StoreClosedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String message) {
    super(message);
  }

  /** Always {@link Kind#CONFIGURATION}. */
  @Override
  public Kind kind() {
    return Kind.CONFIGURATION;
  }
}
