// A sentinel value and sentinel keys planted in the main flows and the error paths: none may
// appear in what the client or any error shows (inspect, JSON, String, message, stack, cause),
// nor in anything written to stdout or stderr while the flows ran.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { after, before, it } from "node:test";
import { inspect } from "node:util";
import { ConfigurationError, LanonasisError, SecretManagerClient } from "../src/index.js";
import { createKey, startServer, uniqueName, type RunningServer } from "../test-support/server.js";

const VALUE = `S3NTINEL-${randomUUID()}`;
// Shaped like a real key, so that every code path treats it as one; the server refuses it (401).
const PLANTED_KEY = `lns_${randomBytes(8).toString("hex")}_S3NTINEL${randomBytes(26).toString("base64url")}`.slice(0, 4 + 16 + 1 + 43);

let server: RunningServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  // Unset when before() failed to start it; the type cannot say so.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await server?.stop();
});

function views(x: unknown): string[] {
  const out = [
    inspect(x),
    inspect(x, { showHidden: true, depth: Infinity }),
    inspect(x, { showHidden: true, depth: Infinity, customInspect: false }),
    String(x),
    safeJson(x),
  ];
  for (let cur: unknown = x, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    out.push(cur.message, cur.stack ?? "", inspect(cur, { showHidden: true, depth: Infinity }));
  }
  return out;
}

function safeJson(x: unknown): string {
  try {
    // JSON.stringify gives undefined for undefined, a function or a symbol; lib.d.ts says string.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    return JSON.stringify(x) ?? "";
  } catch {
    return "";
  }
}

it("no value or API key shows in the client, its errors or the process output", async () => {
  const readOnlyKey = (await createKey(server, "READ_ONLY")).key;
  const secrets = [VALUE, PLANTED_KEY, server.adminKey, readOnlyKey, server.adminKey.slice(22), readOnlyKey.slice(22), PLANTED_KEY.slice(21)];

  const written: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (sink: (chunk: string | Uint8Array, ...rest: never[]) => boolean) =>
    ((chunk: string | Uint8Array, ...rest: never[]) => {
      written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return sink(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture(original.out);
  process.stderr.write = capture(original.err);

  const admin = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
  const readOnly = new SecretManagerClient({ apiUrl: server.url, apiKey: readOnlyKey });
  const planted = new SecretManagerClient({ apiUrl: server.url, apiKey: PLANTED_KEY });
  const closedPort = await unusedPort();
  const nowhere = new SecretManagerClient({ apiUrl: `http://127.0.0.1:${closedPort}`, apiKey: server.adminKey, maxRetries: 0 });
  const errors: unknown[] = [];
  // assert.rejects and assert.throws, not try/catch: a catch-all would also catch the assertion that nothing was thrown.
  const expectError = async (p: Promise<unknown>): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof LanonasisError, String(e));
      errors.push(e);
      return true;
    });
  };

  const expectConfigurationError = (make: () => unknown): void => {
    assert.throws(make, (e: unknown) => {
      assert.ok(e instanceof ConfigurationError, String(e));
      errors.push(e);
      return true;
    });
  };

  try {
    const name = uniqueName("sentinel/db");
    // Main flows: the value goes in and comes back.
    await admin.setSecret(name, VALUE);
    assert.equal(await admin.getSecret(name), VALUE);
    assert.equal((await admin.readSecret(name)).value, VALUE);
    await admin.putSecret(name, VALUE, { expectedVersion: 1, description: "d" });
    await admin.listSecrets({ prefix: name });
    await admin.listVersions(name);
    await admin.metadata(name);
    // Error paths, each carrying the value or a key.
    await expectError(admin.putSecret(name, VALUE, { expectedVersion: 1 })); // version conflict
    await expectError(admin.putSecret(name, VALUE.repeat(2_000))); // too large
    await expectError(readOnly.setSecret(name, VALUE)); // access denied
    await expectError(planted.getSecret(name)); // authentication
    await expectError(planted.setSecret(name, VALUE));
    await expectError(admin.setSecret("bad//name", VALUE)); // invalid name, client side
    await expectError(admin.getSecret(`x/${PLANTED_KEY}`)); // a key in a name
    await expectError(nowhere.setSecret(name, VALUE)); // unavailable
    await expectError(nowhere.getSecret(name));
    await admin.deleteSecret(name);
    await expectError(admin.setSecret(name, VALUE)); // deleted
    await expectError(admin.readSecret(name)); // not found
    await admin.restoreSecret(name);
    for (const bad of [`https://u:${VALUE}@h.example`, `https://h.example/?k=${VALUE}`, `https://h.example/${PLANTED_KEY}`, `http://h.example/${VALUE}`]) {
      expectConfigurationError(() => new SecretManagerClient({ apiUrl: bad, apiKey: PLANTED_KEY }));
    }
    expectConfigurationError(() => new SecretManagerClient({ apiUrl: server.url, apiKey: `${PLANTED_KEY}\n` }));
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }

  assert.equal(errors.length, 16);
  const shown = [admin, readOnly, planted, nowhere, ...errors].flatMap(views);
  for (const text of [...shown, ...written]) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `a secret leaked into: ${text.replaceAll(secret, "<LEAK>").slice(0, 300)}`);
    }
    assert.ok(!text.includes("S3NTINEL"), `the sentinel leaked into: ${text.slice(0, 300)}`);
  }
  // The client still says which key it holds, by its public id.
  assert.match(inspect(planted), /apiKey=lns_[0-9a-f]{16}_\*\*\*/);
});

async function unusedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  const port = (listener.address() as { port: number }).port;
  await new Promise<void>((done) => listener.close(() => {
    done();
  }));
  return port;
}
