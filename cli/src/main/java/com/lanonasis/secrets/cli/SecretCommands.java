package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lanonasis secret ...}: the secret store's operations, on a server or a database. */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Read and write secrets.",
    footer = ExitCode.HELP,
    subcommands = {
      SecretCommands.Set.class,
      SecretCommands.Get.class,
      SecretCommands.ListNames.class,
      SecretCommands.History.class,
      SecretCommands.Delete.class,
      SecretCommands.Restore.class,
      SecretCommands.Destroy.class,
      ExportCommand.class,
      ImportCommand.class
    })
final class SecretCommands {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Values read from stdin may be up to the store's limit; a little over it lets the store say so.
   */
  static final int MAX_STDIN = 1024 * 1024;

  @ParentCommand Lanonasis root;

  /** Shared by the leaf commands: the root's options and streams, and an open store. */
  abstract static class Leaf implements java.util.concurrent.Callable<Integer> {
    @ParentCommand SecretCommands parent;

    Lanonasis cli() {
      return parent.root;
    }

    PrintStream out() {
      return cli().out;
    }

    @Override
    public Integer call() throws Exception {
      Target target = cli().target();
      prepare();
      try (SecretStore store = target.open(cli(), createsStore())) {
        run(store);
      }
      return ExitCode.OK;
    }

    /**
     * Whether the command may make a missing embedded store: only the ones that write a first
     * secret.
     */
    boolean createsStore() {
      return false;
    }

    /**
     * Reads what the command needs from its user, after the settings were checked and before
     * connecting.
     */
    void prepare() throws IOException {}

    abstract void run(SecretStore store) throws Exception;

    void printJson(Object node) throws IOException {
      out().println(JSON.writeValueAsString(node));
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Store a new version of KEY.",
        "Without VALUE the value is typed at a prompt that does not echo (when standard input and output are a "
            + "terminal), or read from standard input to its end, taken as it is, a final newline included: "
            + "lanonasis secret set db/password < file, or printf %%s \"$PW\" | lanonasis secret set db/password. "
            + "--value-file FILE reads a file the same way.",
        "A VALUE on the command line works but is visible to other users in the process list and stays in shell "
            + "history; the command warns about it."
      })
  static final class Set extends Leaf {
    @Override
    boolean createsStore() {
      return true;
    }

    @Parameters(
        index = "0",
        paramLabel = "KEY",
        description = "The secret's name, e.g. prod/db/password.")
    String key;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VALUE",
        description =
            "The value (visible in ps and shell history: prefer the prompt, stdin or --value-file).")
    String value;

    @Option(
        names = "--value-file",
        paramLabel = "FILE",
        description = "Read the value from FILE, byte for byte (a final newline included).")
    Path valueFile;

    @Option(
        names = "--expected-version",
        paramLabel = "N",
        description =
            "Check-and-set: write only if the current version is N (0: only if KEY does not exist).")
    Long expectedVersion;

    /** The value's bytes, read in {@link #prepare()}, wiped after the write. */
    private byte[] bytes;

    @Override
    void prepare() throws IOException {
      if (value != null && valueFile != null) {
        throw new CliException(
            ExitCode.USAGE, "give the value once: VALUE or --value-file, not both");
      }
      SecretName.of(key); // a bad name is refused before anyone types a value
      bytes = readValue();
    }

    @Override
    void run(SecretStore store) throws IOException {
      VersionInfo written;
      try (SecretValue v = SecretValue.of(bytes)) {
        written =
            store.put(
                key,
                v,
                expectedVersion == null
                    ? PutOptions.upsert()
                    : PutOptions.ifVersion(expectedVersion));
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      if (cli().json) {
        printJson(
            JSON.createObjectNode()
                .put("key", written.name().value())
                .put("version", written.version())
                .put("createdAt", written.createdAt().toString()));
      } else {
        out().println(written.name().value() + " version " + written.version());
      }
    }

    private byte[] readValue() throws IOException {
      if (value != null) {
        cli()
            .err
            .println(
                "lanonasis: warning: a VALUE on the command line is visible to other users in the process "
                    + "list (ps) and stays in your shell history; instead leave it out and type it at the prompt (on a "
                    + "terminal) or pipe it on standard input, or use --value-file FILE");
        return value.getBytes(StandardCharsets.UTF_8);
      }
      if (valueFile != null) {
        try (InputStream in = Files.newInputStream(valueFile)) {
          return readStdin(in);
        } catch (IOException e) {
          throw new CliException(
              ExitCode.USAGE,
              "cannot read --value-file " + valueFile + " (" + e.getClass().getSimpleName() + ")");
        }
      }
      Optional<Console> console = cli().stdin == System.in ? Terminal.console() : Optional.empty();
      if (console.isPresent()) {
        char[] typed = console.get().readPassword("Value of %s (not shown): ", key);
        if (typed == null) {
          throw new CliException(
              ExitCode.USAGE, "no value: the terminal closed before a line was typed");
        }
        try {
          return utf8(typed);
        } finally {
          Arrays.fill(typed, '\0');
        }
      }
      return readStdin(cli().stdin);
    }
  }

