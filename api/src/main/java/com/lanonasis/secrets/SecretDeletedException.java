package com.lanonasis.secrets;

/**
 * A write was attempted on a soft-deleted secret. Restore it first (as AWS Secrets Manager does,
 * a deleted secret takes no new versions), or destroy it to start over.
 *
 * @since 0.1
 */
public final class SecretDeletedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public SecretDeletedException(String name) {
    super("secret '" + name + "' is deleted; restore it before writing to it");
  }
}
