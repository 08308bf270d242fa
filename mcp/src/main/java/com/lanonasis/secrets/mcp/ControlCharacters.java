package com.lanonasis.secrets.mcp;

/**
 * Escapes the characters that would let text an agent chose forge or hide a line in a log or an
 * audit trail: C0 and C1 controls (newline, carriage return, ESC and its terminal sequences), DEL
 * and the Unicode line and paragraph separators, each as {@code \\uXXXX}. Backslashes are doubled
 * so that an escape cannot be typed in.
 */
final class ControlCharacters {
  private ControlCharacters() {}

  static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == '\\';
      if (bad && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (c == '\\') {
          out.append("\\\\");
        } else if (bad) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
