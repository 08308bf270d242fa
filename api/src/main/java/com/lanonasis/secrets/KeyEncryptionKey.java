package com.lanonasis.secrets;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A key-encryption key held outside the process, typically in a KMS (AWS KMS, GCP KMS, HashiCorp
 * Vault Transit), used to protect a master keyset file at rest. Only the KMS ever sees its key.
 *
 * <p>Use {@link #fromKmsUri(String)} for Tink's KMS integrations (register the client first, for
 * example with {@code AwsKmsClient.register(...)} from {@code tink-awskms}), or implement this
 * interface over any other service.
 *
 * @since 0.1
 */
public interface KeyEncryptionKey {

  /**
   * A URI naming the key, such as {@code aws-kms://arn:aws:kms:...}; it is stored beside the
   * keyset.
   */
  String uri();

  /** Authenticated encryption of {@code plaintext} bound to {@code associatedData}. */
  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /** The inverse of {@link #encrypt}; fails if the ciphertext or associated data was altered. */
  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;

  /**
   * The key at {@code kmsKeyUri}, through the Tink {@code KmsClient} registered for it in Tink's
   * {@code KmsClients}. Throws {@link ConfigurationException} if no client supports the URI.
   */
  static KeyEncryptionKey fromKmsUri(String kmsKeyUri) {
    Objects.requireNonNull(kmsKeyUri, "kmsKeyUri");
    try {
      com.google.crypto.tink.Aead aead =
          com.google.crypto.tink.KmsClients.get(kmsKeyUri).getAead(kmsKeyUri);
      return new KeyEncryptionKey() {
        @Override
        public String uri() {
          return kmsKeyUri;
        }

        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData)
            throws GeneralSecurityException {
          return aead.encrypt(plaintext, associatedData);
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
            throws GeneralSecurityException {
          return aead.decrypt(ciphertext, associatedData);
        }

        @Override
        public String toString() {
          return "KeyEncryptionKey[" + kmsKeyUri + "]";
        }
      };
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "no Tink KMS client is registered for key URI "
              + kmsKeyUri
              + " (register one, e.g. AwsKmsClient.register(...), before loading the keyset)",
          e);
    }
  }
}
