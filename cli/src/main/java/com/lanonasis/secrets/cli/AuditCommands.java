package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.audit.AuditCheckpointVerifier;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.http.AuditLogClient;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis audit list} ({@link AuditListCommand}), {@code lanonasis audit checkpoint} and
 * {@code lanonasis audit verify --checkpoint FILE}: keep signed checkpoints of a server's audit log
 * outside it, and later prove the log still holds them.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description = {
      "A server's audit log: list its entries; take signed checkpoints, keep them elsewhere, verify the "
          + "log against them later."
    },
    subcommands = {
      AuditListCommand.class,
      AuditCommands.Checkpoint.class,
      AuditCommands.Verify.class
    })
final class AuditCommands {
  @ParentCommand Lanonasis root;

  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description = {
        "Ask the server to sign a checkpoint of its newest audit entry (ADMIN key of tenant default, no prefix) and "
            + "print it, or append it to --to FILE (created 0600). Keep it where the server's host cannot change it."
      })
  static final class Checkpoint implements Callable<Integer> {
    @ParentCommand AuditCommands parent;

    @Option(
        names = "--to",
        paramLabel = "FILE",
        description = "Append the checkpoint (one JSON line) to FILE.")
    Path to;

    @Override
    public Integer call() throws IOException {
      Lanonasis cli = parent.root;
      Target t = cli.target();
      if (!t.remote()) {
        throw new CliException(
            ExitCode.USAGE, "checkpoints are signed by a server: give --url (or LANONASIS_URL)");
      }
      String json;
      try (AuditLogClient audit = new AuditLogClient(t.httpConfig(cli))) {
        json = SecretCommands.JSON.readTree(audit.checkpoint()).toString();
      }
      if (to == null) {
        cli.out.println(json);
        return ExitCode.OK;
      }
      if (!Files.exists(to)) {
        Files.createFile(
            to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(to, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      cli.out.println(
          "checkpoint of entry "
              + SecretCommands.JSON.readTree(json).get("seq").asLong()
              + " appended to "
              + to);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Prove the audit log still holds the entry a checkpoint signed and every entry before it, unchanged: the "
            + "signature is checked, then every entry's hash is recomputed here from its fields (nothing the server "
            + "says about its own log is trusted) and linked up to the checkpoint.",
        "FILE holds one checkpoint (JSON) or many (one per line, as the server's audit-checkpoints.jsonl): each is "
            + "verified. The log is read from the server (--url, an ADMIN key of tenant default) or from the "
            + "database itself (--store).",
        "The signing key must be the server's: by default its current key (asked for over the API), or the one "
            + "given with --public-key (base64, as in a checkpoint; required with --store).",
        "Exit 0: every checkpoint holds; 3: one does not (the log was changed); other codes as usual."
      })
  static final class Verify implements Callable<Integer> {
    @ParentCommand AuditCommands parent;

    @Option(
        names = "--checkpoint",
        required = true,
        paramLabel = "FILE",
        description = "The checkpoint(s) to verify.")
    Path checkpoint;

    @Option(
        names = "--public-key",
        paramLabel = "BASE64",
        description = "The key the checkpoints must be signed with.")
    String publicKey;

    @Override
    public Integer call() throws IOException {
      Lanonasis cli = parent.root;
      List<JsonNode> checkpoints = read(checkpoint);
      Target t = cli.target();
      Optional<byte[]> pinned =
          Optional.ofNullable(publicKey)
              .map(
                  k -> {
                    try {
                      return Base64.getDecoder().decode(k.strip());
                    } catch (IllegalArgumentException e) {
                      throw new CliException(ExitCode.USAGE, "--public-key is not base64");
                    }
                  });
      List<AuditCheckpointVerifier.Result> results = new ArrayList<>();
      if (t.remote()) {
        try (AuditLogClient audit = new AuditLogClient(t.httpConfig(cli))) {
          if (pinned.isEmpty()) {
            JsonNode current = SecretCommands.JSON.readTree(audit.checkpoint());
            pinned = Optional.of(Base64.getDecoder().decode(current.get("publicKey").asText()));
          }
          for (JsonNode c : checkpoints) {
            results.add(verify(c, pinned, after -> remotePage(audit, after)));
          }
        }
      } else {
        if (pinned.isEmpty()) {
          throw new CliException(
              ExitCode.USAGE,
              "with --store, give the server's key with --public-key (base64, "
                  + "the publicKey of a checkpoint you trust): a checkpoint cannot vouch for its own key");
        }
        try (JdbcDatabase db =
            JdbcDatabase.builder().url(t.store()).maximumPoolSize(1).readOnly().build()) {
          for (JsonNode c : checkpoints) {
            results.add(
                verify(
                    c,
                    pinned,
                    after ->
                        new AuditLog(db, Clock.systemUTC()).read(after, 1000, Optional.empty())));
          }
        }
      }
      boolean all = results.stream().allMatch(AuditCheckpointVerifier.Result::holds);
      if (cli.json) {
        var node = SecretCommands.JSON.createObjectNode().put("holds", all);
        var items = node.putArray("checkpoints");
        for (AuditCheckpointVerifier.Result r : results) {
          items
              .addObject()
              .put("seq", r.checkpointSeq())
              .put("keyId", r.keyId())
              .put("holds", r.holds())
              .put("entriesChecked", r.entriesChecked())
              .put("explanation", r.explanation());
        }
        cli.out.println(SecretCommands.JSON.writeValueAsString(node));
      } else {
        for (AuditCheckpointVerifier.Result r : results) {
          cli.out.println(
              (r.holds() ? "holds  " : "BROKEN ")
                  + "checkpoint of entry "
                  + r.checkpointSeq()
                  + " (key "
                  + r.keyId()
                  + "): "
                  + r.explanation());
        }
      }
      return all ? ExitCode.OK : ExitCode.CONFLICT;
    }

    private static AuditCheckpointVerifier.Result verify(
        JsonNode c, Optional<byte[]> pinned, Function<Long, List<AuditEntry>> pages) {
      try {
        return AuditCheckpointVerifier.verify(c, pinned, new Entries(pages));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.INVALID, e.getMessage());
      }
    }

    private static List<JsonNode> read(Path file) throws IOException {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCode.NOT_FOUND, "no checkpoint file " + file);
      }
      String all = String.join("\n", lines).strip();
      List<JsonNode> out = new ArrayList<>();
      try {
        if (all.startsWith("{") && !all.contains("\n{")) {
          out.add(SecretCommands.JSON.readTree(all));
        } else {
          for (String line : lines) {
            if (!line.isBlank()) {
              out.add(SecretCommands.JSON.readTree(line));
            }
          }
        }
      } catch (IOException e) {
        throw new CliException(
            ExitCode.INVALID,
            "the checkpoint file " + file + " is not JSON (one object, or one per line)");
      }
      if (out.isEmpty()) {
        throw new CliException(
            ExitCode.INVALID, "the checkpoint file " + file + " holds no checkpoint");
      }
      return out;
    }

    private static List<AuditEntry> remotePage(AuditLogClient audit, long after) {
      JsonNode page;
      try {
        page = SecretCommands.JSON.readTree(audit.page(after, 1000));
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "the server's audit page is not JSON");
      }
      List<AuditEntry> out = new ArrayList<>();
      for (JsonNode e : page.get("items")) {
        out.add(
            new AuditEntry(
                e.get("seq").asLong(),
                Instant.parse(e.get("time").asText()),
                text(e, "tenant"),
                text(e, "keyId"),
                e.get("action").asText(),
                text(e, "secretName"),
                e.get("outcome").asText(),
                text(e, "clientAddress"),
                HexFormat.of().parseHex(e.get("prevHash").asText()),
                HexFormat.of().parseHex(e.get("hash").asText()),
                e.path("repeated").asLong(0),
                e.path("chain").asText(""),
                // An older server's entries are all of the legacy chain, placed by seq.
                e.path("chainSeq").asLong(e.get("seq").asLong())));
      }
      return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
  }

  /** The log's entries oldest first, a page at a time. */
  private static final class Entries implements Iterator<AuditEntry> {
    private final Function<Long, List<AuditEntry>> pages;
    private final Deque<AuditEntry> buffer = new ArrayDeque<>();
    private long after;
    private boolean done;

    Entries(Function<Long, List<AuditEntry>> pages) {
      this.pages = pages;
    }

    @Override
    public boolean hasNext() {
      if (buffer.isEmpty() && !done) {
        List<AuditEntry> page = pages.apply(after);
        if (page.isEmpty()) {
          done = true;
        } else {
          buffer.addAll(page);
          after = page.get(page.size() - 1).seq();
        }
      }
      return !buffer.isEmpty();
    }

    @Override
    public AuditEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.removeFirst();
    }
  }
}
