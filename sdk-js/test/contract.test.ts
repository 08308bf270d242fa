// The package against the contract the VS Code extension codes to (test/contract.d.ts): the
// type checks fail the build when a shape drifts; the test checks the runtime exports.
import assert from "node:assert/strict";
import { it } from "node:test";
import * as sdk from "../src/index.js";
import type * as C from "./contract.js";

// What the extension passes in is accepted...
const config: sdk.SecretManagerClientConfig = {} as C.SecretManagerClientConfig;
const putOptions: sdk.PutOptions = {} as C.PutOptions;
const listOptions: sdk.ListOptions = {} as C.ListOptions;
// ...and what it gets back has the contract's shape.
const client: C.SecretManagerClient = new sdk.SecretManagerClient({ apiUrl: "https://h.example" });
const fromEnvironment: typeof C.SecretManagerClient.fromEnvironment = sdk.SecretManagerClient.fromEnvironment;
const construct: new (config: C.SecretManagerClientConfig) => C.SecretManagerClient = sdk.SecretManagerClient;
const results: [C.VersionInfo, C.Secret, C.Page<C.SecretMetadata>, C.SecretVersion[], C.SecretMetadata, C.Whoami] = [
  {} as sdk.VersionInfo,
  {} as sdk.Secret,
  {} as sdk.Page<sdk.SecretMetadata>,
  [] as sdk.SecretVersion[],
  {} as sdk.SecretMetadata,
  {} as sdk.Whoami,
];
const errors: [C.LanonasisError, C.ConfigurationError, C.SecretNotFoundError, C.VersionConflictError, C.AuthenticationError, C.AccessDeniedError, C.InvalidInputError, C.UnavailableError] = [
  new sdk.LanonasisError("m"),
  new sdk.ConfigurationError("m"),
  new sdk.SecretNotFoundError("k", "m"),
  new sdk.VersionConflictError("k", 1, "m"),
  new sdk.AuthenticationError("m"),
  new sdk.AccessDeniedError("m"),
  new sdk.InvalidInputError("m"),
  new sdk.UnavailableError("m", { retryAfterMs: 5 }),
];

it("exports the contract's classes, each error under LanonasisError", () => {
  void [config, putOptions, listOptions, client, fromEnvironment, construct, results];
  for (const name of ["SecretManagerClient", "LanonasisError", "ConfigurationError", "SecretNotFoundError", "VersionConflictError",
    "AuthenticationError", "AccessDeniedError", "InvalidInputError", "UnavailableError"]) {
    assert.equal(typeof (sdk as Record<string, unknown>)[name], "function", name);
  }
  for (const e of errors) {
    assert.ok(e instanceof sdk.LanonasisError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, e.constructor.name);
  }
  assert.equal(errors[3].currentVersion, 1);
  assert.equal(errors[7].retryAfterMs, 5);
  assert.equal(errors[2].key, "k");
  assert.ok(new sdk.SecretDeletedError("k", "m") instanceof sdk.LanonasisError);
});
