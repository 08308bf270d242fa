package com.lanonasis.secrets.spi;

import java.util.Objects;

/**
 * A tenant's data keyset encrypted under the master keyring (with the tenant id as associated
 * data), as a {@link RecordStore} keeps it. The generation rises by one on every replacement and
 * serves as the check-and-set token.
 *
 * @param ciphertext the encrypted keyset
 * @param generation 1 for the first keyset, +1 per replacement
 * @since 0.1
 */
public record WrappedKeyset(byte[] ciphertext, long generation) {
  public WrappedKeyset {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be >= 1: " + generation);
    }
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKeyset w && w.generation == generation
        && java.util.Arrays.equals(w.ciphertext, ciphertext);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(generation);
  }

  @Override
  public String toString() {
    return "WrappedKeyset[generation=" + generation + ", " + ciphertext.length + " bytes]";
  }
}
