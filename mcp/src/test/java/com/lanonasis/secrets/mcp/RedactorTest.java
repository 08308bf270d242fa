package com.lanonasis.secrets.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.mcp.CommandRunner.Injected;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
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
        Arguments.of("base64url unpadded", Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES)),
        Arguments.of("hex", HexFormat.of().formatHex(BYTES)),
        Arguments.of("HEX", HexFormat.of().withUpperCase().formatHex(BYTES)),
        Arguments.of("url-encoded +", plus),
        Arguments.of("url-encoded %20", plus.replace("+", "%20")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void scrub_eachForm_replacedByMarker(String kind, String form) {
    Redactor redactor = redactor(1000, injected("prod/db/password", BYTES));

    Redactor.Scrubbed scrubbed = redactor.scrub(("before " + form + " after\n").getBytes(UTF_8), false);

    assertThat(scrubbed.text()).isEqualTo("before " + MARKER + " after\n");
    assertThat(scrubbed.truncated()).isFalse();
  }

  @Test
  void scrub_valueInsideAnother_longestReplacedWhole() {
    Redactor redactor = redactor(1000,
        injected("short", "S3NTINEL-abc".getBytes(UTF_8)),
        injected("long", "S3NTINEL-abcdef".getBytes(UTF_8)));

    String text = redactor.scrub("x S3NTINEL-abcdef y S3NTINEL-abc z".getBytes(UTF_8), false).text();

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
    assertThat(redactor.retainBound()).isEqualTo(100);
  }

  @Test
  void scrub_noValueInOutput_textUnchanged() {
    Redactor redactor = redactor(1000, injected("prod/db/password", BYTES));
    String output = "line one\n\ttabbed — ünïcødé ✓ S3NTINEL- [REDACTED:x]\n";

    Redactor.Scrubbed scrubbed = redactor.scrub(output.getBytes(UTF_8), false);

    assertThat(scrubbed.text()).isEqualTo(output);
    assertThat(scrubbed.truncated()).isFalse();
  }

  @Test
  void retainBound_isCapPlusLongestForm() {
    Redactor redactor = redactor(100, injected("a", "abc".getBytes(UTF_8)));

    // The longest form of "abc" is its URL-encoded or hex form, 6 bytes.
    assertThat(redactor.retainBound()).isEqualTo(106);
  }

  @Test
  void scrub_streamCutInsideValue_fragmentReplaced() {
    Redactor redactor = redactor(1000, injected("prod/db/password", BYTES));
    byte[] cut = ("result: " + VALUE.substring(0, 8)).getBytes(UTF_8);

    Redactor.Scrubbed scrubbed = redactor.scrub(cut, true);

    assertThat(scrubbed.text()).isEqualTo("result: " + MARKER);
    assertThat(scrubbed.truncated()).isTrue();
  }

  @Test
  void scrub_streamCutInsideBinaryValue_fragmentReplacedBeforeDecoding() {
    byte[] value = {'k', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 'z'};
    Redactor redactor = redactor(1000, injected("bin", value));

    String text = redactor.scrub(new byte[] {'o', 'k', ' ', 'k', (byte) 0xc3}, true).text();

    assertThat(text).isEqualTo("ok [REDACTED:bin]");
  }

  @Test
  void scrub_capFallsInsideFragment_fragmentReplacedWithinCap() {
    Redactor redactor = redactor(40, injected("prod/db/password", BYTES));
    // The output holds the value's first 13 characters (not the whole value); the cap falls inside.
    String output = "0123456789".repeat(3) + VALUE.substring(0, 13) + " and more";

    Redactor.Scrubbed scrubbed = redactor.scrub(output.getBytes(UTF_8), false);

    assertThat(scrubbed.truncated()).isTrue();
    assertThat(scrubbed.text()).isEqualTo("0123456789012" + MARKER).doesNotContain("S3");
    assertThat(scrubbed.text().getBytes(UTF_8)).hasSize(40);
  }

  @Test
  void scrub_overCap_cutOnCharacterBoundaryAndFlagged() {
    Redactor redactor = redactor(10, injected("a", "S3NTINEL-zzz".getBytes(UTF_8)));

    Redactor.Scrubbed scrubbed = redactor.scrub("ééééééééééé".getBytes(UTF_8), false);

    assertThat(scrubbed.text()).isEqualTo("ééééé");
    assertThat(scrubbed.truncated()).isTrue();
  }

  private static Redactor redactor(int maxOutputBytes, Injected... injected) {
    return new Redactor(List.of(injected), maxOutputBytes);
  }

  private static Injected injected(String secretName, byte[] value) {
    return new Injected("V", secretName, value);
  }
}
