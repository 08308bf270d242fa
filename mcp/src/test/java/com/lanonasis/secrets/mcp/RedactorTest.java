package com.lanonasis.secrets.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.mcp.CommandRunner.Injected;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {
  /** Its base64 has '/' (standard), '_' (URL-safe) and padding; URL-encoding changes it. */
  private static final String VALUE = "S3NTINEL-ü/ b?>";

  private static final byte[] BYTES = VALUE.getBytes(UTF_8);
  private static final String MARKER = "[REDACTED:prod/db/password]";

  static Stream<Arguments> forms() {
    String plus = URLEncoder.encode(VALUE, UTF_8);
    return Stream.of(
        Arguments.of("raw", VALUE),
        Arguments.of("base64", Base64.getEncoder().encodeToString(BYTES)),
        Arguments.of("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(BYTES)),
        Arguments.of("base64url", Base64.getUrlEncoder().encodeToString(BYTES)),
        Arguments.of(
            "base64url unpadded", Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES)),
        Arguments.of("hex", HexFormat.of().formatHex(BYTES)),
        Arguments.of("HEX", HexFormat.of().withUpperCase().formatHex(BYTES)),
        Arguments.of("url-encoded +", plus),
        Arguments.of("url-encoded %20", plus.replace("+", "%20")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void scrub_eachForm_replacedByMarker(String kind, String form) {
    Redactor redactor = redactor(1000, injected("prod/db/password", BYTES));

    Redactor.Scrubbed scrubbed =
        redactor.scrub(("before " + form + " after\n").getBytes(UTF_8), false);

    assertThat(scrubbed.text()).isEqualTo("before " + MARKER + " after\n");
    assertThat(scrubbed.truncated()).isFalse();
  }

  @Test
  void scrub_valueInsideAnother_longestReplacedWhole() {
    Redactor redactor =
        redactor(
            1000,
            injected("short", "S3NTINEL-abc".getBytes(UTF_8)),
            injected("long", "S3NTINEL-abcdef".getBytes(UTF_8)));

    String text =
        redactor.scrub("x S3NTINEL-abcdef y S3NTINEL-abc z".getBytes(UTF_8), false).text();

    assertThat(text).isEqualTo("x [REDACTED:long] y [REDACTED:short] z");
  }

  @Test
  void scrub_binaryValueInBinaryOutput_replacedAndRestDecoded() {
    byte[] value = {(byte) 0xff, 0x00, (byte) 0xfe, 'A', (byte) 0x80};
    Redactor redactor = redactor(1000, injected("bin", value));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    output.writeBytes("a".getBytes(UTF_8));
    output.writeBytes(value);
    output.writeBytes(new byte[] {'b', (byte) 0xc3});
    output.writeBytes((" " + HexFormat.of().formatHex(value)).getBytes(UTF_8));

    String text = redactor.scrub(output.toByteArray(), false).text();

    assertThat(text).isEqualTo("a[REDACTED:bin]b\ufffd [REDACTED:bin]");
  }

  @Test
  void scrub_shortValue_stillReplaced() {
    Redactor redactor = redactor(1000, injected("pin", "7".getBytes(UTF_8)));

    assertThat(redactor.scrub("a7b".getBytes(UTF_8), false).text()).isEqualTo("a[REDACTED:pin]b");
  }

  @Test
  void scrub_emptyValue_nothingReplaced() {
    Redactor redactor = redactor(100, injected("empty", new byte[0]));

    assertThat(redactor.scrub("output".getBytes(UTF_8), false).text()).isEqualTo("output");
  }

  @Test
  void scrub_noValueInOutput_textUnchanged() {
    Redactor redactor = redactor(1000, injected("prod/db/password", BYTES));
    String output = "line one\n\ttabbed — ünïcødé ✓ S3NTINEL- [REDACTED:x]\n";

    Redactor.Scrubbed scrubbed = redactor.scrub(output.getBytes(UTF_8), false);

    assertThat(scrubbed.text()).isEqualTo(output);
    assertThat(scrubbed.truncated()).isFalse();
  }

  static Stream<Arguments> spacedForms() {
    String value = "Tr0ub4dor&3-Zq9#kX";
    byte[] bytes = value.getBytes(UTF_8);
    String hex = HexFormat.of().formatHex(bytes);
    StringBuilder xxd = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 4) {
      xxd.append(hex, i, Math.min(hex.length(), i + 4)).append(' ');
    }
    StringBuilder odc = new StringBuilder();
    StringBuilder perLine = new StringBuilder();
    StringBuilder odx1 = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      odc.append("   ").append(value.charAt(i));
      perLine.append(value.charAt(i)).append('\n');
      odx1.append(' ').append(hex, 2 * i, 2 * i + 2);
    }
    return Stream.of(
        Arguments.of("xxd groups", value, xxd.toString()),
        Arguments.of("od -An -tx1", value, odx1.toString()),
        Arguments.of("od -c", value, odc.toString()),
        Arguments.of("fold -w1", value, perLine.toString()),
        Arguments.of("hexdump colons", value, hex.replaceAll("(..)(?!$)", "$1:")),
        Arguments.of("base32", value, Redactor.base32(bytes)),
        Arguments.of("base32 unpadded", value, Redactor.base32(bytes).replace("=", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spacedForms")
  void scrub_formsOfFileDumpers_replaced(String kind, String value, String printed) {
    Redactor redactor = redactor(1 << 16, injected("prod/db/password", value.getBytes(UTF_8)));

    String text = redactor.scrub(("<" + printed + ">").getBytes(UTF_8), false).text();

    assertThat(text.replaceAll("\\s", "")).isEqualTo("<" + MARKER + ">");
  }

  /**
   * The agent probe's finding: a value longer than one line of a dump spans lines that each begin
   * with an offset column, which the scrubber did not skip, so {@code od -c} of a 40-byte value
   * came back readable. The real {@code od}, in the formats a caller would pick.
   */
  @ParameterizedTest(name = "od {0}")
  @MethodSource("odFormats")
  void scrub_realOdOfALongValue_replaced(String format) throws Exception {
    String value = "Zq9#kX-Tr0ub4dor&3-correct-horse-battery";
    List<String> command = new ArrayList<>(List.of("od"));
    command.addAll(List.of(format.split(" ")));
    Process od = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = od.getOutputStream()) {
      in.write(value.getBytes(UTF_8));
    }
    byte[] printed = od.getInputStream().readAllBytes();
    assertThat(od.waitFor()).isZero();
    assertThat(new String(printed, UTF_8).lines().count())
        .as("the dump spans lines")
        .isGreaterThan(2);
    Redactor redactor = redactor(1 << 16, injected("prod/db/password", value.getBytes(UTF_8)));

    String text = redactor.scrub(printed, false).text();

    assertThat(text).contains(MARKER);
    for (String piece : List.of("Zq9", "ub4", "correct", "horse", "battery")) {
      assertThat(text.replaceAll("\\s", "")).doesNotContain(piece);
    }
  }

  static Stream<String> odFormats() {
    // Not "-tx1z" (nor xxd, hexdump -C): a column of the characters themselves beside the hex
    // shows the value in lines of 16, which no scrubber of whole forms can catch (mcp/README.md).
    return Stream.of("-c", "-tx1", "-Ax -tx1", "-Ad -c");
  }

  @Test
  void scrub_offsetColumnSkippedOnlyInsideAMatch_restUntouched() {
    Redactor redactor = redactor(1 << 16, injected("a", "S3NTINEL-zzz".getBytes(UTF_8)));
    String output = "S3NT\n123456 INEL-zzz\n0000020 is a line of its own\n";

    assertThat(redactor.scrub(output.getBytes(UTF_8), false).text())
        .as("an offset column only where a form goes on after it")
        .isEqualTo("[REDACTED:a]\n0000020 is a line of its own\n");
  }

  @Test
  void base32_matchesRfc4648Vectors() {
    assertThat(Redactor.base32("foobar".getBytes(UTF_8))).isEqualTo("MZXW6YTBOI======");
    assertThat(Redactor.base32("fo".getBytes(UTF_8))).isEqualTo("MZXQ====");
    assertThat(Redactor.base32(new byte[0])).isEmpty();
  }

  /**
   * The review's oracle: filler up to the cap, then a guessed prefix of the value's hex form. The
   * old scrubber replaced a trailing fragment that began a form, so the tail came back as a marker
   * exactly when the guess was right. Now what comes back does not depend on the guess.
   */
  @Test
  void scrub_guessedPrefixAtTheCut_sameWhetherRightOrWrong() {
    String value = "Tr0ub4dor&3-Zq9#kX";
    String hex = HexFormat.of().formatHex(value.getBytes(UTF_8));
    Redactor redactor = redactor(1 << 16, injected("prod/db/password", value.getBytes(UTF_8)));
    String right = hex.substring(0, 6);
    String wrong = "000000";

    String a = redactor.scrub(("x".repeat(100) + right).getBytes(UTF_8), true).text();
    String b = redactor.scrub(("x".repeat(100) + wrong).getBytes(UTF_8), true).text();

    assertThat(a).isEqualTo(b).doesNotContain(right);
  }

  /**
   * The probe's oracle: filler up to the cap, then the value, so that the cap cuts it after k
   * bytes. Before, the first k bytes came back as they were (a value read a piece at a time); now a
   * cut stream loses the window in which a form can start and not end.
   */
  @Test
  void scrub_valueCutByTheCap_noneOfItComesBack() {
    String value = "S3cr3t-Value-XYZ-12345";
    Redactor redactor = redactor(1 << 16, injected("app/db", value.getBytes(UTF_8)));
    for (int k = 1; k < value.length(); k++) {
      String kept = "A".repeat(4096) + value.substring(0, k);

      Redactor.Scrubbed scrubbed = redactor.scrub(kept.getBytes(UTF_8), true);

      assertThat(scrubbed.text())
          .as("cut after %d bytes", k)
          .doesNotContain(value.substring(0, Math.min(k, 3)))
          .isEqualTo(
              redactor.scrub(("A".repeat(4096) + "B".repeat(k)).getBytes(UTF_8), true).text());
      assertThat(scrubbed.truncated()).isTrue();
    }
  }

  @Test
  void scrub_cut_wholeValueBeforeTheWindow_replacedWhole() {
    Redactor redactor = redactor(1 << 16, injected("a", "S3NTINEL-zzz".getBytes(UTF_8)));

    Redactor.Scrubbed scrubbed =
        redactor.scrub(("S3NTINEL-zzz" + "A".repeat(4096)).getBytes(UTF_8), true);

    assertThat(scrubbed.text()).startsWith("[REDACTED:a]").doesNotContain("S3NTINEL");
    assertThat(scrubbed.truncated()).isTrue();
  }

  private static Redactor redactor(int unusedCap, Injected... injected) {
    return new Redactor(List.of(injected));
  }

  private static Injected injected(String secretName, byte[] value) {
    return new Injected("V", secretName, value);
  }
}
