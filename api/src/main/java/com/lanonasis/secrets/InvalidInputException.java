package com.lanonasis.secrets;

/**
 * The caller passed something the store refuses (a malformed name, prefix, cursor, label or limit).
 * Nothing was changed. Subclasses narrow the cause.
 *
 * <p>Kind {@link Kind#INVALID}, for the subclasses too: the same call can only succeed with other
 * input, whatever the state of the store.
 *
 * @since 0.1
 */
public sealed class InvalidInputException extends SecretsException
    permits InvalidSecretNameException, SecretTooLargeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  /** Always {@link Kind#INVALID}. */
  @Override
  public final Kind kind() {
    return Kind.INVALID;
  }
}
