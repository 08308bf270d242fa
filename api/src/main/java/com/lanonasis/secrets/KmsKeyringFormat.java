package com.lanonasis.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * {@link KeyringFile.Kms}: {@code {format, kekUri, keyset}}, the keyset encrypted under a KMS key
 * with the format and the URI as associated data.
 */
final class KmsKeyringFormat {
  private KmsKeyringFormat() {}

  static MasterKeyring open(Path file, KeyEncryptionKey kek) {
    Objects.requireNonNull(kek, "kek");
    return open(file, readMatching(file, kek.uri()), kek);
  }

  static MasterKeyring open(Path file, String kekUri) {
    KeyringSources.requireUri(kekUri);
    JsonNode node = readMatching(file, kekUri);
    return open(file, node, KeyEncryptionKey.fromKmsUri(kekUri));
  }

  /** The file's envelope, once its URI is the configured one: nothing is asked of a KMS before. */
  private static JsonNode readMatching(Path file, String configuredUri) {
    JsonNode node =
        KeyringEnvelope.require(file, KeyringEnvelope.read(file), List.of(KeyringFile.Kms.FORMAT));
    String storedUri =
        ((KeyringFile.Kms) KeyringEnvelope.header(file, node, KeyringFile.Kms.FORMAT)).kekUri();
    if (!storedUri.equals(configuredUri)) {
      throw new ConfigurationException(
          "keyset file "
              + file
              + " was encrypted under "
              + storedUri
              + ", not under "
              + configuredUri);
    }
    return node;
  }

  private static MasterKeyring open(Path file, JsonNode node, KeyEncryptionKey kek) {
    byte[] ciphertext = KeyringEnvelope.base64(node, "keyset", file);
    try {
      KeysetHandle h =
          TinkProtoKeysetFormat.parseEncryptedKeyset(ciphertext, asAead(kek), aad(kek.uri()));
      return new MasterKeyring(h, "keyset file " + file);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "could not decrypt keyset file "
              + file
              + " with "
              + kek.uri()
              + " (wrong key, or the file was altered)");
    }
  }

  static void write(MasterKeyring keyring, Path file, KeyEncryptionKey kek) {
    Objects.requireNonNull(keyring, "keyring");
    Objects.requireNonNull(kek, "kek");
    byte[] ct;
    try {
      ct =
          TinkProtoKeysetFormat.serializeEncryptedKeyset(
              keyring.handle(), asAead(kek), aad(kek.uri()));
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("could not encrypt the keyset with " + kek.uri(), e);
    }
    KeyringEnvelope.writeNew(
        file,
        KeyringEnvelope.envelope(KeyringFile.Kms.FORMAT)
            .put("kekUri", kek.uri())
            .put("keyset", Base64.getEncoder().encodeToString(ct)));
  }

  private static byte[] aad(String kekUri) {
    return (KeyringFile.Kms.FORMAT + "\0" + kekUri).getBytes(StandardCharsets.UTF_8);
  }

  private static Aead asAead(KeyEncryptionKey kek) {
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        return kek.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        return kek.decrypt(ciphertext, associatedData);
      }
    };
  }
}
