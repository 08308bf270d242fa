package com.lanonasis.secrets;

/**
 * The tenant's data keyset was destroyed (crypto-shredded): every value sealed with it is gone for
 * good, and nothing can be written for the tenant until an operator re-provisions it ({@link
 * TenantKeyManager#reprovision(String)}). Nothing was changed. Not retryable.
 *
 * <p>Kind {@link Kind#GONE}: the tenant's values existed and no restore or retry brings them back.
 * A re-provision gives the tenant a new, empty keyset; it does not undo the loss.
 *
 * @since 0.1
 */
public final class KeysetDestroyedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  private final String tenant;

  public KeysetDestroyedException(String tenant) {
    super(
        "the data keyset of tenant '"
            + tenant
            + "' was destroyed (crypto-shredded): its values cannot be read, "
            + "and nothing can be written until an operator re-provisions the tenant");
    this.tenant = tenant;
  }

  /** The tenant whose keyset was destroyed. */
  public String tenant() {
    return tenant;
  }

  /** Always {@link Kind#GONE}. */
  @Override
  public Kind kind() {
    return Kind.GONE;
  }
}
