// Every method of SecretManagerClient against the real server jar (SQLite, ephemeral port).
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  AccessDeniedError,
  AuthenticationError,
  ConfigurationError,
  InvalidInputError,
  LanonasisError,
  SecretDeletedError,
  SecretManagerClient,
  SecretNotFoundError,
  VersionConflictError,
} from "../src/index.js";
import { createKey, startServer, uniqueName, type RunningServer } from "../test-support/server.js";

let server: RunningServer;
let client: SecretManagerClient;

before(async () => {
  server = await startServer();
  client = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
});

after(async () => {
  // Unset when before() failed to start it; the type cannot say so.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await server?.stop();
});

describe("setSecret and getSecret", () => {
  it("store a value and read it back", async () => {
    const name = uniqueName("db/password");
    await client.setSecret(name, "hunter2");
    assert.equal(await client.getSecret(name), "hunter2");
  });

  it("getSecret returns null for a secret that does not exist", async () => {
    assert.equal(await client.getSecret(uniqueName("missing")), null);
  });

  it("values are UTF-8 strings, empty and non-ASCII included", async () => {
    const name = uniqueName("utf8");
    for (const value of ["", "grüße 日本 🔑\n\ttab", "x".repeat(60_000)]) {
      await client.setSecret(name, value);
      assert.equal(await client.getSecret(name), value);
    }
  });

  it("accepts the URL as the server prints it (ending in /api/v1/secrets) and a trailing slash", async () => {
    const name = uniqueName("printed-url");
    await client.setSecret(name, "v");
    for (const apiUrl of [`${server.url}/api/v1/secrets`, `${server.url}/api/v1`, `${server.url}/`]) {
      const other = new SecretManagerClient({ apiUrl, apiKey: server.adminKey });
      assert.equal(other.apiUrl, server.url);
      assert.equal(await other.getSecret(name), "v");
    }
  });
});

describe("putSecret", () => {
  it("returns the new version: 1, then 2", async () => {
    const name = uniqueName("versions");
    const v1 = await client.putSecret(name, "a");
    assert.equal(v1.key, name);
    assert.equal(v1.version, 1);
    assert.match(v1.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal((await client.putSecret(name, "b")).version, 2);
  });

  it("check-and-set with expectedVersion 0 creates, then refuses with VersionConflictError and currentVersion", async () => {
    const name = uniqueName("cas");
    assert.equal((await client.putSecret(name, "first", { expectedVersion: 0 })).version, 1);
    await assert.rejects(client.putSecret(name, "second", { expectedVersion: 0 }), (e: unknown) => {
      assert.ok(e instanceof VersionConflictError);
      assert.ok(e instanceof LanonasisError);
      assert.equal(e.key, name);
      assert.equal(e.currentVersion, 1);
      assert.equal(e.status, 409);
      assert.equal(e.code, "version_conflict");
      assert.match(e.message, new RegExp(`secret '${name}': expected version 0, but the server holds version 1`));
      assert.doesNotMatch(e.message, /second|first/);
      return true;
    });
    assert.equal((await client.putSecret(name, "second", { expectedVersion: 1 })).version, 2);
    assert.equal(await client.getSecret(name), "second");
  });

  it("a version conflict on a missing secret says currentVersion 0", async () => {
    const name = uniqueName("cas-missing");
    await assert.rejects(client.putSecret(name, "x", { expectedVersion: 3 }), (e: unknown) => {
      assert.ok(e instanceof VersionConflictError);
      assert.equal(e.currentVersion, 0);
      return true;
    });
  });

  it("description and labels land in the metadata", async () => {
    const name = uniqueName("attrs");
    await client.putSecret(name, "v", { description: "the db password", labels: { env: "prod", team: "core" } });
    const m = await client.metadata(name);
    assert.equal(m.key, name);
    assert.equal(m.version, 1);
    assert.equal(m.description, "the db password");
    assert.deepEqual(m.labels, { env: "prod", team: "core" });
    assert.match(m.updatedAt, /^\d{4}-/);
    assert.equal(m.expiresAt, undefined);
    assert.equal(Object.hasOwn(m, "value"), false);
  });

  it("a value over the server's limit is InvalidInputError (413) naming sizes, not the value", async () => {
    const name = uniqueName("big");
    await assert.rejects(client.putSecret(name, "z".repeat(70_000)), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.equal(e.status, 413);
      assert.equal(e.code, "too_large");
      assert.match(e.message, /70000 bytes/);
      assert.doesNotMatch(e.message, /zzzz/);
      return true;
    });
  });
});

