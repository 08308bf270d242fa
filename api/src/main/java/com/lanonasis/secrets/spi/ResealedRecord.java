package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretName;
import java.util.Objects;

/**
 * One record sealed again under another data key, for {@link RecordStore#reseal}: it replaces the
 * stored ciphertext only if the row still holds a value sealed with {@code fromKeyId}.
 *
 * @param name the secret's name
 * @param version the version
 * @param fromKeyId the key id the stored ciphertext was sealed with (the condition)
 * @param toKeyId the key id of the new ciphertext
 * @param ciphertext the new ciphertext, same plaintext and associated data
 * @since 0.1
 */
// The ciphertext is an array; equals and hashCode below compare it by content.
@SuppressWarnings("ArrayRecordComponent")
public record ResealedRecord(
    SecretName name, long version, int fromKeyId, int toKeyId, byte[] ciphertext) {
  public ResealedRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ciphertext, "ciphertext");
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
    return o instanceof ResealedRecord r
        && r.name.equals(name)
        && r.version == version
        && r.fromKeyId == fromKeyId
        && r.toKeyId == toKeyId
        && java.util.Arrays.equals(r.ciphertext, ciphertext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, fromKeyId, toKeyId);
  }

  @Override
  public String toString() {
    return "ResealedRecord[name="
        + name
        + ", version="
        + version
        + ", "
        + Integer.toUnsignedString(fromKeyId)
        + " -> "
        + Integer.toUnsignedString(toKeyId)
        + ", "
        + ciphertext.length
        + " bytes]";
  }
}
