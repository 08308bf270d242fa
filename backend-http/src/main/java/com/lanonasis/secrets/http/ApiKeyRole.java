package com.lanonasis.secrets.http;

import com.lanonasis.secrets.InvalidInputException;
import java.util.Locale;
import java.util.Objects;

/**
 * What an API key may do on a Lanonasis server (server/README.md, "API keys").
 *
 * @since 0.1
 */
public enum ApiKeyRole {
  /** Everything on its tenant's secrets; without a name prefix also key management and the audit log. */
  ADMIN,
  /** Read, write, delete, restore and destroy secrets. */
  READ_WRITE,
  /** Read secrets and list names. */
  READ_ONLY;

  /**
   * The role named {@code name}, case-insensitively ({@code read_only} works).
   *
   * @throws InvalidInputException when it names no role; the message lists the roles
   */
  public static ApiKeyRole parse(String name) {
    Objects.requireNonNull(name, "name");
    for (ApiKeyRole r : values()) {
      if (r.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new InvalidInputException("a role is ADMIN, READ_WRITE or READ_ONLY");
  }
}
