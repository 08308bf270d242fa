package com.lanonasis.secrets.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A sealed record as read back, with the secret's expiry, so a read costs one round trip.
 *
 * @param record the sealed version
 * @param expiresAt the secret's expiry, if any
 * @since 0.1
 */
public record StoredRecord(SealedRecord record, Optional<Instant> expiresAt) {
  public StoredRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
