package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lanonasis apikey create|list|revoke}: the server's key management, for ADMIN keys. */
@Command(name = "apikey", mixinStandardHelpOptions = true, footer = ExitCode.HELP,
    description = "Create, list and revoke API keys on a server (needs an ADMIN key without a prefix).",
    subcommands = {ApiKeyCommands.Create.class, ApiKeyCommands.ListKeys.class, ApiKeyCommands.Revoke.class})
final class ApiKeyCommands {
  @ParentCommand
  Lanonasis root;

  abstract static class Remote implements Callable<Integer> {
    @ParentCommand
    ApiKeyCommands parent;

    Lanonasis cli() {
      return parent.root;
    }

    /** Sends one request to the server and returns its JSON body (null for 204). */
    JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
      Target t = cli().target();
      if (!t.remote()) {
        throw new CliException(ExitCode.USAGE, "API keys live on a server: give --url (or LANONASIS_URL)");
      }
      if (t.apiKey() == null) {
        throw new CliException(ExitCode.AUTH, "no API key: set LANONASIS_API_KEY (or api-key in a 0600 profile)");
      }
      String base = t.url().endsWith("/") ? t.url().substring(0, t.url().length() - 1) : t.url();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + t.apiKey())
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r;
      try {
        r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
            .send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new CliException(ExitCode.UNAVAILABLE, "cannot reach " + base + " (" + e.getClass().getSimpleName() + ")");
      }
      if (r.statusCode() >= 400) {
        String detail = "HTTP " + r.statusCode();
        try {
          JsonNode problem = SecretCommands.JSON.readTree(r.body());
          if (problem.hasNonNull("detail")) {
            detail = problem.get("detail").asText(); // written by the server, never a key or value
          }
        } catch (IOException notJson) {
          // keep the status
        }
        throw new CliException(exitCode(r.statusCode()), detail);
      }
      return r.statusCode() == 204 || r.body().isEmpty() ? null : SecretCommands.JSON.readTree(r.body());
    }

    static int exitCode(int status) {
      return switch (status) {
        case 401, 403 -> ExitCode.AUTH;
        case 404 -> ExitCode.NOT_FOUND;
        case 409 -> ExitCode.CONFLICT;
        case 429, 502, 503, 504 -> ExitCode.UNAVAILABLE;
        default -> status < 500 ? ExitCode.INVALID : ExitCode.ERROR;
      };
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Create a key and print it. It is shown only this once; text output is the key alone on stdout, "
          + "so KEY=$(lanonasis apikey create --role READ_ONLY) works."})
  static final class Create extends Remote {
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "ADMIN, READ_WRITE or READ_ONLY.")
    String role;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Limit the key to names starting with PREFIX.")
    String prefix;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Another tenant (operators of tenant default only).")
    String tenant;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = SecretCommands.JSON.createObjectNode().put("role", role);
      if (prefix != null) {
        body.put("prefix", prefix);
      }
      if (tenant != null) {
        body.put("tenant", tenant);
      }
      JsonNode created = send("POST", "/api/v1/keys", body.toString());
      if (cli().json) {
        cli().out.println(SecretCommands.JSON.writeValueAsString(created));
      } else {
        cli().err.println("created key " + created.path("id").asText() + " (" + created.path("role").asText()
            + ", tenant " + created.path("tenant").asText() + "); it is shown only this once:");
        cli().out.println(created.path("key").asText());
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys: id, tenant, role, prefix, "
      + "created, revoked (never the key itself).")
  static final class ListKeys extends Remote {
    @Override
    public Integer call() throws Exception {
      JsonNode keys = send("GET", "/api/v1/keys", null);
      if (cli().json) {
        cli().out.println(SecretCommands.JSON.writeValueAsString(keys));
      } else {
        for (JsonNode k : keys.path("items")) {
          cli().out.println(String.join("\t", k.path("id").asText(), k.path("tenant").asText(), k.path("role").asText(),
              k.path("prefix").asText(), k.path("createdAt").asText(),
              k.hasNonNull("revokedAt") ? "revoked " + k.get("revokedAt").asText() : "active"));
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke the key with this id "
      + "(the 16 hex digits after lns_); effective on the server's next request.")
  static final class Revoke extends Remote {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      if (!id.matches("[0-9a-f]{16}")) {
        throw new CliException(ExitCode.INVALID, "a key id is 16 hex digits (lanonasis apikey list shows them)");
      }
      send("POST", "/api/v1/keys/" + id + ":revoke", null);
      if (cli().json) {
        cli().out.println(SecretCommands.JSON.createObjectNode().put("id", id).put("result", "revoked"));
      } else {
        cli().out.println("revoked " + id);
      }
      return ExitCode.OK;
    }
  }
}
