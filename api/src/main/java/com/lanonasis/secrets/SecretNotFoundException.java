package com.lanonasis.secrets;

/**
 * The secret, or the requested version of it, does not exist for this tenant: never written,
 * soft-deleted, destroyed, or past its expiry.
 *
 * @since 0.1
 */
public final class SecretNotFoundException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String name;

  public SecretNotFoundException(String name, String message) {
    super(message);
    this.name = name;
  }

  /** The name that was asked for. */
  public String name() {
    return name;
  }
}
