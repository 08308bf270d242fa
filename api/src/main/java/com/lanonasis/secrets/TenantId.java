package com.lanonasis.secrets;

import java.util.Objects;

/**
 * The rule for tenant ids, the one Java definition: 1 to {@value #MAX_LENGTH} characters of {@code
 * [A-Za-z0-9._-]}. The store, the server (API keys, the operator's tenant), the HTTP client, the
 * CLI and the MCP server all check tenants with it, and mean {@link #DEFAULT} when no tenant is
 * given.
 *
 * <p>Tenant ids are not secret: they appear in messages, logs and the audit log.
 *
 * @since 0.1
 */
public final class TenantId {
  /** The tenant of an embedded store opened without one, and the server operator's tenant. */
  public static final String DEFAULT = "default";

  /** The longest tenant id allowed, in characters. */
  public static final int MAX_LENGTH = 64;

  /**
   * The same rule as a regular expression, for code that must find a tenant inside a longer text (a
   * route's path); anything that checks one tenant calls {@link #isValid} or {@link #check}.
   */
  public static final String REGEX = "[A-Za-z0-9._-]{1," + MAX_LENGTH + "}";

  private TenantId() {}

  /** Whether {@code tenant} is a valid tenant id. */
  public static boolean isValid(String tenant) {
    boolean ok = tenant != null && !tenant.isEmpty() && tenant.length() <= MAX_LENGTH;
    for (int i = 0; ok && i < tenant.length(); i++) {
      ok = SecretName.isNameChar(tenant.charAt(i));
    }
    return ok;
  }

  /**
   * {@code tenant} when it is valid.
   *
   * @throws InvalidInputException naming the tenant (shown printable and cut short) when it is not
   */
  public static String check(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (!isValid(tenant)) {
      throw new InvalidInputException(
          "tenant id "
              + SecretName.quote(tenant)
              + " must be 1 to "
              + MAX_LENGTH
              + " characters of [A-Za-z0-9._-]");
    }
    return tenant;
  }
}
