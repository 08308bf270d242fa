import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { envWithApiKey, mcpStdioDefinition, otherIdeMcpConfig, prettyJson } from "../src/core/mcp";
import { readSettings } from "../src/core/settings";
import { CLI_JAR } from "./support/server";

const settings = (values: Record<string, unknown>) => readSettings((name) => values[name]);

/** What the real CLI prints for the same server (stdout only; its hint goes to stderr). */
function cliConfig(ide: "cursor" | "windsurf", url: string): string {
  return execFileSync("java", ["-jar", CLI_JAR, "mcp", "config", "--ide", ide], {
    env: { ...process.env, LANONASIS_URL: url, LANONASIS_API_KEY: "" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
}

describe("MCP definition data", () => {
  it("mcpStdioDefinition_runsCliMcpWithUrlAndNoKey", () => {
    const d = mcpStdioDefinition(settings({ serverUrl: "https://s.example.com", cliPath: "/opt/lanonasis/bin/lanonasis" }));
    assert.equal(d.command, "/opt/lanonasis/bin/lanonasis");
    assert.deepEqual(d.args, ["mcp"]);
    assert.deepEqual({ ...d.env }, { LANONASIS_URL: "https://s.example.com" });
    assert.equal(d.label, "Lanonasis Secrets");
  });

  it("mcpStdioDefinition_versionFollowsServerAndCommand", () => {
    const a = mcpStdioDefinition(settings({ serverUrl: "https://a.example.com" }));
    assert.equal(a.version, mcpStdioDefinition(settings({ serverUrl: "https://a.example.com" })).version);
    assert.notEqual(a.version, mcpStdioDefinition(settings({ serverUrl: "https://b.example.com" })).version);
    assert.notEqual(a.version, mcpStdioDefinition(settings({ serverUrl: "https://a.example.com", cliPath: "x" })).version);
  });

  it("envWithApiKey_addsTheKeyKeepsTheRest", () => {
    const env = { LANONASIS_URL: "https://s" };
    assert.deepEqual(envWithApiKey(env, "lns_k"), { LANONASIS_URL: "https://s", LANONASIS_API_KEY: "lns_k" });
    assert.deepEqual(env, { LANONASIS_URL: "https://s" }, "the definition's own env is not changed");
  });
});

describe("Cursor/Windsurf snippet", () => {
  it("otherIdeMcpConfig_referencesTheKeyNeverHoldsIt", () => {
    const text = otherIdeMcpConfig(settings({ serverUrl: "https://s.example.com" }));
    const parsed = JSON.parse(text) as { mcpServers: { lanonasis: { command: string; args: string[]; env: Record<string, string> } } };
    assert.deepEqual(parsed.mcpServers.lanonasis, {
      command: "lanonasis",
      args: ["mcp"],
      env: { LANONASIS_URL: "https://s.example.com", LANONASIS_API_KEY: "${env:LANONASIS_API_KEY}" },
    });
    assert.ok(!/lns_/.test(text));
  });

  it("prettyJson_jacksonLayout", () => {
    assert.equal(prettyJson({ a: [], b: {}, c: ["x", "y"], d: { e: 1 } }), '{\n  "a" : [ ],\n  "b" : { },\n  "c" : [ "x", "y" ],\n  "d" : {\n    "e" : 1\n  }\n}');
  });

  for (const ide of ["cursor", "windsurf"] as const) {
    // Never skipped: without the CLI jar there is nothing to compare with, and that is a failure.
    it(`otherIdeMcpConfig_${ide}_byteForByteWhatTheCliPrints`, () => {
      assert.ok(existsSync(CLI_JAR), `no CLI jar at ${CLI_JAR}: build it (./mvnw -pl cli -am package -DskipTests) or set LANONASIS_CLI_JAR`);
      const url = "http://127.0.0.1:18080";
      assert.equal(otherIdeMcpConfig(settings({ serverUrl: url })), cliConfig(ide, url).trimEnd());
    });
  }
});
