package com.lanonasis.secrets.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tenant's data keyset as a {@link RecordStore} keeps it: encrypted under the master keyring
 * (with the tenant id as associated data), or — after crypto-shredding — a <em>destroyed</em>
 * marker with no key material that keeps the tenant's generation counting.
 *
 * <p>The generation rises by one on every replacement (rotation, re-wrap, retirement of a key,
 * destruction, re-provisioning) and is never reused for the tenant, so it is a sound check-and-set
 * token: a writer that read generation {@code g} can tell that anything at all happened since.
 *
 * <p>{@code primarySealed} counts the encryptions <em>reserved</em> under the keyset's primary key
 * (stores reserve blocks before they seal, so a crash over-counts, never under-counts); {@code
 * primarySince} is when that key became primary. Both start again at a rotation.
 *
 * @param ciphertext the encrypted keyset; empty for a destroyed one
 * @param generation 1 for the first keyset, +1 per replacement
 * @param primarySealed encryptions reserved under the current primary key
 * @param primarySince when the current primary key was made primary (or the keyset destroyed)
 * @since 0.1
 */
// The ciphertext is an array copied in and out; equals and hashCode below compare it by content.
@SuppressWarnings("ArrayRecordComponent")
public record WrappedKeyset(
    byte[] ciphertext, long generation, long primarySealed, Instant primarySince) {
  public WrappedKeyset {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(primarySince, "primarySince");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be >= 1: " + generation);
    }
    if (primarySealed < 0) {
      throw new IllegalArgumentException("primarySealed must be >= 0: " + primarySealed);
    }
    ciphertext = ciphertext.clone();
  }

  /** A destroyed keyset: no key material; the generation goes on counting. */
  public static WrappedKeyset destroyed(long generation, Instant at) {
    return new WrappedKeyset(new byte[0], generation, 0, at);
  }

  /** Whether this is the marker of a crypto-shredded tenant (no key material). */
  public boolean isDestroyed() {
    return ciphertext.length == 0;
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The same keyset under a new generation: what a replacement that keeps the key usage stores. */
  public WrappedKeyset withCiphertext(byte[] next, long nextGeneration) {
    return new WrappedKeyset(next, nextGeneration, primarySealed, primarySince);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKeyset w
        && w.generation == generation
        && w.primarySealed == primarySealed
        && w.primarySince.equals(primarySince)
        && Arrays.equals(w.ciphertext, ciphertext);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(generation);
  }

  @Override
  public String toString() {
    return "WrappedKeyset[generation="
        + generation
        + (isDestroyed()
            ? ", destroyed"
            : ", " + ciphertext.length + " bytes, primarySealed=" + primarySealed)
        + ", primarySince="
        + primarySince
        + "]";
  }
}
