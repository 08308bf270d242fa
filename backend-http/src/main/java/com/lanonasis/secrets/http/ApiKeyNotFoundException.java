package com.lanonasis.secrets.http;

import com.lanonasis.secrets.SecretsException;

/**
 * No API key has this id, as far as the caller may see: the server answers the same for an id of
 * another tenant (unless the caller is an ADMIN of the operator tenant {@code default}).
 *
 * @since 0.1
 */
public final class ApiKeyNotFoundException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String id;

  public ApiKeyNotFoundException(String id) {
    super("no API key with id " + id);
    this.id = id;
  }

  /** The id asked for. */
  public String id() {
    return id;
  }
}
