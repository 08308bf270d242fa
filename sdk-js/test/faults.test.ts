// Faults the real server cannot produce, scripted in front of it (a tiny node:http proxy) or in
// place of it (node:net sockets): refused connections, stalls, 503 with Retry-After, redirects.
// Each test asserts what crossed the wire and how many times.
import assert from "node:assert/strict";
import { createServer as createHttpServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { ConfigurationError, SecretManagerClient, UnavailableError } from "../src/index.js";
import { startServer, uniqueName, type RunningServer } from "../test-support/server.js";

let server: RunningServer;
let admin: SecretManagerClient;

before(async () => {
  server = await startServer();
  admin = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
});

after(async () => {
  // Unset when before() failed to start it; the type cannot say so.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await server?.stop();
});

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

type Fault = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A proxy to the real server; `fault` may answer a request itself (returning true) instead of forwarding it. */
async function proxy(fault: Fault): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const target = new URL(server.url);
  const seen: Seen[] = [];
  const http = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    if (fault(req, res)) {
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  const port = (http.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((done) => {
      http.closeAllConnections();
      http.close(() => {
        done();
      });
    }),
  };
}

function unavailable503(res: ServerResponse, retryAfter: string): true {
  res.writeHead(503, { "content-type": "application/problem+json", "retry-after": retryAfter });
  res.end(JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "the store is unavailable" }));
  return true;
}

/** Answers 503 with the given Retry-After the first `times` times, then forwards. */
function first503s(times: number, retryAfter = "0"): Fault {
  let left = times;
  return (_req, res) => (left-- > 0 ? unavailable503(res, retryAfter) : false);
}

describe("retries", () => {
  it("a GET is repeated across one 503 with Retry-After: 0 and then succeeds", async () => {
    const name = uniqueName("retried");
    await admin.setSecret(name, "after the 503");
    const p = await proxy(first503s(1));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      assert.equal(await client.getSecret(name), "after the 503");
      assert.deepEqual(p.seen.map((s) => `${s.method} ${s.url}`), [`GET /api/v1/secrets/${name}`, `GET /api/v1/secrets/${name}`]);
      assert.ok(p.seen.every((s) => s.authorization === `Bearer ${server.adminKey}`));
    } finally {
      await p.close();
    }
  });

  it("a GET that meets 503 on every attempt fails with UnavailableError after 1 + maxRetries attempts", async () => {
    const p = await proxy(first503s(100));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey, maxRetries: 2 });
      await assert.rejects(client.listSecrets(), (e: unknown) => {
        assert.ok(e instanceof UnavailableError);
        assert.equal(e.status, 503);
        assert.equal(e.retryAfterMs, 0);
        assert.match(e.message, /GET \/api\/v1\/secrets: the server answered 503: the store is unavailable \(after 3 attempts\)/);
        return true;
      });
      assert.equal(p.seen.length, 3);
    } finally {
      await p.close();
    }
  });

  it("a plain upsert is sent once across a 503, and says the change may or may not have been made", async () => {
    const name = uniqueName("upsert-once");
    const p = await proxy(first503s(2));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey, maxRetries: 5 });
      await assert.rejects(client.setSecret(name, "never written"), (e: unknown) => {
        assert.ok(e instanceof UnavailableError);
        assert.equal(e.status, 503);
        assert.match(e.message, /may or may not have been made/);
        return true;
      });
      await assert.rejects(client.putSecret(name, "never written", { description: "d" }), UnavailableError);
      assert.deepEqual(p.seen.map((s) => s.method), ["POST", "POST"]);
      // One request per call, each answered 503 by the proxy: nothing reached the server.
      assert.equal(await admin.getSecret(name), null);
    } finally {
      await p.close();
    }
  });

  it("a delete is sent once across a 503", async () => {
    const name = uniqueName("delete-once");
    await admin.setSecret(name, "v");
    const p = await proxy(first503s(1));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      await assert.rejects(client.deleteSecret(name), UnavailableError);
      assert.equal(p.seen.length, 1);
      assert.equal(await admin.getSecret(name), "v");
    } finally {
      await p.close();
    }
  });

  it("a check-and-set write is repeated across a 503 (it cannot apply twice)", async () => {
    const name = uniqueName("cas-retried");
    const p = await proxy(first503s(1));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      assert.equal((await client.putSecret(name, "once", { expectedVersion: 0 })).version, 1);
      assert.deepEqual(p.seen.map((s) => s.method), ["POST", "POST"]);
      assert.deepEqual((await admin.listVersions(name)).map((v) => v.version), [1]);
    } finally {
      await p.close();
    }
  });

  it("a Retry-After longer than 10 s fails at once with retryAfterMs", async () => {
    const p = await proxy(first503s(100, "60"));
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      const started = Date.now();
      await assert.rejects(client.getSecret("a/b"), (e: unknown) => {
        assert.ok(e instanceof UnavailableError);
        assert.equal(e.retryAfterMs, 60_000);
        assert.match(e.message, /asks to wait 60 s/);
        return true;
      });
      assert.ok(Date.now() - started < 2_000);
      assert.equal(p.seen.length, 1);
    } finally {
      await p.close();
    }
  });

  it("429 on a read is waited out and repeated", async () => {
    let left = 1;
    const p = await proxy((_req, res) => {
      if (left-- <= 0) {
        return false;
      }
      res.writeHead(429, { "content-type": "application/problem+json", "retry-after": "1" });
      res.end(JSON.stringify({ status: 429, title: "Too Many Requests" }));
      return true;
    });
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      const started = Date.now();
      assert.equal((await client.whoami()).role, "ADMIN");
      assert.ok(Date.now() - started >= 900);
      assert.equal(p.seen.length, 2);
    } finally {
      await p.close();
    }
  });

  it("a 500 is UnavailableError and a read is not repeated for it", async () => {
    const p = await proxy((_req, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<html>S3NTINEL-internal</html>");
      return true;
    });
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      await assert.rejects(client.getSecret("a"), (e: unknown) => e instanceof UnavailableError && e.status === 500 && !e.message.includes("S3NTINEL"));
      assert.equal(p.seen.length, 1);
    } finally {
      await p.close();
    }
  });
});

