package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/keys}.
 *
 * @param tenant the key's tenant, or {@code null} for the caller's own
 * @param role a {@link Role} by name, case-insensitively (checked by the server, which names the
 *     roles when refused)
 * @param prefix the name prefix the key is limited to, or {@code null} for none
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyCreate(@Nullable String tenant, String role, @Nullable String prefix) {}
