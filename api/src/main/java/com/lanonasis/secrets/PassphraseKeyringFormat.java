package com.lanonasis.secrets;

import static com.lanonasis.secrets.KeyringFile.Passphrase.MAX_PBKDF2_ITERATIONS;
import static com.lanonasis.secrets.KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH;
import static com.lanonasis.secrets.KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeyringFile.Passphrase}: {@code {format, kdf, iterations, salt, keyset}}, the keyset
 * encrypted with AES-256-GCM under a PBKDF2-HMAC-SHA256 key, the whole header as associated data.
 */
final class PassphraseKeyringFormat {
  private static final Logger LOG = LoggerFactory.getLogger(PassphraseKeyringFormat.class);

  /** V2 first: the order of the formats named in "not a ... file". */
  private static final List<String> FORMATS =
      List.of(
          KeyringFile.Passphrase.Version.V2.format(), KeyringFile.Passphrase.Version.V1.format());

  private PassphraseKeyringFormat() {}

  static MasterKeyring open(Path file, char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    JsonNode node = KeyringEnvelope.require(file, KeyringEnvelope.read(file), FORMATS);
    KeyringFile.Passphrase header =
        (KeyringFile.Passphrase) KeyringEnvelope.header(file, node, KeyringEnvelope.formatOf(node));
    int iterations = header.iterations();
    if (iterations < header.version().floor()) {
      throw new ConfigurationException(
          "keyset file "
              + file
              + " has "
              + iterations
              + " PBKDF2 iterations, below the floor of "
              + header.version().floor()
              + " for a "
              + header.format()
              + " file");
    }
    byte[] salt = KeyringEnvelope.base64(node, "salt", file);
    byte[] ciphertext = KeyringEnvelope.base64(node, "keyset", file);
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      // Checked before deriving: a short passphrase is refused the same way on reading as on
      // writing.
      throw new ConfigurationException(
          "the passphrase for keyset file "
              + file
              + " is too short (minimum "
              + MIN_PASSPHRASE_LENGTH
              + " characters)");
    }
    byte[] key = deriveKey(passphrase, salt, iterations);
    MasterKeyring keyring;
    try {
      KeysetHandle h =
          TinkProtoKeysetFormat.parseEncryptedKeyset(
              ciphertext, new AesGcmJce(key), aad(header.format(), iterations, salt));
      keyring = new MasterKeyring(h, "keyset file " + file);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "wrong passphrase for keyset file " + file + " (or the file was altered)");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    if (header.belowFloor()) {
      // Only a V1 file gets here, and only once it has opened: an altered one fails above instead.
      LOG.warn(
          "Keyset file {} is protected by only {} PBKDF2 iterations, below the floor of {} that new files "
              + "must meet; it opens because an earlier version wrote it. Re-write it at {} iterations with "
              + "'lanonasis key protect --keyset {}' (passphrase in {})",
          file,
          iterations,
          MIN_PBKDF2_ITERATIONS,
          KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS,
          file,
          KeyringSources.ENV_KEYSET_PASSPHRASE);
    }
    return keyring;
  }

  static void write(MasterKeyring keyring, Path file, char[] passphrase, int iterations) {
    Objects.requireNonNull(keyring, "keyring");
    Objects.requireNonNull(passphrase, "passphrase");
    if (iterations < MIN_PBKDF2_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations too small: " + iterations + " (minimum " + MIN_PBKDF2_ITERATIONS + ")");
    }
    if (iterations > MAX_PBKDF2_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations too large: " + iterations + " (maximum " + MAX_PBKDF2_ITERATIONS + ")");
    }
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new IllegalArgumentException(
          "passphrase too short: "
              + passphrase.length
              + " characters (minimum "
              + MIN_PASSPHRASE_LENGTH
              + ")");
    }
    writeEnvelope(
        keyring, file, passphrase, iterations, KeyringFile.Passphrase.Version.V2.format());
  }

  /**
   * Writes the envelope of {@code format} with no check of the count or the passphrase: {@link
   * #write} after its checks, and tests that need a file an earlier version could have written.
   */
  static void writeEnvelope(
      MasterKeyring keyring, Path file, char[] passphrase, int iterations, String format) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    byte[] key = deriveKey(passphrase, salt, iterations);
    byte[] ct;
    try {
      ct =
          TinkProtoKeysetFormat.serializeEncryptedKeyset(
              keyring.handle(), new AesGcmJce(key), aad(format, iterations, salt));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt the keyset", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    KeyringEnvelope.writeNew(
        file,
        KeyringEnvelope.envelope(format)
            .put("kdf", KeyringEnvelope.KDF)
            .put("iterations", iterations)
            .put("salt", Base64.getEncoder().encodeToString(salt))
            .put("keyset", Base64.getEncoder().encodeToString(ct)));
  }

  private static byte[] deriveKey(char[] passphrase, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance(KeyringEnvelope.KDF).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      if (e instanceof InvalidKeySpecException) {
        throw new ConfigurationException("could not derive a key from the passphrase");
      }
      throw new IllegalStateException(KeyringEnvelope.KDF + " is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * The whole header: the format too, so that no field can be changed without the file failing to
   * open.
   */
  private static byte[] aad(String format, int iterations, byte[] salt) {
    return (format
            + "\0"
            + KeyringEnvelope.KDF
            + "\0"
            + iterations
            + "\0"
            + Base64.getEncoder().encodeToString(salt))
        .getBytes(StandardCharsets.UTF_8);
  }
}
