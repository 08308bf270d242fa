package com.lanonasis.secrets;

/**
 * A write was attempted on a soft-deleted secret. Restore it first (as AWS Secrets Manager does, a
 * deleted secret takes no new versions), or destroy it to start over.
 *
 * <p>Kind {@link Kind#CONFLICT}: the name exists but its state (soft-deleted) forbids the write,
 * and a change of that state (a restore) allows it again, just as a newer version refuses a
 * check-and-set until the caller re-reads. It is not {@link Kind#GONE}: nothing is lost, and not
 * {@link Kind#NOT_FOUND}: the write is refused because the name does exist.
 *
 * @since 0.1
 */
public final class SecretDeletedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public SecretDeletedException(String name) {
    super("secret '" + name + "' is deleted; restore it before writing to it");
  }

  /** Always {@link Kind#CONFLICT}. */
  @Override
  public Kind kind() {
    return Kind.CONFLICT;
  }
}
