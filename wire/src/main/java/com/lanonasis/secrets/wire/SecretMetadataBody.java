package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A secret's metadata, never its value: {@code GET /api/v1/secrets/{key}:metadata}, the answer to
 * {@code :attributes}, and each item of a listing.
 *
 * @param key the name
 * @param version the current version
 * @param createdAt ISO-8601 UTC
 * @param updatedAt ISO-8601 UTC
 * @param description empty when none
 * @param labels empty when none
 * @param expiresAt ISO-8601 UTC, or {@code null} (absent on the wire) when it does not expire
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretMetadataBody(
    String key,
    long version,
    String createdAt,
    String updatedAt,
    String description,
    Map<String, String> labels,
    @Nullable String expiresAt) {}
