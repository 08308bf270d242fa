package com.lanonasis.secrets;

import java.util.Objects;

/**
 * How the configuration says a master keyset file is protected, which decides how {@link
 * KeyringSources#load} opens it: not at all ({@link None}: a cleartext Tink JSON keyset), by a
 * passphrase ({@link Passphrase}), or by a KMS key ({@link Kms}). The configuration decides, not
 * the file: a file of any other protection is refused, so whoever can replace the file cannot lower
 * its protection.
 *
 * <pre>{@code
 * MasterKeyring keyring = KeyringSources.load(file, KeyringProtection.passphrase(chars));
 * Arrays.fill(chars, '\0'); // the caller's array: not copied, not wiped here
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface KeyringProtection
    permits KeyringProtection.None, KeyringProtection.Passphrase, KeyringProtection.Kms {

  /** No protection: the file must be a cleartext Tink JSON keyset. */
  static KeyringProtection none() {
    return new None();
  }

  /**
   * A passphrase-protected file, opened with {@code passphrase} (not copied; the caller wipes it).
   */
  static KeyringProtection passphrase(char[] passphrase) {
    return new Passphrase(passphrase);
  }

  /**
   * A file KMS-encrypted under exactly the key at {@code kekUri} (its Tink client must be
   * registered).
   */
  static KeyringProtection kms(String kekUri) {
    return new Kms(kekUri);
  }

  /** No protection: a cleartext keyset. */
  record None() implements KeyringProtection {}

  /**
   * A passphrase. Holds the caller's array, not a copy, so that the caller's wipe reaches it;
   * prints no character of it, and two instances are equal only if they hold the same array.
   */
  final class Passphrase implements KeyringProtection {
    private final char[] passphrase;

    Passphrase(char[] passphrase) {
      this.passphrase = Objects.requireNonNull(passphrase, "passphrase");
    }

    /** The caller's array itself. */
    public char[] chars() {
      return passphrase;
    }

    @Override
    public String toString() {
      return "Passphrase[redacted]";
    }
  }

  /**
   * A KMS key.
   *
   * @param kekUri the key's URI, such as {@code aws-kms://arn:aws:kms:...}; not blank
   */
  record Kms(String kekUri) implements KeyringProtection {
    public Kms {
      KeyringSources.requireUri(kekUri);
    }
  }
}
