package com.lanonasis.secrets.server;

import java.util.Objects;

/**
 * The identity behind an authenticated request: which key (by id, never its secret), for which
 * tenant, with which role and name prefix. An empty prefix allows every name.
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

  boolean allows(String name) {
    return name.startsWith(namePrefix);
  }
}
