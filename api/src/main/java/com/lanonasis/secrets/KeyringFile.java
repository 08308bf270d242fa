package com.lanonasis.secrets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The formats a master keyring is kept in on disk, as Tink keeps its keyset formats apart from
 * {@code KeysetHandle}: a cleartext Tink JSON keyset (development only), a keyset encrypted under a
 * passphrase, or one encrypted under a KMS key. Each variant is what a file's header says about it
 * before anything is decrypted ({@link #inspect(Path)}): the format and its cost parameters, or the
 * KMS key's URI; never key material. The static methods open and write each format.
 *
 * <pre>{@code
 * KeyringFile.writePassphrase(keyring, file, passphrase, KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
 * if (KeyringFile.inspect(file) instanceof KeyringFile.Passphrase p) {
 *   System.out.println(p.format() + " at " + p.iterations() + " iterations");
 * }
 * MasterKeyring same = KeyringFile.openPassphrase(file, passphrase);
 * }</pre>
 *
 * <p>Files are written 0600, never over an existing file. A header is authenticated when the file
 * is opened (changing any of it makes the file fail to open), not by {@link #inspect}: use what it
 * says to choose how to open a file, never to trust it. A missing, malformed or wrong file or
 * passphrase fails with a {@link ConfigurationException} naming the file, never its content or the
 * passphrase.
 *
 * @since 0.1
 */
public sealed interface KeyringFile
    permits KeyringFile.Cleartext, KeyringFile.Passphrase, KeyringFile.Kms {

  /**
   * The format as the file names it, such as {@code lanonasis-passphrase-keyset/v2}; {@value
   * Cleartext#FORMAT} for a Tink JSON keyset, which names none.
   */
  String format();

  /** A cleartext Tink JSON keyset: whoever reads the file can open every secret. */
  record Cleartext() implements KeyringFile {
    /** What {@link #format()} says; the file itself has no format member. */
    public static final String FORMAT = "cleartext";

    @Override
    public String format() {
      return FORMAT;
    }
  }

  /**
   * A keyset encrypted with AES-256-GCM under a key derived from a passphrase by PBKDF2-HMAC-SHA256
   * with a per-file 16-byte salt and {@code iterations}.
   *
   * @param version which of the two envelope formats the file is
   * @param iterations the PBKDF2 iterations the header states (at most {@value
   *     #MAX_PBKDF2_ITERATIONS}; below {@value #MIN_PBKDF2_ITERATIONS} only a {@link Version#V1}
   *     file opens, with a warning)
   */
  record Passphrase(Version version, int iterations) implements KeyringFile {
    /**
     * The PBKDF2-HMAC-SHA256 iterations a new file is normally written with: the figure the <a
     * href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2">OWASP
     * Password Storage Cheat Sheet</a> gives for PBKDF2-HMAC-SHA256 (since its December 2022
     * update).
     */
    public static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;

    /**
     * The floor: no passphrase file is written with fewer PBKDF2-HMAC-SHA256 iterations, and none
     * marked {@code lanonasis-passphrase-keyset/v2} is read with fewer. 210,000 is the OWASP figure
     * for PBKDF2-HMAC-<em>SHA512</em>; for HMAC-SHA256, the function used here, it gives {@value
     * #DEFAULT_PBKDF2_ITERATIONS}, our default. A {@link Version#V1} file (written by versions that
     * allowed 10,000) still opens below the floor, with a warning.
     */
    public static final int MIN_PBKDF2_ITERATIONS = 210_000;

    /** A cap, so a file edited to an absurd count fails clearly instead of hanging the start. */
    public static final int MAX_PBKDF2_ITERATIONS = 10_000_000;

    /** The shortest passphrase accepted, when writing a passphrase file and when reading one. */
    public static final int MIN_PASSPHRASE_LENGTH = 8;

    /**
     * The two envelope formats; the format string is authenticated, so a file cannot be relabelled.
     */
    public enum Version {
      /**
       * Written by earlier versions: opens with at least 10,000 iterations, warned below the floor.
       */
      V1("lanonasis-passphrase-keyset/v1", 10_000),
      /**
       * What is written now: opens with at least {@value Passphrase#MIN_PBKDF2_ITERATIONS}
       * iterations.
       */
      V2("lanonasis-passphrase-keyset/v2", MIN_PBKDF2_ITERATIONS);

      private final String format;
      private final int floor;

      Version(String format, int floor) {
        this.format = format;
        this.floor = floor;
      }

      /** The format string the file carries. */
      public String format() {
        return format;
      }

      /** The fewest iterations a file of this version is opened with. */
      public int floor() {
        return floor;
      }
    }

    public Passphrase {
      Objects.requireNonNull(version, "version");
    }

    @Override
    public String format() {
      return version.format();
    }

    /** Whether the file is protected by fewer iterations than new files must have. */
    public boolean belowFloor() {
      return iterations < MIN_PBKDF2_ITERATIONS;
    }
  }

  /**
   * A keyset encrypted under a KMS key.
   *
   * @param kekUri the URI of the key the file says it is encrypted under (compared with the
   *     configured one when opened, never used to find the key)
   */
  record Kms(String kekUri) implements KeyringFile {
    /** The format string the file carries. */
    public static final String FORMAT = "lanonasis-kms-keyset/v1";

    public Kms {
      Objects.requireNonNull(kekUri, "kekUri");
    }

    @Override
    public String format() {
      return FORMAT;
    }
  }

  /**
   * What the header of {@code file} says: its format and cost parameters, or its KMS key's URI.
   * Nothing is decrypted and no key material is read into the answer.
   *
   * @throws ConfigurationException if the file is missing, not JSON, of an unknown format (not
   *     quoted: it is file content) or its header is incomplete
   */
  static KeyringFile inspect(Path file) {
    return KeyringEnvelope.inspect(file);
  }

  /**
   * A cleartext Tink JSON keyset file, as written by {@link #writeCleartext}; warns if others can
   * read it.
   */
  static MasterKeyring openCleartext(Path file) {
    return CleartextKeyringFormat.open(file);
  }

  /** A cleartext Tink JSON keyset held in memory (not a file). */
  static MasterKeyring parseCleartextJson(String json) {
    Objects.requireNonNull(json, "json");
    return CleartextKeyringFormat.parse(json, "the keyset JSON");
  }

  /**
   * A passphrase-protected keyset file, as written by {@link #writePassphrase}: a {@link
   * Passphrase.Version#V2} file with at least {@value Passphrase#MIN_PBKDF2_ITERATIONS} iterations,
   * or a {@link Passphrase.Version#V1} file with at least 10,000, which below the floor opens with
   * a warning that names the fix ({@code lanonasis key protect}). The passphrase must have at least
   * {@value Passphrase#MIN_PASSPHRASE_LENGTH} characters; it is not modified.
   *
   * @throws ConfigurationException naming the file (never the passphrase) when the file is missing,
   *     malformed, below its floor or altered, or the passphrase is too short or wrong
   */
  static MasterKeyring openPassphrase(Path file, char[] passphrase) {
    return PassphraseKeyringFormat.open(file, passphrase);
  }

  /**
   * A keyset file encrypted under {@code kek}, as written by {@link #writeKms}. The file must name
   * {@code kek}'s URI: one encrypted under any other key is refused.
   */
  static MasterKeyring openKms(Path file, KeyEncryptionKey kek) {
    return KmsKeyringFormat.open(file, kek);
  }

  /**
   * A keyset file encrypted under the KMS key at {@code kekUri}, through the Tink {@code KmsClient}
   * registered for that URI ({@link KeyEncryptionKey#fromKmsUri}). The URI comes from the
   * application's configuration, never from the file: a file that names another key is refused
   * before any KMS is asked, so replacing the file cannot point the application at a key someone
   * else holds.
   */
  static MasterKeyring openKms(Path file, String kekUri) {
    return KmsKeyringFormat.open(file, kekUri);
  }

  /**
   * Writes {@code keyring} in cleartext (Tink JSON) to a new 0600 file. Protect it by other means.
   */
  static void writeCleartext(MasterKeyring keyring, Path file) {
    CleartextKeyringFormat.write(keyring, file);
  }

  /**
   * Writes {@code keyring} to a new 0600 {@link Passphrase.Version#V2} file, encrypted with
   * AES-256-GCM under a key derived from {@code passphrase} (at least {@value
   * Passphrase#MIN_PASSPHRASE_LENGTH} characters; not modified) by PBKDF2-HMAC-SHA256 with a fresh
   * random salt and {@code iterations} (at least {@value Passphrase#MIN_PBKDF2_ITERATIONS}; {@value
   * Passphrase#DEFAULT_PBKDF2_ITERATIONS} is the default to use). The header (format, KDF,
   * iterations, salt) is authenticated.
   *
   * @throws IllegalArgumentException if {@code iterations} is out of range or the passphrase too
   *     short
   * @throws ConfigurationException if the file exists or cannot be written
   */
  static void writePassphrase(MasterKeyring keyring, Path file, char[] passphrase, int iterations) {
    PassphraseKeyringFormat.write(keyring, file, passphrase, iterations);
  }

  /** Writes {@code keyring} encrypted under {@code kek} to a new 0600 file. */
  static void writeKms(MasterKeyring keyring, Path file, KeyEncryptionKey kek) {
    KmsKeyringFormat.write(keyring, file, kek);
  }
}
