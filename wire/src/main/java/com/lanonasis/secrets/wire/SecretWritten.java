package com.lanonasis.secrets.wire;

/**
 * The answer to {@code POST /api/v1/secrets}: the version the write made.
 *
 * @param key the secret's name
 * @param version the new version (1 for a new secret: the answer is then 201)
 * @param createdAt when it was written, ISO-8601 UTC with microseconds
 * @since 0.1
 */
public record SecretWritten(String key, long version, String createdAt) {}
