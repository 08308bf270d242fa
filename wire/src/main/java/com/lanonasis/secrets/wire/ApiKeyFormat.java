package com.lanonasis.secrets.wire;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a Lanonasis API key, {@code lns_<id>_<secret>}: {@code id} is 16 lower-case hex
 * digits and public (it names the key in listings and the audit log); the secret part is URL-safe
 * base64. The one Java definition: the server, the HTTP client, the CLI and the MCP server all
 * recognise and redact keys with it.
 *
 * @since 0.1
 */
public final class ApiKeyFormat {
  /** What every key starts with. */
  public static final String PREFIX = "lns_";

  private static final Pattern KEY = Pattern.compile("lns_([0-9a-f]{16})_[A-Za-z0-9_-]+");

  private ApiKeyFormat() {}

  /** Whether {@code text} is exactly one key of this shape. */
  public static boolean matches(CharSequence text) {
    return KEY.matcher(Objects.requireNonNull(text, "text")).matches();
  }

  /** Whether {@code text} holds a key of this shape anywhere (a name, a URL, a log line). */
  public static boolean contains(CharSequence text) {
    return KEY.matcher(Objects.requireNonNull(text, "text")).find();
  }

  /**
   * The key's public form {@code lns_<id>_***} when {@code key} has this shape, else {@code ***}.
   */
  public static String publicForm(CharSequence key) {
    Matcher m = KEY.matcher(Objects.requireNonNull(key, "key"));
    return m.matches() ? PREFIX + m.group(1) + "_***" : "***";
  }

  /** {@code text} with every key in it reduced to its public form {@code lns_<id>_***}. */
  public static String redact(CharSequence text) {
    return KEY.matcher(Objects.requireNonNull(text, "text")).replaceAll(PREFIX + "$1_***");
  }
}
