package com.lanonasis.secrets.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A sealed record as read back, with the secret's expiry and the generation of the tenant's data
 * keyset at the same moment, so a read costs one round trip and a reader can tell at once that its
 * cached keyset is out of date (or destroyed).
 *
 * <p>The record and the generation must come from one consistent view (one statement or one
 * snapshot): the keyset of that generation holds the key that sealed the record.
 *
 * @param record the sealed version
 * @param expiresAt the secret's expiry, if any
 * @param keysetGeneration the generation of the tenant's data keyset (or of its destroyed marker);
 *     0 if the tenant has neither
 * @since 0.1
 */
public record StoredRecord(
    SealedRecord record, Optional<Instant> expiresAt, long keysetGeneration) {
  public StoredRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (keysetGeneration < 0) {
      throw new IllegalArgumentException("keysetGeneration must be >= 0: " + keysetGeneration);
    }
  }
}
