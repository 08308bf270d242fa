package com.lanonasis.secrets;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows about a secret besides its value: the newest version number, timestamps and
 * the caller's {@link SecretAttributes}. Listings return this, never values.
 *
 * @param name the secret's name
 * @param currentVersion the newest version ever written (check-and-set compares against this)
 * @param createdAt when version 1 was written
 * @param updatedAt when the newest version or the attributes last changed
 * @param attributes description, labels, expiry
 * @since 0.1
 */
public record SecretMetadata(
    SecretName name,
    long currentVersion,
    Instant createdAt,
    Instant updatedAt,
    SecretAttributes attributes) {
  public SecretMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(attributes, "attributes");
    if (currentVersion < 1) {
      throw new IllegalArgumentException("currentVersion must be >= 1: " + currentVersion);
    }
  }

  /** Whether the secret's expiry, if any, is at or before {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return attributes.expiresAt().map(e -> !e.isAfter(now)).orElse(false);
  }
}
