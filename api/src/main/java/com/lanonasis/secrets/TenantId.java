package com.lanonasis.secrets;

import java.util.Objects;

/** The rule for tenant ids: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
final class TenantId {
  static final String DEFAULT = "default";

  private TenantId() {}

  static String check(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    boolean ok = !tenant.isEmpty() && tenant.length() <= 64;
    for (int i = 0; ok && i < tenant.length(); i++) {
      ok = SecretName.isNameChar(tenant.charAt(i));
    }
    if (!ok) {
      throw new InvalidInputException("tenant id " + SecretName.quote(tenant)
          + " must be 1 to 64 characters of [A-Za-z0-9._-]");
    }
    return tenant;
  }
}
