import { configFromEnvironment, resolveConfig, type SecretManagerClientConfig } from "./config.js";
import { InvalidInputError, SecretNotFoundError, UnavailableError } from "./errors.js";
import { checkName, namePath } from "./names.js";
import { Transport, type Call } from "./transport.js";

/** What a write answers: the name, the version it made, and when. */
export interface VersionInfo {
  key: string;
  version: number;
  createdAt: string;
}

/** One version's value. `createdAt` is ISO-8601 UTC. */
export interface Secret {
  key: string;
  value: string;
  version: number;
  createdAt: string;
}

/** A secret's metadata, never its value. */
export interface SecretMetadata {
  key: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  description?: string;
  labels?: Record<string, string>;
  expiresAt?: string;
}

/** One version of a secret; destroyed versions stay listed, flagged. */
export interface SecretVersion {
  version: number;
  createdAt: string;
  destroyed: boolean;
}

/** A page of a listing; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** The calling key: its id (16 hex digits, not secret), tenant, role and name prefix (empty: every name). */
export interface Whoami {
  keyId: string;
  tenant: string;
  role: "ADMIN" | "READ_WRITE" | "READ_ONLY";
  prefix: string;
}

/** Options of `putSecret`. Attributes, when any is given, replace the secret's attributes (one not given is cleared). */
export interface PutOptions {
  /** Check-and-set: the write happens only if this is the current version (0: the secret must not exist yet). */
  expectedVersion?: number | undefined;
  description?: string | undefined;
  labels?: Record<string, string> | undefined;
  /** ISO-8601 instant after which reads answer not-found (listing still shows it). */
  expiresAt?: string | undefined;
}