describe("readSecret", () => {
  it("reads the latest version, or a given one", async () => {
    const name = uniqueName("read");
    await client.setSecret(name, "one");
    await client.setSecret(name, "two");
    const latest = await client.readSecret(name);
    assert.deepEqual({ ...latest, createdAt: "" }, { key: name, value: "two", version: 2, createdAt: "" });
    assert.equal((await client.readSecret(name, { version: 1 })).value, "one");
  });

  it("throws SecretNotFoundError with the name and status 404 for a missing secret or version", async () => {
    const name = uniqueName("nothing");
    await assert.rejects(client.readSecret(name), (e: unknown) => {
      assert.ok(e instanceof SecretNotFoundError);
      assert.equal(e.key, name);
      assert.equal(e.status, 404);
      assert.equal(e.code, "not_found");
      assert.equal(e.message, `secret '${name}' not found`);
      return true;
    });
    await client.setSecret(name, "v");
    await assert.rejects(client.readSecret(name, { version: 7 }), (e: unknown) => {
      assert.ok(e instanceof SecretNotFoundError);
      assert.equal(e.message, `version 7 of secret '${name}' not found`);
      return true;
    });
  });

  it("an expired secret is not found for reads (getSecret null) but keeps its metadata", async () => {
    const name = uniqueName("expired");
    await client.putSecret(name, "old", { expiresAt: "2001-01-01T00:00:00Z" });
    assert.equal(await client.getSecret(name), null);
    await assert.rejects(client.readSecret(name), (e: unknown) => e instanceof SecretNotFoundError && e.code === "expired" && /expired/.test(e.message));
    assert.match((await client.metadata(name)).expiresAt ?? "", /^2001-01-01T00:00/);
  });

  it("refuses a bad version before sending", async () => {
    await assert.rejects(client.readSecret("a", { version: 0 }), InvalidInputError);
    await assert.rejects(client.readSecret("a", { version: 1.5 }), InvalidInputError);
  });
});

describe("listSecrets", () => {
  it("lists names under a prefix, with metadata and no values, page by page with the cursor", async () => {
    const prefix = uniqueName("list");
    const names = ["a", "b", "c", "d", "e"].map((s) => `${prefix}/${s}`);
    for (const name of names) {
      await client.setSecret(name, `value of ${name}`);
    }
    await client.setSecret(`${prefix}x/outside`, "v");
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listSecrets({ prefix: `${prefix}/`, limit: 2, cursor });
      pages += 1;
      assert.ok(page.items.length <= 2);
      for (const item of page.items) {
        assert.equal(item.version, 1);
        assert.equal(Object.hasOwn(item, "value"), false);
        seen.push(item.key);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    assert.deepEqual(seen, names);
    assert.ok(pages >= 3);
  });

  it("an empty listing has no nextCursor", async () => {
    const page = await client.listSecrets({ prefix: uniqueName("empty") });
    assert.deepEqual(page, { items: [] });
  });

  it("a cursor the server did not issue is InvalidInputError with its detail; a bad limit is refused before sending", async () => {
    await assert.rejects(client.listSecrets({ cursor: "forged" }), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.equal(e.status, 400);
      assert.match(e.message, /cursor/);
      return true;
    });
    await assert.rejects(client.listSecrets({ limit: 0 }), InvalidInputError);
    await assert.rejects(client.listSecrets({ limit: 1001 }), InvalidInputError);
  });
});

describe("listVersions, deleteSecret, restoreSecret", () => {
  it("lists every version, oldest first", async () => {
    const name = uniqueName("history");
    await client.setSecret(name, "1");
    await client.setSecret(name, "2");
    await client.setSecret(name, "3");
    const versions = await client.listVersions(name);
    assert.deepEqual(versions.map((v) => [v.version, v.destroyed]), [[1, false], [2, false], [3, false]]);
    assert.match(versions[0]?.createdAt ?? "", /^\d{4}-/);
    await assert.rejects(client.listVersions(uniqueName("none")), SecretNotFoundError);
  });

  it("delete hides the secret, a write to it is SecretDeletedError, restore brings it back", async () => {
    const name = uniqueName("deleted");
    await client.setSecret(name, "kept");
    await client.deleteSecret(name);
    assert.equal(await client.getSecret(name), null);
    assert.ok(!(await client.listSecrets({ prefix: name })).items.some((i) => i.key === name));
    await assert.rejects(client.setSecret(name, "new"), (e: unknown) => {
      assert.ok(e instanceof SecretDeletedError);
      assert.equal(e.status, 409);
      assert.equal(e.code, "secret_deleted");
      assert.equal(e.key, name);
      return true;
    });
    await client.restoreSecret(name);
    assert.equal(await client.getSecret(name), "kept");
  });

  it("deleting or restoring what is not there is SecretNotFoundError", async () => {
    const name = uniqueName("ghost");
    await assert.rejects(client.deleteSecret(name), SecretNotFoundError);
    await assert.rejects(client.restoreSecret(name), SecretNotFoundError);
  });
});

