package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/secrets/{key}:reveal} ({@code {}} or none for the latest
 * version).
 *
 * @param version the version to reveal, or {@code null} for the latest
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretReveal(@Nullable Long version) {}
