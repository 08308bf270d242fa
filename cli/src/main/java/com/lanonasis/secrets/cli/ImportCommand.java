package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanonasis secret import}: a {@code .env} file into secrets, all or nothing. Every entry is
 * checked before anything is written; then each is written with check-and-set against the version
 * the check saw, and if one fails (someone wrote meanwhile) the versions written before it are
 * destroyed again, as the server's own import does. On a server this goes through the SDK's
 * ordinary calls: it has no bulk import.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a .env file (FILE, or - for standard input) as secrets named --prefix followed by each key in lower "
          + "case (DB_PASSWORD under --prefix prod/ is prod/db_password).",
      "Read: comments, blank lines, 'export KEY=', unquoted values (trimmed, ' #' starts a comment), "
          + "'single-quoted' (as is), \"double-quoted\" (\\n \\r \\t \\\" \\\\ \\$ escapes); quoted values may span "
          + "lines. A line that does not parse is reported as FILE:LINE and nothing is written (exit 6).",
      "Prints the plan (create, update, conflict per name; never a value). By default only new names are "
          + "written: an existing one is a conflict and nothing is written (exit 3). --overwrite writes new versions "
          + "of existing names, check-and-set against the version read. --dry-run writes nothing."
    },
    footer = ExitCode.HELP)
final class ImportCommand extends SecretCommands.Leaf {
  @Override
  boolean createsStore() {
    return true;
  }

