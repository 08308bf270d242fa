package com.lanonasis.secrets.wire;

import java.util.List;

/**
 * {@code GET /api/v1/secrets/{key}:versions}: every version of a name, oldest first.
 *
 * @param key the name
 * @param versions its versions
 * @since 0.1
 */
public record SecretVersions(String key, List<Version> versions) {
  /**
   * One version.
   *
   * @param version its number
   * @param createdAt ISO-8601 UTC
   * @param destroyed whether its value was destroyed
   */
  public record Version(long version, String createdAt, boolean destroyed) {}
}
