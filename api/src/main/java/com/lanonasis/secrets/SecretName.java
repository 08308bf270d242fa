package com.lanonasis.secrets;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated secret name: segments of {@code [A-Za-z0-9._-]} joined by {@code /}, 1 to 256
 * characters, with no empty, {@code .} or {@code ..} segment. So {@code prod/db/password} is a
 * name, {@code /x}, {@code a//b}, {@code a/../b} and {@code a b} are not.
 *
 * <p>Names are not secret: they appear in messages, logs, metrics and URLs.
 *
 * @param value the name as text
 * @since 0.1
 */
public record SecretName(String value) implements Comparable<SecretName> {
  /** The longest name allowed, in characters. */
  public static final int MAX_LENGTH = 256;

  public SecretName {
    Objects.requireNonNull(value, "value");
    String problem = problem(value);
    if (problem != null) {
      throw new InvalidSecretNameException(problem);
    }
  }

  /** Validates {@code value} and wraps it; throws {@link InvalidSecretNameException} otherwise. */
  public static SecretName of(String value) {
    return new SecretName(value);
  }

  /** Whether {@code value} is a valid name. */
  public static boolean isValid(String value) {
    return value != null && problem(value) == null;
  }

  private static @Nullable String problem(String value) {
    if (value.isEmpty()) {
      return "secret name is empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "secret name is " + value.length() + " characters; the limit is " + MAX_LENGTH;
    }
    // One pass, no allocation: names are validated on every call, so this is on the hot path.
    int segmentStart = 0;
    int dots = 0;
    for (int i = 0; i <= value.length(); i++) {
      char c = i == value.length() ? '/' : value.charAt(i);
      if (c == '/') {
        int length = i - segmentStart;
        if (length == 0) {
          return "secret name " + quote(value) + " has an empty segment";
        }
        if (dots == length && length <= 2) {
          return "secret name " + quote(value) + " has a '" + ".".repeat(length) + "' segment";
        }
        segmentStart = i + 1;
        dots = 0;
      } else if (c == '.') {
        dots++;
      } else if (!isNameChar(c)) {
        return "secret name "
            + quote(value)
            + " has a character outside [A-Za-z0-9._-/] at index "
            + i;
      }
    }
    return null;
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  /**
   * Quotes a rejected name for an error message, escaping control and non-ASCII characters so a
   * hostile name cannot forge log lines, and cutting it short.
   */
  static String quote(String raw) {
    StringBuilder sb = new StringBuilder("'");
    int shown = Math.min(raw.length(), 80);
    for (int i = 0; i < shown; i++) {
      char c = raw.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    if (raw.length() > shown) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }

  @Override
  public int compareTo(SecretName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