describe("whoami and keys", () => {
  it("whoami describes the admin key", async () => {
    const me = await client.whoami();
    assert.equal(me.role, "ADMIN");
    assert.equal(me.tenant, "default");
    assert.equal(me.prefix, "");
    assert.equal(server.adminKey.startsWith(`lns_${me.keyId}_`), true);
  });

  it("a read-only key reads but writing, deleting or restoring is AccessDeniedError (403)", async () => {
    const name = uniqueName("ro");
    await client.setSecret(name, "v");
    const readOnlyKey = (await createKey(server, "READ_ONLY")).key;
    const ro = new SecretManagerClient({ apiUrl: server.url, apiKey: readOnlyKey });
    assert.equal((await ro.whoami()).role, "READ_ONLY");
    assert.equal(await ro.getSecret(name), "v");
    for (const attempt of [() => ro.setSecret(name, "w"), () => ro.deleteSecret(name), () => ro.restoreSecret(name)]) {
      await assert.rejects(attempt(), (e: unknown) => {
        assert.ok(e instanceof AccessDeniedError);
        assert.equal(e.status, 403);
        assert.ok(!e.message.includes(readOnlyKey));
        assert.match(e.message, /lns_[0-9a-f]{16}_\*\*\*/);
        return true;
      });
    }
    assert.equal(await client.getSecret(name), "v");
  });

  it("a prefix-scoped key sees names outside its prefix as missing", async () => {
    const name = uniqueName("scoped");
    await client.setSecret(name, "v");
    const scoped = new SecretManagerClient({ apiUrl: server.url, apiKey: (await createKey(server, "READ_ONLY", "elsewhere/")).key });
    assert.equal(await scoped.getSecret(name), null);
    assert.equal((await scoped.whoami()).prefix, "elsewhere/");
  });

  it("an unknown key, or none, is AuthenticationError (401)", async () => {
    const bad = new SecretManagerClient({ apiUrl: server.url, apiKey: "lns_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    await assert.rejects(bad.getSecret("x"), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.status, 401);
      assert.match(e.message, /lns_0123456789abcdef_\*\*\*/);
      assert.ok(!e.message.includes("AAAAAAAAAA"));
      return true;
    });
    const keyless = new SecretManagerClient({ apiUrl: server.url });
    await assert.rejects(keyless.whoami(), (e: unknown) => e instanceof AuthenticationError && /no API key was given/.test(e.message));
  });
});

describe("names", () => {
  it("names with dots, dashes, underscores and several segments round-trip", async () => {
    const name = uniqueName("a.b/c-d/e_f/.hidden/x..y");
    await client.setSecret(name, "ok");
    assert.equal(await client.getSecret(name), "ok");
    assert.deepEqual((await client.listVersions(name)).map((v) => v.version), [1]);
  });

  it("a bad name is InvalidInputError before any request", async () => {
    let connections = 0;
    const listener: Server = createServer((socket: Socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
    const port = (listener.address() as { port: number }).port;
    const counted = new SecretManagerClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: server.adminKey });
    try {
      const bad = ["", "/a", "a/", "a//b", "a/./b", "../etc", "a b", "a%2Fb", "é", "x".repeat(257), "a:versions", "a?b"];
      for (const name of bad) {
        await assert.rejects(counted.getSecret(name), InvalidInputError, `name ${JSON.stringify(name)}`);
        await assert.rejects(counted.setSecret(name, "v"), InvalidInputError);
        await assert.rejects(counted.deleteSecret(name), InvalidInputError);
      }
      await assert.rejects(counted.getSecret(null as unknown as string), InvalidInputError);
      await assert.rejects(counted.setSecret("ok", 42 as unknown as string), InvalidInputError);
      assert.equal(connections, 0);
    } finally {
      listener.close();
    }
  });

  it("a name holding an API key is refused without being sent or quoted", async () => {
    await assert.rejects(client.getSecret(`ci/${server.adminKey}`), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.ok(!e.message.includes(server.adminKey));
      assert.ok(!e.message.includes(server.adminKey.slice(22)));
      return true;
    });
  });
});

