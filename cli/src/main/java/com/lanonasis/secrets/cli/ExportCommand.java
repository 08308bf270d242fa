package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.SecretStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanonasis secret export}: the secrets under a prefix as variables, in a file format. On a
 * server each secret is read with an ordinary read (the SDK has no bulk export), so each is audited
 * as a read.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Print the secrets under --prefix as variables: dotenv (reads back with secret import), shell "
          + "(export NAME='...' lines for eval) or json ({\"NAME\": \"value\"}).",
      "Variables are named as in lanonasis run: the prefix dropped, '/', '-', '.' as '_', upper case. dotenv "
          + "values are plain, 'single-quoted', or \"double-quoted\" with \\n \\r \\t \\\" \\\\ \\$ escapes.",
      "Values are not printed to a terminal unless --force. -o FILE is created 0600 (an existing FILE only with "
          + "--force). A value that is not UTF-8 text, or holds a NUL, is an error naming its secret (exit 6)."
    },
    footer = ExitCode.HELP)
final class ExportCommand extends SecretCommands.Leaf {
  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "The secrets whose names start with P (default: all).")
  String prefix = "";

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "dotenv, shell or json (--json: json).")
  String format;

  @Option(
      names = "--force",
      description = "Print values even to a terminal; replace an existing -o FILE.")
  boolean force;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE, created 0600.")
  Path output;

  @Override
  void prepare() {
    if (format == null) {
      if (!cli().json) {
        throw new CliException(ExitCode.USAGE, "give --format dotenv, shell or json");
      }
      format = "json";
    }
    if (!List.of("dotenv", "shell", "json").contains(format)) {
      throw new CliException(
          ExitCode.USAGE, "--format must be dotenv, shell or json, not '" + format + "'");
    }
    if (output == null && !force && cli().out == System.out && Terminal.console().isPresent()) {
      throw new CliException(
          ExitCode.USAGE,
          "not printing secret values to a terminal, where they stay on the "
              + "screen and in its scrollback: redirect the output (> file, | command), use -o FILE, or add --force");
    }
    if (output != null && Files.exists(output) && !force) {
      throw new CliException(ExitCode.USAGE, output + " exists; add --force to replace it");
    }
  }

  @Override
  void run(SecretStore store) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    SecretVariables.read(store, List.of(prefix), List.of())
        .forEach((variable, b) -> values.put(variable, b.value()));
    byte[] text = render(values).getBytes(StandardCharsets.UTF_8);
    if (output == null) {
      out().write(text);
      out().flush();
      return;
    }
    Files.deleteIfExists(output);
    try (OutputStream o =
        Files.newOutputStream(
            Files.createFile(
                output,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            StandardOpenOption.WRITE)) {
      o.write(text);
    } catch (FileAlreadyExistsException raced) {
      throw new CliException(
          ExitCode.CONFLICT, output + " was created by someone else meanwhile; nothing written");
    }
    cli()
        .err
        .println(
            "lanonasis: exported "
                + values.size()
                + " secret"
                + (values.size() == 1 ? "" : "s")
                + " to "
                + output);
  }

  private String render(Map<String, String> values) throws IOException {
    switch (format) {
      case "dotenv" -> {
        return Dotenv.format(values);
      }
      case "shell" -> {
        StringBuilder b = new StringBuilder();
        values.forEach(
            (variable, value) ->
                b.append("export ")
                    .append(variable)
                    .append("='")
                    .append(value.replace("'", "'\\''"))
                    .append("'\n"));
        return b.toString();
      }
      default -> {
        ObjectNode o = SecretCommands.JSON.createObjectNode();
        values.forEach(o::put);
        return SecretCommands.JSON.writeValueAsString(o) + "\n";
      }
    }
  }
}
