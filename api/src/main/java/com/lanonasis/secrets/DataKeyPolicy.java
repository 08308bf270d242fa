package com.lanonasis.secrets;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a store rotates a tenant's data key on its own: before its primary key has sealed {@code
 * maxEncryptions} values, and (if set) once it has been primary for {@code maxAge}.
 *
 * <p>Data keys are AES-256-GCM with random 96-bit nonces (Tink's {@code AES256_GCM} template). NIST
 * SP 800-38D bounds such a key to 2<sup>32</sup> encryptions to keep the chance of a nonce
 * collision below 2<sup>-32</sup>; the default limit, 2<sup>30</sup>, keeps a factor of four in
 * hand. Stores count by reserving blocks of encryptions in the tenant keyset's record before
 * sealing, so a crash over-counts (rotating a little early), never under-counts. Every seal counts:
 * puts, the retries of a put that lost a version race, and re-sealing.
 *
 * <pre>{@code
 * DataKeyPolicy.defaults();                                   // 2^30 encryptions, no age limit
 * DataKeyPolicy.ofMaxEncryptions(1_000_000).withMaxAge(Duration.ofDays(90));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class DataKeyPolicy {
  /** 2<sup>30</sup>: a quarter of the 2<sup>32</sup> random-nonce bound for AES-GCM. */
  public static final long DEFAULT_MAX_ENCRYPTIONS = 1L << 30;

  /** The largest limit accepted: the AES-GCM random-nonce bound itself. */
  public static final long MAX_MAX_ENCRYPTIONS = 1L << 32;

  private final long maxEncryptions;
  private final @Nullable Duration maxAge; // null: no age limit

  private DataKeyPolicy(long maxEncryptions, @Nullable Duration maxAge) {
    if (maxEncryptions < 1 || maxEncryptions > MAX_MAX_ENCRYPTIONS) {
      throw new IllegalArgumentException(
          "maxEncryptions out of range (1.." + MAX_MAX_ENCRYPTIONS + "): " + maxEncryptions);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    this.maxEncryptions = maxEncryptions;
    this.maxAge = maxAge;
  }

  /** {@value #DEFAULT_MAX_ENCRYPTIONS} (2<sup>30</sup>) encryptions, no age limit. */
  public static DataKeyPolicy defaults() {
    return new DataKeyPolicy(DEFAULT_MAX_ENCRYPTIONS, null);
  }

  /**
   * Rotation after {@code maxEncryptions} encryptions under one primary key (1 to 2<sup>32</sup>),
   * no age limit.
   *
   * @throws IllegalArgumentException if {@code maxEncryptions} is out of range
   */
  public static DataKeyPolicy ofMaxEncryptions(long maxEncryptions) {
    return new DataKeyPolicy(maxEncryptions, null);
  }

  /**
   * This policy, and rotation too once a key has been primary for {@code maxAge}.
   *
   * @throws IllegalArgumentException if {@code maxAge} is zero or negative
   */
  public DataKeyPolicy withMaxAge(Duration maxAge) {
    return new DataKeyPolicy(maxEncryptions, Objects.requireNonNull(maxAge, "maxAge"));
  }

  /** Encryptions under one primary key before the next write rotates it. */
  public long maxEncryptions() {
    return maxEncryptions;
  }

  /** How long a key stays primary before the next write rotates it; empty: no limit. */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataKeyPolicy p
        && p.maxEncryptions == maxEncryptions
        && Objects.equals(p.maxAge, maxAge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxEncryptions, maxAge);
  }

  @Override
  public String toString() {
    return "DataKeyPolicy[maxEncryptions="
        + maxEncryptions
        + ", maxAge="
        + (maxAge == null ? "none" : maxAge)
        + "]";
  }
}
