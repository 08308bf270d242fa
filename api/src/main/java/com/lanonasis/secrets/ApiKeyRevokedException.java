package com.lanonasis.secrets;

/**
 * A conflict: the API key to revoke was revoked already. It stays revoked; nothing changed.
 *
 * <p>Thrown by the HTTP backend's API-key administration (it lives here because the exception
 * family is closed). Kind {@link Kind#CONFLICT}: the key's state refuses the revocation.
 *
 * @since 0.1
 */
public final class ApiKeyRevokedException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String id;

  public ApiKeyRevokedException(String id) {
    super("the API key " + id + " is already revoked");
    this.id = id;
  }

  /** The key's id. */
  public String id() {
    return id;
  }

  /** Always {@link Kind#CONFLICT}. */
  @Override
  public Kind kind() {
    return Kind.CONFLICT;
  }
}
