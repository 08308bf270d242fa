import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretManagerClient, SecretNotFoundError, VersionConflictError } from "@lanonasis/secrets-client";
import { createClient } from "../src/core/client";
import { describeError } from "../src/core/messages";
import { historyLines, nameProblem, SecretOperations, statusText } from "../src/core/secrets";
import { readSettings } from "../src/core/settings";
import { createKey, startServer, type RunningServer } from "./support/server";

describe("SecretOperations against the real server", () => {
  let server: RunningServer;
  let ops: SecretOperations;
  let other: SecretManagerClient;
  before(async () => {
    server = await startServer();
    ops = new SecretOperations(createClient(readSettings((n) => (n === "serverUrl" ? server.url : undefined)), server.adminKey));
    other = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
  });
  after(async () => server.stop());

  it("currentVersion_absent_zero_thenWriteCreates", async () => {
    assert.equal(await ops.currentVersion("new/one"), 0);
    const written = await ops.write("new/one", "S3NTINEL-v1", 0);
    assert.equal(written.version, 1);
    assert.equal(await ops.currentVersion("new/one"), 1);
    assert.equal((await ops.read("new/one")).value, "S3NTINEL-v1");
  });

  it("write_someoneWroteInBetween_conflictAndTheirValueKept", async () => {
    await other.putSecret("cas/x", "first");
    const expected = await ops.currentVersion("cas/x");
    await other.putSecret("cas/x", "theirs");
    await assert.rejects(ops.write("cas/x", "S3NTINEL-mine", expected), (e: unknown) => {
      assert.ok(e instanceof VersionConflictError);
      assert.equal(e.currentVersion, 2);
      const message = describeError(e, "cas/x");
      assert.match(message, /Version conflict: secret 'cas\/x' was changed by someone else \(it is now at version 2\)/);
      assert.ok(!message.includes("S3NTINEL"));
      return true;
    });
    assert.equal((await other.readSecret("cas/x")).value, "theirs");
  });

  it("write_mustNotExistButDoes_conflict", async () => {
    await other.putSecret("cas/y", "there");
    await assert.rejects(ops.write("cas/y", "S3NTINEL", 0), VersionConflictError);
  });

  it("history_threeVersions_newestFirstNoValues", async () => {
    for (const v of ["S3NTINEL-1", "S3NTINEL-2", "S3NTINEL-3"]) {
      await other.putSecret("hist/a", v);
    }
    const lines = historyLines(await ops.history("hist/a"));
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? "", /^v3 {2}\d{4}-/);
    assert.match(lines[2] ?? "", /^v1 /);
    assert.ok(!lines.join("\n").includes("S3NTINEL"));
  });

  it("delete_thenRead_notFound", async () => {
    await other.putSecret("del/a", "x");
    await ops.delete("del/a");
    await assert.rejects(ops.read("del/a"), SecretNotFoundError);
    assert.equal(await ops.currentVersion("del/a"), 0);
  });

  it("errors_readOnlyKeyWriting_accessDeniedMessageNamesTheSecret", async () => {
    const ro = await createKey(server, "READ_ONLY");
    const roOps = new SecretOperations(new SecretManagerClient({ apiUrl: server.url, apiKey: ro.key }));
    await assert.rejects(roOps.write("ro/a", "S3NTINEL", 0), (e: unknown) => {
      const message = describeError(e, "ro/a");
      assert.match(message, /may not do that to 'ro\/a'/);
      assert.ok(!message.includes("S3NTINEL") && !message.includes(ro.key));
      return true;
    });
  });

  it("nameProblem_rules", () => {
    assert.equal(nameProblem("prod/db/password"), undefined);
    assert.match(nameProblem("") ?? "", /1 to 256/);
    assert.match(nameProblem("a//b") ?? "", /none of them empty/);
    assert.match(nameProblem("a/../b") ?? "", /'\.\.'/);
    assert.match(nameProblem("a b") ?? "", /only letters/);
    assert.match(nameProblem("x".repeat(257)) ?? "", /1 to 256/);
  });

  it("statusText_showsHostAndKeyIdOnly", () => {
    assert.equal(statusText("https://s.example.com:8443", "0123456789abcdef"), "$(key) Lanonasis: s.example.com:8443 · 0123456789abcdef");
    assert.equal(statusText("https://s.example.com", undefined), "$(key) Lanonasis: s.example.com (signed out)");
    assert.equal(statusText("", undefined), "$(key) Lanonasis: no server");
  });
});
