package com.lanonasis.secrets.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .env} text in and out, for {@code secret import} and {@code secret export}: {@link
 * #format} writes what {@link #parse} reads back to the same keys and values, character for
 * character. The grammar is {@code docs/dotenv.md}, shared with the dashboard's {@code
 * ui/dotenv.js}; both are tested against {@code docs/dotenv-vectors.json}.
 *
 * <p>Read: a UTF-8 byte-order mark is skipped and CRLF is read as LF. A line is blank, a comment
 * ({@code #...}), or {@code [export ]KEY=value}, KEY being letters, digits, {@code . _ - /} (the
 * dashboard's export writes secret names as keys). A value is {@code 'single-quoted'} (taken as it
 * is), {@code "double-quoted"} (escapes {@code \n \r \t \" \\ \$}), or unquoted (trimmed of spaces
 * and tabs; a {@code #} after a space or tab starts a comment). A quoted value may span lines.
 * After a closing quote only a comment may follow. A line that does not parse is a {@link Problem}
 * with its number, never guessed at, and a problem never quotes the value.
 *
 * <p>Written: a value of {@code [A-Za-z0-9_./:@+,=-]} characters as it is; else single-quoted when
 * it holds no {@code '}, CR or LF (nothing inside is special, {@code $} included); else
 * double-quoted with those escapes, {@code $} as {@code \$} so loaders that expand variables inside
 * double quotes keep it literal.
 */
final class Dotenv {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("[ \\t]*(?:export[ \\t]+)?([A-Za-z0-9._/-]+)[ \\t]*=[ \\t]*");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@+,=-]+");

  private Dotenv() {}

  /**
   * One {@code KEY=value} of a file; not a record, so that its {@code toString} cannot print the
   * value.
   */
  static final class Entry {
    private final int line;
    private final String key;
    private final String value;

    Entry(int line, String key, String value) {
      this.line = line;
      this.key = key;
      this.value = value;
    }

    int line() {
      return line;
    }

    String key() {
      return key;
    }

    String value() {
      return value;
    }

    @Override
    public String toString() {
      return "Entry[line=" + line + ", key=" + key + ", value=redacted]";
    }
  }

  /** A line that does not parse: its number and what is wrong, never the value. */
  record Problem(int line, String message) {}

  /** What a file holds: the entries in file order, and the lines that do not parse. */
  record Parsed(List<Entry> entries, List<Problem> problems) {}

  static Parsed parse(String text) {
    String s = (text.startsWith("\uFEFF") ? text.substring(1) : text).replace("\r\n", "\n");
    List<Entry> entries = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int pos = 0;
    int line = 1;
    while (pos < s.length()) {
      int eol = endOfLine(s, pos);
      String raw = s.substring(pos, eol);
      String trimmed = trim(raw);
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        pos = eol + 1;
        line++;
        continue;
      }
      Matcher m = ASSIGNMENT.matcher(raw);
      if (!m.lookingAt()) {
        problems.add(
            new Problem(line, "not KEY=value (a key is letters, digits, '.', '_', '-' and '/')"));
        pos = eol + 1;
        line++;
        continue;
      }
      String key = m.group(1);
      int start = line;
      Value v = value(s, pos + m.end());
      line += v.newlines;
      if (v.error != null) {
        problems.add(new Problem(start, key + ": " + v.error));
        if (v.fatal) {
          break; // an unclosed quote: the rest of the file is no longer lines of its own
        }
      } else if (seen.containsKey(key)) {
        problems.add(new Problem(start, key + " is already set on line " + seen.get(key)));
      } else {
        seen.put(key, start);
        entries.add(new Entry(start, key, v.text));
      }
      pos = endOfLine(s, v.end) + 1;
      line++;
    }
    return new Parsed(List.copyOf(entries), List.copyOf(problems));
  }

  /** A parsed value: the text, or what is wrong; where the value ends; the line breaks it spans. */
  private static final class Value {
    String text;
    String error;
    boolean fatal;
    int end;
    int newlines;
  }

  // In double quotes a backslash and the character it escapes are read together (i++ in the body).
  @SuppressWarnings("IncrementInForLoopAndHeader")
  private static Value value(String s, int at) {
    Value v = new Value();
    char first = at < s.length() ? s.charAt(at) : '\n';
    if (first == '\'') {
      int close = s.indexOf('\'', at + 1);
      if (close < 0) {
        return fatal(v, "the single quote opened on this line is never closed");
      }
      v.text = s.substring(at + 1, close);
      v.newlines = count(v.text, '\n');
      return rest(v, s, close + 1);
    }
    if (first == '"') {
      StringBuilder b = new StringBuilder();
      for (int i = at + 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"') {
          v.text = b.toString();
          return rest(v, s, i + 1);
        }
        if (c == '\n') {
          v.newlines++;
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char next = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
        String unescaped =
            switch (next) {
              case 'n' -> "\n";
              case 'r' -> "\r";
              case 't' -> "\t";
              case '"' -> "\"";
              case '\\' -> "\\";
              case '$' -> "$";
              default -> null;
            };
        if (unescaped == null) {
          // The character after the backslash is part of the value: not named.
          v.error = "a backslash in double quotes must start \\n, \\r, \\t, \\\", \\\\ or \\$";
          v.end = i;
          v.newlines = 0;
          int close = s.indexOf('"', i + 2);
          v.fatal = close < 0;
          if (close >= 0) {
            v.newlines = count(s.substring(at, close), '\n');
            v.end = close + 1;
          }
          return v;
        }
        b.append(unescaped);
        i++;
      }
      return fatal(v, "the double quote opened on this line is never closed");
    }
    int eol = endOfLine(s, at);
    String text = s.substring(at, eol);
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == '#' && isBlank(text.charAt(i - 1))) {
        text = text.substring(0, i);
        break;
      }
    }
    v.text = trim(text);
    v.end = eol;
    return v;
  }

  /** What may follow a closing quote: spaces, then nothing or a comment. */
  private static Value rest(Value v, String s, int after) {
    int eol = endOfLine(s, after);
    String tail = trim(s.substring(after, eol));
    v.end = eol;
    if (!tail.isEmpty() && !tail.startsWith("#")) {
      v.text = null;
      v.error = "text after the closing quote (quote the whole value)";
    }
    return v;
  }

  private static Value fatal(Value v, String message) {
    v.error = message;
    v.fatal = true;
    return v;
  }

  /**
   * Spaces and tabs only: the grammar's blank (a no-break space or a BOM inside a value is kept).
   */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static String trim(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isBlank(s.charAt(a))) {
      a++;
    }
    while (b > a && isBlank(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  private static int endOfLine(String s, int from) {
    int eol = s.indexOf('\n', Math.min(from, s.length()));
    return eol < 0 ? s.length() : eol;
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  /** A value as {@code .env} text: plain, single-quoted or double-quoted, as the class says. */
  static String quote(String value) {
    if (PLAIN.matcher(value).matches()) {
      return value;
    }
    if (value.indexOf('\'') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return "'" + value + "'";
    }
    StringBuilder b = new StringBuilder(value.length() + 8).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '$' -> b.append("\\$");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** {@code KEY=value} lines, one per entry of {@code values} (key → value), in its order. */
  static String format(Map<String, String> values) {
    StringBuilder b = new StringBuilder();
    values.forEach((key, value) -> b.append(key).append('=').append(quote(value)).append('\n'));
    return b.toString();
  }
}
