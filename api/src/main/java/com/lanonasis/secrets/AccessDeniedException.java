package com.lanonasis.secrets;

/**
 * The store refused the caller's credentials or their rights: a remote store's API key is missing,
 * unknown or revoked ({@link #isAuthenticationFailure()}), or the key is valid but may not do this
 * (a read-only key writing, for example). Local stores never throw it; the HTTP backend maps the
 * server's 401 and 403 to it.
 *
 * <p>Not retryable: the same call with the same key fails the same way. The message never holds
 * the key.
 *
 * @since 0.1
 */
public final class AccessDeniedException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final boolean authenticationFailure;

  /**
   * @param message what was refused, without the credential
   * @param authenticationFailure {@code true} when the credential itself was refused (missing,
   *     unknown, revoked), {@code false} when it is valid but lacks the right
   */
  public AccessDeniedException(String message, boolean authenticationFailure) {
    super(message);
    this.authenticationFailure = authenticationFailure;
  }

  /**
   * Whether the credential itself was refused (HTTP 401), rather than found valid but without the
   * right to do this (HTTP 403).
   */
  public boolean isAuthenticationFailure() {
    return authenticationFailure;
  }
}
