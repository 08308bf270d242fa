package com.lanonasis.secrets.server;

import com.lanonasis.secrets.wire.Role;
import java.util.Objects;

/**
 * The identity behind an authenticated request: which key (by id, never its secret), for which
 * tenant, with which role and name prefix (a scope of whole name segments, see {@link #allows}).
 *
 * @since 0.1
 */
public record ApiKey(String id, String tenant, Role role, String namePrefix) {
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(namePrefix, "namePrefix");
  }

  /**
   * Whether this key's scope covers {@code name}, segment by segment: no prefix covers every name;
   * {@code prod} covers {@code prod} and {@code prod/...}; {@code prod/} covers {@code prod/...}.
   * Never a bare string match: {@code prod} does not cover {@code production} or {@code prod2/x}.
   */
  boolean allows(String name) {
    if (namePrefix.isEmpty()) {
      return true;
    }
    if (namePrefix.endsWith("/")) {
      return name.startsWith(namePrefix);
    }
    return name.equals(namePrefix) || name.startsWith(namePrefix + "/");
  }
}