/** Options of `listSecrets`. */
export interface ListOptions {
  /** Only names starting with this prefix. */
  prefix?: string | undefined;
  /** Items per page, 1 to 1000 (server default 100). */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The most names one batch read carries (the server's limit); more are sent in several. */
const BATCH_GET_MAX = 100;

/**
 * The Lanonasis Secrets REST API (v1) from Node, on Node's own `fetch`.
 *
 * ```ts
 * const client = new SecretManagerClient({ apiUrl: "https://secrets.internal:8443", apiKey: process.env.LANONASIS_API_KEY });
 * await client.setSecret("prod/db/password", "s3cr3t");
 * const password = await client.getSecret("prod/db/password"); // null when absent
 * ```
 *
 * The constructor checks the settings and makes no request. Reads and check-and-set writes are
 * repeated after a network failure, 429, 502, 503 or 504 (`maxRetries`, default 2); plain
 * upserts and deletes never are. The API key lives in a private field: `inspect`, `JSON.stringify`
 * and `String` show its public id at most. Safe to share between concurrent calls.
 */
export class SecretManagerClient {
  /** The server's base URL, as checked and normalised (no trailing '/', no `/api/v1` suffix). */
  readonly apiUrl: string;
  readonly #transport: Transport;

  constructor(config: SecretManagerClientConfig) {
    const resolved = resolveConfig(config);
    this.apiUrl = resolved.baseUrl;
    this.#transport = new Transport(resolved);
  }

  /**
   * A client from `LANONASIS_URL`, `LANONASIS_API_KEY` and `LANONASIS_INSECURE_NO_TLS=true`
   * (`env` defaults to `process.env`; an empty variable counts as not set); `overrides` win.
   */
  static fromEnvironment(
    env: Record<string, string | undefined> = process.env,
    overrides: Partial<SecretManagerClientConfig> = {},
  ): SecretManagerClient {
    return new SecretManagerClient(configFromEnvironment(env, overrides));
  }

  /** Stores `value` as the secret's new version (created if absent). Not repeated on failure. */
  async setSecret(key: string, value: string): Promise<void> {
    await this.putSecret(key, value);
  }

  /** The latest value, or null when the secret does not exist (404: absent, deleted, expired or outside the key's prefix). */
  async getSecret(key: string): Promise<string | null> {
    try {
      return (await this.readSecret(key)).value;
    } catch (e) {
      if (e instanceof SecretNotFoundError) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The latest values of `keys`, with one request per 100 names (`POST /api/v1/secrets:batchGet`)
   * instead of one per name: a Map in the order given, `null` for a secret that does not exist
   * (as `getSecret`: absent, deleted, expired or outside the key's prefix). Any other failure of a
   * name (a tenant whose keyset was destroyed: `GoneError`) is thrown as `getSecret` would throw
   * it. Every name is checked before anything is sent; a name given twice is `InvalidInputError`.
   * Each name is authorized and audited by the server as its single read.
   */
  async getSecrets(keys: readonly string[]): Promise<Map<string, string | null>> {
    const seen = new Set<string>();
    for (const key of keys) {
      checkName(key);
      if (seen.has(key)) {
        throw new InvalidInputError(`secret '${key}' is asked for twice; name it once`);
      }
      seen.add(key);
    }
    const out = new Map<string, string | null>();
    for (let from = 0; from < keys.length; from += BATCH_GET_MAX) {
      const names = keys.slice(from, from + BATCH_GET_MAX);
      const call: Call = { method: "POST", path: "secrets:batchGet", body: { names }, repeatable: true };
      const answer = record(call, (await this.#transport.send(call)).body);
      const secrets = answer["secrets"];
      const errors = answer["errors"];
      if (!Array.isArray(secrets)) {
        throw malformed(call, "secrets");
      }
      if (!Array.isArray(errors)) {
        throw malformed(call, "errors");
      }
      const values = new Map<string, string>();
      for (const item of secrets) {
        const o = record(call, item);
        values.set(text(call, o, "key"), text(call, o, "value"));
      }
      const failed = new Map<string, Record<string, unknown>>();
      for (const item of errors) {
        const o = record(call, item);
        failed.set(text(call, o, "key"), o);
      }
      if (values.size + failed.size !== names.length) {
        throw malformed(call, "secrets");
      }
      for (const name of names) {
        const value = values.get(name);
        if (value !== undefined) {
          out.set(name, value);
          continue;
        }
        const problem = failed.get(name);
        if (problem === undefined) {
          throw malformed(call, "secrets");
        }
        const status = int(call, problem, "status");
        if (status === 404) {
          out.set(name, null);
          continue;
        }
        throw this.#transport.problemFailure({ method: "GET", path: `secrets/${namePath(name)}`, repeatable: true, key: name }, status, problem);
      }
    }
    return out;
  }

  /**
   * Writes a new version. With `expectedVersion` it is check-and-set (`VersionConflictError` with
   * `currentVersion` when another version is there) and repeated after transient failures; without
   * it, it is a plain upsert, sent once.
   */
  async putSecret(key: string, value: string, options: PutOptions = {}): Promise<VersionInfo> {
    checkName(key);
    if (typeof value !== "string") {
      throw new InvalidInputError(`secret '${key}': the value must be a string`);
    }
    const body: Record<string, unknown> = { key, value };
    const { expectedVersion, description, labels, expiresAt } = options;
    if (expectedVersion !== undefined) {
      body["expectedVersion"] = checkInteger(`secret '${key}': expectedVersion`, expectedVersion, 0);
    }
    if (description !== undefined) {
      body["description"] = description;
    }
    if (labels !== undefined) {
      body["labels"] = labels;
    }
    if (expiresAt !== undefined) {
      body["expiresAt"] = expiresAt;
    }
    const call: Call = {
      method: "POST",
      path: "secrets",
      body,
      repeatable: expectedVersion !== undefined,
      key,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    };
    const answer = record(call, (await this.#transport.send(call)).body);
    return { key: text(call, answer, "key"), version: int(call, answer, "version"), createdAt: text(call, answer, "createdAt") };
  }

  /** One version of the secret (the latest by default); `SecretNotFoundError` when there is none. */
  async readSecret(key: string, options: { version?: number | undefined } = {}): Promise<Secret> {
    checkName(key);
    const query = new URLSearchParams();
    const version = options.version;
    if (version !== undefined) {
      query.set("version", String(checkInteger(`secret '${key}': version`, version, 1)));
    }
    const call: Call = { method: "GET", path: `secrets/${namePath(key)}`, query, repeatable: true, key, ...(version === undefined ? {} : { version }) };
    const answer = record(call, (await this.#transport.send(call)).body);
    return {
      key: text(call, answer, "key"),
      value: text(call, answer, "value"),
      version: int(call, answer, "version"),
      createdAt: text(call, answer, "createdAt"),
    };
  }

  /** One page of names with their metadata (never values), in name order. */
  async listSecrets(options: ListOptions = {}): Promise<Page<SecretMetadata>> {
    const query = new URLSearchParams();
    if (options.prefix !== undefined && options.prefix !== "") {
      query.set("prefix", checkString("prefix", options.prefix));
    }
    if (options.limit !== undefined) {
      query.set("limit", String(checkInteger("limit", options.limit, 1, 1000)));
    }
    if (options.cursor !== undefined && options.cursor !== "") {
      query.set("cursor", checkString("cursor", options.cursor));
    }
    const call: Call = { method: "GET", path: "secrets", query, repeatable: true };
    const answer = record(call, (await this.#transport.send(call)).body);
    const items = answer["items"];
    if (!Array.isArray(items)) {
      throw malformed(call, "items");
    }
    const page: Page<SecretMetadata> = { items: items.map((item) => toMetadata(call, item)) };
    if (typeof answer["nextCursor"] === "string" && answer["nextCursor"] !== "") {
      page.nextCursor = answer["nextCursor"];
    }
    return page;
  }

  /** Every version of the secret, oldest first, destroyed ones flagged. */
  async listVersions(key: string): Promise<SecretVersion[]> {
    checkName(key);
    const call: Call = { method: "GET", path: `secrets/${namePath(key)}:versions`, repeatable: true, key };
    const answer = record(call, (await this.#transport.send(call)).body);
    const versions = answer["versions"];
    if (!Array.isArray(versions)) {
      throw malformed(call, "versions");
    }
    return versions.map((v) => {
      const o = record(call, v);
      const destroyed = o["destroyed"];
      if (typeof destroyed !== "boolean") {
        throw malformed(call, "destroyed");
      }
      return { version: int(call, o, "version"), createdAt: text(call, o, "createdAt"), destroyed };
    });
  }

  /** The secret's metadata (description, labels, expiry, latest version), never its value. */
  async metadata(key: string): Promise<SecretMetadata> {
    checkName(key);
    const call: Call = { method: "GET", path: `secrets/${namePath(key)}:metadata`, repeatable: true, key };
    return toMetadata(call, (await this.#transport.send(call)).body);
  }

  /** Soft delete: hidden from reads and listings until `restoreSecret`. Sent once. */
  async deleteSecret(key: string): Promise<void> {
    checkName(key);
    await this.#transport.send({ method: "DELETE", path: `secrets/${namePath(key)}`, repeatable: false, key });
  }

  /** Undoes a soft delete; `SecretNotFoundError` when there is no deleted secret of that name. Sent once. */
  async restoreSecret(key: string): Promise<void> {
    checkName(key);
    await this.#transport.send({ method: "POST", path: `secrets/${namePath(key)}:restore`, repeatable: false, key });
  }

  /** The calling key's id, tenant, role and prefix. */
  async whoami(): Promise<Whoami> {
    const call: Call = { method: "GET", path: "whoami", repeatable: true };
    const answer = record(call, (await this.#transport.send(call)).body);
    const role = answer["role"];
    if (role !== "ADMIN" && role !== "READ_WRITE" && role !== "READ_ONLY") {
      throw malformed(call, "role");
    }
    return { keyId: text(call, answer, "keyId"), tenant: text(call, answer, "tenant"), role, prefix: text(call, answer, "prefix") };
  }

  /** What `util.inspect` and `console.log` show: the URL and the key's public id, never the key. */
  [INSPECT](): string {
    return this.toString();
  }

  toString(): string {
    return `SecretManagerClient[apiUrl=${this.apiUrl}, apiKey=${this.#transport.keyHint}]`;
  }

  toJSON(): { apiUrl: string; apiKey: string } {
    return { apiUrl: this.apiUrl, apiKey: this.#transport.keyHint };
  }
}

function toMetadata(call: Call, value: unknown): SecretMetadata {
  const o = record(call, value);
  const m: SecretMetadata = {
    key: text(call, o, "key"),
    version: int(call, o, "version"),
    createdAt: text(call, o, "createdAt"),
    updatedAt: text(call, o, "updatedAt"),
  };
  if (typeof o["description"] === "string") {
    m.description = o["description"];
  }
  const labels = o["labels"];
  if (labels !== null && typeof labels === "object" && !Array.isArray(labels)) {
    const copy: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v === "string") {
        copy[k] = v;
      }
    }
    m.labels = copy;
  }
  if (typeof o["expiresAt"] === "string") {
    m.expiresAt = o["expiresAt"];
  }
  return m;
}

function record(call: Call, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw malformed(call, "body");
  }
  return value as Record<string, unknown>;
}

function text(call: Call, o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== "string") {
    throw malformed(call, field);
  }
  return v;
}

function int(call: Call, o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw malformed(call, field);
  }
  return v;
}

/** A 2xx that is not API v1: not repeated, and nothing of it is quoted (it may hold a value). */
function malformed(call: Call, field: string): UnavailableError {
  const what = call.key === undefined ? `${call.method} /api/v1/${call.path}` : `secret '${call.key}'`;
  return new UnavailableError(`${what}: the server's answer is malformed (${field} missing or of the wrong type)`);
}

function checkInteger(what: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${what} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}`);
  }
  return value;
}

function checkString(what: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new InvalidInputError(`${what} must be a string`);
  }
  return value;
}
