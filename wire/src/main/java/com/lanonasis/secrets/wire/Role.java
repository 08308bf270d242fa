package com.lanonasis.secrets.wire;

import com.lanonasis.secrets.InvalidInputException;
import java.util.Locale;
import java.util.Objects;

/**
 * What an API key may do. {@link #READ_ONLY} reads and lists; {@link #READ_WRITE} also writes,
 * deletes, restores and destroys; {@link #ADMIN} can do everything, reads the audit log and manages
 * API keys. The one role enum: the server stores it, the HTTP client and the CLI send and parse it.
 *
 * @since 0.1
 */
public enum Role {
  /**
   * Everything on its tenant's secrets; without a name prefix also key management and the audit
   * log.
   */
  ADMIN,
  /** Read, write, delete, restore and destroy secrets. */
  READ_WRITE,
  /** Read secrets and list names. */
  READ_ONLY;

  /** Whether a key of this role may change secrets. */
  public boolean canWrite() {
    return this != READ_ONLY;
  }

  /**
   * The role named {@code name}, case-insensitively ({@code read_only} works).
   *
   * @throws InvalidInputException when it names no role; the message lists the roles (never the
   *     input)
   */
  public static Role parse(String name) {
    Objects.requireNonNull(name, "name");
    String upper = name.trim().toUpperCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.name().equals(upper)) {
        return r;
      }
    }
    throw new InvalidInputException("a role is ADMIN, READ_WRITE or READ_ONLY");
  }
}
