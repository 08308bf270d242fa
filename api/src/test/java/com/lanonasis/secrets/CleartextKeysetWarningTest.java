package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cleartext master keyset in the environment opens, with a warning that never shows the keyset.
 */
class CleartextKeysetWarningTest {
  @TempDir Path dir;

  @Test
  void keysetInTheEnvironment_opensWithAWarningThatHoldsNoKeyMaterial() throws IOException {
    MasterKeyring keyring = MasterKeyring.generate();
    Path file = dir.resolve("keyset.json");
    KeyringFile.writeCleartext(keyring, file);
    String json = Files.readString(file);
    String keyValue = json.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    assertThat(keyValue).as("the test found the key material").hasSizeGreaterThan(20);

    try (LogCapture logs = LogCapture.start()) {
      MasterKeyring fromEnv =
          KeyringSources.fromEnvironment(Map.of(KeyringSources.ENV_KEYSET, json)).orElseThrow();
      assertThat(fromEnv.keyIds()).isEqualTo(keyring.keyIds());
      assertThat(logs.messages(Level.WARN))
          .singleElement()
          .asString()
          .contains("LANONASIS_KEYSET holds a cleartext master keyset")
          .contains("LANONASIS_KEYSET_PASSPHRASE");
      assertThat(logs.allText()).doesNotContain(keyValue);
    }
  }

  @Test
  void passphraseFile_givesNoSuchWarning() throws IOException {
    Path file = dir.resolve("protected.json");
    KeyringFile.writePassphrase(
        MasterKeyring.generate(),
        file,
        "correct horse battery".toCharArray(),
        KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
    try (LogCapture logs = LogCapture.start()) {
      var source =
          KeyringSources.fromEnvironment(
              Map.of(
                  KeyringSources.ENV_KEYSET_FILE,
                  file.toString(),
                  KeyringSources.ENV_KEYSET_PASSPHRASE,
                  "correct horse battery"));
      assertThat(source).isPresent();
      assertThat(logs.messages(Level.WARN)).isEmpty();
    }
  }
}
