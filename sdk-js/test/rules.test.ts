// The shared rules (src/rules.ts): what they accept and refuse, that they match the Java twins'
// vectors, and that the dashboard serves exactly their build. No server needed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  apiKeyPublicForm,
  containsApiKey,
  DEFAULT_TENANT,
  isApiKey,
  isNameText,
  isValidName,
  isValidTenant,
  redactApiKeys,
} from "../src/index.js";

const KEY = "lns_0123456789abcdef_S3NTINELkeyS3NTINELkey-_x";

describe("the API key's shape", () => {
  it("isApiKey takes exactly one whole key", () => {
    assert.ok(isApiKey(KEY));
    for (const bad of ["", "lns_", `${KEY} `, ` ${KEY}`, "lns_0123456789ABCDEF_x", "lns_0123456789abcde_x", "lns_0123456789abcdef_", `x${KEY}`]) {
      assert.ok(!isApiKey(bad), JSON.stringify(bad));
    }
  });

  it("containsApiKey finds a key anywhere; redaction keeps only the public id", () => {
    assert.ok(containsApiKey(`prod/${KEY}/x`));
    assert.ok(!containsApiKey("prod/lns_short_x"));
    const text = `a ${KEY} and ${KEY}.`;
    assert.equal(redactApiKeys(text), "a lns_0123456789abcdef_*** and lns_0123456789abcdef_***.");
    assert.equal(apiKeyPublicForm(KEY), "lns_0123456789abcdef_***");
    assert.equal(apiKeyPublicForm("S3NTINEL"), "***");
    assert.equal(apiKeyPublicForm(`${KEY} `), "***");
  });
});

describe("the name rule", () => {
  it("accepts segments of [A-Za-z0-9._-] joined by '/', up to 256 characters", () => {
    for (const ok of ["a", "prod/db/password", "a.b_c-d/e", "x".repeat(256), "..a/b.."]) {
      assert.ok(isValidName(ok), ok);
    }
  });

  it("refuses empty, '.' and '..' segments, other characters and over-long names", () => {
    for (const bad of ["", "/a", "a/", "a//b", "a/./b", "a/../b", ".", "a b", "a:b", "ä", "x".repeat(257)]) {
      assert.ok(!isValidName(bad), bad);
    }
  });

  it("name text (a prefix) is name characters and '/' only, empty included", () => {
    assert.ok(isNameText(""));
    assert.ok(isNameText("prod/"));
    assert.ok(!isNameText("prod db"));
    assert.ok(!isNameText("x".repeat(257)));
  });
});

describe("the tenant rule", () => {
  it("is 1 to 64 characters of [A-Za-z0-9._-], and the default tenant is one", () => {
    assert.equal(DEFAULT_TENANT, "default");
    assert.ok(isValidTenant(DEFAULT_TENANT));
    assert.ok(isValidTenant("acme.prod_1-x"));
    assert.ok(isValidTenant("t".repeat(64)));
    for (const bad of ["", "t".repeat(65), "a/b", "a b", "ä"]) {
      assert.ok(!isValidTenant(bad), bad);
    }
  });
});

describe("the dashboard's copy", () => {
  it("server/.../ui/client-rules.js is exactly the build of src/rules.ts", () => {
    const script = fileURLToPath(new URL("../../scripts/sync-dashboard.mjs", import.meta.url));
    // Throws (and fails the test) with the script's message when the copy differs.
    execFileSync(process.execPath, [script, "--check"], { stdio: ["ignore", "pipe", "pipe"] });
  });
});
