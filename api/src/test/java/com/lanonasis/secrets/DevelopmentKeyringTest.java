package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeyringTest {
  @TempDir Path dir;

  private static List<String> keyValues(Path keysetFile) throws IOException {
    List<String> values = new ArrayList<>();
    for (JsonNode key : new ObjectMapper().readTree(Files.readString(keysetFile)).path("key")) {
      values.add(key.path("keyData").path("value").asText());
    }
    assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v).isNotBlank());
    return values;
  }

  @Test
  void loadOrCreate_noFile_createsOwnerOnlyFileAndWarns() throws IOException {
    Path file = dir.resolve("dev/master-keyset.json");

    try (LogCapture logs = LogCapture.start()) {
      MasterKeyring keyring = DevelopmentKeyring.loadOrCreate(file);

      assertThat(file).isRegularFile();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(KeyringFile.openCleartext(file).keyIds()).isEqualTo(keyring.keyIds());
      assertThat(logs.messages(Level.WARN))
          .hasSize(1)
          .first()
          .asString()
          .contains("DEVELOPMENT KEYSET")
          .contains(file.toAbsolutePath().toString())
          .contains("for development only");
    }
  }

  @Test
  void loadOrCreate_existingFile_loadsSameKeyringAndStillWarns() {
    Path file = dir.resolve("master-keyset.json");
    MasterKeyring created = DevelopmentKeyring.loadOrCreate(file);

    try (LogCapture logs = LogCapture.start()) {
      MasterKeyring loaded = DevelopmentKeyring.loadOrCreate(file);

      assertThat(loaded.keyIds()).isEqualTo(created.keyIds());
      assertThat(loaded.primaryKeyId()).isEqualTo(created.primaryKeyId());
      assertThat(logs.messages(Level.WARN))
          .hasSize(1)
          .first()
          .asString()
          .contains("DEVELOPMENT KEYSET")
          .contains(file.toAbsolutePath().toString())
          .contains("not for production");
    }
  }

  @Test
  void loadOrCreate_existingKeysetWrittenElsewhere_isUsedNotReplaced() {
    Path file = dir.resolve("master-keyset.json");
    MasterKeyring existing = MasterKeyring.generate().rotate();
    KeyringFile.writeCleartext(existing, file);

    MasterKeyring loaded = DevelopmentKeyring.loadOrCreate(file);

    assertThat(loaded.keyIds()).isEqualTo(existing.keyIds());
  }

  @Test
  void loadOrCreate_createThenLoad_logLinesNeverContainKeyMaterial() throws IOException {
    Path file = dir.resolve("master-keyset.json");

    try (LogCapture logs = LogCapture.start()) {
      DevelopmentKeyring.loadOrCreate(file);
      DevelopmentKeyring.loadOrCreate(file);
      String keysetJson = Files.readString(file);

      assertThat(logs.messages(Level.WARN)).hasSize(2);
      for (String line : logs.allText()) {
        assertThat(line).doesNotContain(keysetJson);
        for (String keyValue : keyValues(file)) {
          assertThat(line).doesNotContain(keyValue);
        }
      }
    }
  }

  @Test
  void loadOrCreate_corruptExistingFile_throwsConfigurationAndKeepsFile() throws IOException {
    Path file = dir.resolve("master-keyset.json");
    Files.writeString(file, "S3NTINEL-not-a-keyset");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DevelopmentKeyring.loadOrCreate(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("keyset file " + file + " is not a valid Tink JSON keyset");
    assertThat(file).hasContent("S3NTINEL-not-a-keyset");
  }

  @Test
  void loadOrCreate_passphraseConfiguredAndNoFile_refuses_andMakesNoCleartextKeyset() {
    Path file = dir.resolve("protected.json");
    assertThatThrownBy(
            () ->
                DevelopmentKeyring.loadOrCreate(
                    file,
                    java.util.Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, "a long passphrase")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LANONASIS_KEYSET_PASSPHRASE")
        .hasMessageNotContaining("a long passphrase");
    assertThatThrownBy(
            () ->
                DevelopmentKeyring.loadOrCreate(
                    file,
                    java.util.Map.of(
                        KeyringSources.ENV_KEK_URI, "aws-kms://arn:aws:kms:eu-west-1:1:key/x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LANONASIS_KEK_URI");
    assertThat(file).doesNotExist();
  }

  @Test
  void loadOrCreate_passphraseConfiguredAndACleartextFile_refusesTheDowngrade() {
    Path file = dir.resolve("cleartext.json");
    DevelopmentKeyring.loadOrCreate(file);
    assertThatThrownBy(
            () ->
                DevelopmentKeyring.loadOrCreate(
                    file,
                    java.util.Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, "a long passphrase")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void
      loadOrCreate_passphraseConfiguredAndAProtectedFile_loadsIt_andWithoutOneMakesADevelopmentKeyset() {
    Path file = dir.resolve("protected.json");
    MasterKeyring original = MasterKeyring.generate();
    KeyringFile.writePassphrase(
        original,
        file,
        "a long passphrase".toCharArray(),
        KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
    MasterKeyring loaded =
        DevelopmentKeyring.loadOrCreate(
            file, java.util.Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, "a long passphrase"));
    assertThat(loaded.primaryKeyId()).isEqualTo(original.primaryKeyId());
    Path dev = dir.resolve("dev.json");
    assertThat(DevelopmentKeyring.loadOrCreate(dev, java.util.Map.of())).isNotNull();
    assertThat(dev).exists();
  }
}
