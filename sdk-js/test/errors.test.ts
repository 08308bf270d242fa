// docs/errors.md is the one table of error kinds; this checks the TypeScript column and the status
// mapping against it, and walks the kinds a real server produces, so that the table cannot drift.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AccessDeniedError,
  AuthenticationError,
  ConfigurationError,
  ERROR_KINDS,
  GoneError,
  IntegrityError,
  InvalidInputError,
  LanonasisError,
  SecretDeletedError,
  SecretManagerClient,
  SecretNotFoundError,
  UnavailableError,
  VersionConflictError,
  type ErrorKind,
} from "../src/index.js";
import { kindOf } from "../src/transport.js";
import { createKey, startServer, uniqueName, type RunningServer } from "../test-support/server.js";

interface Row {
  kind: ErrorKind;
  status: number;
  codes: string[];
  tsErrors: string[];
}

// dist/test/ -> sdk-js/ -> the repository
const table = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "errors.md");

function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
}

function rows(): Row[] {
  const text = readFileSync(table, "utf8");
  const begin = text.indexOf("<!-- error-kinds:begin -->");
  const end = text.indexOf("<!-- error-kinds:end -->");
  assert.ok(begin >= 0 && end > begin, `${table} has its table markers`);
  const out: Row[] = [];
  for (const line of text.slice(begin, end).split("\n")) {
    if (!line.startsWith("| `")) {
      continue;
    }
    const cells = line.slice(1, line.lastIndexOf("|")).split("|");
    assert.equal(cells.length, 8, line);
    const kind = ticked(cells[0] ?? "")[0] as ErrorKind;
    out.push({
      kind,
      status: Number(/\d+/.exec(cells[1] ?? "")?.[0]),
      codes: ticked(cells[2] ?? ""),
      tsErrors: ticked(cells[5] ?? ""),
    });
  }
  return out;
}

// One instance per class, as the client makes them.
const samples: Record<string, () => LanonasisError> = {
  SecretNotFoundError: () => new SecretNotFoundError("app/db", "not found"),
  VersionConflictError: () => new VersionConflictError("app/db", 2, "conflict"),
  SecretDeletedError: () => new SecretDeletedError("app/db", "deleted"),
  GoneError: () => new GoneError("gone"),
  InvalidInputError: () => new InvalidInputError("invalid"),
  AccessDeniedError: () => new AccessDeniedError("denied"),
  AuthenticationError: () => new AuthenticationError("refused"),
  UnavailableError: () => new UnavailableError("unavailable"),
  IntegrityError: () => new IntegrityError("integrity"),
  ConfigurationError: () => new ConfigurationError("configuration"),
};

describe("docs/errors.md and the client agree", () => {
  it("has a row for every kind, and nothing else", () => {
    assert.deepEqual(rows().map((r) => r.kind), [...ERROR_KINDS]);
  });

  it("maps each kind's status and first code back to that kind", () => {
    for (const row of rows()) {
      assert.equal(kindOf(row.status, row.codes[0]), row.kind, `${row.status} ${row.codes[0] ?? ""}`);
    }
    assert.equal(kindOf(413, "too_large"), "INVALID");
    assert.equal(kindOf(429, undefined), "UNAVAILABLE");
  });

  it("gives every class named in the TypeScript column that row's kind, retryable only when UNAVAILABLE", () => {
    const named = rows().flatMap((r) => r.tsErrors);
    assert.deepEqual([...named].sort(), Object.keys(samples).sort());
    for (const row of rows()) {
      for (const name of row.tsErrors) {
        const e = samples[name]?.();
        assert.ok(e instanceof LanonasisError, name);
        assert.equal(e.kind, row.kind, name);
        assert.equal(e.name, name);
        assert.equal(e.retryable, row.kind === "UNAVAILABLE", name);
      }
    }
  });
});

describe("against a real server, each kind is its class", () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    // Unset when before() failed to start it; the type cannot say so.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    await server?.stop();
  });

  async function kindOfFailure(call: () => Promise<unknown>): Promise<ErrorKind> {
    try {
      await call();
    } catch (e) {
      assert.ok(e instanceof LanonasisError, String(e));
      const row = rows().find((r) => r.kind === e.kind);
      assert.ok(row?.tsErrors.includes(e.name), `${e.name} is in the row of ${e.kind}`);
      return e.kind;
    }
    assert.fail("no error");
  }

  it("NOT_FOUND, CONFLICT, INVALID, DENIED, UNAUTHENTICATED and GONE", async () => {
    const admin = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
    const name = uniqueName("walk");
    await admin.setSecret(name, "1");
    assert.equal(await kindOfFailure(() => admin.metadata(uniqueName("none"))), "NOT_FOUND");
    assert.equal(await kindOfFailure(() => admin.putSecret(name, "2", { expectedVersion: 7 })), "CONFLICT");
    assert.equal(await kindOfFailure(() => admin.putSecret("a//b", "x")), "INVALID");
    const reader = new SecretManagerClient({ apiUrl: server.url, apiKey: (await createKey(server, "READ_ONLY")).key });
    assert.equal(await kindOfFailure(() => reader.setSecret(name, "3")), "DENIED");
    const stranger = new SecretManagerClient({ apiUrl: server.url, apiKey: `lns_0000000000000000_${"A".repeat(43)}` });
    assert.equal(await kindOfFailure(() => stranger.whoami()), "UNAUTHENTICATED");

    const shred = await fetch(`${server.url}/api/v1/keysets/default:destroy`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ confirm: "default" }),
    });
    assert.equal(shred.status, 200, await shred.text());
    assert.equal(await kindOfFailure(() => admin.getSecret(name)), "GONE");
  });
});
