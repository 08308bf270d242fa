package com.lanonasis.secrets.wire;

/**
 * The answer to {@code POST /api/v1/keys}: the new key, shown this once, and what it is.
 *
 * @param id the key's public id
 * @param key the key itself ({@code lns_…}); never printed by {@link #toString}
 * @param tenant its tenant
 * @param role what it may do
 * @param prefix the name prefix it is limited to; empty for none
 * @param createdAt ISO-8601 UTC
 * @since 0.1
 */
public record ApiKeyCreated(
    String id, String key, String tenant, Role role, String prefix, String createdAt) {
  /** Never the key. */
  @Override
  public String toString() {
    return "ApiKeyCreated[" + id + ", " + tenant + ", " + role + ", key redacted]";
  }
}
