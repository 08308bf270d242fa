package com.lanonasis.secrets;

/**
 * The caller passed something the store refuses (a malformed name, prefix, cursor, label or
 * limit). Nothing was changed. Subclasses narrow the cause.
 *
 * @since 0.1
 */
public class InvalidInputException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
