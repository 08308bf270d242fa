package com.lanonasis.secrets.http;

import com.lanonasis.secrets.SecretsException;

/**
 * A conflict: the API key to revoke was revoked already. It stays revoked; nothing changed.
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
}