describe("apiUrl that is not the API", () => {
  it("a base URL with a wrong path is ConfigurationError, not a missing secret", async () => {
    const wrong = new SecretManagerClient({ apiUrl: `${server.url}/not-here`, apiKey: server.adminKey });
    await assert.rejects(wrong.getSecret("prod/db"), (e: unknown) => {
      assert.ok(e instanceof ConfigurationError);
      assert.equal(e.status, 404);
      assert.match(e.message, /base URL/);
      return true;
    });
  });
});

describe("fromEnvironment", () => {
  it("reads LANONASIS_URL and LANONASIS_API_KEY", async () => {
    const name = uniqueName("env");
    await client.setSecret(name, "from env");
    const fromEnv = SecretManagerClient.fromEnvironment({ LANONASIS_URL: server.url, LANONASIS_API_KEY: server.adminKey });
    assert.equal(fromEnv.apiUrl, server.url);
    assert.equal(await fromEnv.getSecret(name), "from env");
  });

  it("overrides win over the environment", async () => {
    const fromEnv = SecretManagerClient.fromEnvironment(
      { LANONASIS_URL: "https://unused.example", LANONASIS_API_KEY: "lns_0123456789abcdef_nope" },
      { apiUrl: server.url, apiKey: server.adminKey, timeoutMs: 5000 },
    );
    assert.equal((await fromEnv.whoami()).role, "ADMIN");
  });

  it("defaults to process.env", async () => {
    const saved = { url: process.env["LANONASIS_URL"], key: process.env["LANONASIS_API_KEY"] };
    process.env["LANONASIS_URL"] = server.url;
    process.env["LANONASIS_API_KEY"] = server.adminKey;
    try {
      assert.equal((await SecretManagerClient.fromEnvironment().whoami()).tenant, "default");
    } finally {
      restore("LANONASIS_URL", saved.url);
      restore("LANONASIS_API_KEY", saved.key);
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) {
    Reflect.deleteProperty(process.env, name);
  } else {
    process.env[name] = value;
  }
}

describe("getSecrets: one batch read for many names", () => {
  it("answers every name in the order asked, null where getSecret says null, more than 100 names in several requests", async () => {
    const names = Array.from({ length: 130 }, (_, i) => uniqueName(`batch/n${String(129 - i).padStart(3, "0")}`));
    for (const [i, name] of names.entries()) {
      if (i % 10 !== 3) {
        await client.setSecret(name, `v${i}`);
      }
    }
    const deleted = uniqueName("batch/deleted");
    await client.setSecret(deleted, "soon gone");
    await client.deleteSecret(deleted);
    const got = await client.getSecrets([...names, deleted]);
    assert.deepEqual([...got.keys()], [...names, deleted]);
    for (const [i, name] of names.entries()) {
      assert.equal(got.get(name), i % 10 === 3 ? null : `v${i}`);
      if (i < 12) {
        assert.equal(await client.getSecret(name), got.get(name));
      }
    }
    assert.equal(got.get(deleted), null);
    assert.deepEqual(await client.getSecrets([]), new Map());
  });

  it("a name outside the key's prefix reads as absent, as getSecret reads it", async () => {
    const inside = uniqueName("scope");
    const outside = uniqueName("elsewhere");
    await client.setSecret(`inside/${inside}`, "in");
    await client.setSecret(outside, "out");
    const scoped = new SecretManagerClient({ apiUrl: server.url, apiKey: (await createKey(server, "READ_ONLY", "inside/")).key });
    const got = await scoped.getSecrets([outside, `inside/${inside}`]);
    assert.deepEqual([...got.entries()], [[outside, null], [`inside/${inside}`, "in"]]);
    assert.equal(await scoped.getSecret(outside), null);
  });

  it("a name given twice or an invalid name is InvalidInputError before anything is sent", async () => {
    const name = uniqueName("batch/twice");
    await assert.rejects(client.getSecrets([name, name]), (e: unknown) => e instanceof InvalidInputError && e.message.includes(name));
    await assert.rejects(client.getSecrets([name, "../up"]), InvalidInputError);
  });
});
