package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One API key as {@code GET /api/v1/keys} lists it (never the key itself), and the public part of
 * {@link ApiKeyCreated}.
 *
 * @param id the key's public id (16 hex digits)
 * @param tenant its tenant
 * @param role what it may do
 * @param prefix the name prefix it is limited to; empty for none
 * @param createdAt ISO-8601 UTC
 * @param revokedAt ISO-8601 UTC, or {@code null} (absent on the wire) while it is active
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyBody(
    String id,
    String tenant,
    Role role,
    String prefix,
    String createdAt,
    @Nullable String revokedAt) {}
