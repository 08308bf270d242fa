package com.lanonasis.secrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartAppTest {
  @Test
  void run_memory_walksThroughTheTourWithoutPrintingValues() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    QuickstartApp.run(
        SecretStores.builder().uri("memory:"),
        "memory:",
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("prod/db/password is now at version 2")
        .contains("read version 2: 11 bytes, printed as SecretValue[redacted]")
        .contains("check-and-set refused a stale write")
        .contains("prod/api/token (version 1)")
        .doesNotContain("staging/db/password")
        .doesNotContain("tr0ub4dor&3")
        .doesNotContain("correct horse");
  }

  @Test
  void run_sqliteFile_persistsForTheNextStart(@TempDir Path dir) {
    String uri = "jdbc:sqlite:" + dir.resolve("example.db").toAbsolutePath();
    Path keyset = dir.resolve("keyset.json");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    QuickstartApp.run(
        SecretStores.builder().uri(uri).keyring(DevelopmentKeyring.loadOrCreate(keyset)),
        uri,
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("prod/db/password is now at version 2");
    try (SecretStore again =
            SecretStores.builder()
                .uri(uri)
                .keyring(DevelopmentKeyring.loadOrCreate(keyset))
                .open();
        Secret s = again.get("prod/db/password")) {
      assertThat(s.version()).isEqualTo(2);
      assertThat(s.value().asUtf8()).isEqualTo("tr0ub4dor&3");
    }
  }
}
