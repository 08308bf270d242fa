package com.lanonasis.secrets;

/**
 * The store refused the caller's credential itself: a remote store's API key is missing, malformed,
 * unknown or revoked. Local stores never throw it; the HTTP backend maps the server's 401 to it
 * (also from the constructor, which checks the key before it returns). A valid key without the
 * right is an {@link AccessDeniedException} instead.
 *
 * <p>Kind {@link Kind#UNAUTHENTICATED}. Not retryable: the same key is refused again. The message
 * never holds the key.
 *
 * @since 0.1
 */
public final class UnauthenticatedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused, without the credential
   */
  public UnauthenticatedException(String message) {
    super(message);
  }

  /** Always {@link Kind#UNAUTHENTICATED}. */
  @Override
  public Kind kind() {
    return Kind.UNAUTHENTICATED;
  }
}
