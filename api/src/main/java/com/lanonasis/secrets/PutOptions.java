package com.lanonasis.secrets;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Options for {@link SecretStore#put(String, SecretValue, PutOptions)}: check-and-set and
 * attributes.
 *
 * <ul>
 *   <li>{@link #expectVersion(long)}: the write succeeds only if the secret's current version is
 *       exactly that; {@code 0} means "must not exist yet". Otherwise a {@link
 *       VersionConflictException} carries the current version and nothing is written.
 *   <li>{@link #withAttributes(SecretAttributes)}: replaces the description, labels and expiry in
 *       the same atomic write. Without it, existing attributes are kept.
 * </ul>
 *
 * @param expectedVersion the version the caller expects, if it checks
 * @param attributes attributes to set with the new version, if any
 * @since 0.1
 */
public record PutOptions(OptionalLong expectedVersion, Optional<SecretAttributes> attributes) {
  private static final PutOptions UPSERT = new PutOptions(OptionalLong.empty(), Optional.empty());

  public PutOptions {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    Objects.requireNonNull(attributes, "attributes");
    if (expectedVersion.isPresent() && expectedVersion.getAsLong() < 0) {
      throw new InvalidInputException(
          "expected version must be >= 0: " + expectedVersion.getAsLong());
    }
  }

  /** Unconditional write, attributes kept. */
  public static PutOptions upsert() {
    return UPSERT;
  }

  /** Check-and-set against {@code version} (0: the secret must not exist yet). */
  public static PutOptions ifVersion(long version) {
    return UPSERT.expectVersion(version);
  }

  public PutOptions expectVersion(long version) {
    return new PutOptions(OptionalLong.of(version), attributes);
  }

  public PutOptions withAttributes(SecretAttributes newAttributes) {
    return new PutOptions(expectedVersion, Optional.of(newAttributes));
  }
}
