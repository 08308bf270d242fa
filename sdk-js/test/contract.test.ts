// The package against the contract the VS Code extension codes to (test/contract.d.ts): the
// type checks fail the build when a shape drifts; the test checks the runtime exports.
import assert from "node:assert/strict";
import { it } from "node:test";
import * as sdk from "../src/index.js";
import type * as C from "./contract.js";

// `Fits<A, B>` is `true` only when a value of type A may be used where a B is expected. Each entry
// below must be `true`, so a shape that drifts fails the compile; nothing of it exists at run time.
type Fits<A, B> = [A] extends [B] ? true : false;

// What the extension passes in is accepted...
const passedIn: [
  Fits<C.SecretManagerClientConfig, sdk.SecretManagerClientConfig>,
  Fits<C.PutOptions, sdk.PutOptions>,
  Fits<C.ListOptions, sdk.ListOptions>,
] = [true, true, true];
// ...and what it gets back has the contract's shape.
const gotBack: [
  Fits<sdk.SecretManagerClient, C.SecretManagerClient>,
  Fits<typeof sdk.SecretManagerClient.fromEnvironment, typeof C.SecretManagerClient.fromEnvironment>,
  Fits<typeof sdk.SecretManagerClient, new (config: C.SecretManagerClientConfig) => C.SecretManagerClient>,
  Fits<sdk.VersionInfo, C.VersionInfo>,
  Fits<sdk.Secret, C.Secret>,
  Fits<sdk.Page<sdk.SecretMetadata>, C.Page<C.SecretMetadata>>,
  Fits<sdk.SecretVersion[], C.SecretVersion[]>,
  Fits<sdk.SecretMetadata, C.SecretMetadata>,
  Fits<sdk.Whoami, C.Whoami>,
  Fits<sdk.LanonasisError, C.LanonasisError>,
  Fits<sdk.ConfigurationError, C.ConfigurationError>,
  Fits<sdk.SecretNotFoundError, C.SecretNotFoundError>,
  Fits<sdk.VersionConflictError, C.VersionConflictError>,
  Fits<sdk.AuthenticationError, C.AuthenticationError>,
  Fits<sdk.AccessDeniedError, C.AccessDeniedError>,
  Fits<sdk.InvalidInputError, C.InvalidInputError>,
  Fits<sdk.UnavailableError, C.UnavailableError>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
const errors = [
  new sdk.LanonasisError("m"),
  new sdk.ConfigurationError("m"),
  new sdk.SecretNotFoundError("k", "m"),
  new sdk.VersionConflictError("k", 1, "m"),
  new sdk.AuthenticationError("m"),
  new sdk.AccessDeniedError("m"),
  new sdk.InvalidInputError("m"),
  new sdk.UnavailableError("m", { retryAfterMs: 5 }),
] as const;

it("exports the contract's classes, each error under LanonasisError", () => {
  // The real check is the compile above; this only keeps the two lists in use.
  assert.deepEqual(new Set([...passedIn, ...gotBack]), new Set([true]));
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