  // Not mixinStandardHelpOptions: its --version (print the CLI's version) would clash with this
  // command's --version N, and picocli then recognised neither -h nor --help here.
  @Command(
      name = "get",
      description = {
        "Print the value of KEY (the latest version, or --version N).",
        "Text output is the bare value, followed by a newline only when standard output is a terminal, so "
            + "$(lanonasis secret get db/password) and redirections get exactly the stored bytes."
      })
  static final class Get extends Leaf {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(
        names = "--version",
        paramLabel = "N",
        description = "A given version instead of the latest.")
    Long version;

    @Override
    void run(SecretStore store) throws IOException {
      try (Secret s = version == null ? store.get(key) : store.get(key, version)) {
        if (cli().json) {
          printJson(
              JSON.createObjectNode()
                  .put("key", s.name().value())
                  .put("version", s.version())
                  .put("value", s.value().asUtf8())
                  .put("createdAt", s.createdAt().toString()));
        } else {
          out().write(s.value().bytes());
          if (cli().out == System.out && Terminal.console().isPresent()) {
            out().println();
          }
          out().flush();
        }
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List names (never values), "
              + "optionally those starting with PREFIX, one per line with the current version.")
  static final class ListNames extends Leaf {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX")
    String prefix;

    @Override
    void run(SecretStore store) throws IOException {
      ArrayNode items = JSON.createArrayNode();
      ListOptions options = prefix == null ? ListOptions.all() : ListOptions.prefix(prefix);
      options = options.withLimit(1000);
      while (true) {
        Page<SecretMetadata> page = store.list(options);
        for (SecretMetadata m : page.items()) {
          if (cli().json) {
            ObjectNode n =
                items
                    .addObject()
                    .put("key", m.name().value())
                    .put("version", m.currentVersion())
                    .put("createdAt", m.createdAt().toString())
                    .put("updatedAt", m.updatedAt().toString());
            n.put("description", m.attributes().description());
            n.putPOJO("labels", m.attributes().labels());
          } else {
            out().println(m.name().value() + "\t" + m.currentVersion());
          }
        }
        if (page.nextCursor().isEmpty()) {
          break;
        }
        options = options.after(page.nextCursor().get());
      }
      if (cli().json) {
        printJson(JSON.createObjectNode().set("items", items));
      }
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "Every version of KEY, oldest first.")
  static final class History extends Leaf {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    void run(SecretStore store) throws IOException {
      List<VersionInfo> versions = store.versions(key);
      if (cli().json) {
        ArrayNode items = JSON.createArrayNode();
        versions.forEach(
            v ->
                items
                    .addObject()
                    .put("version", v.version())
                    .put("createdAt", v.createdAt().toString())
                    .put("destroyed", v.destroyed()));
        printJson(JSON.createObjectNode().put("key", key).set("versions", items));
      } else {
        versions.forEach(
            v ->
                out()
                    .println(
                        v.version() + "\t" + v.createdAt() + (v.destroyed() ? "\tdestroyed" : "")));
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Soft-delete KEY: hidden from get and list until restored.")
  static final class Delete extends Leaf {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    void run(SecretStore store) throws IOException {
      store.delete(key);
      done(this, "deleted", key);
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = "Undo a soft delete of KEY.")
  static final class Restore extends Leaf {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    void run(SecretStore store) throws IOException {
      store.restore(key);
      done(this, "restored", key);
    }
  }

  // Not mixinStandardHelpOptions, for the reason given at Get.
  @Command(
      name = "destroy",
      description = "Erase every version of KEY (or only --version N) for good.")
  static final class Destroy extends Leaf {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--version", paramLabel = "N", description = "Only this version.")
    Long version;

    @Override
    void run(SecretStore store) throws IOException {
      if (version == null) {
        store.destroy(key);
      } else {
        store.destroy(key, version);
      }
      done(this, "destroyed", key + (version == null ? "" : " version " + version));
    }
  }

  static void done(Leaf leaf, String what, String key) throws IOException {
    if (leaf.cli().json) {
      leaf.printJson(JSON.createObjectNode().put("key", key).put("result", what));
    } else {
      leaf.out().println(what + " " + key);
    }
  }

  /** The UTF-8 encoding of {@code chars}, with no copy left in an intermediate buffer. */
  // array() is the whole backing array, offset or not: all of it is wiped, which is the point.
  @SuppressWarnings("ByteBufferBackingArray")
  static byte[] utf8(char[] chars) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }

  static byte[] readStdin(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n; (n = in.read(chunk)) > 0; ) {
      buf.write(chunk, 0, n);
      if (buf.size() > MAX_STDIN) {
        throw new CliException(
            ExitCode.INVALID, "the value is larger than " + MAX_STDIN + " bytes");
      }
    }
    return buf.toByteArray();
  }
}
