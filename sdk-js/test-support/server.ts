// The one test-support module of the TypeScript tests: this client's (sdk-js/test) and the VS Code extension's
// (ide/vscode/test, through test/support/server.ts, which loads this file's build from
// sdk-js/dist/test-support/server.js). It starts the real server jar, mints and revokes keys, and nothing else
// starts a server for those tests. Each server gets a fresh temporary directory of its own (its working
// directory) holding its SQLite store, development keyset, audit signing key and audit checkpoints file, an
// ephemeral port, and an environment without LANONASIS_ variables; the base URL and the admin key are read from
// its standard output. Not part of the npm package ("files" lists dist/src only).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// dist/test-support/ -> sdk-js/ -> the repository
const sdkDir = resolve(here, "..", "..");

export const KEY_PATTERN = /lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/;
// The start-up line names the base URL, perhaps followed by a path: the base URL is what apiUrl takes.
const URL_LINE = /Lanonasis Secrets server: (http:\/\/127\.0\.0\.1:\d+)/;

export interface RunningServer {
  /** http://127.0.0.1:PORT (the base URL, as apiUrl takes it). */
  readonly url: string;
  readonly adminKey: string;
  /** Everything the process printed so far (stdout and stderr), for leak checks. */
  output(): string;
  stop(): Promise<void>;
}

/** A built jar of the repository: LANONASIS_SERVER_JAR (say) if set, else the path under the repository root. */
function repositoryJar(variable: string, fromRoot: string): string {
  return resolve(sdkDir, process.env[variable] ?? join("..", fromRoot));
}

export const SERVER_JAR = repositoryJar("LANONASIS_SERVER_JAR", "server/target/lanonasis-server.jar");
export const CLI_JAR = repositoryJar("LANONASIS_CLI_JAR", "cli/target/lanonasis.jar");

export function serverJar(): string {
  if (!existsSync(SERVER_JAR)) {
    throw new Error(`server jar not found at ${SERVER_JAR}: build it with ./mvnw -pl server -am package -DskipTests, or set LANONASIS_SERVER_JAR`);
  }
  return SERVER_JAR;
}

export async function startServer(): Promise<RunningServer> {
  const jar = serverJar();
  const dir = mkdtempSync(join(tmpdir(), "lanonasis-ts-test-"));
  // The test's own LANONASIS_ settings (a store, a keyset, a config file) must not steer this server.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LANONASIS_")));
  const child: ChildProcess = spawn(
    "java",
    [
      "-jar", jar, "--port", "0", "--store", `jdbc:sqlite:${join(dir, "s.db")}`, "--keyset", join(dir, "k.json"),
      // Its own checkpoints: a store behind another server's checkpoints is refused as rolled back.
      "--audit-signing-key", join(dir, "audit-signing-key.pem"), "--audit-checkpoints", join(dir, "audit-checkpoints.jsonl"),
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env },
  );
  let out = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<void>((done) => {
    child.once("exit", () => {
      done();
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const started = new Promise<{ url: string; adminKey: string }>((resolvePromise, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      reject(new Error(`the server did not start within 60 s:\n${out}`));
    }, 60_000);
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      out += chunk;
      const url = URL_LINE.exec(stdout);
      const key = KEY_PATTERN.exec(stdout);
      if (url?.[1] !== undefined && key !== null) {
        clearTimeout(timer);
        resolvePromise({ url: url[1], adminKey: key[0] });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${out}`));
    });
  });
  try {
    const { url, adminKey } = await started;
    return { url, adminKey, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A new API key made with the admin key (POST /api/v1/keys), e.g. a read-only one: its id and the key. */
export async function createKey(
  server: RunningServer,
  role: "ADMIN" | "READ_WRITE" | "READ_ONLY",
  prefix = "",
): Promise<{ id: string; key: string }> {
  const response = await fetch(`${server.url}/api/v1/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ role, prefix }),
  });
  if (response.status !== 201) {
    throw new Error(`creating a ${role} key: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { id: string; key: string };
  return { id: body.id, key: body.key };
}

/** Revokes a key made by {@link createKey} (POST /api/v1/keys/{id}:revoke) with the admin key. */
export async function revokeKey(server: RunningServer, id: string): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/keys/${id}:revoke`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  if (response.status !== 204) {
    throw new Error(`revoking key ${id}: ${response.status} ${await response.text()}`);
  }
}

let counter = 0;
/** A name no other test of this process uses. */
export function uniqueName(base: string): string {
  counter += 1;
  return `t${process.pid}-${counter}/${base}`;
}
