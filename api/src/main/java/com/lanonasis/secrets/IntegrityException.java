package com.lanonasis.secrets;

/**
 * A stored ciphertext failed authentication: it was altered, moved to another name, version or
 * tenant, or the key that sealed it is gone (for example after the tenant's data keyset was
 * destroyed: then it is the {@link DataKeyGoneException} subclass). The store never returns wrong
 * plaintext instead.
 *
 * <p>Kind {@link Kind#INTEGRITY}: permanent until an operator looks at the data or the keyring, so
 * not retryable. The subclass {@link DataKeyGoneException} is {@link Kind#GONE}.
 *
 * @since 0.1
 */
public sealed class IntegrityException extends SecretsException permits DataKeyGoneException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }

  public IntegrityException(String message) {
    super(message);
  }

  /** {@link Kind#INTEGRITY}; {@link Kind#GONE} for {@link DataKeyGoneException}. */
  @Override
  public Kind kind() {
    return Kind.INTEGRITY;
  }
}
