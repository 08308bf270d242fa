package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.testing.RealServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanonasis mcp} as an editor runs it: the built jar in a real process, spoken to over its
 * stdin and stdout by the MCP SDK's own stdio client. On an embedded store and on a server.
 */
class McpStdioIT {
  /**
   * A value with characters that URL-encoding changes, so its encoded form differs from the plain
   * one.
   */
  static final String VALUE = "S3NTINEL p@ss/w:rd+mcp";

  static final String NAME = "app/db/password";

  final ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();

  McpSyncClient start(Map<String, String> env, String... args) {
    List<String> command = CliJarIT.command(args);
    ServerParameters params =
        ServerParameters.builder(command.get(0))
            .args(command.subList(1, command.size()))
            .env(env)
            .build();
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(stderr::add);
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  static CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
    return c.callTool(new CallToolRequest(tool, args));
  }

  static String text(CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  static void assertNoForm(String text) {
    byte[] v = VALUE.getBytes(StandardCharsets.UTF_8);
    assertThat(text)
        .doesNotContain(VALUE)
        .doesNotContain(Base64.getEncoder().encodeToString(v))
        .doesNotContain(HexFormat.of().formatHex(v))
        .doesNotContain(URLEncoder.encode(VALUE, StandardCharsets.UTF_8))
        .doesNotContain("S3NTINEL");
  }

  @Test
  void embeddedStore_maskedByDefault_andRunWithSecretsScrubsEveryForm(@TempDir Path dir)
      throws Exception {
    Map<String, String> storeEnv = Map.of("LANONASIS_STORE", "jdbc:sqlite:./data/secrets.db");
    CliJarIT.Run set = CliJarIT.run(dir, storeEnv, VALUE, "secret", "set", NAME);
    assertThat(set.exit()).as(set.err()).isZero();
    String store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    String keyset = dir.resolve("data/keyset.json").toString();
    Map<String, String> env =
        Map.of(
            "LANONASIS_CLI_CONFIG",
            dir.resolve("no-profiles").toString(),
            "LANONASIS_CANARY",
            "must-not-reach-the-child");
    try (McpSyncClient c =
        start(
            env,
            "--store",
            store,
            "--keyset",
            keyset,
            "mcp",
            "--allow-command",
            "/bin/sh",
            "--command-output",
            "redacted",
            "--workspace",
            dir.toString())) {
      assertThat(c.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly(
              "list_secrets", "describe_secret", "get_secret", "set_secret", "run_with_secrets");
      assertThat(text(call(c, "list_secrets", Map.of()))).contains(NAME);
      CallToolResult described = call(c, "describe_secret", Map.of("name", NAME));
      assertThat(structured(described))
          .containsEntry("length", VALUE.getBytes(StandardCharsets.UTF_8).length);
      CallToolResult reveal = call(c, "get_secret", Map.of("name", NAME));
      assertThat(reveal.isError()).isTrue();
      assertThat(text(reveal)).contains("--allow-reveal");
      CallToolResult write = call(c, "set_secret", Map.of("name", NAME, "value", "x"));
      assertThat(text(write)).contains("--allow-write");

      // The value printed plainly, as base64, as hex, URL-encoded (as a DSN would hold it): all
      // scrubbed.
      String script =
          "printf 'plain=%s\\n' \"$P_PASSWORD\"; printf '%s' \"$P_PASSWORD\" | base64; "
              + "printf '%s' \"$P_PASSWORD\" | od -An -tx1 | tr -d ' \\n'; echo; "
              + "printf 'dsn=postgres://app:%s@db/x\\n' \"$1\"; printf 'err=%s\\n' \"$P_PASSWORD\" >&2; env";
      CallToolResult run =
          call(
              c,
              "run_with_secrets",
              Map.of(
                  "command",
                  "/bin/sh",
                  "args",
                  List.of("-c", script, "sh", URLEncoder.encode(VALUE, StandardCharsets.UTF_8)),
                  "env",
                  Map.of("P_PASSWORD", NAME)));
      assertThat(run.isError()).as(text(run)).isFalse();
      String out = (String) structured(run).get("stdout");
      String err = (String) structured(run).get("stderr");
      assertThat(structured(run)).containsEntry("exitCode", 0).containsEntry("timedOut", false);
      assertThat(out)
          .contains(
              "plain=[REDACTED:" + NAME + "]", "dsn=postgres://app:[REDACTED:" + NAME + "]@db/x")
          .contains("P_PASSWORD=[REDACTED:" + NAME + "]")
          .doesNotContain("LANONASIS_CANARY")
          .doesNotContain("must-not-reach-the-child");
      assertThat(err).isEqualTo("err=[REDACTED:" + NAME + "]\n");
      assertNoForm(text(run));
      assertNoForm(run.toString());

      CallToolResult refused =
          call(c, "run_with_secrets", Map.of("command", "env", "env", Map.of("P_PASSWORD", NAME)));
      assertThat(refused.isError()).isTrue();
      assertThat(text(refused)).contains("/bin/sh");

      long start = System.nanoTime();
      CallToolResult slow =
          call(
              c,
              "run_with_secrets",
              Map.of(
                  "command", "/bin/sh", "args", List.of("-c", "sleep 300"), "timeoutSeconds", 1));
      assertThat(structured(slow)).containsEntry("timedOut", true);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));

      CallToolResult bad = call(c, "describe_secret", Map.of("name", 7));
      assertThat(bad.isError()).isTrue();
      assertThat(call(c, "list_secrets", Map.of()).isError())
          .as("still serving after bad input")
          .isFalse();
    }
    String logged = String.join("\n", stderr);
    assertThat(logged)
        .contains(
            "audit tool=describe_secret subject=" + NAME + " outcome=ok",
            "audit tool=get_secret subject=" + NAME + " outcome=denied",
            "audit tool=run_with_secrets subject=" + NAME + " -> /bin/sh outcome=ok",
            "audit tool=run_with_secrets subject=/bin/sh outcome=ok");
    assertNoForm(logged);
  }

