package com.lanonasis.secrets;

/**
 * A secret name breaks the naming rules: segments of {@code [A-Za-z0-9._-]} joined by {@code /}, 1
 * to 256 characters in all, and no empty, {@code .} or {@code ..} segment.
 *
 * @since 0.1
 */
public final class InvalidSecretNameException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InvalidSecretNameException(String message) {
    super(message);
  }
}
