package com.lanonasis.secrets;

/**
 * No API key has this id, as far as the caller may see: the server answers the same for an id of
 * another tenant (unless the caller is an ADMIN of the operator tenant {@code default}).
 *
 * <p>Thrown by the HTTP backend's API-key administration (it lives here because the exception
 * family is closed). Kind {@link Kind#NOT_FOUND}.
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

  /** Always {@link Kind#NOT_FOUND}. */
  @Override
  public Kind kind() {
    return Kind.NOT_FOUND;
  }
}
