package com.lanonasis.secrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartAppTest {
  @Test
  void run_memory_walksThroughTheTourWithoutPrintingValues() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    QuickstartApp.run("memory:", new PrintStream(buf, true, StandardCharsets.UTF_8));
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
}
