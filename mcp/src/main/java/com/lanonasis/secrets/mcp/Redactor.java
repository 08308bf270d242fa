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
 * Scrubs the output a command returns of the values injected into it: a safety net behind the
 * sandbox, not a boundary (a program that computes on its environment can always print a value in a
 * form no scrubber knows).
 *
 * <p>Each value is searched for in the forms programs that print bytes use: the raw bytes, base64
 * (standard and URL-safe, with and without padding), base32, hex (lower and upper case) and
 * URL-encoded (with {@code +} and with {@code %20} for a space). A form of four bytes or more also
 * matches with whitespace or {@code :} between any of its characters, which covers hex in any
 * grouping ({@code xxd}, {@code od -An -tx1}, {@code hexdump}), {@code od -c}'s spaced characters
 * and one character per line ({@code fold -w1}); after a line break, a dump's offset column (six to
 * sixteen hex digits before a space or a colon, as {@code od} and {@code hexdump} start their lines
 * with) counts as a separator too, so a value longer than one line of a dump is matched. Every
 * match becomes {@code [REDACTED:<secret name>]}; matching is on bytes, longest form first.
 *
 * <p>No fragment at the cap, and no conditional artefacts. A stream that went on past the cap loses
 * its last {@code window} bytes as well, whatever they are: {@code window} is one less than the
 * longest span a form of the injected values can match (separators included), so a value that the
 * cap cuts in two never shows its first part. (Showing that part let a caller pad the output to put
 * the cap inside the value and read it a piece at a time; replacing it when it begins a value told
 * which prefixes the value has.) The window depends only on the values' lengths, which {@code
 * describe_secret} tells anyway; only whole forms are replaced. What remains is inherent to any
 * scrubber: output that holds a whole value comes back different from output that does not, so a
 * caller who can choose a command's output can test whole guesses. Guessing is bounded by {@link
 * RunBudget}; returning no output at all ({@link CommandOutput#NONE}, the default) removes it.
 *
 * <p>Not thread-safe; one per run. {@link #wipe()} zeroes the forms it holds.
 */
final class Redactor {
  /** Forms shorter than this match only exactly: separators inside them would scrub too much. */
  private static final int TOLERANT_FROM = 4;

  /** The most separator bytes between two characters of a form. */
  private static final int MAX_GAP = 8;

  /**
   * The longest offset column a dump starts its lines with ({@code od}: 6 or 7 digits; {@code xxd}
   * and {@code hexdump}: 8); at least {@link #MIN_OFFSET} digits.
   */
  private static final int MAX_OFFSET = 8;

  private static final int MIN_OFFSET = 6;

  /**
   * An offset column is skipped only after this many characters of the form since the last one: a
   * dump's lines hold more (od: 16 bytes), and the bound keeps the window (see {@link
   * #longestSpan}) near what it was.
   */
  private static final int CHARS_PER_LINE = 4;

  private final List<Form> forms;
  private final Form[][] formsByFirstByte;

  /** What a cut stream loses before the cap: one less than the longest span of any form. */
  private final int window;

  Redactor(List<CommandRunner.Injected> injected) {
    Objects.requireNonNull(injected, "injected");
    List<Form> all = new ArrayList<>();
    for (CommandRunner.Injected each : injected) {
      byte[] value = each.value();
      byte[] marker = ("[REDACTED:" + each.secretName() + "]").getBytes(StandardCharsets.UTF_8);
      for (byte[] bytes : formsOf(value)) {
        if (bytes.length > 0 && all.stream().noneMatch(f -> Arrays.equals(f.bytes, bytes))) {
          all.add(new Form(bytes, marker));
        } else {
          Arrays.fill(bytes, (byte) 0);
        }
      }
      Arrays.fill(value, (byte) 0);
    }
    all.sort(Comparator.comparingInt((Form f) -> f.bytes.length).reversed());
    this.forms = List.copyOf(all);
    this.formsByFirstByte = indexByFirstByte(forms);
    this.window = forms.stream().mapToInt(f -> longestSpan(f.bytes.length) - 1).max().orElse(0);
  }

  /** The most bytes a match of a form of {@code length} bytes can cover, separators included. */
  private static int longestSpan(int length) {
    return length < TOLERANT_FROM
        ? length
        : length + (length - 1) * MAX_GAP + (length - 1) / CHARS_PER_LINE * MAX_OFFSET;
  }

  /**
   * The scrubbed text of {@code kept}, the bytes of one stream up to the cap.
   *
   * @param cut whether the stream went on past {@code kept}: then the last {@code window} bytes of
   *     {@code kept} are dropped too (a form that begins before them is still replaced whole)
   */
  Scrubbed scrub(byte[] kept, boolean cut) {
    Objects.requireNonNull(kept, "kept");
    byte[] replaced = replaceAll(kept, cut ? Math.max(0, kept.length - window) : kept.length);
    String text = new String(replaced, StandardCharsets.UTF_8);
    Arrays.fill(replaced, (byte) 0);
    return new Scrubbed(text, cut);
  }

  /** Zeroes the forms; the redactor must not be used afterwards. */
  void wipe() {
    for (Form form : forms) {
      Arrays.fill(form.bytes, (byte) 0);
    }
  }

  /** A stream's text after scrubbing, and whether the stream was cut at the cap. */
  record Scrubbed(String text, boolean truncated) {}

  private static List<byte[]> formsOf(byte[] value) {
    Base64.Encoder standard = Base64.getEncoder();
    Base64.Encoder urlSafe = Base64.getUrlEncoder();
    byte[] urlEncoded = urlEncode(value);
    String base32 = base32(value);
    return List.of(
        value.clone(),
        standard.encode(value),
        standard.withoutPadding().encode(value),
        urlSafe.encode(value),
        urlSafe.withoutPadding().encode(value),
        ascii(base32),
        ascii(base32.replace("=", "")),
        ascii(HexFormat.of().formatHex(value)),
        ascii(HexFormat.of().withUpperCase().formatHex(value)),
        urlEncoded,
        ascii(new String(urlEncoded, StandardCharsets.US_ASCII).replace("+", "%20")));
  }

  /**
   * RFC 4648 base32, as {@code base32} prints it (without its line breaks, which are separators).
   */
  static String base32(byte[] value) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder((value.length + 4) / 5 * 8);
    int buffer = 0;
    int bits = 0;
    for (byte b : value) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    while (out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  /**
   * The form {@link java.net.URLEncoder} gives for UTF-8 text, computed on the bytes so that a
   * value that is not UTF-8 gets its true encoding rather than that of replacement characters.
   */
  private static byte[] urlEncode(byte[] value) {
    StringBuilder out = new StringBuilder(value.length * 3);
    for (byte b : value) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '*'
          || c == '_') {
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

  /**
   * {@code in} up to {@code stop} with every form replaced; a form starting before {@code stop} is
   * matched in all of {@code in}.
   */
  private byte[] replaceAll(byte[] in, int stop) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(stop);
    int i = 0;
    while (i < stop) {
      Form match = null;
      int end = -1;
      for (Form form : formsByFirstByte[in[i] & 0xff]) {
        end = matchEnd(in, i, form);
        if (end > 0) {
          match = form;
          break;
        }
      }
      if (match == null) {
        out.write(in[i]);
        i++;
      } else {
        out.writeBytes(match.marker);
        i = end;
      }
    }
    return out.toByteArray();
  }

  /** Where a match of {@code form} starting at {@code at} ends, or -1. */
  private static int matchEnd(byte[] in, int at, Form form) {
    byte[] f = form.bytes;
    if (at + f.length <= in.length && Arrays.equals(in, at, at + f.length, f, 0, f.length)) {
      return at + f.length;
    }
    if (f.length < TOLERANT_FROM) {
      return -1;
    }
    int i = at;
    int sinceOffset = 0;
    for (int j = 0; j < f.length; j++) {
      if (j > 0) {
        int gap = 0;
        while (i < in.length && gap < MAX_GAP && in[i] != f[j] && separator(in[i])) {
          i++;
          gap++;
          if (in[i - 1] == '\n' && sinceOffset >= CHARS_PER_LINE) {
            // A dump's next line begins with its offset column ("0000020   q", "0000020 71"):
            // skipped as a separator.
            int offset = offsetColumn(in, i);
            if (offset > 0) {
              i += offset;
              sinceOffset = 0;
            }
          }
        }
      }
      sinceOffset++;
      if (i >= in.length || in[i] != f[j]) {
        return -1;
      }
      i++;
    }
    return i;
  }

  /**
   * The length of the offset column at {@code at} — {@value #MIN_OFFSET} to {@value #MAX_OFFSET}
   * hex digits, then a colon or a space (not included) — or 0.
   */
  private static int offsetColumn(byte[] in, int at) {
    int n = 0;
    while (at + n < in.length && n <= MAX_OFFSET && HexFormat.isHexDigit(in[at + n])) {
      n++;
    }
    boolean ends = at + n < in.length && (in[at + n] == ' ' || in[at + n] == ':');
    return n >= MIN_OFFSET && n <= MAX_OFFSET && ends ? n : 0;
  }

  private static boolean separator(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == ':';
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
