package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanonasis mcp config --ide ...}: each editor's own file format, and never the API key in
 * it.
 */
class McpConfigCommandTest {
  static final String KEY = "lns_0123456789abcdef_S3NTINELS3NTINELS3NTINELS3NTINELS3NTINEL123";

  CliRunner cli(Path dir) {
    CliRunner c = new CliRunner();
    c.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    c.env.put("LANONASIS_URL", "https://secrets.example.com");
    c.env.put("LANONASIS_API_KEY", KEY);
    return c;
  }

  @Test
  void vscode_stdio_promptsForTheKeyAsAPassword(@TempDir Path dir) {
    CliRunner.Result r =
        cli(dir).run("mcp", "--allow-command", "/bin/sh", "config", "--ide", "vscode");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode file = r.json();
    JsonNode input = file.get("inputs").get(0);
    assertThat(input.get("type").asText()).isEqualTo("promptString");
    assertThat(input.get("password").asBoolean()).isTrue();
    JsonNode server = file.get("servers").get("lanonasis");
    assertThat(server.get("type").asText()).isEqualTo("stdio");
    assertThat(server.get("command").asText()).isEqualTo("lanonasis");
    assertThat(server.get("args").toString())
        .isEqualTo("[\"mcp\",\"--allow-command\",\"/bin/sh\"]");
    assertThat(server.get("env").get("LANONASIS_URL").asText())
        .isEqualTo("https://secrets.example.com");
    assertThat(server.get("env").get("LANONASIS_API_KEY").asText())
        .isEqualTo("${input:" + input.get("id").asText() + "}");
    assertThat(r.out() + r.err()).doesNotContain("S3NTINEL");
    assertThat(r.err()).contains(".vscode/mcp.json");
  }

  @Test
  void vscode_http_bearerFromThePrompt(@TempDir Path dir) {
    JsonNode server =
        cli(dir)
            .run("mcp", "config", "--ide", "vscode", "--http", "https://secrets.example.com/")
            .json()
            .get("servers")
            .get("lanonasis");
    assertThat(server.get("type").asText()).isEqualTo("http");
    assertThat(server.get("url").asText()).isEqualTo("https://secrets.example.com/mcp");
    assertThat(server.get("headers").get("Authorization").asText())
        .isEqualTo("Bearer ${input:lanonasis-api-key}");
  }

  @Test
  void cursor_windsurf_claude_referToTheEnvironment_inTheirOwnSyntax(@TempDir Path dir) {
    JsonNode cursor =
        cli(dir).run("mcp", "config", "--ide", "cursor").json().get("mcpServers").get("lanonasis");
    assertThat(cursor.get("env").get("LANONASIS_API_KEY").asText())
        .isEqualTo("${env:LANONASIS_API_KEY}");
    assertThat(cursor.has("type")).isFalse();
    JsonNode cursorHttp =
        cli(dir)
            .run("mcp", "config", "--ide", "cursor", "--http", "https://s.example")
            .json()
            .get("mcpServers")
            .get("lanonasis");
    assertThat(cursorHttp.get("url").asText()).isEqualTo("https://s.example/mcp");
    JsonNode windsurf =
        cli(dir)
            .run("mcp", "config", "--ide", "windsurf", "--http", "https://s.example")
            .json()
            .get("mcpServers")
            .get("lanonasis");
    assertThat(windsurf.get("serverUrl").asText()).isEqualTo("https://s.example/mcp");
    assertThat(windsurf.get("headers").get("Authorization").asText())
        .isEqualTo("Bearer ${env:LANONASIS_API_KEY}");
    JsonNode claude =
        cli(dir).run("mcp", "config", "--ide", "claude").json().get("mcpServers").get("lanonasis");
    assertThat(claude.get("type").asText()).isEqualTo("stdio");
    assertThat(claude.get("env").get("LANONASIS_API_KEY").asText())
        .isEqualTo("${LANONASIS_API_KEY}");
  }

  @Test
  @DisplayName(
      "an embedded store: every path absolute (store and keyset, the default keyset too), no key prompt")
  void embeddedStore_namesStoreAndKeyset_noKeyPrompt(@TempDir Path dir) {
    // Relative to the working directory, as a user types them.
    Path relative = Path.of("").toAbsolutePath().relativize(dir);
    String store = "jdbc:sqlite:" + relative.resolve("data/secrets.db");
    String keyset = relative.resolve("data/keyset.json").toString();
    CliRunner c = new CliRunner();
    c.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    assertThat(
            c.runWithStdin("v", "--store", store, "--keyset", keyset, "secret", "set", "a").exit())
        .isZero();

    CliRunner.Result r =
        c.run(
            "--store",
            store,
            "--keyset",
            keyset,
            "mcp",
            "--allow-reveal",
            "config",
            "--ide",
            "vscode");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().has("inputs")).isFalse();
    JsonNode args = r.json().get("servers").get("lanonasis").get("args");
    assertThat(args.get(0).asText()).isEqualTo("--store");
    assertThat(args.get(1).asText())
        .isEqualTo("jdbc:sqlite:" + dir.resolve("data/secrets.db").toAbsolutePath());
    assertThat(args.get(3).asText())
        .isEqualTo(dir.resolve("data/keyset.json").toAbsolutePath().toString());
    assertThat(args.toString()).contains("\"mcp\",\"--allow-reveal\"");

    CliRunner noKeyset = new CliRunner();
    noKeyset.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    JsonNode defaults =
        noKeyset
            .run("--store", store, "mcp", "config", "--ide", "cursor")
            .json()
            .get("mcpServers")
            .get("lanonasis")
            .get("args");
    assertThat(defaults.get(3).asText())
        .as("the default keyset, resolved here")
        .isEqualTo(Path.of("data/keyset.json").toAbsolutePath().toString());
  }

  @Test
  @DisplayName(
      "a store file that does not exist is refused with its absolute path, and none is created")
  void embeddedStore_missingFile_refused(@TempDir Path dir) {
    Path relative = Path.of("").toAbsolutePath().relativize(dir);
    CliRunner c = new CliRunner();
    c.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    CliRunner.Result r =
        c.run(
            "--store",
            "jdbc:sqlite:" + relative.resolve("typo.db"),
            "--keyset",
            dir.resolve("k.json").toString(),
            "mcp",
            "config",
            "--ide",
            "vscode");
    assertThat(r.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.err()).contains("no store at " + dir.resolve("typo.db").toAbsolutePath());
    assertThat(dir.resolve("typo.db")).doesNotExist();
  }

  @Test
  void unknownIde_andAKeyInTheUrl_areUsageErrors(@TempDir Path dir) {
    assertThat(cli(dir).run("mcp", "config", "--ide", "emacs").exit()).isEqualTo(ExitCode.USAGE);
    CliRunner.Result r =
        cli(dir).run("mcp", "config", "--ide", "cursor", "--http", "https://s.example/?k=" + KEY);
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out() + r.err()).doesNotContain("S3NTINEL");
  }
}
