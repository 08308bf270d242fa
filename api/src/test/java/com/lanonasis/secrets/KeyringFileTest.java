package com.lanonasis.secrets;

import static com.lanonasis.secrets.LeakAssertions.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyring file formats: files written before the formats moved out of {@link MasterKeyring}
 * (the fixtures under {@code /keysets}, written by that code) still open, new files have the same
 * layout, and {@link KeyringFile#inspect} tells the format from the header alone.
 */
class KeyringFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = "/keysets/legacy-v1-10000-iterations.json";
  private static final String V1_PASSPHRASE = "S3NTINEL-legacy passphrase";
  private static final List<Integer> V1_KEY_IDS = List.of(311838031, 1115782985);
  private static final String V2 = "/keysets/passphrase-v2-210000-iterations.json";
  private static final String V2_PASSPHRASE = "S3NTINEL-v2 fixture passphrase";
  private static final List<Integer> V2_KEY_IDS = List.of(-721603224, -853371554);
  private static final String KMS = "/keysets/kms-v1.json";
  private static final List<Integer> KMS_KEY_IDS = List.of(-112300496);
  private static final String CLEARTEXT = "/keysets/cleartext.json";
  private static final List<Integer> CLEARTEXT_KEY_IDS = List.of(573271343);

  @TempDir Path dir;

  private Path fixture(String resource) throws IOException {
    Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = KeyringFileTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, file);
    }
    return file;
  }

  /** The key the KMS fixture was encrypted under: a fixed AES-256-GCM key standing in for a KMS. */
  private static KeyEncryptionKey fixtureKek() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i + 1);
    }
    AesGcmJce aes;
    try {
      aes = new AesGcmJce(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return new KeyEncryptionKey() {
      @Override
      public String uri() {
        return "test-kms://fixture-key";
      }

      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        return aes.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        return aes.decrypt(ciphertext, associatedData);
      }
    };
  }

  private static List<String> memberNames(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    JSON.readTree(Files.readString(file)).fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Nested
  @DisplayName("files written by earlier versions still open")
  class Compatibility {
    @Test
    void openPassphrase_v1Fixture_opensWithItsKeys() throws IOException {
      Path file = fixture(V1);

      assertThat(KeyringFile.openPassphrase(file, V1_PASSPHRASE.toCharArray()).keyIds())
          .isEqualTo(V1_KEY_IDS);
    }

    @Test
    void openPassphrase_v2Fixture_opensWithItsKeys() throws IOException {
      Path file = fixture(V2);

      MasterKeyring keyring = KeyringFile.openPassphrase(file, V2_PASSPHRASE.toCharArray());

      assertThat(keyring.keyIds()).isEqualTo(V2_KEY_IDS);
      assertThat(keyring.primaryKeyId()).isEqualTo(-853371554);
    }

    @Test
    void load_v2FixtureWithPassphraseProtection_opens() throws IOException {
      Path file = fixture(V2);

      assertThat(
              KeyringSources.load(file, KeyringProtection.passphrase(V2_PASSPHRASE.toCharArray()))
                  .keyIds())
          .isEqualTo(V2_KEY_IDS);
    }

    @Test
    void openKms_kmsFixture_opensWithItsKeys() throws IOException {
      Path file = fixture(KMS);

      assertThat(KeyringFile.openKms(file, fixtureKek()).keyIds()).isEqualTo(KMS_KEY_IDS);
    }

    @Test
    void openCleartext_cleartextFixture_opensWithItsKeys() throws IOException {
      Path file = fixture(CLEARTEXT);

      assertThat(KeyringFile.openCleartext(file).keyIds()).isEqualTo(CLEARTEXT_KEY_IDS);
      assertThat(KeyringSources.load(file, KeyringProtection.none()).keyIds())
          .isEqualTo(CLEARTEXT_KEY_IDS);
    }

    @Test
    void write_eachFormat_hasTheMembersOfTheFixtureInTheSameOrder() throws IOException {
      MasterKeyring keyring = MasterKeyring.generate();
      Path passphrase = dir.resolve("new-v2.json");
      Path kms = dir.resolve("new-kms.json");
      Path cleartext = dir.resolve("new-cleartext.json");

      KeyringFile.writePassphrase(
          keyring,
          passphrase,
          V2_PASSPHRASE.toCharArray(),
          KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
      KeyringFile.writeKms(keyring, kms, fixtureKek());
      KeyringFile.writeCleartext(keyring, cleartext);

      assertThat(memberNames(passphrase))
          .isEqualTo(memberNames(fixture(V2)))
          .containsExactly("format", "kdf", "iterations", "salt", "keyset");
      assertThat(memberNames(kms))
          .isEqualTo(memberNames(fixture(KMS)))
          .containsExactly("format", "kekUri", "keyset");
      assertThat(memberNames(cleartext)).isEqualTo(memberNames(fixture(CLEARTEXT)));
      assertThat(KeyringFile.openKms(kms, fixtureKek()).keyIds()).isEqualTo(keyring.keyIds());
    }
  }

  @Nested
  @DisplayName("inspect reads the header, never key material")
  class Inspect {
    @Test
    void inspect_v1Fixture_isPassphraseV1WithItsIterations() throws IOException {
      KeyringFile header = KeyringFile.inspect(fixture(V1));

      assertThat(header)
          .isEqualTo(new KeyringFile.Passphrase(KeyringFile.Passphrase.Version.V1, 10_000));
      assertThat(header.format()).isEqualTo("lanonasis-passphrase-keyset/v1");
      assertThat(((KeyringFile.Passphrase) header).belowFloor()).isTrue();
    }

    @Test
    void inspect_v2Fixture_isPassphraseV2WithItsIterations() throws IOException {
      KeyringFile header = KeyringFile.inspect(fixture(V2));

      assertThat(header)
          .isEqualTo(new KeyringFile.Passphrase(KeyringFile.Passphrase.Version.V2, 210_000));
      assertThat(header.format()).isEqualTo("lanonasis-passphrase-keyset/v2");
      assertThat(((KeyringFile.Passphrase) header).belowFloor()).isFalse();
    }

    @Test
    void inspect_kmsFixture_isKmsWithItsUri() throws IOException {
      KeyringFile header = KeyringFile.inspect(fixture(KMS));

      assertThat(header).isEqualTo(new KeyringFile.Kms("test-kms://fixture-key"));
      assertThat(header.format()).isEqualTo("lanonasis-kms-keyset/v1");
    }

    @Test
    void inspect_cleartextFixture_isCleartext() throws IOException {
      KeyringFile header = KeyringFile.inspect(fixture(CLEARTEXT));

      assertThat(header).isInstanceOf(KeyringFile.Cleartext.class);
      assertThat(header.format()).isEqualTo("cleartext");
    }

    @Test
    void inspect_anyFormat_toStringHoldsNoKeyMaterial() throws IOException {
      for (String resource : List.of(V1, V2, KMS, CLEARTEXT)) {
        Path file = fixture(resource);
        JsonNode content = JSON.readTree(Files.readString(file));
        String material =
            content.has("keyset")
                ? content.get("keyset").asText()
                : content.get("key").get(0).get("keyData").get("value").asText();

        assertThat(KeyringFile.inspect(file).toString())
            .as(resource)
            .doesNotContain(material)
            .doesNotContain(content.path("salt").asText("no salt"));
      }
    }

    @Test
    void inspect_unknownFormat_throwsWithoutQuotingIt() throws IOException {
      String sentinel = "S3NTINEL-" + UUID.randomUUID();
      Path file = dir.resolve("unknown.json");
      Files.writeString(file, "{\"format\": \"" + sentinel + "\"}");

      ConfigurationException e =
          catchThrowableOfType(ConfigurationException.class, () -> KeyringFile.inspect(file));

      assertThat(e).hasMessage("keyset file " + file + " is of an unknown format");
      assertNoLeak(e, sentinel);
    }

    @Test
    void inspect_passphraseFileWithoutIterations_throwsNamingTheMember() throws IOException {
      Path file = dir.resolve("no-iterations.json");
      Files.writeString(
          file,
          "{\"format\": \"lanonasis-passphrase-keyset/v2\", \"kdf\": \"PBKDF2WithHmacSHA256\"}");

      assertThatThrownBy(() -> KeyringFile.inspect(file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " has a missing or out-of-range 'iterations' (210000..10000000)");
    }

    @Test
    void inspect_missingFile_throwsNotFound() {
      Path file = dir.resolve("missing.json");

      assertThatThrownBy(() -> KeyringFile.inspect(file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("keyset file not found: " + file);
    }
  }

  @Nested
  @DisplayName("the protection the configuration names")
  class Protection {
    @Test
    void passphrase_toString_isRedacted() {
      char[] chars = V2_PASSPHRASE.toCharArray();

      KeyringProtection protection = KeyringProtection.passphrase(chars);

      assertThat(protection).hasToString("Passphrase[redacted]");
      assertThat(((KeyringProtection.Passphrase) protection).chars()).isSameAs(chars);
    }

    @Test
    void kms_blankUri_refused() {
      assertThatThrownBy(() -> KeyringProtection.kms(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("kekUri is blank");
    }

    @Test
    void load_kmsFixtureWithoutProtection_namesTheVariableItNeeds() throws IOException {
      Path file = fixture(KMS);

      assertThatThrownBy(() -> KeyringSources.load(file, KeyringProtection.none()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "keyset file "
                  + file
                  + " is KMS-encrypted; set LANONASIS_KEK_URI to the URI of the key it "
                  + "is encrypted under");
    }

    @Test
    void load_cleartextFixtureWithPassphraseProtection_refusedAsLowerProtection()
        throws IOException {
      Path file = fixture(CLEARTEXT);

      ConfigurationException e =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  KeyringSources.load(
                      file, KeyringProtection.passphrase(V2_PASSPHRASE.toCharArray())));

      assertThat(e)
          .hasMessageStartingWith(
              "keyset file "
                  + file
                  + " is a cleartext keyset, but a passphrase is "
                  + "configured");
      assertNoLeak(e, V2_PASSPHRASE);
    }
  }
}
