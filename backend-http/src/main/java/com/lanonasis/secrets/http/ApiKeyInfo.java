package com.lanonasis.secrets.http;

import com.lanonasis.secrets.wire.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key as {@link ApiKeyAdminClient#list()} shows it: everything but the key itself, which the
 * server never shows again after creating it (it keeps only a hash).
 *
 * @param id the key's public id, the 16 hex digits after {@code lns_}; what {@link
 *     ApiKeyAdminClient#revoke} takes
 * @param tenant the tenant whose secrets the key reaches
 * @param role what the key may do
 * @param prefix the names the key is limited to; empty for every name of its tenant
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, if it was
 * @since 0.1
 */
public record ApiKeyInfo(
    String id,
    String tenant,
    Role role,
    String prefix,
    Instant createdAt,
    Optional<Instant> revokedAt) {
  public ApiKeyInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (!ApiKeyAdminClient.isKeyId(id)) {
      throw new IllegalArgumentException("a key id is 16 lowercase hex digits");
    }
  }

  /** Whether the key has been revoked (the server refuses it). */
  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
