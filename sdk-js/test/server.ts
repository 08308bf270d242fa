// Starts the real server jar for a test file: SQLite and a development keyset in a fresh temporary
// directory, an ephemeral port, the base URL and the admin key read from its standard output.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// dist/test/ -> sdk-js/ -> the repository
const sdkDir = resolve(here, "..", "..");

export const KEY_PATTERN = /lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/;
const URL_LINE = /Lanonasis Secrets server: (http:\/\/127\.0\.0\.1:\d+)\/ /;

export interface RunningServer {
  /** http://127.0.0.1:PORT (the base URL, as apiUrl takes it). */
  readonly url: string;
  readonly adminKey: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export function serverJar(): string {
  const jar = resolve(sdkDir, process.env["LANONASIS_SERVER_JAR"] ?? "../server/target/lanonasis-server.jar");
  if (!existsSync(jar)) {
    throw new Error(`server jar not found at ${jar}: build it with ./mvnw -pl server -am package -DskipTests, or set LANONASIS_SERVER_JAR`);
  }
  return jar;
}

export async function startServer(): Promise<RunningServer> {
  const jar = serverJar();
  const dir = mkdtempSync(join(tmpdir(), "lanonasis-sdk-js-"));
  const child: ChildProcess = spawn(
    "java",
    ["-jar", jar, "--port", "0", "--store", `jdbc:sqlite:${join(dir, "s.db")}`, "--keyset", join(dir, "k.json")],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const started = new Promise<{ url: string; adminKey: string }>((resolvePromise, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${out}`)), 60_000);
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

/** A new API key made with the admin key (POST /api/v1/keys), e.g. a read-only one. */
export async function createKey(
  server: RunningServer,
  role: "ADMIN" | "READ_WRITE" | "READ_ONLY",
  prefix = "",
): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ role, prefix }),
  });
  if (response.status !== 201) {
    throw new Error(`creating a ${role} key: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { key: string };
  return body.key;
}

let counter = 0;
/** A name no other test of this process uses. */
export function uniqueName(base: string): string {
  counter += 1;
  return `t${process.pid}-${counter}/${base}`;
}
