package com.lanonasis.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master keyring (key-encryption key): a Tink AEAD keyset that only ever wraps the per-tenant
 * data keysets, never a secret value. Rotating it costs one re-wrap per tenant, not per secret.
 *
 * <h2>Where it comes from</h2>
 *
 * <table>
 *   <caption>Sources</caption>
 *   <tr><td>{@link DevelopmentKeyring#loadOrCreate(Path)}</td><td>generated cleartext file (0600),
 *       with a loud warning; development only</td></tr>
 *   <tr><td>{@link #fromCleartextKeysetFile(Path)}</td><td>a Tink JSON keyset on disk</td></tr>
 *   <tr><td>{@link #fromEnvironment(Map)}</td><td>{@value #ENV_KEYSET} (the JSON itself) or
 *       {@value #ENV_KEYSET_FILE} (a path, with {@value #ENV_KEYSET_PASSPHRASE} when
 *       passphrase-protected, or {@value #ENV_KEK_URI} when KMS-encrypted)</td></tr>
 *   <tr><td>{@link #fromKmsEncryptedFile(Path, String)}</td><td>a keyset encrypted under a KMS
 *       key, named by the application</td></tr>
 *   <tr><td>{@link #fromPassphraseFile(Path, char[])}</td><td>a keyset encrypted under a key derived
 *       from a passphrase with PBKDF2-HMAC-SHA256, a per-file 16-byte salt and a tunable iteration
 *       count (default {@value #DEFAULT_PBKDF2_ITERATIONS}, at least {@value #MIN_PBKDF2_ITERATIONS})</td></tr>
 * </table>
 *
 * <p>A missing, malformed or wrong keyset or passphrase fails with a {@link ConfigurationException}
 * naming the file or variable, never its content.
 *
 * <h2>The configuration decides the protection, not the file</h2>
 *
 * Whoever can replace a keyset file must not be able to lower its protection. So when a passphrase
 * is configured, {@link #load} and {@link #fromEnvironment} accept only a passphrase-protected file;
 * when a key-encryption key URI is configured, only a file KMS-encrypted under exactly that key;
 * and the URI a KMS-encrypted file names is never used to find its key, only compared with the
 * configured one. A cleartext or differently protected file is refused with a message naming the
 * file and the format expected.
 *
 * <p>Immutable and thread-safe; {@link #rotate()} returns a new keyring. {@code toString} shows
 * key ids only.
 *
 * @since 0.1
 */
public final class MasterKeyring {
  public static final String ENV_KEYSET = "LANONASIS_KEYSET";
  public static final String ENV_KEYSET_FILE = "LANONASIS_KEYSET_FILE";
  public static final String ENV_KEYSET_PASSPHRASE = "LANONASIS_KEYSET_PASSPHRASE";
  /**
   * The URI of the key-encryption key that a {@value #ENV_KEYSET_FILE} file is encrypted under,
   * such as {@code aws-kms://arn:aws:kms:...}; setting it requires a KMS-encrypted file.
   */
  public static final String ENV_KEK_URI = "LANONASIS_KEK_URI";
  /**
   * The PBKDF2-HMAC-SHA256 iterations {@link #writePassphraseFile} is normally given: the figure the
   * <a href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2">OWASP
   * Password Storage Cheat Sheet</a> gives for PBKDF2-HMAC-SHA256 (since its December 2022 update).
   */
  public static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
  /**
   * The floor: no passphrase file is written with fewer PBKDF2-HMAC-SHA256 iterations, and none
   * marked {@code lanonasis-passphrase-keyset/v2} is read with fewer. 210,000 is the figure the
   * <a href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2">OWASP
   * Password Storage Cheat Sheet</a> gives for PBKDF2-HMAC-<em>SHA512</em>; for HMAC-SHA256, the
   * function used here, it gives {@value #DEFAULT_PBKDF2_ITERATIONS}, our default. A file of the
   * earlier format {@code lanonasis-passphrase-keyset/v1} (written by versions that allowed 10,000)
   * still opens below the floor, with a warning.
   */
  public static final int MIN_PBKDF2_ITERATIONS = 210_000;
  /** A cap, so a file edited to an absurd count fails clearly instead of hanging the start. */
  public static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  /** The shortest passphrase accepted, when writing a passphrase file and when reading one. */
  public static final int MIN_PASSPHRASE_LENGTH = 8;
  /** The minimum of the versions that wrote {@value #LEGACY_PASSPHRASE_FORMAT} files. */
  static final int LEGACY_MIN_PBKDF2_ITERATIONS = 10_000;

  /**
   * What {@link #writePassphraseFile} writes. The format string is part of the associated data, so a
   * file cannot be relabelled {@value #LEGACY_PASSPHRASE_FORMAT} to dodge the floor.
   */
  static final String PASSPHRASE_FORMAT = "lanonasis-passphrase-keyset/v2";
  /**
   * The same envelope, written by earlier versions: read with the floor of
   * {@value #LEGACY_MIN_PBKDF2_ITERATIONS}, and a warning below {@value #MIN_PBKDF2_ITERATIONS}.
   */
  static final String LEGACY_PASSPHRASE_FORMAT = "lanonasis-passphrase-keyset/v1";
  static final String KMS_FORMAT = "lanonasis-kms-keyset/v1";
  private static final String KDF = "PBKDF2WithHmacSHA256";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeyring.class);

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeysetHandle handle;
  private final Aead aead;

  private MasterKeyring(KeysetHandle handle, String source) {
    this.handle = handle;
    try {
      this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(source + " is not an AEAD keyset (it must hold e.g. AES256_GCM keys)");
    }
  }

  // ---- sources -------------------------------------------------------------------------------

  /** A fresh keyring with one AES-256-GCM key, held only in memory. */
  public static MasterKeyring generate() {
    try {
      return new MasterKeyring(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), "generated keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not generate an AES256_GCM key", e);
    }
  }

  /** A cleartext Tink JSON keyset. */
  public static MasterKeyring fromCleartextJson(String json) {
    Objects.requireNonNull(json, "json");
    return new MasterKeyring(parseCleartext(json, "the keyset JSON"), "the keyset JSON");
  }

  /** A cleartext Tink JSON keyset file, as written by {@link #writeCleartextKeysetFile(Path)}. */
  public static MasterKeyring fromCleartextKeysetFile(Path file) {
    String json = readText(file);
    warnIfReadableByOthers(file);
    return new MasterKeyring(parseCleartext(json, "keyset file " + file), "keyset file " + file);
  }

  /**
   * A keyset file encrypted under {@code kek}, as written by {@link #writeKmsEncryptedFile}. The
   * file must name {@code kek}'s URI: one encrypted under any other key is refused.
   */
  public static MasterKeyring fromKmsEncryptedFile(Path file, KeyEncryptionKey kek) {
    Objects.requireNonNull(kek, "kek");
    JsonNode env = readKmsEnvelope(file, kek.uri());
    return openKms(file, env, kek);
  }

  /**
   * A keyset file encrypted under the KMS key at {@code kekUri}, through the Tink {@code KmsClient}
   * registered for that URI (see {@link KeyEncryptionKey#fromKmsUri}). The URI comes from the
   * application's configuration, never from the file: a file that names another key is refused
   * before any KMS is asked, so replacing the file cannot point the application at a key someone
   * else holds.
   */
  public static MasterKeyring fromKmsEncryptedFile(Path file, String kekUri) {
    requireUri(kekUri);
    JsonNode env = readKmsEnvelope(file, kekUri);
    return openKms(file, env, KeyEncryptionKey.fromKmsUri(kekUri));
  }

  private static JsonNode readKmsEnvelope(Path file, String configuredUri) {
    JsonNode env = readEnvelope(file, KMS_FORMAT);
    String storedUri = text(env, "kekUri", file);
    if (!storedUri.equals(configuredUri)) {
      throw new ConfigurationException("keyset file " + file + " was encrypted under " + storedUri
          + ", not under " + configuredUri);
    }
    return env;
  }

  private static MasterKeyring openKms(Path file, JsonNode env, KeyEncryptionKey kek) {
    byte[] ciphertext = base64(env, "keyset", file);
    try {
      KeysetHandle h = TinkProtoKeysetFormat.parseEncryptedKeyset(ciphertext, asAead(kek), kmsAad(kek.uri()));
      return new MasterKeyring(h, "keyset file " + file);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("could not decrypt keyset file " + file + " with " + kek.uri()
          + " (wrong key, or the file was altered)");
    }
  }

  /**
   * A passphrase-protected keyset file, as written by {@link #writePassphraseFile}: a
   * {@code lanonasis-passphrase-keyset/v2} file with at least {@value #MIN_PBKDF2_ITERATIONS}
   * iterations, or a {@code lanonasis-passphrase-keyset/v1} file of an earlier version with at least
   * 10,000; the latter below {@value #MIN_PBKDF2_ITERATIONS} opens with a warning that names the
   * fix, {@code lanonasis key protect}. The passphrase must have at least
   * {@value #MIN_PASSPHRASE_LENGTH} characters; {@code passphrase} is not modified.
   *
   * @throws ConfigurationException naming the file (never the passphrase) when the file is missing,
   *     malformed, below its floor or altered, or the passphrase is too short or wrong
   */
  public static MasterKeyring fromPassphraseFile(Path file, char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    JsonNode env = readEnvelope(file, PASSPHRASE_FORMAT, LEGACY_PASSPHRASE_FORMAT);
    String format = env.get("format").asText();
    boolean legacy = LEGACY_PASSPHRASE_FORMAT.equals(format);
    String kdf = text(env, "kdf", file);
    if (!KDF.equals(kdf)) {
      throw new ConfigurationException("keyset file " + file + " uses unsupported KDF " + SecretName.quote(kdf));
    }
    int floor = legacy ? LEGACY_MIN_PBKDF2_ITERATIONS : MIN_PBKDF2_ITERATIONS;
    JsonNode iterNode = env.get("iterations");
    if (iterNode == null || !iterNode.isInt() || iterNode.intValue() > MAX_PBKDF2_ITERATIONS) {
      throw new ConfigurationException("keyset file " + file + " has a missing or out-of-range 'iterations' ("
          + floor + ".." + MAX_PBKDF2_ITERATIONS + ")");
    }
    int iterations = iterNode.intValue();
    if (iterations < floor) {
      throw new ConfigurationException("keyset file " + file + " has " + iterations
          + " PBKDF2 iterations, below the floor of " + floor + " for a " + format + " file");
    }
    byte[] salt = base64(env, "salt", file);
    byte[] ciphertext = base64(env, "keyset", file);
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      // Checked before deriving: a short passphrase is refused the same way on reading as on writing.
      throw new ConfigurationException("the passphrase for keyset file " + file + " is too short (minimum "
          + MIN_PASSPHRASE_LENGTH + " characters)");
    }
    byte[] key = deriveKey(passphrase, salt, iterations);
    MasterKeyring keyring;
    try {
      Aead fileAead = new AesGcmJce(key);
      KeysetHandle h = TinkProtoKeysetFormat.parseEncryptedKeyset(
          ciphertext, fileAead, passphraseAad(format, iterations, salt));
      keyring = new MasterKeyring(h, "keyset file " + file);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("wrong passphrase for keyset file " + file + " (or the file was altered)");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    if (iterations < MIN_PBKDF2_ITERATIONS) {
      // Only a legacy file gets here, and only once it has opened: an altered one fails above instead.
      LOG.warn("Keyset file {} is protected by only {} PBKDF2 iterations, below the floor of {} that new files "
          + "must meet; it opens because an earlier version wrote it. Re-write it at {} iterations with "
          + "'lanonasis key protect --keyset {}' (passphrase in {})", file, iterations, MIN_PBKDF2_ITERATIONS,
          DEFAULT_PBKDF2_ITERATIONS, file, ENV_KEYSET_PASSPHRASE);
    }
    return keyring;
  }

  /**
   * A keyset file with no key-encryption key configured: {@code load(file, passphrase,
   * Optional.empty())}.
   */
  public static MasterKeyring load(Path file, Optional<char[]> passphrase) {
    return load(file, passphrase, Optional.empty());
  }

  /**
   * A keyset file of the protection the configuration asks for:
   *
   * <ul>
   *   <li>with {@code passphrase}: a passphrase-protected file ({@link #fromPassphraseFile});
   *   <li>with {@code kekUri}: a file KMS-encrypted under exactly that key
   *       ({@link #fromKmsEncryptedFile(Path, String)}; its client must be registered);
   *   <li>with neither: a cleartext Tink JSON keyset. A protected file then fails, naming the
   *       setting it needs ({@value #ENV_KEYSET_PASSPHRASE} or {@value #ENV_KEK_URI}).
   * </ul>
   *
   * A file of any other format is refused with a {@link ConfigurationException} naming the file
   * and the format expected, never its content; both settings at once are refused too.
   */
  public static MasterKeyring load(Path file, Optional<char[]> passphrase, Optional<String> kekUri) {
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(kekUri, "kekUri");
    kekUri.ifPresent(MasterKeyring::requireUri);
    if (passphrase.isPresent() && kekUri.isPresent()) {
      throw new ConfigurationException("both a passphrase (" + ENV_KEYSET_PASSPHRASE + ") and a key-encryption key ("
          + ENV_KEK_URI + ") are configured for keyset file " + file + "; set the one that protects it");
    }
    String format = formatOf(file);
    if (passphrase.isPresent()) {
      requireFormat(file, format, "a passphrase is configured (" + ENV_KEYSET_PASSPHRASE + ")",
          PASSPHRASE_FORMAT, LEGACY_PASSPHRASE_FORMAT);
      return fromPassphraseFile(file, passphrase.get());
    }
    if (kekUri.isPresent()) {
      requireFormat(file, format, "a key-encryption key is configured (" + ENV_KEK_URI + ")", KMS_FORMAT);
      return fromKmsEncryptedFile(file, kekUri.get());
    }
    switch (format) {
      case PASSPHRASE_FORMAT:
      case LEGACY_PASSPHRASE_FORMAT:
        throw new ConfigurationException("keyset file " + file + " is passphrase-protected; set " + ENV_KEYSET_PASSPHRASE);
      case KMS_FORMAT:
        throw new ConfigurationException("keyset file " + file + " is KMS-encrypted; set " + ENV_KEK_URI
            + " to the URI of the key it is encrypted under");
      default:
        return fromCleartextKeysetFile(file);
    }
  }

  /** The file's {@code format} member, or "" when it has none (a cleartext Tink keyset has none). */
  private static String formatOf(Path file) {
    String text = readText(file);
    try {
      JsonNode node = JSON.readTree(text);
      if (node != null && node.hasNonNull("format")) {
        return node.get("format").asText();
      }
      return "";
    } catch (IOException e) {
      throw new ConfigurationException("keyset file " + file + " is not JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static void requireFormat(Path file, String format, String because, String... accepted) {
    if (!Arrays.asList(accepted).contains(format)) {
      throw new ConfigurationException("keyset file " + file + " is " + describeFormat(format)
          + ", but " + because + ": only a " + String.join(" or ", accepted) + " file is accepted");
    }
  }

  /** What a file's format says it is, in words; an unknown format is not quoted (it is file content). */
  private static String describeFormat(String format) {
    switch (format) {
      case "":
        return "a cleartext keyset";
      case PASSPHRASE_FORMAT:
      case LEGACY_PASSPHRASE_FORMAT:
        return "passphrase-protected";
      case KMS_FORMAT:
        return "KMS-encrypted";
      default:
        return "of an unknown format";
    }
  }

  private static void requireUri(String kekUri) {
    Objects.requireNonNull(kekUri, "kekUri");
    if (kekUri.isBlank()) {
      throw new IllegalArgumentException("kekUri is blank");
    }
  }

  /**
   * The keyring named by the environment: {@value #ENV_KEYSET} holding a Tink JSON keyset, or
   * {@value #ENV_KEYSET_FILE} naming a file for {@link #load(Path, Optional, Optional)}, with
   * {@value #ENV_KEYSET_PASSPHRASE} for a passphrase-protected one or {@value #ENV_KEK_URI} for a
   * KMS-encrypted one; either of those makes a cleartext keyset (file or {@value #ENV_KEYSET}) an
   * error. Empty when neither {@value #ENV_KEYSET} nor {@value #ENV_KEYSET_FILE} is set (a caller
   * that then reads a keyset file of its own passes the other two to {@code load}); both set is an
   * error. Blank values count as unset.
   */
  public static Optional<MasterKeyring> fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String inline = blankToNull(env.get(ENV_KEYSET));
    String file = blankToNull(env.get(ENV_KEYSET_FILE));
    boolean passphrase = blankToNull(env.get(ENV_KEYSET_PASSPHRASE)) != null;
    String kekUri = blankToNull(env.get(ENV_KEK_URI));
    if (inline != null && file != null) {
      throw new ConfigurationException("both " + ENV_KEYSET + " and " + ENV_KEYSET_FILE + " are set; set one");
    }
    if (inline != null) {
      if (passphrase || kekUri != null) {
        throw new ConfigurationException(ENV_KEYSET + " holds a cleartext keyset, but "
            + (passphrase ? ENV_KEYSET_PASSPHRASE : ENV_KEK_URI) + " is set: a protected keyset is expected; "
            + "name its file with " + ENV_KEYSET_FILE);
      }
      MasterKeyring keyring = new MasterKeyring(parseCleartext(inline, ENV_KEYSET), ENV_KEYSET);
      // Said once per load, never with the keyset: an environment is read by more than this process
      // (ps e, /proc/<pid>/environ, crash reports, CI logs, child processes).
      LOG.warn("{} holds a cleartext master keyset: whoever reads this process's environment can open every "
          + "secret. Use a passphrase-protected file ({} with {}) or a KMS ({})", ENV_KEYSET, ENV_KEYSET_FILE,
          ENV_KEYSET_PASSPHRASE, ENV_KEK_URI);
      return Optional.of(keyring);
    }
    if (file != null) {
      return Optional.of(withEnvironmentPassphrase(env, p -> load(Path.of(file), p, Optional.ofNullable(kekUri))));
    }
    return Optional.empty();
  }

  /**
   * Hands {@value #ENV_KEYSET_PASSPHRASE} to {@code use} as a {@code char[]} made once and wiped
   * (zeros) when {@code use} returns or throws; empty when the variable is unset or blank. The
   * {@code String} in {@code env} belongs to the caller (for the process environment, to the JVM)
   * and cannot be wiped; nothing here keeps another copy.
   */
  static <T> T withEnvironmentPassphrase(Map<String, String> env, Function<Optional<char[]>, T> use) {
    String value = env.get(ENV_KEYSET_PASSPHRASE);
    char[] passphrase = value == null || value.isBlank() ? null : value.toCharArray();
    try {
      return use.apply(Optional.ofNullable(passphrase));
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Writes this keyset in cleartext (Tink JSON) to a new 0600 file. Protect it by other means. */
  public void writeCleartextKeysetFile(Path file) {
    try {
      writeNew(file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get())
          .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not serialize the keyset", e);
    }
  }

  /** Writes this keyset encrypted under {@code kek} to a new 0600 file. */
  public void writeKmsEncryptedFile(Path file, KeyEncryptionKey kek) {
    Objects.requireNonNull(kek, "kek");
    try {
      byte[] ct = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, asAead(kek), kmsAad(kek.uri()));
      ObjectNode env = JSON.createObjectNode();
      env.put("format", KMS_FORMAT);
      env.put("kekUri", kek.uri());
      env.put("keyset", Base64.getEncoder().encodeToString(ct));
      writeNew(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(env));
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("could not encrypt the keyset with " + kek.uri(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes this keyset to a new 0600 file of format {@code lanonasis-passphrase-keyset/v2}, encrypted with
   * AES-256-GCM under a key derived from {@code passphrase} (at least
   * {@value #MIN_PASSPHRASE_LENGTH} characters; not modified) by PBKDF2-HMAC-SHA256 with a fresh
   * random salt and {@code iterations} (at least {@value #MIN_PBKDF2_ITERATIONS};
   * {@value #DEFAULT_PBKDF2_ITERATIONS} is the default to use). The header (format, KDF, iterations,
   * salt) is authenticated, so changing any of it in the file makes the file fail to open.
   *
   * @throws IllegalArgumentException if {@code iterations} is out of range or the passphrase too short
   * @throws ConfigurationException if the file exists or cannot be written
   */
  public void writePassphraseFile(Path file, char[] passphrase, int iterations) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (iterations < MIN_PBKDF2_ITERATIONS) {
      throw new IllegalArgumentException("iterations too small: " + iterations + " (minimum " + MIN_PBKDF2_ITERATIONS + ")");
    }
    if (iterations > MAX_PBKDF2_ITERATIONS) {
      throw new IllegalArgumentException("iterations too large: " + iterations + " (maximum " + MAX_PBKDF2_ITERATIONS + ")");
    }
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new IllegalArgumentException("passphrase too short: " + passphrase.length + " characters (minimum "
          + MIN_PASSPHRASE_LENGTH + ")");
    }
    writePassphraseEnvelope(file, passphrase, iterations, PASSPHRASE_FORMAT);
  }

  /**
   * Writes the passphrase envelope of {@code format} with no check of the count or the passphrase:
   * {@link #writePassphraseFile} after its checks, and tests that need a file an earlier version
   * could have written.
   */
  void writePassphraseEnvelope(Path file, char[] passphrase, int iterations, String format) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    byte[] key = deriveKey(passphrase, salt, iterations);
    try {
      byte[] ct = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, new AesGcmJce(key),
          passphraseAad(format, iterations, salt));
      ObjectNode env = JSON.createObjectNode();
      env.put("format", format);
      env.put("kdf", KDF);
      env.put("iterations", iterations);
      env.put("salt", Base64.getEncoder().encodeToString(salt));
      env.put("keyset", Base64.getEncoder().encodeToString(ct));
      writeNew(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(env));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt the keyset", e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  // ---- rotation ------------------------------------------------------------------------------

  /**
   * A new keyring holding this one's keys plus a new AES-256-GCM primary. Save it, then re-wrap
   * the tenant keysets with {@link TenantKeyManager#rewrapTenantKeysets()}; only then drop the old
   * keys with {@link #retainPrimaryOnly()}.
   */
  public MasterKeyring rotate() {
    try {
      KeysetHandle next = KeysetHandle.newBuilder(handle)
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId().makePrimary())
          .build();
      return new MasterKeyring(next, "rotated keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not add a key", e);
    }
  }

  /** A keyring with only this one's primary key: what remains once every wrap uses it. */
  public MasterKeyring retainPrimaryOnly() {
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
      for (int i = b.size() - 1; i >= 0; i--) {
        if (!b.getAt(i).isPrimary()) {
          b.deleteAt(i);
        }
      }
      return new MasterKeyring(b.build(), "trimmed keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not trim the keyset", e);
    }
  }

  /**
   * A keyring without the key {@code keyId}: what {@code lanonasis key retire --master} saves once
   * no tenant keyset is wrapped under that key ({@link TenantKeyManager#masterKeyUsage()}).
   *
   * @throws InvalidInputException if {@code keyId} is the primary key or not in this keyring
   */
  public MasterKeyring withoutKey(int keyId) {
    if (keyId == primaryKeyId()) {
      throw new InvalidInputException("master key " + Integer.toUnsignedString(keyId)
          + " is the primary key; rotate first, then re-wrap, then retire it");
    }
    for (int i = 0; i < handle.size(); i++) {
      if (handle.getAt(i).getId() == keyId) {
        try {
          return new MasterKeyring(KeysetHandle.newBuilder(handle).deleteAt(i).build(), "trimmed keyset");
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not trim the keyset", e);
        }
      }
    }
    throw new InvalidInputException("master key " + Integer.toUnsignedString(keyId) + " is not in this keyring");
  }

  /** A keyring of this one's key {@code keyId} alone, made primary; null if there is no such key. */
  MasterKeyring onlyKey(int keyId) {
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
      boolean found = false;
      for (int i = b.size() - 1; i >= 0; i--) {
        if (handle.getAt(i).getId() == keyId) {
          b.getAt(i).setStatus(com.google.crypto.tink.KeyStatus.ENABLED).makePrimary();
          found = true;
        }
      }
      if (!found) {
        return null;
      }
      for (int i = b.size() - 1; i >= 0; i--) {
        if (handle.getAt(i).getId() != keyId) {
          b.deleteAt(i);
        }
      }
      return new MasterKeyring(b.build(), "single key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not select a key", e);
    }
  }

  /** The id of the key that wraps new data keysets. */
  public int primaryKeyId() {
    return handle.getPrimary().getId();
  }

  /** The ids of every key in the keyring. */
  public List<Integer> keyIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < handle.size(); i++) {
      ids.add(handle.getAt(i).getId());
    }
    return List.copyOf(ids);
  }

  @Override
  public String toString() {
    return "MasterKeyring[primary=" + Integer.toUnsignedString(primaryKeyId()) + ", keys=" + handle.size() + "]";
  }

  // ---- package-private crypto ------------------------------------------------------------------

  /** Encrypts a data keyset for {@code tenant}. */
  byte[] wrap(KeysetHandle dataKeyset, String tenant) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKeyset, aead, tenantAad(tenant));
  }

  /** Decrypts a data keyset of {@code tenant}; fails if it was wrapped for another tenant. */
  KeysetHandle unwrap(byte[] wrapped, String tenant) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, aead, tenantAad(tenant));
  }

  /**
   * Whether {@code wrapped} opens with this keyring. Called on a {@link #retainPrimaryOnly()} copy
   * to ask "is it wrapped under the primary already?".
   */
  boolean isWrappedUnderPrimary(byte[] wrapped, String tenant) {
    try {
      unwrap(wrapped, tenant);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static byte[] tenantAad(String tenant) {
    return ("lanonasis/tenant-keyset/v1\0" + tenant).getBytes(StandardCharsets.UTF_8);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void writeNew(Path file, byte[] content) {
    try {
      KeysetFiles.writeNew(file, content);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException("refusing to overwrite existing keyset file " + file);
    } catch (IOException e) {
      throw new ConfigurationException("could not write keyset file " + file + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static KeysetHandle parseCleartext(String json, String source) {
    try {
      return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // No cause: parser messages can quote the input, which is key material.
      throw new ConfigurationException(source + " is not a valid Tink JSON keyset");
    }
  }

  private static String readText(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("keyset file not found: " + file);
    } catch (IOException e) {
      throw new ConfigurationException("could not read keyset file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static JsonNode readEnvelope(Path file, String... formats) {
    String text = readText(file);
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      throw new ConfigurationException("keyset file " + file + " is not JSON");
    }
    if (node == null || !node.isObject() || !node.path("format").isTextual()
        || !Arrays.asList(formats).contains(node.path("format").asText())) {
      throw new ConfigurationException("keyset file " + file + " is not a " + String.join(" or ", formats) + " file");
    }
    return node;
  }

  private static String text(JsonNode env, String field, Path file) {
    JsonNode n = env.get(field);
    if (n == null || !n.isTextual()) {
      throw new ConfigurationException("keyset file " + file + " has no '" + field + "'");
    }
    return n.asText();
  }

  private static byte[] base64(JsonNode env, String field, Path file) {
    try {
      return Base64.getDecoder().decode(text(env, field, file));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("keyset file " + file + " has a malformed '" + field + "'");
    }
  }

  private static byte[] deriveKey(char[] passphrase, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      if (e instanceof InvalidKeySpecException) {
        throw new ConfigurationException("could not derive a key from the passphrase");
      }
      throw new IllegalStateException(KDF + " is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** The whole header: the format too, so that no field can be changed without the file failing to open. */
  private static byte[] passphraseAad(String format, int iterations, byte[] salt) {
    return (format + "\0" + KDF + "\0" + iterations + "\0" + Base64.getEncoder().encodeToString(salt))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] kmsAad(String kekUri) {
    return (KMS_FORMAT + "\0" + kekUri).getBytes(StandardCharsets.UTF_8);
  }

  private static Aead asAead(KeyEncryptionKey kek) {
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return kek.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return kek.decrypt(ciphertext, associatedData);
      }
    };
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (KeysetFiles.isReadableByOthers(file)) {
        LOG.warn("Keyset file {} is readable by group or others; restrict it with chmod 600", file);
      }
    } catch (IOException e) {
      LOG.debug("could not read permissions of {}", file);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
