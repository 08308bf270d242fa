package com.lanonasis.secrets;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a secret, without its value.
 *
 * @param name the secret's name
 * @param version 1, 2, 3, ... with no gaps and no reuse
 * @param createdAt when the version was written
 * @param destroyed whether its value was destroyed (irrecoverably); the number stays taken
 * @since 0.1
 */
public record VersionInfo(SecretName name, long version, Instant createdAt, boolean destroyed) {
  public VersionInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
  }
}
