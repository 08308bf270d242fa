package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, S1-S4 over {@code /mcp} against the built server jar, as the review ran them: a
 * READ_ONLY key's agent with {@code cat} and {@code printf} allowed and output returned redacted
 * recovers no value, no key file, no keyset and nothing of the server's environment.
 */
class McpBoundaryIT {
  static final String SECRET = "Tr0ub4dor&3-Zq9#kX";
  static final String NAME = "prod/db/password";

  @Test
  void readOnlyAgent_withCatAndPrintf_recoversNothing(@TempDir Path dir) throws Exception {
    ServerJarIT.Running server =
        new ServerJarIT.Running(
            dir,
            Map.of("LANONASIS_MCP_COMMAND_OUTPUT", "redacted"),
            "--admin-key-file",
            "./admin.key",
            "--mcp-allow-commands",
            "/bin/cat,/usr/bin/printf");
    try {
      Matcher url = server.await(ServerJarIT.URL);
      String admin = Files.readString(dir.resolve("admin.key")).strip();
      String base = "http://127.0.0.1:" + url.group(1);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/secrets"))
                  .header("Authorization", "Bearer " + admin)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"key\":\"" + NAME + "\",\"value\":\"" + SECRET + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      HttpResponse<String> key =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/keys"))
                  .header("Authorization", "Bearer " + admin)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"READ_ONLY\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher readOnly = ServerJarIT.KEY.matcher(key.body());
      assertThat(readOnly.find()).as(key.body()).isTrue();
      assertThat(dir.resolve("admin.key")).exists();
      assertThat(dir.resolve("data/keyset.json")).exists();

      try (McpSyncClient c = client(base, readOnly.group())) {
        Map<String, Object> inject = Map.of("DB_PASSWORD", NAME);
        // S1: the prefix oracle at the output cap (64 KiB): right and wrong guesses answer alike,
        // and a
        // stream cut at the cap shows no part of what was cut.
        String hex = HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));
        for (int n = 1; n <= 3; n++) {
          String filler = "a".repeat(65536 - n);
          Map<String, Object> right =
              structured(
                  call(
                      c,
                      Map.of(
                          "command",
                          "/usr/bin/printf",
                          "args",
                          List.of(filler + hex.substring(0, n) + "z"),
                          "env",
                          inject)));
          Map<String, Object> wrong =
              structured(
                  call(
                      c,
                      Map.of(
                          "command",
                          "/usr/bin/printf",
                          "args",
                          List.of(filler + "g".repeat(n) + "z"),
                          "env",
                          inject)));
          assertThat(right.get("stdout")).isEqualTo(wrong.get("stdout"));
          assertThat((String) right.get("stdout"))
              .doesNotEndWith(hex.substring(0, n))
              .startsWith("aaaa");
        }
        // S2, S3, S4: the server's environment, its key file, its keyset, the child's own
        // environment.
        String adminKey = Files.readString(dir.resolve("admin.key")).strip();
        for (String file :
            List.of(
                "/proc/" + server.process.pid() + "/environ",
                "/proc/1/environ",
                dir.resolve("admin.key").toString(),
                dir.resolve("data/keyset.json").toString(),
                dir.resolve("data/secrets.db").toString(),
                "/proc/self/environ")) {
          CallToolResult r =
              call(c, Map.of("command", "/bin/cat", "args", List.of(file), "env", inject));
          assertThat(r.isError()).as(file + ": " + text(r)).isFalse();
          assertThat(structured(r).get("stdout")).as(file).isEqualTo("");
          assertThat(text(r))
              .as(file)
              .doesNotContain(SECRET)
              .doesNotContain(adminKey.substring(21))
              .doesNotContain("primaryKeyId");
        }
      }
      HttpResponse<String> audit =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/v1/audit?action=mcp.run&name=" + NAME + "&limit=100"))
                  .header("Authorization", "Bearer " + admin)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(audit.body())
          .as("every run is found by the secret's name (S5)")
          .contains("\"secretName\":\"" + NAME + " -> /bin/cat\"");
    } finally {
      server.terminate();
    }
  }

  private static McpSyncClient client(String base, String key) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(base)
            .endpoint("/mcp")
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
            .build();
    McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
    c.initialize();
    return c;
  }

  private static CallToolResult call(McpSyncClient c, Map<String, Object> args) {
    return c.callTool(new CallToolRequest("run_with_secrets", args));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  private static String text(CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }
}
