package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/secrets/{key}:attributes}: all three attributes are replaced; one
 * absent on the wire ({@code null} here) becomes empty, or no expiry.
 *
 * @param description or {@code null}
 * @param labels or {@code null}
 * @param expiresAt an ISO-8601 UTC instant, or {@code null}
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretAttributesWrite(
    @Nullable String description,
    @Nullable Map<String, String> labels,
    @Nullable String expiresAt) {}
