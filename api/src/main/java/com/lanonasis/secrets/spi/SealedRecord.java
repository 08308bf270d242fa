package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretName;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a secret as a {@link RecordStore} keeps it: the ciphertext, never the plaintext.
 * The ciphertext is a Tink AEAD output whose associated data binds it to (tenant, name, version),
 * so a record store cannot move it elsewhere undetected.
 *
 * <p>The array is copied in and out. {@code toString} shows the ciphertext's length only.
 *
 * @param name the secret's name
 * @param version the version number
 * @param keyId the id of the tenant data key that sealed it (Tink key id)
 * @param ciphertext the sealed value
 * @param createdAt when the version was written
 * @since 0.1
 */
// The ciphertext is an array; equals and hashCode below compare it by content.
@SuppressWarnings("ArrayRecordComponent")
public record SealedRecord(
    SecretName name, long version, int keyId, byte[] ciphertext, Instant createdAt) {
  public SealedRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(createdAt, "createdAt");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1: " + version);
    }
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedRecord r
        && r.name.equals(name)
        && r.version == version
        && r.keyId == keyId
        && java.util.Arrays.equals(r.ciphertext, ciphertext)
        && r.createdAt.equals(createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, keyId, createdAt);
  }

  @Override
  public String toString() {
    return "SealedRecord[name="
        + name
        + ", version="
        + version
        + ", keyId="
        + keyId
        + ", ciphertext="
        + ciphertext.length
        + " bytes, createdAt="
        + createdAt
        + "]";
  }
}
