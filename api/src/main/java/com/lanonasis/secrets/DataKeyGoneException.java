package com.lanonasis.secrets;

/**
 * A version was sealed with a data key the tenant's keyset no longer holds, so its value can never
 * be read again: the tenant was crypto-shredded and then re-provisioned (its new keyset never had
 * the old keys), or, if nobody did that, the record's key id was altered. Nothing is returned in
 * its place. Not retryable; destroy the version ({@link SecretStore#destroy}) to be rid of it.
 *
 * <p>Kind {@link Kind#GONE}, not {@link Kind#INTEGRITY} although it is an {@link
 * IntegrityException} (so code catching that keeps working): the record is intact and authentic,
 * what is missing is the key, for good, and the answer is to destroy the version, not to look for
 * damage.
 *
 * @since 0.1
 */
public final class DataKeyGoneException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public DataKeyGoneException(String message) {
    super(message);
  }

  /** Always {@link Kind#GONE}. */
  @Override
  public Kind kind() {
    return Kind.GONE;
  }
}
