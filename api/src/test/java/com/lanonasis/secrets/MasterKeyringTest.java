package com.lanonasis.secrets;

import static com.lanonasis.secrets.LeakAssertions.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalTestKms KMS = LocalTestKms.register();
  private static final int ITERATIONS = KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS;
  private static final String PASSPHRASE = "S3NTINEL-correct horse battery staple";
  private static final String OTHER_PASSPHRASE = "S3NTINEL-wrong horse battery staple";

  @TempDir Path dir;

  // ---- helpers -------------------------------------------------------------------------------

  private static char[] pass() {
    return PASSPHRASE.toCharArray();
  }

  /** The keyring's cleartext Tink JSON, exported through a file as the public API allows. */
  private String exportJson(MasterKeyring keyring) throws IOException {
    Path file = dir.resolve("export-" + UUID.randomUUID() + ".json");
    KeyringFile.writeCleartext(keyring, file);
    return Files.readString(file);
  }

  /** The base64 key material ("keyData.value") of every key in a Tink JSON keyset. */
  private static List<String> keyValues(String keysetJson) throws IOException {
    List<String> values = new ArrayList<>();
    for (JsonNode key : JSON.readTree(keysetJson).path("key")) {
      values.add(key.path("keyData").path("value").asText());
    }
    assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v).isNotBlank());
    return values;
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static ObjectNode readJson(Path file) throws IOException {
    return (ObjectNode) JSON.readTree(Files.readString(file));
  }

  private static void writeJson(Path file, JsonNode node) throws IOException {
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  private static List<Path> leftoverTempFiles(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".keyset-")).toList();
    }
  }

  // ---- sources -------------------------------------------------------------------------------

  @Nested
  @DisplayName("cleartext keyset file")
  class CleartextFile {
    @Test
    void writeCleartextKeysetFile_thenFromCleartextKeysetFile_sameKeyIds() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.json");

      KeyringFile.writeCleartext(keyring, file);
      MasterKeyring loaded = KeyringFile.openCleartext(file);

      assertThat(loaded.keyIds()).isEqualTo(keyring.keyIds());
      assertThat(loaded.primaryKeyId()).isEqualTo(keyring.primaryKeyId());
    }

    @Test
    void writeCleartextKeysetFile_newFile_isOwnerReadWriteOnly() throws IOException {
      Path file = dir.resolve("master.json");

      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      assertThat(permissions(file)).isEqualTo("rw-------");
      assertThat(leftoverTempFiles(dir)).isEmpty();
    }

    @Test
    void writeCleartextKeysetFile_missingParentDirectories_createsThem() throws IOException {
      Path file = dir.resolve("a/b/master.json");

      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      assertThat(file).isRegularFile();
      assertThat(permissions(file)).isEqualTo("rw-------");
    }

    @Test
    void writeCleartextKeysetFile_fileExists_refusedNamingPathAndFileUnchanged()
        throws IOException {
      Path file = dir.resolve("master.json");
      Files.writeString(file, "existing content");

      assertThatThrownBy(() -> KeyringFile.writeCleartext(MasterKeyring.generate(), file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("refusing to overwrite existing keyset file " + file);
      assertThat(file).hasContent("existing content");
      assertThat(leftoverTempFiles(dir)).isEmpty();
    }

    @Test
    void writeCleartextKeysetFile_sameKeyringTwiceToSamePath_secondRefused() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(keyring, file);

      assertThatThrownBy(() -> KeyringFile.writeCleartext(keyring, file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("refusing to overwrite existing keyset file " + file);
      assertThat(KeyringFile.openCleartext(file).keyIds()).isEqualTo(keyring.keyIds());
    }

    @Test
    void writeCleartextKeysetFile_fileContent_isTinkJsonWithKeyMaterial() throws IOException {
      Path file = dir.resolve("master.json");
      MasterKeyring keyring = MasterKeyring.generate();

      KeyringFile.writeCleartext(keyring, file);

      JsonNode node = JSON.readTree(Files.readString(file));
      assertThat(node.path("primaryKeyId").asInt()).isEqualTo(keyring.primaryKeyId());
      assertThat(keyValues(Files.readString(file))).hasSize(1);
    }

    @Test
    void fromCleartextKeysetFile_missingFile_throwsNotFoundNamingPath() {
      Path file = dir.resolve("nope.json");

      assertThatThrownBy(() -> KeyringFile.openCleartext(file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file not found: " + file);
    }

    @Test
    void fromCleartextKeysetFile_directory_throwsCouldNotReadNamingPath() {
      assertThatThrownBy(() -> KeyringFile.openCleartext(dir))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("could not read keyset file " + dir + ": ");
    }

    @Test
    void fromCleartextKeysetFile_malformedJson_messageHasNoFileContent() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("bad.json");
      Files.writeString(file, "{\"primaryKeyId\": 1, \"key\": [" + sentinel + " oops");

      ConfigurationException e =
          catchThrowableOfType(ConfigurationException.class, () -> KeyringFile.openCleartext(file));

      assertThat(e).hasMessage("keyset file " + file + " is not a valid Tink JSON keyset");
      assertNoLeak(e, sentinel, "oops");
    }

    @Test
    void fromCleartextKeysetFile_jsonThatIsNotAKeyset_messageHasNoFileContent() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("not-a-keyset.json");
      Files.writeString(file, "{\"password\": \"" + sentinel + "\", \"list\": [1, 2, 3]}");

      ConfigurationException e =
          catchThrowableOfType(ConfigurationException.class, () -> KeyringFile.openCleartext(file));

      assertThat(e).hasMessage("keyset file " + file + " is not a valid Tink JSON keyset");
      assertNoLeak(e, sentinel);
    }

    @Test
    void fromCleartextKeysetFile_keysetWithBadKeyData_messageHasNoFileContent() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      String b64Sentinel =
          Base64.getEncoder().encodeToString(sentinel.getBytes(StandardCharsets.UTF_8));
      Path file = dir.resolve("bad-key.json");
      Files.writeString(
          file,
          "{\"primaryKeyId\": 42, \"key\": [{\"keyData\": {"
              + "\"typeUrl\": \"type.googleapis.com/google.crypto.tink.AesGcmKey\","
              + "\"value\": \""
              + b64Sentinel
              + "\", \"keyMaterialType\": \"SYMMETRIC\"},"
              + "\"status\": \"ENABLED\", \"keyId\": 42, \"outputPrefixType\": \"TINK\"}]}");

      ConfigurationException e =
          catchThrowableOfType(ConfigurationException.class, () -> KeyringFile.openCleartext(file));

      assertThat(e.getMessage()).startsWith("keyset file " + file + " is not");
      assertNoLeak(e, sentinel, b64Sentinel);
    }

    @Test
    void fromCleartextJson_macKeyset_throwsNotAnAeadKeysetWithoutKeyMaterial() throws Exception {
      MacConfig.register();
      String macJson =
          TinkJsonProtoKeysetFormat.serializeKeyset(
              KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG),
              InsecureSecretKeyAccess.get());

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class, () -> KeyringFile.parseCleartextJson(macJson));

      assertThat(e)
          .hasMessage("the keyset JSON is not an AEAD keyset (it must hold e.g. AES256_GCM keys)");
      assertNoLeak(e, keyValues(macJson).toArray(String[]::new));
    }

    @Test
    void fromCleartextKeysetFile_readableByOthers_logsWarningNamingPath() throws IOException {
      Path file = dir.resolve("master.json");
      MasterKeyring keyring = MasterKeyring.generate();
      KeyringFile.writeCleartext(keyring, file);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

      try (LogCapture logs = LogCapture.start()) {
        MasterKeyring loaded = KeyringFile.openCleartext(file);

        assertThat(loaded.keyIds()).isEqualTo(keyring.keyIds());
        assertThat(logs.messages(Level.WARN))
            .containsExactly(
                "Keyset file "
                    + file
                    + " is readable by group or others; restrict it with chmod 600");
      }
    }

    @Test
    void fromCleartextKeysetFile_ownerOnly_logsNoWarning() {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      try (LogCapture logs = LogCapture.start()) {
        KeyringFile.openCleartext(file);

        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }
  }

  @Nested
  @DisplayName("passphrase-protected keyset file")
  class PassphraseFile {
    @Test
    void writePassphraseFile_thenFromPassphraseFile_sameKeyIds() {
      MasterKeyring keyring = MasterKeyring.generate().rotate();
      Path file = dir.resolve("master.pass.json");

      KeyringFile.writePassphrase(keyring, file, pass(), ITERATIONS);
      MasterKeyring loaded = KeyringFile.openPassphrase(file, pass());

      assertThat(loaded.keyIds()).isEqualTo(keyring.keyIds());
      assertThat(loaded.primaryKeyId()).isEqualTo(keyring.primaryKeyId());
    }

    @Test
    void writePassphraseFile_newFile_isOwnerOnlyWithHeaderAndNoCleartextKey() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.pass.json");

      KeyringFile.writePassphrase(keyring, file, pass(), ITERATIONS);

      assertThat(permissions(file)).isEqualTo("rw-------");
      ObjectNode env = readJson(file);
      assertThat(env.path("format").asText()).isEqualTo("lanonasis-passphrase-keyset/v2");
      assertThat(env.path("kdf").asText()).isEqualTo("PBKDF2WithHmacSHA256");
      assertThat(env.path("iterations").asInt()).isEqualTo(ITERATIONS);
      assertThat(Base64.getDecoder().decode(env.path("salt").asText())).hasSize(16);
      String content = Files.readString(file);
      assertThat(content).doesNotContain(PASSPHRASE);
      for (String keyValue : keyValues(exportJson(keyring))) {
        assertThat(content).doesNotContain(keyValue);
      }
    }

    @Test
    void fromPassphraseFile_wrongPassphrase_throwsWrongPassphraseWithoutEitherPassphrase() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringFile.openPassphrase(file, OTHER_PASSPHRASE.toCharArray()));

      assertThat(e)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
      assertNoLeak(e, PASSPHRASE, OTHER_PASSPHRASE, "S3NTINEL");
    }

    @Test
    void fromPassphraseFile_emptyPassphrase_refusedAsTooShort() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, new char[0]))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "the passphrase for keyset file " + file + " is too short (minimum 8 characters)");
    }

    @Test
    void fromPassphraseFile_iterationsRaisedInFile_fails() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("iterations", ITERATIONS + 1);
      writeJson(file, env);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class, () -> KeyringFile.openPassphrase(file, pass()));

      assertThat(e)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
      assertNoLeak(e, PASSPHRASE);
    }

    @Test
    void fromPassphraseFile_iterationsLoweredBelowMinimumInFile_fails() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS + 5);
      ObjectNode env = readJson(file);
      env.put("iterations", 1);
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " has 1 PBKDF2 iterations, below the floor of 210000 for a "
                  + "lanonasis-passphrase-keyset/v2 file");
    }

    @Test
    void fromPassphraseFile_iterationsLoweredButAboveMinimum_fails() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS + 5);
      ObjectNode env = readJson(file);
      env.put("iterations", ITERATIONS);
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
    }

    @Test
    void fromPassphraseFile_iterationsAsText_fails() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("iterations", String.valueOf(ITERATIONS));
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " has a missing or out-of-range 'iterations' (210000..10000000)");
    }

    @Test
    void fromPassphraseFile_saltReplaced_fails() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("salt", Base64.getEncoder().encodeToString(new byte[16]));
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
    }

    @Test
    void fromPassphraseFile_unsupportedKdf_failsNamingIt() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("kdf", "MD5");
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file " + file + " uses unsupported KDF 'MD5'");
    }

    @Test
    void fromPassphraseFile_malformedKeysetBase64_failsNamingField() throws IOException {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("keyset", "!!not base64!!");
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file " + file + " has a malformed 'keyset'");
    }

    @Test
    void fromPassphraseFile_cleartextFile_failsNamingFormat() {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is not a lanonasis-passphrase-keyset/v2 or "
                  + "lanonasis-passphrase-keyset/v1 file");
    }

    @Test
    void writePassphraseFile_twiceWithSamePassphrase_usesDifferentSalts() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      Path first = dir.resolve("one.json");
      Path second = dir.resolve("two.json");

      KeyringFile.writePassphrase(keyring, first, pass(), ITERATIONS);
      KeyringFile.writePassphrase(keyring, second, pass(), ITERATIONS);

      assertThat(readJson(first).path("salt").asText())
          .isNotEqualTo(readJson(second).path("salt").asText());
      assertThat(readJson(first).path("keyset").asText())
          .isNotEqualTo(readJson(second).path("keyset").asText());
      assertThat(KeyringFile.openPassphrase(second, pass()).keyIds()).isEqualTo(keyring.keyIds());
    }

    @Test
    void writePassphraseFile_iterationsBelowMinimum_throwsIllegalArgumentNamingNumber() {
      Path file = dir.resolve("master.pass.json");

      assertThatThrownBy(
              () -> KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), 209_999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("iterations too small: 209999 (minimum 210000)");
      assertThat(file).doesNotExist();
    }

    @Test
    void writePassphraseFile_shortPassphrase_throwsIllegalArgumentWithoutPassphrase() {
      Path file = dir.resolve("master.pass.json");
      String shortOne = "S3NTIN!";

      IllegalArgumentException e =
          catchThrowableOfType(
              IllegalArgumentException.class,
              () ->
                  KeyringFile.writePassphrase(
                      MasterKeyring.generate(), file, shortOne.toCharArray(), ITERATIONS));

      assertThat(e).hasMessage("passphrase too short: 7 characters (minimum 8)");
      assertNoLeak(e, shortOne);
      assertThat(file).doesNotExist();
    }

    @Test
    void writePassphraseFile_eightCharacterPassphrase_isAccepted() {
      Path file = dir.resolve("master.pass.json");
      MasterKeyring keyring = MasterKeyring.generate();

      KeyringFile.writePassphrase(keyring, file, "12345678".toCharArray(), ITERATIONS);

      assertThat(KeyringFile.openPassphrase(file, "12345678".toCharArray()).keyIds())
          .isEqualTo(keyring.keyIds());
    }

    @Test
    void writePassphraseFile_fileExists_refusedNamingPath() throws IOException {
      Path file = dir.resolve("master.pass.json");
      Files.writeString(file, "existing");

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS));

      assertThat(e).hasMessage("refusing to overwrite existing keyset file " + file);
      assertNoLeak(e, PASSPHRASE);
      assertThat(file).hasContent("existing");
    }

    @Test
    void writePassphraseFile_passphraseArray_isNotCleared() {
      char[] passphrase = pass();

      KeyringFile.writePassphrase(
          MasterKeyring.generate(), dir.resolve("k.json"), passphrase, ITERATIONS);

      assertThat(new String(passphrase)).isEqualTo(PASSPHRASE);
    }
  }

  @Nested
  @DisplayName("KMS-encrypted keyset file")
  class KmsEncryptedFile {
    @Test
    void fromKmsEncryptedFile_configuredUri_roundTrips() throws IOException {
      String uri = KMS.newKey("master");
      MasterKeyring keyring = MasterKeyring.generate().rotate();
      Path file = dir.resolve("master.kms.json");

      KeyringFile.writeKms(keyring, file, KeyEncryptionKey.fromKmsUri(uri));
      MasterKeyring loaded = KeyringFile.openKms(file, uri);

      assertThat(loaded.keyIds()).isEqualTo(keyring.keyIds());
      assertThat(loaded.primaryKeyId()).isEqualTo(keyring.primaryKeyId());
      assertThat(permissions(file)).isEqualTo("rw-------");
      ObjectNode env = readJson(file);
      assertThat(env.path("format").asText()).isEqualTo("lanonasis-kms-keyset/v1");
      assertThat(env.path("kekUri").asText()).isEqualTo(uri);
      String content = Files.readString(file);
      for (String keyValue : keyValues(exportJson(keyring))) {
        assertThat(content).doesNotContain(keyValue);
      }
    }

    @Test
    void fromKmsEncryptedFile_explicitKek_roundTrips() {
      KeyEncryptionKey kek = KeyEncryptionKey.fromKmsUri(KMS.newKey("explicit"));
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.kms.json");

      KeyringFile.writeKms(keyring, file, kek);

      assertThat(KeyringFile.openKms(file, kek).keyIds()).isEqualTo(keyring.keyIds());
    }

    @Test
    void fromKmsUri_registeredUri_namesUriInToString() {
      String uri = KMS.newKey("named");

      KeyEncryptionKey kek = KeyEncryptionKey.fromKmsUri(uri);

      assertThat(kek.uri()).isEqualTo(uri);
      assertThat(kek.toString()).isEqualTo("KeyEncryptionKey[" + uri + "]");
    }

    @Test
    void fromKmsEncryptedFile_wrongKek_throwsNamingBothUris() {
      String right = KMS.newKey("right");
      String wrong = KMS.newKey("wrong");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(right));

      assertThatThrownBy(() -> KeyringFile.openKms(file, KeyEncryptionKey.fromKmsUri(wrong)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file " + file + " was encrypted under " + right + ", not under " + wrong);
    }

    @Test
    void fromKmsEncryptedFile_fileUnderAnotherKeyThanConfigured_refused() {
      // Someone who can replace the file writes a keyset of their own under a KMS key they hold:
      // the file names that key, and its client is registered, so trusting the file would work.
      String configured = KMS.newKey("configured");
      String attackers = KMS.newKey("attackers");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(attackers));

      assertThatThrownBy(() -> KeyringFile.openKms(file, configured))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " was encrypted under "
                  + attackers
                  + ", not under "
                  + configured);
    }

    @Test
    void fromKmsEncryptedFile_blankUri_throwsIllegalArgument() {
      Path file = dir.resolve("master.kms.json");

      assertThatThrownBy(() -> KeyringFile.openKms(file, " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("kekUri is blank");
    }

    @Test
    void fromKmsUri_noClientForUri_throwsConfigurationNamingUri() {
      String unknown = LocalTestKms.SCHEME + "never-registered-" + UUID.randomUUID();

      assertThatThrownBy(() -> KeyEncryptionKey.fromKmsUri(unknown))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(
              "no Tink KMS client is registered for key URI " + unknown + " (register one");
    }

    @Test
    void fromKmsEncryptedFile_fileNamesUriWithNoClient_throwsConfigurationNamingUri() {
      String uri = "custom-kek://" + UUID.randomUUID();
      KeyEncryptionKey custom = new InMemoryKek(uri);
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(keyring, file, custom);

      assertThatThrownBy(() -> KeyringFile.openKms(file, uri))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("no Tink KMS client is registered for key URI " + uri);
      assertThat(KeyringFile.openKms(file, custom).keyIds()).isEqualTo(keyring.keyIds());
    }

    @Test
    void fromKmsEncryptedFile_ciphertextByteFlipped_throwsCouldNotDecrypt() throws IOException {
      String uri = KMS.newKey("tamper");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(uri));
      ObjectNode env = readJson(file);
      byte[] ct = Base64.getDecoder().decode(env.path("keyset").asText());
      ct[ct.length / 2] ^= 0x01;
      env.put("keyset", Base64.getEncoder().encodeToString(ct));
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openKms(file, uri))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "could not decrypt keyset file "
                  + file
                  + " with "
                  + uri
                  + " (wrong key, or the file was altered)");
    }

    @Test
    void fromKmsEncryptedFile_kekUriSwappedForAnotherKey_throwsCouldNotDecrypt()
        throws IOException {
      String original = KMS.newKey("original");
      String swapped = KMS.newKey("swapped");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(original));
      ObjectNode env = readJson(file);
      env.put("kekUri", swapped);
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openKms(file, swapped))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "could not decrypt keyset file "
                  + file
                  + " with "
                  + swapped
                  + " (wrong key, or the file was altered)");
      assertThatThrownBy(() -> KeyringFile.openKms(file, original))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " was encrypted under "
                  + swapped
                  + ", not under "
                  + original);
    }

    @Test
    void fromKmsEncryptedFile_keysetNotBase64_throwsMalformed() throws IOException {
      String uri = KMS.newKey("malformed");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(uri));
      ObjectNode env = readJson(file);
      env.put("keyset", "not*base64");
      writeJson(file, env);

      assertThatThrownBy(() -> KeyringFile.openKms(file, uri))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file " + file + " has a malformed 'keyset'");
    }

    @Test
    void fromKmsEncryptedFile_noKekUri_throwsNamingField() throws IOException {
      Path file = dir.resolve("master.kms.json");
      Files.writeString(file, "{\"format\": \"lanonasis-kms-keyset/v1\", \"keyset\": \"AAAA\"}");

      assertThatThrownBy(() -> KeyringFile.openKms(file, KMS.newKey("no-uri")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file " + file + " has no 'kekUri'");
    }

    @Test
    void fromKmsEncryptedFile_passphraseFile_throwsNotAKmsFile() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      assertThatThrownBy(() -> KeyringFile.openKms(file, KMS.newKey("pass")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file " + file + " is not a lanonasis-kms-keyset/v1 file");
    }

    @Test
    void writeKmsEncryptedFile_kekFails_throwsConfigurationAndWritesNothing() {
      String uri = "failing-kek://" + UUID.randomUUID();
      Path file = dir.resolve("master.kms.json");
      KeyEncryptionKey failing =
          new KeyEncryptionKey() {
            @Override
            public String uri() {
              return uri;
            }

            @Override
            public byte[] encrypt(byte[] plaintext, byte[] associatedData)
                throws GeneralSecurityException {
              throw new GeneralSecurityException("KMS said no");
            }

            @Override
            public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
                throws GeneralSecurityException {
              throw new GeneralSecurityException("KMS said no");
            }
          };

      assertThatThrownBy(() -> KeyringFile.writeKms(MasterKeyring.generate(), file, failing))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("could not encrypt the keyset with " + uri)
          .hasCauseInstanceOf(GeneralSecurityException.class);
      assertThat(file).doesNotExist();
    }

    @Test
    void writeKmsEncryptedFile_fileExists_refusedNamingPath() throws IOException {
      Path file = dir.resolve("master.kms.json");
      Files.writeString(file, "existing");
      KeyEncryptionKey kek = KeyEncryptionKey.fromKmsUri(KMS.newKey("exists"));

      assertThatThrownBy(() -> KeyringFile.writeKms(MasterKeyring.generate(), file, kek))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("refusing to overwrite existing keyset file " + file);
      assertThat(file).hasContent("existing");
    }
  }

  /** A key-encryption key over an in-memory Tink AEAD, for URIs no Tink KMS client serves. */
  private static final class InMemoryKek implements KeyEncryptionKey {
    private final String uri;
    private final Aead aead = LocalTestKms.newAead();

    InMemoryKek(String uri) {
      this.uri = uri;
    }

    @Override
    public String uri() {
      return uri;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
      return aead.encrypt(plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
        throws GeneralSecurityException {
      return aead.decrypt(ciphertext, associatedData);
    }
  }

  @Nested
  @DisplayName("load: the configuration decides the format, the file must match it")
  class Load {
    @Test
    void load_cleartextFile_loadsIt() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(keyring, file);

      assertThat(KeyringSources.load(file, KeyringProtection.none()).keyIds())
          .isEqualTo(keyring.keyIds());
    }

    @Test
    void load_passphraseFileWithPassphrase_loadsIt() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(keyring, file, pass(), ITERATIONS);

      assertThat(KeyringSources.load(file, KeyringProtection.passphrase(pass())).keyIds())
          .isEqualTo(keyring.keyIds());
    }

    @Test
    void load_kmsFileWithConfiguredKekUri_loadsItThroughRegisteredClient() {
      MasterKeyring keyring = MasterKeyring.generate();
      String uri = KMS.newKey("load");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(keyring, file, KeyEncryptionKey.fromKmsUri(uri));

      assertThat(KeyringSources.load(file, KeyringProtection.kms(uri)).keyIds())
          .isEqualTo(keyring.keyIds());
    }

    @Test
    void load_cleartextFileWithPassphraseGiven_refusedNamingExpectedFormat() throws IOException {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.load(file, KeyringProtection.passphrase(pass())));

      assertThat(e)
          .hasMessage(
              "keyset file "
                  + file
                  + " is a cleartext keyset, but a passphrase is configured "
                  + "(LANONASIS_KEYSET_PASSPHRASE): only a lanonasis-passphrase-keyset/v2 or "
                  + "lanonasis-passphrase-keyset/v1 file is accepted");
      assertNoLeak(e, keyValues(Files.readString(file)).toArray(String[]::new));
      assertNoLeak(e, PASSPHRASE);
    }

    @Test
    void load_kmsFileWithPassphraseGiven_refusedNamingExpectedFormat() {
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(
          MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(KMS.newKey("pass-given")));

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.passphrase(pass())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is KMS-encrypted, but a passphrase is configured "
                  + "(LANONASIS_KEYSET_PASSPHRASE): only a lanonasis-passphrase-keyset/v2 or "
                  + "lanonasis-passphrase-keyset/v1 file is accepted");
    }

    @Test
    void load_cleartextFileWithKekUriGiven_refusedNamingExpectedFormat() throws IOException {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);
      String uri = KMS.newKey("kek-given");

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.load(file, KeyringProtection.kms(uri)));

      assertThat(e)
          .hasMessage(
              "keyset file "
                  + file
                  + " is a cleartext keyset, but a key-encryption key is "
                  + "configured (LANONASIS_KEK_URI): only a lanonasis-kms-keyset/v1 file is accepted");
      assertNoLeak(e, keyValues(Files.readString(file)).toArray(String[]::new));
    }

    @Test
    void load_passphraseFileWithKekUriGiven_refusedNamingExpectedFormat() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);
      String uri = KMS.newKey("kek-given");

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.kms(uri)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is passphrase-protected, but a key-encryption key is "
                  + "configured (LANONASIS_KEK_URI): only a lanonasis-kms-keyset/v1 file is accepted");
    }

    @Test
    void load_unknownFormatWithPassphraseGiven_refusedWithoutQuotingTheFormat() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("odd.json");
      Files.writeString(file, "{\"format\": \"" + sentinel + "\"}");

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.load(file, KeyringProtection.passphrase(pass())));

      assertThat(e)
          .hasMessage(
              "keyset file "
                  + file
                  + " is of an unknown format, but a passphrase is configured "
                  + "(LANONASIS_KEYSET_PASSPHRASE): only a lanonasis-passphrase-keyset/v2 or "
                  + "lanonasis-passphrase-keyset/v1 file is accepted");
      assertNoLeak(e, sentinel);
    }

    @Test
    void load_kmsFileWithoutKekUri_refusedNamingVariable() {
      // The file names its key, and that key's client is registered: it is still not trusted.
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(
          MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(KMS.newKey("unconfigured")));

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.none()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is KMS-encrypted; set LANONASIS_KEK_URI to the URI of the key "
                  + "it is encrypted under");
    }

    @Test
    void load_kmsFileUnderAnotherKeyThanConfigured_refused() {
      String configured = KMS.newKey("configured");
      String attackers = KMS.newKey("attackers");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(attackers));

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.kms(configured)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " was encrypted under "
                  + attackers
                  + ", not under "
                  + configured);
    }

    @Test
    void environment_passphraseAndKekUriBothSet_refused() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          KeyringSources.ENV_KEYSET_FILE,
                          file.toString(),
                          KeyringSources.ENV_KEYSET_PASSPHRASE,
                          PASSPHRASE,
                          KeyringSources.ENV_KEK_URI,
                          KMS.newKey("both"))));

      assertThat(e)
          .hasMessage(
              "both a passphrase (LANONASIS_KEYSET_PASSPHRASE) and a key-encryption key "
                  + "(LANONASIS_KEK_URI) are configured for keyset file "
                  + file
                  + "; set the one that protects it");
      assertNoLeak(e, PASSPHRASE);
    }

    @Test
    void load_passphraseFileWithoutPassphrase_throwsMentioningVariable() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.none()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file " + file + " is passphrase-protected; set LANONASIS_KEYSET_PASSPHRASE");
    }

    @Test
    void load_passphraseFileWithWrongPassphrase_throwsWrongPassphrase() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.load(
                      file, KeyringProtection.passphrase(OTHER_PASSPHRASE.toCharArray())));

      assertThat(e).hasMessageStartingWith("wrong passphrase for keyset file " + file);
      assertNoLeak(e, PASSPHRASE, OTHER_PASSPHRASE);
    }

    @Test
    void load_notJson_throwsWithoutFileContent() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("garbage.json");
      Files.writeString(file, "{{ " + sentinel + " ]]");

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.load(file, KeyringProtection.none()));

      assertThat(e.getMessage()).startsWith("keyset file " + file + " is not JSON");
      assertNoLeak(e, sentinel);
    }

    @Test
    void load_jsonThatIsNotAKeyset_throwsWithoutFileContent() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("other.json");
      Files.writeString(file, "{\"format\": \"" + sentinel + "\"}");

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.load(file, KeyringProtection.none()));

      assertThat(e).hasMessage("keyset file " + file + " is not a valid Tink JSON keyset");
      assertNoLeak(e, sentinel);
    }

    @Test
    void load_missingFile_throwsNotFound() {
      Path file = dir.resolve("missing.json");

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.none()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file not found: " + file);
    }
  }

  @Nested
  @DisplayName("fromEnvironment")
  class Environment {
    @Test
    void fromEnvironment_emptyMap_isEmpty() {
      assertThat(KeyringSources.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void fromEnvironment_blankValues_isEmpty() {
      assertThat(
              KeyringSources.fromEnvironment(
                  Map.of(KeyringSources.ENV_KEYSET, " ", KeyringSources.ENV_KEYSET_FILE, "")))
          .isEmpty();
    }

    @Test
    void fromEnvironment_unrelatedVariables_isEmpty() {
      assertThat(KeyringSources.fromEnvironment(Map.of("HOME", "/root", "PATH", "/bin"))).isEmpty();
    }

    @Test
    void fromEnvironment_inlineJson_loadsIt() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      String json = exportJson(keyring);

      Optional<MasterKeyring> loaded =
          KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET", json));

      assertThat(loaded)
          .hasValueSatisfying(k -> assertThat(k.keyIds()).isEqualTo(keyring.keyIds()));
    }

    @Test
    void fromEnvironment_keysetFile_loadsIt() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(keyring, file);

      Optional<MasterKeyring> loaded =
          KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET_FILE", file.toString()));

      assertThat(loaded)
          .hasValueSatisfying(k -> assertThat(k.keyIds()).isEqualTo(keyring.keyIds()));
    }

    @Test
    void fromEnvironment_passphraseFileWithPassphrase_loadsIt() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(keyring, file, pass(), ITERATIONS);

      Optional<MasterKeyring> loaded =
          KeyringSources.fromEnvironment(
              Map.of(
                  "LANONASIS_KEYSET_FILE",
                  file.toString(),
                  "LANONASIS_KEYSET_PASSPHRASE",
                  PASSPHRASE));

      assertThat(loaded)
          .hasValueSatisfying(k -> assertThat(k.keyIds()).isEqualTo(keyring.keyIds()));
    }

    @Test
    void fromEnvironment_cleartextFileWithPassphraseSet_refused() {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          "LANONASIS_KEYSET_FILE",
                          file.toString(),
                          "LANONASIS_KEYSET_PASSPHRASE",
                          PASSPHRASE)));

      assertThat(e)
          .hasMessage(
              "keyset file "
                  + file
                  + " is a cleartext keyset, but a passphrase is configured "
                  + "(LANONASIS_KEYSET_PASSPHRASE): only a lanonasis-passphrase-keyset/v2 or "
                  + "lanonasis-passphrase-keyset/v1 file is accepted");
      assertNoLeak(e, PASSPHRASE);
    }

    @Test
    void fromEnvironment_kmsFileWithKekUri_loadsIt() {
      MasterKeyring keyring = MasterKeyring.generate();
      String uri = KMS.newKey("env");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(keyring, file, KeyEncryptionKey.fromKmsUri(uri));

      Optional<MasterKeyring> loaded =
          KeyringSources.fromEnvironment(
              Map.of("LANONASIS_KEYSET_FILE", file.toString(), "LANONASIS_KEK_URI", uri));

      assertThat(loaded)
          .hasValueSatisfying(k -> assertThat(k.keyIds()).isEqualTo(keyring.keyIds()));
    }

    @Test
    void fromEnvironment_kmsFileWithoutKekUri_refusedNamingVariable() {
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(
          MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(KMS.newKey("env")));

      assertThatThrownBy(
              () ->
                  KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET_FILE", file.toString())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is KMS-encrypted; set LANONASIS_KEK_URI to the URI of the key "
                  + "it is encrypted under");
    }

    @Test
    void fromEnvironment_kmsFileUnderAnotherKeyThanKekUri_refused() {
      String configured = KMS.newKey("configured");
      String attackers = KMS.newKey("attackers");
      Path file = dir.resolve("master.kms.json");
      KeyringFile.writeKms(MasterKeyring.generate(), file, KeyEncryptionKey.fromKmsUri(attackers));

      assertThatThrownBy(
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          "LANONASIS_KEYSET_FILE",
                          file.toString(),
                          "LANONASIS_KEK_URI",
                          configured)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " was encrypted under "
                  + attackers
                  + ", not under "
                  + configured);
    }

    @Test
    void fromEnvironment_cleartextFileWithKekUriSet_refused() {
      Path file = dir.resolve("master.json");
      KeyringFile.writeCleartext(MasterKeyring.generate(), file);

      assertThatThrownBy(
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          "LANONASIS_KEYSET_FILE",
                          file.toString(),
                          "LANONASIS_KEK_URI",
                          KMS.newKey("env"))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is a cleartext keyset, but a key-encryption key is "
                  + "configured (LANONASIS_KEK_URI): only a lanonasis-kms-keyset/v1 file is accepted");
    }

    @Test
    void fromEnvironment_inlineKeysetWithPassphraseOrKekUriSet_refused() throws IOException {
      String json = exportJson(MasterKeyring.generate());

      ConfigurationException withPassphrase =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of("LANONASIS_KEYSET", json, "LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE)));
      ConfigurationException withKek =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of("LANONASIS_KEYSET", json, "LANONASIS_KEK_URI", KMS.newKey("inline"))));

      assertThat(withPassphrase)
          .hasMessage(
              "LANONASIS_KEYSET holds a cleartext keyset, but LANONASIS_KEYSET_PASSPHRASE "
                  + "is set: a protected keyset is expected; name its file with LANONASIS_KEYSET_FILE");
      assertThat(withKek)
          .hasMessage(
              "LANONASIS_KEYSET holds a cleartext keyset, but LANONASIS_KEK_URI "
                  + "is set: a protected keyset is expected; name its file with LANONASIS_KEYSET_FILE");
      assertNoLeak(withPassphrase, keyValues(json).toArray(String[]::new));
      assertNoLeak(withPassphrase, PASSPHRASE);
      assertNoLeak(withKek, keyValues(json).toArray(String[]::new));
    }

    @Test
    void fromEnvironment_passphraseOrKekUriWithoutKeyset_isEmpty() {
      assertThat(KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE)))
          .isEmpty();
      assertThat(KeyringSources.fromEnvironment(Map.of("LANONASIS_KEK_URI", KMS.newKey("alone"))))
          .isEmpty();
    }

    @Test
    void fromEnvironment_passphraseFileWithoutPassphrase_throwsMentioningVariable() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      assertThatThrownBy(
              () ->
                  KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET_FILE", file.toString())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("LANONASIS_KEYSET_PASSPHRASE");
    }

    @Test
    void fromEnvironment_passphraseFileWithWrongPassphrase_throwsWithoutPassphrase() {
      Path file = dir.resolve("master.pass.json");
      KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), ITERATIONS);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          "LANONASIS_KEYSET_FILE",
                          file.toString(),
                          "LANONASIS_KEYSET_PASSPHRASE",
                          OTHER_PASSPHRASE)));

      assertThat(e).hasMessageStartingWith("wrong passphrase for keyset file " + file);
      assertNoLeak(e, OTHER_PASSPHRASE, PASSPHRASE);
    }

    @Test
    void fromEnvironment_bothSet_throwsNamingBothVariables() throws IOException {
      Path file = dir.resolve("master.json");
      MasterKeyring keyring = MasterKeyring.generate();
      KeyringFile.writeCleartext(keyring, file);
      String json = Files.readString(file);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of("LANONASIS_KEYSET", json, "LANONASIS_KEYSET_FILE", file.toString())));

      assertThat(e).hasMessage("both LANONASIS_KEYSET and LANONASIS_KEYSET_FILE are set; set one");
      assertNoLeak(e, keyValues(json).toArray(String[]::new));
    }

    @Test
    void fromEnvironment_badInlineJson_throwsWithoutContent() {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of("LANONASIS_KEYSET", "{\"key\": \"" + sentinel + "\"")));

      assertThat(e).hasMessage("LANONASIS_KEYSET is not a valid Tink JSON keyset");
      assertNoLeak(e, sentinel);
    }

    @Test
    void fromEnvironment_truncatedRealKeyset_throwsWithoutKeyMaterial() throws IOException {
      String json = exportJson(MasterKeyring.generate());
      List<String> keyMaterial = keyValues(json);
      String truncated = json.substring(0, json.lastIndexOf('}'));

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET", truncated)));

      assertThat(e).hasMessage("LANONASIS_KEYSET is not a valid Tink JSON keyset");
      assertNoLeak(e, keyMaterial.toArray(String[]::new));
    }

    @Test
    void fromEnvironment_missingKeysetFile_throwsNotFound() {
      Path file = dir.resolve("missing.json");

      assertThatThrownBy(
              () ->
                  KeyringSources.fromEnvironment(Map.of("LANONASIS_KEYSET_FILE", file.toString())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file not found: " + file);
    }

    @Test
    void fromEnvironment_mutableMapWithNullValues_treatedAsUnset() {
      Map<String, String> env = new HashMap<>();
      env.put("LANONASIS_KEYSET", null);

      assertThat(KeyringSources.fromEnvironment(env)).isEmpty();
    }
  }

  @Nested
  @DisplayName("rotation and key ids")
  class Rotation {
    @Test
    void generate_singleKey_isPrimary() {
      MasterKeyring keyring = MasterKeyring.generate();

      assertThat(keyring.keyIds()).containsExactly(keyring.primaryKeyId());
    }

    @Test
    void rotate_keepsOldKeyIdsAndAddsNewPrimary() {
      MasterKeyring original = MasterKeyring.generate();

      MasterKeyring rotated = original.rotate();

      assertThat(rotated.keyIds()).hasSize(2).containsAll(original.keyIds());
      assertThat(rotated.primaryKeyId()).isNotEqualTo(original.primaryKeyId());
      assertThat(rotated.keyIds()).contains(rotated.primaryKeyId());
      assertThat(original.keyIds()).hasSize(1);
    }

    @Test
    void rotate_twice_holdsThreeKeys() {
      MasterKeyring original = MasterKeyring.generate();
      MasterKeyring once = original.rotate();

      MasterKeyring twice = once.rotate();

      assertThat(twice.keyIds()).hasSize(3).containsAll(once.keyIds());
      assertThat(twice.primaryKeyId()).isNotIn(once.keyIds());
    }

    @Test
    void retainPrimaryOnly_rotatedKeyring_keepsOnlyPrimary() {
      MasterKeyring rotated = MasterKeyring.generate().rotate().rotate();

      MasterKeyring trimmed = rotated.retainPrimaryOnly();

      assertThat(trimmed.keyIds()).containsExactly(rotated.primaryKeyId());
      assertThat(trimmed.primaryKeyId()).isEqualTo(rotated.primaryKeyId());
      assertThat(rotated.keyIds()).hasSize(3);
    }

    @Test
    void rotate_thenSaveAndLoad_keepsAllKeysAndPrimary() {
      MasterKeyring rotated = MasterKeyring.generate().rotate();
      Path file = dir.resolve("rotated.json");

      KeyringFile.writeCleartext(rotated, file);
      MasterKeyring loaded = KeyringFile.openCleartext(file);

      assertThat(loaded.keyIds()).isEqualTo(rotated.keyIds());
      assertThat(loaded.primaryKeyId()).isEqualTo(rotated.primaryKeyId());
    }

    @Test
    void toString_showsIdsOnlyAndNoKeyMaterial() throws Exception {
      MasterKeyring keyring = MasterKeyring.generate().rotate();
      String json = exportJson(keyring);
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      String serializedB64 =
          Base64.getEncoder()
              .encodeToString(
                  TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));

      String text = keyring.toString();

      assertThat(text)
          .isEqualTo(
              "MasterKeyring[primary="
                  + Integer.toUnsignedString(keyring.primaryKeyId())
                  + ", keys=2]");
      assertThat(text)
          .doesNotContain("keyValue")
          .doesNotContain("value")
          .doesNotContain(serializedB64);
      for (String keyValue : keyValues(json)) {
        assertThat(text).doesNotContain(keyValue);
      }
    }
  }

  @Nested
  @DisplayName("wrapping tenant data keysets")
  class Wrapping {
    private KeysetHandle dataKeyset() throws GeneralSecurityException {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    }

    @Test
    void unwrap_sameTenant_returnsSameKeyset() throws Exception {
      MasterKeyring keyring = MasterKeyring.generate();
      KeysetHandle data = dataKeyset();

      KeysetHandle unwrapped = keyring.unwrap(keyring.wrap(data, "acme"), "acme");

      assertThat(unwrapped.getPrimary().getId()).isEqualTo(data.getPrimary().getId());
      assertThat(unwrapped.equalsKeyset(data)).isTrue();
    }

    @Test
    void unwrap_otherTenant_failsIntegrity() throws Exception {
      MasterKeyring keyring = MasterKeyring.generate();
      byte[] wrapped = keyring.wrap(dataKeyset(), "acme");

      assertThatThrownBy(() -> keyring.unwrap(wrapped, "globex"))
          .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void unwrap_afterRotate_oldWrapsStillOpen() throws Exception {
      MasterKeyring original = MasterKeyring.generate();
      byte[] wrapped = original.wrap(dataKeyset(), "acme");

      MasterKeyring rotated = original.rotate();

      assertThat(rotated.unwrap(wrapped, "acme").size()).isEqualTo(1);
      assertThat(rotated.retainPrimaryOnly().isWrappedUnderPrimary(wrapped, "acme")).isFalse();
      assertThat(
              rotated
                  .retainPrimaryOnly()
                  .isWrappedUnderPrimary(rotated.wrap(dataKeyset(), "acme"), "acme"))
          .isTrue();
    }
  }
}
