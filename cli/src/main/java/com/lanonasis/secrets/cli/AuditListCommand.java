package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.http.AuditLogClient;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis audit list}: a server's audit entries, newest first, filtered by the server, one
 * line each with the time to the second and the key described (role, prefix), not only its id.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "A server's audit entries, newest first (an ADMIN key without a prefix; another tenant's admin sees its own "
          + "tenant's): seq, time (UTC, to the second), key id with its role and prefix, action, name, outcome, "
          + "client address. --json prints the server's page as it is.",
      "--hide-listings leaves out the reads that only list names, keys, keysets or the log itself (what the "
          + "dashboard records by showing its pages)."
    })
final class AuditListCommand implements Callable<Integer> {
  @ParentCommand AuditCommands parent;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N entries (1 to 1000, default 50).")
  int limit = 50;

  @Option(
      names = "--key",
      paramLabel = "ID",
      description = "Only the entries of the key with this id (16 hex digits).")
  String keyId;

  @Option(
      names = "--action",
      paramLabel = "ACTION",
      description = "Only this action, e.g. reveal or key.create.")
  String action;

  @Option(names = "--name", paramLabel = "PREFIX", description = "Only names starting with PREFIX.")
  String name;

  @Option(
      names = "--outcome",
      paramLabel = "OUTCOME",
      description = "Only this outcome, e.g. denied.")
  String outcome;

  @Option(names = "--hide-listings", description = "Leave out the listing reads.")
  boolean hideListings;

  @Override
  public Integer call() throws IOException {
    Lanonasis cli = parent.root;
    if (limit < 1 || limit > 1000) {
      throw new CliException(ExitCode.USAGE, "--limit is 1 to 1000");
    }
    Target t = cli.target();
    if (!t.remote()) {
      throw new CliException(
          ExitCode.USAGE, "audit list reads a server's log: give --url (or LANONASIS_URL)");
    }
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("keyId", keyId);
    filters.put("action", action);
    filters.put("name", name);
    filters.put("outcome", outcome);
    filters.put("hideListings", hideListings ? "true" : null);
    String page;
    try (AuditLogClient audit = new AuditLogClient(t.httpConfig(cli))) {
      page = audit.newest(0, limit, filters);
    }
    JsonNode json = SecretCommands.JSON.readTree(page);
    if (cli.json) {
      cli.out.println(json.toString());
      return ExitCode.OK;
    }
    for (JsonNode e : json.get("items")) {
      cli.out.println(
          String.join(
              "\t",
              e.get("seq").asText(),
              Instant.parse(e.get("time").asText()).truncatedTo(ChronoUnit.SECONDS).toString(),
              key(e),
              e.get("action").asText()
                  + (e.has("repeated") ? " x" + e.get("repeated").asText() : ""),
              text(e, "secretName"),
              e.get("outcome").asText(),
              text(e, "clientAddress")));
    }
    return ExitCode.OK;
  }

  /** "0123456789abcdef (READ_ONLY, prefix team/)", as the dashboard shows it; "-" for none. */
  private static String key(JsonNode e) {
    String id = text(e, "keyId");
    JsonNode k = e.get("key");
    if (k == null || k.isNull()) {
      return id;
    }
    String prefix = k.path("prefix").asText("");
    return id
        + " ("
        + k.path("role").asText()
        + ", "
        + (prefix.isEmpty() ? "every name" : "prefix " + prefix)
        + (k.path("revoked").asBoolean() ? ", revoked" : "")
        + ")";
  }

  private static String text(JsonNode e, String field) {
    JsonNode v = e.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }
}