describe("redirects and foreign answers", () => {
  it("a redirect is not followed (it would carry the key) and is ConfigurationError", async () => {
    const p = await proxy((req, res) => {
      if (req.url?.startsWith("/elsewhere")) {
        return false;
      }
      res.writeHead(302, { location: `${server.url}/elsewhere` });
      res.end();
      return true;
    });
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      await assert.rejects(client.getSecret("a"), (e: unknown) => e instanceof ConfigurationError && e.status === 302 && /redirect/.test(e.message));
      assert.equal(p.seen.length, 1);
    } finally {
      await p.close();
    }
  });

  it("a 2xx that is not API v1 is UnavailableError (malformed), not quoted, not repeated", async () => {
    const p = await proxy((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"value": "S3NTINEL-half');
      return true;
    });
    try {
      const client = new SecretManagerClient({ apiUrl: p.url, apiKey: server.adminKey });
      await assert.rejects(client.getSecret("a"), (e: unknown) => e instanceof UnavailableError && /malformed/.test(e.message) && !e.message.includes("S3NTINEL"));
      assert.equal(p.seen.length, 1);
    } finally {
      await p.close();
    }
  });
});

describe("network failures", () => {
  it("a port nobody listens on is UnavailableError after the retries", async () => {
    const listener = createNetServer();
    await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
    const port = (listener.address() as { port: number }).port;
    await new Promise<void>((done) => listener.close(() => {
      done();
    }));
    const client = new SecretManagerClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: server.adminKey, maxRetries: 1 });
    await assert.rejects(client.getSecret("a/b"), (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.equal(e.status, undefined);
      assert.match(e.message, /secret 'a\/b': the connection failed \(ECONNREFUSED\) \(after 2 attempts\)/);
      return true;
    });
  });

  it("a server that accepts and never answers is UnavailableError after timeoutMs per attempt", async () => {
    const sockets: Socket[] = [];
    const requests: string[] = [];
    const silent = createNetServer((socket) => {
      sockets.push(socket);
      socket.setEncoding("latin1");
      socket.on("data", (chunk: string) => requests.push(chunk.split("\r\n")[0] ?? ""));
    });
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = new SecretManagerClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: server.adminKey, timeoutMs: 300, maxRetries: 1 });
      const started = Date.now();
      await assert.rejects(client.getSecret("slow"), (e: unknown) => {
        assert.ok(e instanceof UnavailableError);
        assert.match(e.message, /secret 'slow': no answer within 300 ms \(after 2 attempts\)/);
        return true;
      });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 600 && elapsed < 5_000, `elapsed ${elapsed} ms`);
      assert.deepEqual(requests, ["GET /api/v1/secrets/slow HTTP/1.1", "GET /api/v1/secrets/slow HTTP/1.1"]);
      // A plain upsert: one attempt only, and the outcome is unknown.
      requests.length = 0;
      await assert.rejects(client.setSecret("slow", "v"), (e: unknown) => e instanceof UnavailableError && /may or may not have been made/.test(e.message));
      assert.equal(requests.length, 1);
    } finally {
      for (const s of sockets) {
        s.destroy();
      }
      silent.close();
    }
  });
});
