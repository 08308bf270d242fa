package com.lanonasis.secrets;

import static com.lanonasis.secrets.LeakAssertions.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passphrase floor of issue 12: at least {@value KeyringFile.Passphrase#MIN_PBKDF2_ITERATIONS}
 * PBKDF2 iterations for files this version writes (format v2), the old floor with a warning for
 * files of earlier versions (v1), 8 characters on reading too, and the environment's passphrase
 * wiped.
 */
class PassphraseFloorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "S3NTINEL-floor passphrase";
  private static final String V2 = "lanonasis-passphrase-keyset/v2";
  private static final String V1 = "lanonasis-passphrase-keyset/v1";

  /** Written by the version before the floor, with its minimum of 10,000 iterations. */
  private static final String LEGACY_FIXTURE = "/keysets/legacy-v1-10000-iterations.json";

  private static final String LEGACY_FIXTURE_PASSPHRASE = "S3NTINEL-legacy passphrase";
  private static final List<Integer> LEGACY_FIXTURE_KEY_IDS = List.of(311838031, 1115782985);

  @TempDir Path dir;

  private static char[] pass() {
    return PASSPHRASE.toCharArray();
  }

  private Path legacyFixture() throws IOException {
    Path file = dir.resolve("legacy.json");
    try (InputStream in = PassphraseFloorTest.class.getResourceAsStream(LEGACY_FIXTURE)) {
      assertThat(in).as(LEGACY_FIXTURE).isNotNull();
      Files.copy(in, file);
    }
    return file;
  }

  /**
   * A file of {@code format} with any count, as this or an earlier version could have written it.
   */
  private Path written(MasterKeyring keyring, String format, int iterations) {
    Path file =
        dir.resolve(
            format.replace('/', '-') + "-" + iterations + "-" + UUID.randomUUID() + ".json");
    PassphraseKeyringFormat.writeEnvelope(keyring, file, pass(), iterations, format);
    return file;
  }

  private static ObjectNode readJson(Path file) throws IOException {
    return (ObjectNode) JSON.readTree(Files.readString(file));
  }

  private static void relabel(Path file, String format) throws IOException {
    ObjectNode env = readJson(file);
    env.put("format", format);
    Files.writeString(file, JSON.writeValueAsString(env));
  }

  /** The base64 key material of every key of {@code keyring}, exported through a cleartext file. */
  private List<String> keyMaterial(MasterKeyring keyring) throws IOException {
    Path export = dir.resolve("export-" + UUID.randomUUID() + ".json");
    KeyringFile.writeCleartext(keyring, export);
    List<String> values = new ArrayList<>();
    for (JsonNode key : JSON.readTree(Files.readString(export)).path("key")) {
      values.add(key.path("keyData").path("value").asText());
    }
    Files.delete(export);
    assertThat(values).isNotEmpty();
    return values;
  }

  @Nested
  @DisplayName("writing: the floor and the v2 marker")
  class Writing {
    @Test
    void writePassphraseFile_belowFloor_refusedNamingTheFloor() {
      Path file = dir.resolve("k.json");

      assertThatThrownBy(
              () -> KeyringFile.writePassphrase(MasterKeyring.generate(), file, pass(), 209_999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("iterations too small: 209999 (minimum 210000)");
      assertThat(file).doesNotExist();
    }

    @Test
    void writePassphraseFile_atFloor_writesAV2FileThatOpensWithoutWarning() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate().rotate();
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          keyring, file, pass(), KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);

      assertThat(readJson(file).path("format").asText()).isEqualTo(V2);
      assertThat(readJson(file).path("iterations").asInt()).isEqualTo(210_000);
      try (LogCapture logs = LogCapture.start()) {
        assertThat(KeyringFile.openPassphrase(file, pass()).keyIds()).isEqualTo(keyring.keyIds());
        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }

    @Test
    void constants_floorAndDefault_areTheDocumentedFigures() {
      assertThat(KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS).isEqualTo(210_000);
      assertThat(KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS).isEqualTo(600_000);
      assertThat(KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH).isEqualTo(8);
    }
  }

  @Nested
  @DisplayName("reading a v2 file: the floor holds")
  class ReadingV2 {
    @Test
    void fromPassphraseFile_v2BelowFloor_refusedNamingFileAndFloor() {
      Path file = written(MasterKeyring.generate(), V2, 10_000);

      try (LogCapture logs = LogCapture.start()) {
        ConfigurationException e =
            catchThrowableOfType(
                ConfigurationException.class, () -> KeyringFile.openPassphrase(file, pass()));

        assertThat(e)
            .hasMessage(
                "keyset file "
                    + file
                    + " has 10000 PBKDF2 iterations, below the floor of 210000 "
                    + "for a lanonasis-passphrase-keyset/v2 file");
        assertNoLeak(e, PASSPHRASE);
        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }

    @Test
    void fromPassphraseFile_v2JustBelowFloor_refused() {
      Path file = written(MasterKeyring.generate(), V2, 209_999);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("below the floor of 210000");
    }

    @Test
    void load_v2BelowFloor_refusedToo() {
      Path file = written(MasterKeyring.generate(), V2, 10_000);

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.passphrase(pass())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("below the floor of 210000");
    }

    @Test
    void fromPassphraseFile_v2BelowFloorRelabelledV1_failsToOpenAndDoesNotWarn()
        throws IOException {
      Path file = written(MasterKeyring.generate(), V2, 10_000);
      relabel(file, V1);

      try (LogCapture logs = LogCapture.start()) {
        ConfigurationException e =
            catchThrowableOfType(
                ConfigurationException.class, () -> KeyringFile.openPassphrase(file, pass()));

        assertThat(e)
            .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
        assertThat(logs.messages(Level.WARN))
            .as("no 'opens with a warning' for an altered file")
            .isEmpty();
      }
    }

    @Test
    void fromPassphraseFile_v2AtDefaultRelabelledV1_failsToOpen() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          keyring, file, pass(), KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
      relabel(file, V1);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
    }

    @Test
    void fromPassphraseFile_v1RelabelledV2_failsToOpen() throws IOException {
      Path file =
          written(MasterKeyring.generate(), V1, KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
      relabel(file, V2);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
    }

    @Test
    void fromPassphraseFile_v2IterationsLoweredToFloorInFile_failsToOpen() throws IOException {
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          MasterKeyring.generate(), file, pass(), KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
      ObjectNode env = readJson(file);
      env.put("iterations", KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
      Files.writeString(file, JSON.writeValueAsString(env));

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("wrong passphrase for keyset file " + file + " (or the file was altered)");
    }
  }

  @Nested
  @DisplayName("reading a v1 file of an earlier version: opens, with a warning below the floor")
  class ReadingV1 {
    @Test
    void fromPassphraseFile_v1FixtureWithTenThousand_opensWithAWarningNamingFileCountAndFix()
        throws IOException {
      Path file = legacyFixture();

      try (LogCapture logs = LogCapture.start()) {
        MasterKeyring keyring =
            KeyringFile.openPassphrase(file, LEGACY_FIXTURE_PASSPHRASE.toCharArray());

        assertThat(keyring.keyIds()).isEqualTo(LEGACY_FIXTURE_KEY_IDS);
        assertThat(logs.messages(Level.WARN))
            .containsExactly(
                "Keyset file "
                    + file
                    + " is protected by only 10000 "
                    + "PBKDF2 iterations, below the floor of 210000 that new files must meet; it opens because an earlier "
                    + "version wrote it. Re-write it at 600000 iterations with 'lanonasis key protect --keyset "
                    + file
                    + "' (passphrase in LANONASIS_KEYSET_PASSPHRASE)");
        List<String> sentinels = new ArrayList<>(keyMaterial(keyring));
        sentinels.add(LEGACY_FIXTURE_PASSPHRASE);
        sentinels.add(readJson(file).path("keyset").asText());
        for (String line : logs.allText()) {
          for (String sentinel : sentinels) {
            assertThat(line).doesNotContain(sentinel);
          }
        }
      }
    }

    @Test
    void fromPassphraseFile_v1JustBelowFloor_opensWithAWarning() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = written(keyring, V1, 209_999);

      try (LogCapture logs = LogCapture.start()) {
        assertThat(KeyringFile.openPassphrase(file, pass()).keyIds()).isEqualTo(keyring.keyIds());
        assertThat(logs.messages(Level.WARN))
            .singleElement()
            .asString()
            .contains(file.toString(), "only 209999 PBKDF2 iterations", "lanonasis key protect");
      }
    }

    @Test
    void fromPassphraseFile_v1AtFloor_opensWithoutWarning() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = written(keyring, V1, KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);

      try (LogCapture logs = LogCapture.start()) {
        assertThat(KeyringFile.openPassphrase(file, pass()).keyIds()).isEqualTo(keyring.keyIds());
        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }

    @Test
    void fromPassphraseFile_v1BelowTheOldMinimum_refused() {
      Path file = written(MasterKeyring.generate(), V1, 9_999);

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, pass()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " has 9999 PBKDF2 iterations, below the floor of 10000 "
                  + "for a lanonasis-passphrase-keyset/v1 file");
    }

    @Test
    void load_andFromEnvironment_v1Fixture_openWithTheWarning() throws IOException {
      Path file = legacyFixture();

      try (LogCapture logs = LogCapture.start()) {
        assertThat(
                KeyringSources.load(
                        file, KeyringProtection.passphrase(LEGACY_FIXTURE_PASSPHRASE.toCharArray()))
                    .keyIds())
            .isEqualTo(LEGACY_FIXTURE_KEY_IDS);
        assertThat(
                KeyringSources.fromEnvironment(
                    Map.of(
                        KeyringSources.ENV_KEYSET_FILE,
                        file.toString(),
                        KeyringSources.ENV_KEYSET_PASSPHRASE,
                        LEGACY_FIXTURE_PASSPHRASE)))
            .get()
            .extracting(MasterKeyring::keyIds)
            .isEqualTo(LEGACY_FIXTURE_KEY_IDS);
        assertThat(logs.messages(Level.WARN))
            .hasSize(2)
            .allSatisfy(w -> assertThat(w).contains("10000"));
      }
    }

    @Test
    void load_v1FileWithoutPassphrase_namesTheVariable() throws IOException {
      Path file = legacyFixture();

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.none()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file " + file + " is passphrase-protected; set LANONASIS_KEYSET_PASSPHRASE");
    }
  }

  @Nested
  @DisplayName("the 8-character minimum on reading")
  class PassphraseLengthOnReading {
    @Test
    void fromPassphraseFile_sevenCharacters_refusedWithoutThePassphrase() {
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          MasterKeyring.generate(),
          file,
          "S3NTINEL".toCharArray(),
          KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
      String shortOne = "S3NTIN!";

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> KeyringFile.openPassphrase(file, shortOne.toCharArray()));

      assertThat(e)
          .hasMessage(
              "the passphrase for keyset file " + file + " is too short (minimum 8 characters)");
      assertNoLeak(e, shortOne, "S3NTINEL");
    }

    @Test
    void fromPassphraseFile_eightCharacters_opens() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          keyring, file, "S3NTINEL".toCharArray(), KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);

      assertThat(KeyringFile.openPassphrase(file, "S3NTINEL".toCharArray()).keyIds())
          .isEqualTo(keyring.keyIds());
    }

    @Test
    void fromPassphraseFile_v1FileAndShortPassphrase_refusedToo() throws IOException {
      Path file = legacyFixture();

      assertThatThrownBy(() -> KeyringFile.openPassphrase(file, "S3NTIN!".toCharArray()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("too short")
          .hasMessageNotContaining("S3NTIN");
    }

    @Test
    void fromEnvironment_shortPassphrase_refusedWithoutIt() {
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          MasterKeyring.generate(), file, pass(), KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.fromEnvironment(
                      Map.of(
                          KeyringSources.ENV_KEYSET_FILE,
                          file.toString(),
                          KeyringSources.ENV_KEYSET_PASSPHRASE,
                          "S3NTIN!")));

      assertThat(e).hasMessageContaining("too short");
      assertNoLeak(e, "S3NTIN!");
    }
  }

  @Nested
  @DisplayName("the environment's passphrase: one char[], wiped")
  class Wiping {
    @Test
    void withEnvironmentProtection_afterUse_arrayIsAllZeros() {
      AtomicReference<char[]> seen = new AtomicReference<>();

      String result =
          KeyringSources.withEnvironmentProtection(
              Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, PASSPHRASE),
              dir.resolve("k.json"),
              p -> {
                seen.set(((KeyringProtection.Passphrase) p).chars());
                assertThat(new String(seen.get())).isEqualTo(PASSPHRASE);
                assertThat(p).hasToString("Passphrase[redacted]");
                return "used";
              });

      assertThat(result).isEqualTo("used");
      assertThat(seen.get()).hasSize(PASSPHRASE.length()).containsOnly('\0');
    }

    @Test
    void withEnvironmentProtection_useThrows_arrayIsAllZerosAndTheExceptionPassesThrough() {
      AtomicReference<char[]> seen = new AtomicReference<>();

      assertThatThrownBy(
              () ->
                  KeyringSources.withEnvironmentProtection(
                      Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, PASSPHRASE),
                      dir.resolve("k.json"),
                      p -> {
                        seen.set(((KeyringProtection.Passphrase) p).chars());
                        throw new ConfigurationException("refused");
                      }))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("refused");

      assertThat(seen.get()).hasSize(PASSPHRASE.length()).containsOnly('\0');
    }

    @Test
    void withEnvironmentProtection_unsetOrBlank_isNone() {
      KeyringProtection unset =
          KeyringSources.withEnvironmentProtection(Map.of(), dir.resolve("k.json"), p -> p);
      KeyringProtection blank =
          KeyringSources.withEnvironmentProtection(
              Map.of(KeyringSources.ENV_KEYSET_PASSPHRASE, "  "), dir.resolve("k.json"), p -> p);

      assertThat(unset).isInstanceOf(KeyringProtection.None.class);
      assertThat(blank).isInstanceOf(KeyringProtection.None.class);
    }

    @Test
    void fromEnvironment_andDevelopmentKeyring_stillOpenThePassphraseFile() {
      MasterKeyring keyring = MasterKeyring.generate();
      Path file = dir.resolve("k.json");
      KeyringFile.writePassphrase(
          keyring, file, pass(), KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
      Map<String, String> env =
          Map.of(
              KeyringSources.ENV_KEYSET_FILE,
              file.toString(),
              KeyringSources.ENV_KEYSET_PASSPHRASE,
              PASSPHRASE);

      assertThat(KeyringSources.fromEnvironment(env))
          .get()
          .extracting(MasterKeyring::keyIds)
          .isEqualTo(keyring.keyIds());
      assertThat(DevelopmentKeyring.loadOrCreate(file, env).keyIds()).isEqualTo(keyring.keyIds());
    }
  }

  @Nested
  @DisplayName("no passphrase or key material in any message or log line")
  class NoLeaks {
    @Test
    void everyRefusalAndWarning_carriesNeitherPassphraseNorKeyset() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      List<String> sentinels = new ArrayList<>(keyMaterial(keyring));
      sentinels.add(PASSPHRASE);
      Path belowFloor = written(keyring, V2, 10_000);
      Path legacy = written(keyring, V1, 10_000);
      Path relabelled = written(keyring, V2, 10_000);
      relabel(relabelled, V1);
      sentinels.add(readJson(belowFloor).path("keyset").asText());
      sentinels.add(readJson(legacy).path("keyset").asText());

      List<Throwable> thrown = new ArrayList<>();
      try (LogCapture logs = LogCapture.start()) {
        thrown.add(
            catchThrowableOfType(
                ConfigurationException.class,
                () -> KeyringFile.openPassphrase(belowFloor, pass())));
        thrown.add(
            catchThrowableOfType(
                ConfigurationException.class,
                () -> KeyringFile.openPassphrase(relabelled, pass())));
        thrown.add(
            catchThrowableOfType(
                ConfigurationException.class,
                () ->
                    KeyringFile.openPassphrase(legacy, "S3NTINEL-wrong passphrase".toCharArray())));
        thrown.add(
            catchThrowableOfType(
                ConfigurationException.class,
                () ->
                    KeyringFile.openPassphrase(legacy, PASSPHRASE.substring(0, 7).toCharArray())));
        thrown.add(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () ->
                    KeyringFile.writePassphrase(keyring, dir.resolve("low.json"), pass(), 10_000)));
        MasterKeyring opened = KeyringFile.openPassphrase(legacy, pass());

        assertThat(opened.toString()).doesNotContain(sentinels);
        assertThat(logs.messages(Level.WARN)).hasSize(1);
        for (String line : logs.allText()) {
          for (String sentinel : sentinels) {
            assertThat(line).doesNotContain(sentinel);
          }
          assertThat(line).doesNotContain(PASSPHRASE.substring(0, 7), "S3NTINEL-wrong");
        }
      }
      assertThat(thrown).hasSize(5).doesNotContainNull();
      for (Throwable t : thrown) {
        assertNoLeak(t, sentinels.toArray(String[]::new));
        assertNoLeak(t, PASSPHRASE.substring(0, 7), "S3NTINEL-wrong");
      }
    }
  }
}