  @Test
  void remoteServer_revealOnlyWithTheFlag_andTheApiKeyNeverReachesACommand(@TempDir Path dir)
      throws Exception {
    try (RealServer server = RealServer.start(dir.resolve("server"))) {
      CliJarIT.Run set =
          CliJarIT.run(
              dir,
              Map.of("LANONASIS_URL", server.url(), "LANONASIS_API_KEY", server.adminKey()),
              VALUE,
              "secret",
              "set",
              NAME);
      assertThat(set.exit()).as(set.err()).isZero();
      Map<String, String> env =
          Map.of(
              "LANONASIS_URL",
              server.url(),
              "LANONASIS_API_KEY",
              server.adminKey(),
              "LANONASIS_CLI_CONFIG",
              dir.resolve("no-profiles").toString());
      try (McpSyncClient c =
          start(
              env,
              "mcp",
              "--allow-reveal",
              "--allow-command",
              "/bin/sh",
              "--command-output",
              "redacted",
              "--workspace",
              dir.toString())) {
        assertThat(structured(call(c, "get_secret", Map.of("name", NAME))))
            .containsEntry("value", VALUE);
        CallToolResult run =
            call(
                c,
                "run_with_secrets",
                Map.of(
                    "command",
                    "/bin/sh",
                    "args",
                    List.of("-c", "env"),
                    "env",
                    Map.of("DB_PASSWORD", NAME)));
        String out = (String) structured(run).get("stdout");
        assertThat(out)
            .contains("DB_PASSWORD=[REDACTED:" + NAME + "]")
            .doesNotContain("LANONASIS_API_KEY")
            .doesNotContain(server.adminKey().substring(21));
      }
      assertThat(String.join("\n", stderr))
          .doesNotContain(server.adminKey().substring(21))
          .doesNotContain(VALUE);
      java.net.http.HttpResponse<String> audit =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(server.url() + "/api/v1/audit?limit=1000"))
                      .header("Authorization", "Bearer " + server.adminKey())
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(audit.body())
          .as("the server audits the reads the MCP process made")
          .contains("\"action\":\"read\",\"secretName\":\"" + NAME + "\"");
    }
  }

  /**
   * Issue 21, S1-S4, as the review ran them: a real stdio session with the built jar, an agent with
   * reveal off and file-reading and printing programs allowed, output returned redacted.
   */
  @Test
  void runWithSecrets_isABoundary_noValueNoKeyNoKeyset(@TempDir Path dir) throws Exception {
    Map<String, String> storeEnv = Map.of("LANONASIS_STORE", "jdbc:sqlite:./data/secrets.db");
    String secret = "Tr0ub4dor&3-Zq9#kX";
    assertThat(CliJarIT.run(dir, storeEnv, secret, "secret", "set", NAME).exit()).isZero();
    String store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    String keyset = dir.resolve("data/keyset.json").toString();
    Map<String, String> env =
        Map.of(
            "LANONASIS_CLI_CONFIG",
            dir.resolve("no-profiles").toString(),
            "LANONASIS_API_KEY",
            "lns_0123456789abcdef_S3NTINELparentkey");
    List<String> commands =
        List.of(
            "/usr/bin/printf",
            "/bin/cat",
            "/usr/bin/od",
            "/usr/bin/base32",
            "/usr/bin/xxd",
            "/usr/bin/fold",
            "/usr/bin/cut");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--store",
                store,
                "--keyset",
                keyset,
                "mcp",
                "--command-output",
                "redacted",
                "--max-output",
                "1024",
                "--workspace",
                dir.toString()));
    commands.stream()
        .filter(cmd -> java.nio.file.Files.isExecutable(Path.of(cmd)))
        .forEach(cmd -> args.addAll(List.of("--allow-command", cmd)));
    try (McpSyncClient c = start(env, args.toArray(String[]::new))) {
      Map<String, Object> inject = Map.of("DB_PASSWORD", NAME);
      // S1: filler to the cap, then a guessed prefix of the hex form: right and wrong answer alike.
      String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
      for (int n = 1; n <= 4; n++) {
        String filler = "a".repeat(1024 - n);
        Map<String, Object> right =
            structured(
                call(
                    c,
                    "run_with_secrets",
                    Map.of(
                        "command",
                        "/usr/bin/printf",
                        "args",
                        List.of(filler + hex.substring(0, n) + "zz"),
                        "env",
                        inject)));
        Map<String, Object> wrong =
            structured(
                call(
                    c,
                    "run_with_secrets",
                    Map.of(
                        "command",
                        "/usr/bin/printf",
                        "args",
                        List.of(filler + "g".repeat(n) + "zz"),
                        "env",
                        inject)));
        assertThat(right.get("stdout")).isEqualTo(wrong.get("stdout"));
        assertThat((String) right.get("stdout"))
            .doesNotEndWith(hex.substring(0, n))
            .startsWith("aaaa");
      }
      // S2, S3, S4: the parent's environment, the keyset, the key file, the child's own
      // environment.
      long self = ProcessHandle.current().pid();
      for (List<String> read :
          List.of(
              List.of("/bin/cat", "/proc/1/environ"),
              List.of("/bin/cat", "/proc/" + self + "/environ"),
              List.of("/bin/cat", "data/keyset.json"),
              List.of("/bin/cat", "../" + dir.getFileName() + "/data/keyset.json"),
              List.of("/bin/cat", "/proc/self/environ"),
              List.of("/usr/bin/od", "-c", "/proc/self/environ"),
              List.of("/usr/bin/base32", "/proc/self/environ"),
              List.of("/usr/bin/fold", "-w1", "/proc/self/environ"))) {
        if (!commands.contains(read.get(0))
            || !java.nio.file.Files.isExecutable(Path.of(read.get(0)))) {
          continue;
        }
        CallToolResult r =
            call(
                c,
                "run_with_secrets",
                Map.of(
                    "command", read.get(0), "args", read.subList(1, read.size()), "env", inject));
        String all = text(r);
        assertThat(all)
            .as(String.join(" ", read))
            .doesNotContain(secret)
            .doesNotContain("S3NTINEL")
            .doesNotContain("\"primaryKeyId\"")
            .doesNotContain(hex.substring(0, 8));
        assertThat(structured(r).get("stdout")).as(String.join(" ", read)).isEqualTo("");
      }
    }
    assertThat(String.join("\n", stderr)).doesNotContain(secret);
  }

  /**
   * S2: the launcher hands the API key to 'lanonasis mcp' on a pipe, so it is not in the JVM's
   * environment.
   */
  @Test
  void launcher_mcp_apiKeyNotInTheProcessEnvironment(@TempDir Path dir) throws Exception {
    try (RealServer server = RealServer.start(dir.resolve("server"))) {
      Path launcher = Path.of("..", "lanonasis").toAbsolutePath().normalize();
      ProcessBuilder pb =
          new ProcessBuilder(launcher.toString(), "mcp")
              .directory(dir.toFile())
              .redirectOutput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("LANONASIS_URL", server.url());
      pb.environment().put("LANONASIS_API_KEY", server.adminKey());
      pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
      pb.environment().put("LANONASIS_CDS", "off");
      Process p = pb.start();
      try {
        java.io.BufferedReader err =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null && !line.contains("serving on stdio")) {
          assertThat(line).doesNotContain(server.adminKey().substring(21));
        }
        assertThat(line)
            .as("the MCP server started and reached the server with the key")
            .isNotNull();
        String environ =
            java.nio.file.Files.readString(
                Path.of("/proc", Long.toString(p.pid()), "environ"), StandardCharsets.ISO_8859_1);
        assertThat(environ)
            .contains("LANONASIS_URL=")
            .doesNotContain("LANONASIS_API_KEY=")
            .doesNotContain(server.adminKey().substring(21));
      } finally {
        p.getOutputStream().close();
        p.destroy();
        p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }
}
