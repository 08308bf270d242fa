package com.lanonasis.secrets;

/**
 * A value is larger than the store's limit (64 KiB unless configured otherwise). The message gives
 * both sizes, never the content.
 *
 * @since 0.1
 */
public final class SecretTooLargeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  private final int size;
  private final int limit;

  public SecretTooLargeException(String name, int size, int limit) {
    super("value of secret '" + name + "' is " + size + " bytes; the limit is " + limit + " bytes");
    this.size = size;
    this.limit = limit;
  }

  public int size() {
    return size;
  }

  public int limit() {
    return limit;
  }
}
