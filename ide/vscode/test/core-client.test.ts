import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthenticationError } from "@lanonasis/secrets-client";
import { createClient, looksLikeApiKey, NotReadyError, verifyApiKey } from "../src/core/client";
import { describeError } from "../src/core/messages";
import { readSettings, type Settings } from "../src/core/settings";
import { createKey, startServer, type RunningServer } from "./support/server";

const UNKNOWN_KEY = "lns_0123456789abcdef_S3NTINEL-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe("readSettings", () => {
  it("readSettings_nothingSet_defaults", () => {
    const s = readSettings(() => undefined);
    assert.deepEqual({ ...s }, { serverUrl: "", defaultPrefix: "", clipboardClearSeconds: 30, cliPath: "lanonasis" });
    assert.ok(Object.isFrozen(s));
  });

  it("readSettings_handEditedValues_normalizedOrDefaulted", () => {
    const values: Record<string, unknown> = { serverUrl: " https://s.example.com/ ", defaultPrefix: "prod", clipboardClearSeconds: -4, cliPath: "  " };
    const s = readSettings((name) => values[name]);
    assert.equal(s.serverUrl, "https://s.example.com");
    assert.equal(s.defaultPrefix, "prod/");
    assert.equal(s.clipboardClearSeconds, 30);
    assert.equal(s.cliPath, "lanonasis");
    assert.equal(readSettings((n) => (n === "clipboardClearSeconds" ? 7.9 : n === "defaultPrefix" ? "/a/b/" : undefined)).clipboardClearSeconds, 7);
    assert.equal(readSettings((n) => (n === "defaultPrefix" ? "/a/b/" : undefined)).defaultPrefix, "a/b/");
    assert.equal(readSettings((n) => (n === "clipboardClearSeconds" ? "10" : undefined)).clipboardClearSeconds, 30);
  });
});

describe("createClient and verifyApiKey against the real server", () => {
  let server: RunningServer;
  let settings: Settings;
  before(async () => {
    server = await startServer();
    settings = readSettings((name) => (name === "serverUrl" ? server.url : undefined));
  });
  after(async () => server.stop());

  it("createClient_noServerUrl_notReady", () => {
    assert.throws(() => createClient(readSettings(() => undefined), server.adminKey), NotReadyError);
  });

  it("createClient_noKey_notReadyAndSaysSignIn", () => {
    assert.throws(() => createClient(settings, undefined), (e: unknown) => e instanceof NotReadyError && /Sign in/.test(e.message));
    assert.throws(() => createClient(settings, ""), NotReadyError);
  });

  it("verifyApiKey_validKey_answersItsIdNotTheKey", async () => {
    const made = await createKey(server, "READ_ONLY", "prod/");
    const who = await verifyApiKey(settings, made.key);
    assert.equal(who.keyId, made.id);
    assert.equal(who.role, "READ_ONLY");
    assert.equal(who.prefix, "prod/");
    assert.ok(!JSON.stringify(who).includes(made.key));
  });

  it("verifyApiKey_unknownKey_authenticationErrorWithoutTheKey", async () => {
    await assert.rejects(verifyApiKey(settings, UNKNOWN_KEY), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.ok(!e.message.includes("S3NTINEL"));
      assert.ok(!describeError(e).includes("S3NTINEL"));
      assert.match(describeError(e), /refused the API key/);
      return true;
    });
  });

  it("verifyApiKey_notAKeyShape_refusedBeforeAnyRequestWithoutEchoingIt", async () => {
    await assert.rejects(verifyApiKey(settings, "S3NTINEL-pasted-a-password"), (e: unknown) => {
      assert.ok(e instanceof NotReadyError);
      assert.ok(!e.message.includes("S3NTINEL"));
      return true;
    });
    assert.equal(looksLikeApiKey(server.adminKey), true);
    assert.equal(looksLikeApiKey("lns_nothex_x"), false);
  });

  it("describeError_unknownError_detailsWithheld", () => {
    const message = describeError(new Error("value was S3NTINEL-value"));
    assert.ok(!message.includes("S3NTINEL"));
    assert.match(message, /withheld/);
  });
});
