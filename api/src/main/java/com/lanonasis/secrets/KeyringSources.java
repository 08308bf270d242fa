package com.lanonasis.secrets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link MasterKeyring} comes from: the environment, or a file of the protection the
 * configuration names (a {@link KeyringProtection}). A development keyring, generated on first use,
 * is {@link DevelopmentKeyring}'s.
 *
 * <table>
 *   <caption>The environment</caption>
 *   <tr><td>{@value #ENV_KEYSET}</td><td>a cleartext Tink JSON keyset itself (warned)</td></tr>
 *   <tr><td>{@value #ENV_KEYSET_FILE}</td><td>the path of a keyset file</td></tr>
 *   <tr><td>{@value #ENV_KEYSET_PASSPHRASE}</td><td>its passphrase, when it is passphrase-protected</td></tr>
 *   <tr><td>{@value #ENV_KEK_URI}</td><td>the URI of the KMS key it is encrypted under</td></tr>
 * </table>
 *
 * <pre>{@code
 * MasterKeyring keyring = KeyringSources.fromEnvironment(System.getenv())
 *     .orElseGet(() -> KeyringSources.load(Path.of("/etc/app/keyset.json"), KeyringProtection.kms(uri)));
 * }</pre>
 *
 * <h2>The configuration decides the protection, not the file</h2>
 *
 * Whoever can replace a keyset file must not be able to lower its protection. So when a passphrase
 * is configured, only a passphrase-protected file is accepted; when a key-encryption key URI is
 * configured, only a file KMS-encrypted under exactly that key; and the URI a KMS-encrypted file
 * names is never used to find its key, only compared with the configured one. A cleartext or
 * differently protected file is refused with a {@link ConfigurationException} naming the file and
 * the format expected, never its content.
 *
 * @since 0.1
 */
public final class KeyringSources {
  /** A cleartext Tink JSON keyset, the JSON itself. */
  public static final String ENV_KEYSET = "LANONASIS_KEYSET";

  /** The path of a keyset file. */
  public static final String ENV_KEYSET_FILE = "LANONASIS_KEYSET_FILE";

  /**
   * The passphrase of a passphrase-protected {@value #ENV_KEYSET_FILE}; setting it requires one.
   */
  public static final String ENV_KEYSET_PASSPHRASE = "LANONASIS_KEYSET_PASSPHRASE";

  /**
   * The URI of the key-encryption key that a {@value #ENV_KEYSET_FILE} file is encrypted under,
   * such as {@code aws-kms://arn:aws:kms:...}; setting it requires a KMS-encrypted file.
   */
  public static final String ENV_KEK_URI = "LANONASIS_KEK_URI";

  private static final Logger LOG = LoggerFactory.getLogger(KeyringSources.class);

  private KeyringSources() {}

  /**
   * A keyset file of the protection the configuration asks for:
   *
   * <ul>
   *   <li>{@link KeyringProtection.Passphrase}: a passphrase-protected file ({@link
   *       KeyringFile#openPassphrase});
   *   <li>{@link KeyringProtection.Kms}: a file KMS-encrypted under exactly that key ({@link
   *       KeyringFile#openKms(Path, String)}; its client must be registered);
   *   <li>{@link KeyringProtection.None}: a cleartext Tink JSON keyset. A protected file then
   *       fails, naming the setting it needs ({@value #ENV_KEYSET_PASSPHRASE} or {@value
   *       #ENV_KEK_URI}).
   * </ul>
   *
   * A file of any other format is refused with a {@link ConfigurationException} naming the file and
   * the format expected, never its content.
   */
  public static MasterKeyring load(Path file, KeyringProtection protection) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(protection, "protection");
    String format = KeyringEnvelope.formatOf(KeyringEnvelope.read(file));
    if (protection instanceof KeyringProtection.Passphrase p) {
      requireFormat(
          file,
          format,
          "a passphrase is configured (" + ENV_KEYSET_PASSPHRASE + ")",
          KeyringFile.Passphrase.Version.V2.format(),
          KeyringFile.Passphrase.Version.V1.format());
      return KeyringFile.openPassphrase(file, p.chars());
    }
    if (protection instanceof KeyringProtection.Kms k) {
      requireFormat(
          file,
          format,
          "a key-encryption key is configured (" + ENV_KEK_URI + ")",
          KeyringFile.Kms.FORMAT);
      return KeyringFile.openKms(file, k.kekUri());
    }
    if (format.equals(KeyringFile.Kms.FORMAT)) {
      throw new ConfigurationException(
          "keyset file "
              + file
              + " is KMS-encrypted; set "
              + ENV_KEK_URI
              + " to the URI of the key it is encrypted under");
    }
    if (isPassphraseFormat(format)) {
      throw new ConfigurationException(
          "keyset file " + file + " is passphrase-protected; set " + ENV_KEYSET_PASSPHRASE);
    }
    return KeyringFile.openCleartext(file);
  }

  /**
   * The keyring named by the environment: {@value #ENV_KEYSET} holding a Tink JSON keyset, or
   * {@value #ENV_KEYSET_FILE} naming a file for {@link #load}, with {@value #ENV_KEYSET_PASSPHRASE}
   * for a passphrase-protected one or {@value #ENV_KEK_URI} for a KMS-encrypted one; either of
   * those makes a cleartext keyset (file or {@value #ENV_KEYSET}) an error, and both at once are an
   * error. Empty when neither {@value #ENV_KEYSET} nor {@value #ENV_KEYSET_FILE} is set; both set
   * is an error. Blank values count as unset. The passphrase is copied once into a {@code char[]}
   * that is wiped before this returns.
   */
  public static Optional<MasterKeyring> fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String inline = blankToNull(env.get(ENV_KEYSET));
    String file = blankToNull(env.get(ENV_KEYSET_FILE));
    boolean passphrase = blankToNull(env.get(ENV_KEYSET_PASSPHRASE)) != null;
    String kekUri = blankToNull(env.get(ENV_KEK_URI));
    if (inline != null && file != null) {
      throw new ConfigurationException(
          "both " + ENV_KEYSET + " and " + ENV_KEYSET_FILE + " are set; set one");
    }
    if (inline != null) {
      if (passphrase || kekUri != null) {
        throw new ConfigurationException(
            ENV_KEYSET
                + " holds a cleartext keyset, but "
                + (passphrase ? ENV_KEYSET_PASSPHRASE : ENV_KEK_URI)
                + " is set: a protected keyset is expected; "
                + "name its file with "
                + ENV_KEYSET_FILE);
      }
      MasterKeyring keyring = CleartextKeyringFormat.parse(inline, ENV_KEYSET);
      // Said once per load, never with the keyset: an environment is read by more than this process
      // (ps e, /proc/<pid>/environ, crash reports, CI logs, child processes).
      LOG.warn(
          "{} holds a cleartext master keyset: whoever reads this process's environment can open every "
              + "secret. Use a passphrase-protected file ({} with {}) or a KMS ({})",
          ENV_KEYSET,
          ENV_KEYSET_FILE,
          ENV_KEYSET_PASSPHRASE,
          ENV_KEK_URI);
      return Optional.of(keyring);
    }
    if (file != null) {
      Path path = Path.of(file);
      return Optional.of(withEnvironmentProtection(env, path, p -> load(path, p)));
    }
    return Optional.empty();
  }

  /**
   * Hands the protection the environment names for {@code file} to {@code use}: a passphrase
   * ({@value #ENV_KEYSET_PASSPHRASE}) as a {@code char[]} made once and wiped (zeros) when {@code
   * use} returns or throws, a KMS key ({@value #ENV_KEK_URI}, stripped), or none; both set is an
   * error naming {@code file}. The {@code String} in {@code env} belongs to the caller (for the
   * process environment, to the JVM) and cannot be wiped; nothing here keeps another copy.
   */
  static <T> T withEnvironmentProtection(
      Map<String, String> env, Path file, Function<KeyringProtection, T> use) {
    String value = env.get(ENV_KEYSET_PASSPHRASE);
    String kekUri = blankToNull(env.get(ENV_KEK_URI));
    boolean passphrase = value != null && !value.isBlank();
    if (passphrase && kekUri != null) {
      throw new ConfigurationException(
          "both a passphrase ("
              + ENV_KEYSET_PASSPHRASE
              + ") and a key-encryption key ("
              + ENV_KEK_URI
              + ") are configured for keyset file "
              + file
              + "; set the one that protects it");
    }
    if (kekUri != null) {
      return use.apply(KeyringProtection.kms(kekUri.strip()));
    }
    if (value == null || !passphrase) {
      return use.apply(KeyringProtection.none());
    }
    char[] chars = value.toCharArray();
    try {
      return use.apply(KeyringProtection.passphrase(chars));
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  static boolean isPassphraseFormat(String format) {
    return format.equals(KeyringFile.Passphrase.Version.V2.format())
        || format.equals(KeyringFile.Passphrase.Version.V1.format());
  }

  static void requireUri(String kekUri) {
    Objects.requireNonNull(kekUri, "kekUri");
    if (kekUri.isBlank()) {
      throw new IllegalArgumentException("kekUri is blank");
    }
  }

  private static void requireFormat(Path file, String format, String because, String... accepted) {
    if (!Arrays.asList(accepted).contains(format)) {
      throw new ConfigurationException(
          "keyset file "
              + file
              + " is "
              + describe(format)
              + ", but "
              + because
              + ": only a "
              + String.join(" or ", accepted)
              + " file is accepted");
    }
  }

  /**
   * What a file's format says it is, in words; an unknown format is not quoted (it is file
   * content).
   */
  private static String describe(String format) {
    if (format.isEmpty()) {
      return "a cleartext keyset";
    }
    if (isPassphraseFormat(format)) {
      return "passphrase-protected";
    }
    return format.equals(KeyringFile.Kms.FORMAT) ? "KMS-encrypted" : "of an unknown format";
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
