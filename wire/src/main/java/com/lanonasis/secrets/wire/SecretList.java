package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of {@code GET /api/v1/secrets}: names and metadata, never values.
 *
 * @param items this page, in name order
 * @param nextCursor where the next page starts, or {@code null} (absent on the wire) on the last
 *     page
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretList(List<SecretMetadataBody> items, @Nullable String nextCursor) {}
