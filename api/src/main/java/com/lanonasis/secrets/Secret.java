package com.lanonasis.secrets;

import java.time.Instant;
import java.util.Objects;

/**
 * A secret read from a store: one version's value and what identifies it. Its {@code toString}
 * shows the name and version, and the value only as {@code SecretValue[redacted]}.
 *
 * <p>Closing it wipes the value.
 *
 * @param name the secret's name
 * @param version the version read
 * @param value the plaintext; wipe it when done
 * @param createdAt when this version was written
 * @since 0.1
 */
public record Secret(SecretName name, long version, SecretValue value, Instant createdAt)
    implements AutoCloseable {
  public Secret {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(createdAt, "createdAt");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
  }

  @Override
  public void close() {
    value.wipe();
  }
}
