package com.lanonasis.secrets.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Help text wrapped at spaces only. picocli wraps with {@link java.text.BreakIterator}, which also
 * breaks after a '.' or ':' inside a word, so a path came out as {@code .⏎/data/keyset.json}, not
 * something a user can copy. Each command's sections are laid out at a width no line reaches, then
 * wrapped here at the command's own width, continuation lines indented as picocli indents them.
 */
final class HelpWrap {
  private static final int UNWRAPPED = 10_000;

  /** An option or command row: the name column, two or more spaces, the description. */
  private static final Pattern ROW = Pattern.compile("^( *\\S.*?\\S {2,})\\S");

  private static final Pattern SYNOPSIS =
      Pattern.compile("^Usage: \\S+(?: [a-z][a-z-]*)*? (?=[\\[<A-Z-])");

  private HelpWrap() {}

  /** Installs the wrapping on {@code command} and every subcommand it has now. */
  static void install(CommandLine command) {
    int width = command.getCommandSpec().usageMessage().width();
    command.getCommandSpec().usageMessage().width(UNWRAPPED);
    Map<String, IHelpSectionRenderer> sections = command.getHelpSectionMap();
    sections.replaceAll(
        (key, renderer) ->
            key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)
                // The synopsis follows its heading ("Usage: ") on the same line: wrapped with it.
                ? help ->
                    wrap(help.synopsisHeading() + renderer.render(help), width)
                        .substring(help.synopsisHeading().length())
                : help -> wrap(renderer.render(help), width));
    command.setHelpSectionMap(sections);
    command.getSubcommands().values().stream().distinct().forEach(HelpWrap::install);
  }

  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(wrapLine(lines[i], width));
    }
    return out.toString();
  }

  private static String wrapLine(String line, int width) {
    String end = line.endsWith("\r") ? "\r" : "";
    String body = end.isEmpty() ? line : line.substring(0, line.length() - 1);
    if (body.length() <= width) {
      return line;
    }
    int head;
    int indent;
    Matcher synopsis = SYNOPSIS.matcher(body);
    Matcher row = ROW.matcher(body);
    if (synopsis.find()) {
      head = synopsis.end();
      indent = head;
    } else if (row.find()) {
      head = row.end(1);
      indent = head + 2;
    } else {
      head = leadingSpaces(body);
      indent = head;
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder(body.substring(0, head));
    boolean empty = true;
    for (String word : body.substring(head).split(" ", -1)) {
      if (word.isEmpty()) {
        continue;
      }
      if (!empty && current.length() + 1 + word.length() > width) {
        out.add(current.toString());
        current = new StringBuilder(" ".repeat(indent));
        empty = true;
      }
      if (!empty) {
        current.append(' ');
      }
      current.append(word);
      empty = false;
    }
    out.add(current.toString());
    return String.join(end + "\n", out) + end;
  }

  private static int leadingSpaces(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
