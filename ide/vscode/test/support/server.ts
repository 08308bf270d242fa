import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A real Lanonasis server (the built jar) on a free loopback port in a fresh directory. */
export interface RunningServer {
  readonly url: string;
  readonly adminKey: string;
  /** Everything the process printed, for leak checks. */
  output(): string;
  stop(): Promise<void>;
}

export const SERVER_JAR = resolve(process.env["LANONASIS_SERVER_JAR"] ?? join(__dirname, "../../../../../server/target/lanonasis-server.jar"));
export const CLI_JAR = resolve(process.env["LANONASIS_CLI_JAR"] ?? join(__dirname, "../../../../../cli/target/lanonasis.jar"));

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export async function startServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "lanonasis-vscode-test-"));
  const port = await freePort();
  const child: ChildProcess = spawn("java", ["-jar", SERVER_JAR, "--port", String(port)], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LANONASIS_STORE: "", LANONASIS_KEYSET: "", LANONASIS_CONFIG: "" },
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => { err += chunk; });
  const started = new Promise<{ url: string; adminKey: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s; stderr:\n${err}`)), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}; stderr:\n${err}`));
    });
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      const key = /^\s+(lns_[0-9a-f]{16}_[A-Za-z0-9_-]+)\s*$/m.exec(out);
      const url = /^Lanonasis Secrets server: (http:\/\/127\.0\.0\.1:\d+)\//m.exec(out);
      if (key?.[1] !== undefined && url?.[1] !== undefined) {
        clearTimeout(timer);
        done({ url: url[1], adminKey: key[1] });
      }
    });
  });
  let info: { url: string; adminKey: string };
  try {
    info = await started;
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...info,
    output: () => out + err,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) {
        rmSync(dir, { recursive: true, force: true });
        done();
        return;
      }
      child.once("exit", () => {
        rmSync(dir, { recursive: true, force: true });
        done();
      });
      child.kill("SIGTERM");
    }),
  };
}

/** Makes a key with the given role (and prefix) through the REST API, as an admin would. */
export async function createKey(server: RunningServer, role: "ADMIN" | "READ_WRITE" | "READ_ONLY", prefix = ""): Promise<{ id: string; key: string }> {
  const response = await fetch(`${server.url}/api/v1/keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${server.adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ role, prefix }),
  });
  if (response.status !== 201) {
    throw new Error(`creating a key answered ${response.status}`);
  }
  const body = (await response.json()) as { id: string; key: string };
  return { id: body.id, key: body.key };
}
