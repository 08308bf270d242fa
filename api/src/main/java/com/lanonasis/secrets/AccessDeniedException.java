package com.lanonasis.secrets;

/**
 * The caller's credential is valid but may not do this: a read-only API key writing, a key with a
 * name prefix asking for a name outside it, a non-admin key on the admin routes. Local stores never
 * throw it; the HTTP backend maps the server's 403 to it. A credential refused outright (HTTP 401)
 * is an {@link UnauthenticatedException} instead.
 *
 * <p>Kind {@link Kind#DENIED}. Not retryable: the same call with the same key fails the same way.
 * The message never holds the key.
 *
 * @since 0.1
 */
public final class AccessDeniedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused, without the credential
   */
  public AccessDeniedException(String message) {
    super(message);
  }

  /** Always {@link Kind#DENIED}. */
  @Override
  public Kind kind() {
    return Kind.DENIED;
  }
}
