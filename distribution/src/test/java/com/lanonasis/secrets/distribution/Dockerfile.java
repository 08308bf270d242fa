package com.lanonasis.secrets.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The root {@code Dockerfile} read as Docker reads it: comment lines dropped, lines ending in a
 * backslash joined, each instruction split into its keyword, its {@code --flags} and the rest.
 */
record Dockerfile(List<Dockerfile.Instruction> instructions) {
  /** One instruction: {@code HEALTHCHECK --interval=15s CMD [...]} is keyword, flags, arguments. */
  record Instruction(String keyword, Map<String, String> flags, String arguments) {
    /** The arguments in exec form (a JSON array of strings), or null in shell form. */
    List<String> execForm() {
      return jsonStrings(arguments);
    }
  }

  static Dockerfile read(Path file) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue; // a comment, also inside a continued instruction
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      out.add(parse(current.toString().strip()));
      current.setLength(0);
    }
    if (current.length() > 0) {
      throw new IllegalStateException("the last instruction ends with a backslash");
    }
    return new Dockerfile(List.copyOf(out));
  }

  private static Instruction parse(String text) {
    String[] kw = text.split("\\s+", 2);
    String rest = kw.length > 1 ? kw[1] : "";
    Map<String, String> flags = new LinkedHashMap<>();
    Matcher m = Pattern.compile("^--([a-z-]+)(?:=(\\S*))?\\s+").matcher(rest);
    while (m.find()) {
      flags.put(m.group(1), m.group(2) == null ? "" : m.group(2));
      rest = rest.substring(m.end());
      m = Pattern.compile("^--([a-z-]+)(?:=(\\S*))?\\s+").matcher(rest);
    }
    return new Instruction(kw[0].toUpperCase(Locale.ROOT), Map.copyOf(flags), rest.strip());
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Every ENV variable, in the {@code KEY=value} form (values without spaces or quotes). */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : all("ENV")) {
      for (String pair : i.arguments().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalStateException("ENV not in KEY=value form: " + i.arguments());
        }
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return env;
  }

  /**
   * A JSON array of strings (exec form: {@code ["a", "b \"c\""]}), or null when {@code text} is not
   * one. Escapes: {@code \"}, {@code \\} and {@code \/}, all Docker's exec forms here need.
   */
  static List<String> jsonStrings(String text) {
    String s = text.strip();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int i = 1;
    while (true) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (s.charAt(i) == ']' && out.isEmpty()) {
        return i == s.length() - 1 ? out : null;
      }
      if (s.charAt(i) != '"') {
        return null;
      }
      StringBuilder b = new StringBuilder();
      i++;
      while (s.charAt(i) != '"') {
        char c = s.charAt(i++);
        if (c == '\\') {
          char e = s.charAt(i++);
          if (e != '"' && e != '\\' && e != '/') {
            return null;
          }
          b.append(e);
        } else {
          b.append(c);
        }
      }
      out.add(b.toString());
      i++;
      while (Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (s.charAt(i) == ']') {
        return i == s.length() - 1 ? out : null;
      }
      if (s.charAt(i) != ',') {
        return null;
      }
      i++;
    }
  }
}
