package com.lanonasis.secrets.mcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Scrubs a command's output of the values injected into it, then caps it.
 *
 * <p>Each value is searched for in the forms a command most often prints it in: the raw bytes,
 * base64 (standard and URL-safe, with and without padding), hex (lower and upper case) and
 * URL-encoded (with {@code +} and with {@code %20} for a space). Every occurrence becomes
 * {@code [REDACTED:<secret name>]}. Matching is on bytes, longest form first, so that a value
 * holding another is replaced whole and output that is not UTF-8 is scrubbed too. Values of one
 * to three bytes are replaced as well, at the price of scrubbing innocent text: a value that leaks
 * matters more than readable output.
 *
 * <p>Where output is cut (by the reader's bound or by the cap), a tail that is the beginning of a
 * form is replaced too, so no fragment of a value survives a cut.
 *
 * <p>Not thread-safe; one per run. {@link #wipe()} zeroes the forms it holds.
 */
final class Redactor {
  private final List<Form> forms;
  private final Form[][] formsByFirstByte;
  private final int maxOutputBytes;
  private final int longestForm;

  Redactor(List<CommandRunner.Injected> injected, int maxOutputBytes) {
    Objects.requireNonNull(injected, "injected");
    if (maxOutputBytes < 1) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
    }
    this.maxOutputBytes = maxOutputBytes;
    List<Form> all = new ArrayList<>();
    for (CommandRunner.Injected each : injected) {
      byte[] value = each.value();
      byte[] marker = ("[REDACTED:" + each.secretName() + "]").getBytes(StandardCharsets.UTF_8);
      for (byte[] bytes : formsOf(value)) {
        if (bytes.length > 0 && all.stream().noneMatch(f -> Arrays.equals(f.bytes, bytes))) {
          all.add(new Form(bytes, marker));
        }
      }
      Arrays.fill(value, (byte) 0);
    }
    all.sort(Comparator.comparingInt((Form f) -> f.bytes.length).reversed());
    this.forms = List.copyOf(all);
    this.longestForm = forms.isEmpty() ? 0 : forms.get(0).bytes.length;
    this.formsByFirstByte = indexByFirstByte(forms);
  }

  /**
   * How many bytes of a stream to keep before discarding: the cap plus the longest form, so that
   * a value straddling the cap is still kept whole and replaced.
   */
  int retainBound() {
    return (int) Math.min((long) maxOutputBytes + longestForm, Integer.MAX_VALUE - 16);
  }

  /**
   * The scrubbed, capped text of {@code retained}.
   *
   * @param retained the bytes kept of one stream
   * @param discarded whether the stream went on past {@code retained}
   */
  Scrubbed scrub(byte[] retained, boolean discarded) {
    Objects.requireNonNull(retained, "retained");
    byte[] replaced = replaceAll(retained);
    if (discarded) {
      byte[] whole = replaced;
      replaced = replaceTrailingFragment(whole, whole.length, Integer.MAX_VALUE);
      Arrays.fill(whole, (byte) 0);
    }
    String text = new String(replaced, StandardCharsets.UTF_8);
    Arrays.fill(replaced, (byte) 0);
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    if (encoded.length <= maxOutputBytes) {
      return new Scrubbed(text, discarded);
    }
    byte[] capped = replaceTrailingFragment(encoded, charBoundary(encoded, maxOutputBytes), maxOutputBytes);
    return new Scrubbed(new String(capped, StandardCharsets.UTF_8), true);
  }

  /** Zeroes the forms; the redactor must not be used afterwards. */
  void wipe() {
    for (Form form : forms) {
      Arrays.fill(form.bytes, (byte) 0);
    }
  }

  /** A stream's text after scrubbing, and whether any of it was cut off. */
  record Scrubbed(String text, boolean truncated) {}

  private static List<byte[]> formsOf(byte[] value) {
    Base64.Encoder standard = Base64.getEncoder();
    Base64.Encoder urlSafe = Base64.getUrlEncoder();
    byte[] urlEncoded = urlEncode(value);
    return List.of(
        value.clone(),
        standard.encode(value),
        standard.withoutPadding().encode(value),
        urlSafe.encode(value),
        urlSafe.withoutPadding().encode(value),
        ascii(HexFormat.of().formatHex(value)),
        ascii(HexFormat.of().withUpperCase().formatHex(value)),
        urlEncoded,
        ascii(new String(urlEncoded, StandardCharsets.US_ASCII).replace("+", "%20")));
  }

  /**
   * The form {@link java.net.URLEncoder} gives for UTF-8 text, computed on the bytes so that a
   * value that is not UTF-8 gets its true encoding rather than that of replacement characters.
   */
  private static byte[] urlEncode(byte[] value) {
    StringBuilder out = new StringBuilder(value.length * 3);
    for (byte b : value) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '*' || c == '_') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return ascii(out.toString());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Form[][] indexByFirstByte(List<Form> forms) {
    List<List<Form>> buckets = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      buckets.add(new ArrayList<>());
    }
    for (Form form : forms) {
      buckets.get(form.bytes[0] & 0xff).add(form);
    }
    Form[][] index = new Form[256][];
    for (int i = 0; i < 256; i++) {
      index[i] = buckets.get(i).toArray(new Form[0]);
    }
    return index;
  }

  private byte[] replaceAll(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    int i = 0;
    while (i < in.length) {
      Form match = formAt(in, i);
      if (match == null) {
        out.write(in[i]);
        i++;
      } else {
        out.writeBytes(match.marker);
        i += match.bytes.length;
      }
    }
    return out.toByteArray();
  }

  private Form formAt(byte[] in, int at) {
    for (Form form : formsByFirstByte[in[at] & 0xff]) {
      int end = at + form.bytes.length;
      if (end <= in.length && Arrays.equals(in, at, end, form.bytes, 0, form.bytes.length)) {
        return form;
      }
    }
    return null;
  }

  /**
   * {@code in[0, end)} with a tail that begins some form replaced by that form's marker, fitted
   * within {@code limit} bytes (the marker is left out if it alone is longer).
   */
  private byte[] replaceTrailingFragment(byte[] in, int end, int limit) {
    int fragment = 0;
    Form fragmentOf = null;
    for (Form form : forms) {
      for (int length = Math.min(form.bytes.length - 1, end); length > fragment; length--) {
        if (Arrays.equals(in, end - length, end, form.bytes, 0, length)) {
          fragment = length;
          fragmentOf = form;
          break;
        }
      }
    }
    if (fragmentOf == null) {
      return Arrays.copyOf(in, end);
    }
    int keep = end - fragment;
    if (fragmentOf.marker.length > limit) {
      return Arrays.copyOf(in, keep);
    }
    if ((long) keep + fragmentOf.marker.length > limit) {
      keep = charBoundary(in, limit - fragmentOf.marker.length);
    }
    byte[] out = Arrays.copyOf(in, keep + fragmentOf.marker.length);
    System.arraycopy(fragmentOf.marker, 0, out, keep, fragmentOf.marker.length);
    return out;
  }

  /** The largest cut at or before {@code at} that does not split a UTF-8 sequence. */
  private static int charBoundary(byte[] utf8, int at) {
    int cut = at;
    while (cut > 0 && cut < utf8.length && (utf8[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return cut;
  }

  /** A form of a value and the marker it is replaced by. Not a record: it must not print. */
  private static final class Form {
    final byte[] bytes;
    final byte[] marker;

    Form(byte[] bytes, byte[] marker) {
      this.bytes = bytes;
      this.marker = marker;
    }

    @Override
    public String toString() {
      return "Form[redacted]";
    }
  }
}
