package com.lanonasis.secrets.wire;

import java.util.List;

/**
 * {@code GET /api/v1/keys}: the keys the caller may administer.
 *
 * @param items the keys
 * @since 0.1
 */
public record ApiKeyList(List<ApiKeyBody> items) {}