  /** Larger than any sensible .env file; the store's per-value limit applies as well. */
  static final int MAX_FILE = 16 * 1024 * 1024;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The .env file, or - for standard input.")
  String file;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "Put before every name, e.g. prod/ (default: none).")
  String prefix = "";

  @Option(names = "--dry-run", description = "Print the plan and write nothing.")
  boolean dryRun;

  @Option(
      names = "--overwrite",
      description = "Write new versions of names that exist (check-and-set).")
  boolean overwrite;

  /** One entry of the file and what is to be done with it. */
  private static final class Item {
    final Dotenv.Entry entry;
    final String name;
    long current;
    long written;

    Item(Dotenv.Entry entry, String name) {
      this.entry = entry;
      this.name = name;
    }

    String action(boolean overwrite) {
      return current == 0 ? "create" : overwrite ? "update" : "conflict";
    }
  }

  private List<Item> items;

  @Override
  void prepare() throws IOException {
    String source = file.equals("-") ? "<stdin>" : file;
    Dotenv.Parsed parsed = Dotenv.parse(text(source));
    List<Dotenv.Problem> problems = new ArrayList<>(parsed.problems());
    items = new ArrayList<>();
    Map<String, Integer> lineOfName = new HashMap<>();
    for (Dotenv.Entry e : parsed.entries()) {
      String name = SecretVariables.nameOf(prefix, e.key());
      if (!SecretName.isValid(name)) {
        problems.add(
            new Dotenv.Problem(
                e.line(),
                e.key()
                    + " makes the name '"
                    + name
                    + "', which is not a secret "
                    + "name (segments of [A-Za-z0-9._-] joined by '/')"));
      } else if (lineOfName.containsKey(name)) {
        problems.add(
            new Dotenv.Problem(
                e.line(),
                e.key()
                    + " makes the name "
                    + name
                    + ", as line "
                    + lineOfName.get(name)
                    + " does"));
      } else {
        lineOfName.put(name, e.line());
        items.add(new Item(e, name));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
      problems.forEach(p -> cli().err.println(source + ":" + p.line() + ": " + p.message()));
      throw new CliException(
          ExitCode.INVALID,
          problems.size()
              + " line"
              + (problems.size() == 1 ? "" : "s")
              + " of "
              + source
              + " cannot be imported (above); nothing was written");
    }
  }

  private String text(String source) throws IOException {
    byte[] bytes;
    if (file.equals("-")) {
      bytes = cli().stdin.readNBytes(MAX_FILE + 1);
    } else {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        bytes = in.readNBytes(MAX_FILE + 1);
      } catch (IOException e) {
        throw new CliException(
            ExitCode.USAGE, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (bytes.length > MAX_FILE) {
      throw new CliException(ExitCode.INVALID, source + " is larger than " + MAX_FILE + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer chars = CharBuffer.allocate(bytes.length);
    CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, chars, true);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new CliException(
          ExitCode.INVALID, source + ":" + line + ": not UTF-8 text; nothing was written");
    }
    return chars.flip().toString();
  }

  @Override
  void run(SecretStore store) throws IOException {
    for (Item i : items) {
      try {
        i.current = store.metadata(i.name).currentVersion();
      } catch (SecretNotFoundException absent) {
        i.current =
            0; // or deleted: a store says so only when it is written, which then fails and is
        // undone
      }
    }
    long conflicts = items.stream().filter(i -> i.action(overwrite).equals("conflict")).count();
    boolean write = !dryRun && conflicts == 0;
    if (write) {
      writeAll(store);
    }
    report(write);
    if (conflicts > 0) {
      throw new CliException(
          ExitCode.CONFLICT,
          conflicts
              + (conflicts == 1 ? " name exists" : " names exist")
              + " already (conflict above); nothing was written; --overwrite writes new versions of them");
    }
  }

  private void writeAll(SecretStore store) {
    List<Item> done = new ArrayList<>();
    for (Item i : items) {
      try (SecretValue v = SecretValue.ofUtf8(i.entry.value())) {
        i.written = store.put(i.name, v, PutOptions.ifVersion(i.current)).version();
        done.add(i);
      } catch (SecretsException failure) {
        List<String> kept = new ArrayList<>();
        for (int k = done.size() - 1; k >= 0; k--) {
          Item d = done.get(k);
          try {
            store.destroy(d.name, d.written);
            if (d.current == 0 && store.metadata(d.name).currentVersion() == d.written) {
              // Nobody wrote after us: erase the name too, so that it lists as absent and can be
              // created again.
              store.destroy(d.name);
            }
          } catch (SecretsException e) {
            kept.add(d.name);
          }
        }
        throw new CliException(
            ExitCode.of(failure),
            "writing "
                + i.name
                + " failed ("
                + failure.getMessage()
                + (done.isEmpty()
                    ? "); nothing was written"
                    : "); the "
                        + done.size()
                        + " written before it were destroyed "
                        + "again"
                        + (kept.isEmpty() ? "" : ", except " + String.join(", ", kept))
                        + "; nothing else was written"));
      }
    }
  }

  private void report(boolean written) throws IOException {
    if (cli().json) {
      ArrayNode list = SecretCommands.JSON.createArrayNode();
      for (Item i : items) {
        ObjectNode n =
            list.addObject()
                .put("key", i.name)
                .put("variable", i.entry.key())
                .put("line", i.entry.line())
                .put("action", i.action(overwrite))
                .put("currentVersion", i.current);
        if (written) {
          n.put("version", i.written);
        }
      }
      printJson(
          SecretCommands.JSON
              .createObjectNode()
              .put("dryRun", dryRun)
              .put("written", written)
              .set("items", list));
      return;
    }
    for (Item i : items) {
      String action = i.action(overwrite);
      String detail =
          i.current == 0
              ? ""
              : written ? "version " + i.current + " -> " + i.written : "at version " + i.current;
      out()
          .println(
              String.format(
                  "%-8s %s%s  (%s, line %d)",
                  action,
                  i.name,
                  detail.isEmpty() ? "" : "  " + detail,
                  i.entry.key(),
                  i.entry.line()));
    }
    if (items.isEmpty()) {
      out().println("nothing to import");
    } else if (written) {
      long created = items.stream().filter(i -> i.current == 0).count();
      out()
          .println(
              "imported "
                  + items.size()
                  + ": "
                  + created
                  + " created, "
                  + (items.size() - created)
                  + " updated");
    } else if (dryRun) {
      out().println("dry run: nothing was written");
    }
  }
}
