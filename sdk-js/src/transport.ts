import { keyHint, printable, type ResolvedConfig } from "./config.js";
import type { ErrorKind } from "./errors.js";
import {
  AccessDeniedError,
  AuthenticationError,
  ConfigurationError,
  GoneError,
  IntegrityError,
  InvalidInputError,
  LanonasisError,
  SecretDeletedError,
  SecretNotFoundError,
  UnavailableError,
  VersionConflictError,
} from "./errors.js";

/** One request of the API, described well enough to send it, repeat it if safe, and explain its failure. */
export interface Call {
  readonly method: "GET" | "POST" | "DELETE";
  /** After `/api/v1/`, names already encoded. */
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly body?: unknown;
  /** True for reads and check-and-set writes: repeating them cannot do a change twice. */
  readonly repeatable: boolean;
  /** The secret the call is about, for messages and errors. */
  readonly key?: string;
  readonly version?: number;
  readonly expectedVersion?: number;
}

/** A successful answer: its status and parsed JSON body (undefined for 204). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The longest `Retry-After` waited for; a longer one fails the call at once with `retryAfterMs`. */
export const MAX_RETRY_AFTER_MS = 10_000;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2_000;
const USER_AGENT = "lanonasis-secrets-client-js/0.1.0";

/**
 * Sends calls to `<baseUrl>/api/v1/...` with Node's fetch: the key only in `Authorization`, a
 * timeout per attempt, redirects never followed (they would carry the key), repeats only for
 * repeatable calls, and every failure mapped to the error family.
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;

  constructor(config: ResolvedConfig) {
    this.#apiKey = config.apiKey;
    this.#baseUrl = config.baseUrl;
    this.#timeoutMs = config.timeoutMs;
    this.#maxRetries = config.maxRetries;
  }

  get keyHint(): string {
    return keyHint(this.#apiKey);
  }

  async send(call: Call): Promise<Answer> {
    const query = call.query !== undefined && [...call.query.keys()].length > 0 ? `?${call.query.toString()}` : "";
    const url = `${this.#baseUrl}/api/v1/${call.path}${query}`;
    const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT };
    if (this.#apiKey !== undefined) {
      headers["authorization"] = `Bearer ${this.#apiKey}`;
    }
    let body: string | undefined;
    if (call.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(call.body);
    }
    const attempts = call.repeatable ? 1 + this.#maxRetries : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let status: number;
      let responseHeaders: Headers;
      let text: string;
      try {
        const init: RequestInit = {
          method: call.method,
          headers,
          redirect: "manual",
          signal: AbortSignal.timeout(this.#timeoutMs),
        };
        if (body !== undefined) {
          init.body = body;
        }
        const response = await fetch(url, init);
        status = response.status;
        responseHeaders = response.headers;
        text = await response.text();
      } catch (e) {
        if (!last) {
          await sleep(backoff(attempt));
          continue;
        }
        throw this.#transportFailure(call, e, attempt);
      }
      if (status >= 200 && status < 300) {
        return { status, body: parseBody(call, status, text) };
      }
      if (status === 429 || status === 502 || status === 503 || status === 504) {
        const retryAfterMs = parseRetryAfter(responseHeaders.get("retry-after"));
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw unavailable(call, status, text, attempt, retryAfterMs,
            `the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s, longer than the ${MAX_RETRY_AFTER_MS / 1000} s this client waits`);
        }
        if (!last) {
          await sleep(retryAfterMs ?? backoff(attempt));
          continue;
        }
        throw unavailable(call, status, text, attempt, retryAfterMs, undefined);
      }
      throw this.#statusFailure(call, status, responseHeaders, text, attempt);
    }
  }

  /**
   * The error for one name of a batch read that could not be read: the problem the server put in
   * the answer for it, mapped as the single read's answer would have been.
   */
  problemFailure(call: Call, status: number, problem: Record<string, unknown>): LanonasisError {
    return this.#statusFailure(
      call,
      status,
      new Headers({ "content-type": "application/problem+json" }),
      JSON.stringify(problem),
      1,
    );
  }

  #transportFailure(call: Call, e: unknown, attempts: number): UnavailableError {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    const code = errorCode(e);
    const refused = code === "ECONNREFUSED" || code === "ENOTFOUND";
    const why = timedOut
      ? `no answer within ${this.#timeoutMs} ms`
      : `the connection failed${code === undefined ? "" : ` (${code})`}`;
    const maybe = !call.repeatable && !refused ? "; the change may or may not have been made" : "";
    return new UnavailableError(`${describe(call)}: ${why}${tries(attempts)}${maybe}`, { cause: e });
  }

  #statusFailure(call: Call, status: number, headers: Headers, text: string, attempts: number): LanonasisError {
    const problem = parseProblem(headers, text);
    const code = problem?.code;
    const options = { status, code };
    const what = describe(call);
    const detail = problem?.detail === undefined ? "" : `: ${problem.detail}`;
    if (status >= 300 && status < 400) {
      return new ConfigurationError(
        `${what}: the server answered a redirect (${status}), which is not followed since it would carry the API ` +
          `key; check that apiUrl ${this.#baseUrl} is the server's own base URL (https:// where it needs TLS)`,
        options,
      );
    }
    const kind = kindOf(status, code);
    if (kind === "UNAVAILABLE") {
      // 429, 502-504 come here once the retries are spent; any other 5xx at once. With or without a problem body.
      return unavailable(call, status, text, attempts, undefined, undefined, problem);
    }
    if (problem === undefined) {
      return new ConfigurationError(
        `${what}: the server answered ${status} without a problem+json body: ${this.#baseUrl} does not look like a ` +
          "Lanonasis server's base URL (API v1)",
        options,
      );
    }
    if (kind === undefined) {
      return status === 405
        ? new ConfigurationError(
            `${what}: the server answered 405: it does not speak the API this client expects; check apiUrl ${this.#baseUrl}`,
            options,
          )
        : new LanonasisError(`${what}: the server answered ${status}${detail}`, options);
    }
    // The one switch from the kind to the error class (docs/errors.md); the problem's code and
    // members only choose among the classes of a kind and fill in their fields.
    switch (kind) {
      case "INVALID":
        if (code === "invalid_name" && call.key !== undefined) {
          return new InvalidInputError(`invalid secret name '${printable(call.key, 100)}'${detail}`, options);
        }
        if (status === 413) {
          return new InvalidInputError(`${what}: too large${detail}`, options);
        }
        if (status === 415) {
          return new InvalidInputError(`${what}: the server refused the content type (415)${detail}`, options);
        }
        return new InvalidInputError(`${what}: the server refused the request${detail}`, options);
      case "UNAUTHENTICATED":
        if (this.#apiKey === undefined) {
          return new AuthenticationError(
            `${what}: no API key was given (set apiKey or LANONASIS_API_KEY); the server answered 401${detail}`,
            options,
          );
        }
        return new AuthenticationError(
          `${what}: the server refused the API key ${this.keyHint} (unknown, malformed or revoked)${detail}`,
          options,
        );
      case "DENIED":
        return new AccessDeniedError(`${what}: the API key ${this.keyHint} may not do this${detail}`, options);
      case "NOT_FOUND":
        if (call.key !== undefined && (code === "not_found" || code === "expired")) {
          const expired = code === "expired" ? `; it expired${problem.expiresAt === undefined ? "" : ` at ${problem.expiresAt}`}` : "";
          return new SecretNotFoundError(call.key, `${what} not found${expired}`, options);
        }
        return new ConfigurationError(
          `${what}: the server answered 404 (${printable(problem.detail ?? "", 200)}): check that apiUrl ` +
            `${this.#baseUrl} is a Lanonasis server's base URL (API v1)`,
          options,
        );
      case "CONFLICT":
        if (code === "version_conflict" && call.key !== undefined) {
          const current = problem.currentVersion;
          const now = current === undefined ? "another version" : current === 0 ? "no secret (absent)" : `version ${current}`;
          const expected = call.expectedVersion === undefined ? "" : `expected version ${call.expectedVersion}, `;
          return new VersionConflictError(call.key, current, `${what}: ${expected}but the server holds ${now}`, options);
        }
        if (code === "secret_deleted" && call.key !== undefined) {
          return new SecretDeletedError(call.key, `${what} is deleted; restore it before writing to it`, options);
        }
        return new LanonasisError(`${what}: conflict (409)${detail}`, { ...options, kind: "CONFLICT" });
      case "GONE":
        if (code === "value_gone") {
          return new GoneError(
            `${what}: this value was sealed under a data keyset that was destroyed; it can never be read again (410)`,
            options,
          );
        }
        return new GoneError(
          `${what}: the tenant's data keyset was destroyed (crypto-shredded): its values are gone for good and ` +
            "nothing can be written until the operator re-provisions it (410)",
          options,
        );
      case "INTEGRITY":
        return new IntegrityError(`${what}: the server's store failed an integrity check (${status})${detail}`, options);
      case "CONFIGURATION":
        return new ConfigurationError(
          `${what}: the server's store is not usable as the server is set up (${status})${detail}`,
          options,
        );
    }
  }
}

/**
 * The kind of an error answer with a problem body (docs/errors.md, read backwards), or undefined
 * for a status API v1 does not answer with a problem (405 and the like). 413 and 415 are refused
 * input as 400 is; 429 and every 5xx but the two a store causes for good are `UNAVAILABLE`.
 */
export function kindOf(status: number, code: string | undefined): ErrorKind | undefined {
  if (status >= 500 && status <= 599) {
    return code === "integrity" ? "INTEGRITY" : code === "configuration" ? "CONFIGURATION" : "UNAVAILABLE";
  }
  switch (status) {
    case 400:
    case 413:
    case 415:
      return "INVALID";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 410:
      return "GONE";
    case 429:
      return "UNAVAILABLE";
    default:
      return undefined;
  }
}

interface Problem {
  detail?: string;
  code?: string;
  currentVersion?: number;
  expiresAt?: string;
}

/** The problem+json body, or undefined when the answer is not one (then nothing of it is ever quoted). */
function parseProblem(headers: Headers, text: string): Problem | undefined {
  const type = headers.get("content-type") ?? "";
  if (!/^application\/problem\+json\b/i.test(type)) {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== "object") {
    return undefined;
  }
  const o = json as Record<string, unknown>;
  const problem: Problem = {};
  if (typeof o["detail"] === "string") {
    problem.detail = printable(o["detail"], 200);
  }
  if (typeof o["code"] === "string" && /^[a-z_]{1,40}$/.test(o["code"])) {
    problem.code = o["code"];
  }
  if (typeof o["currentVersion"] === "number" && Number.isInteger(o["currentVersion"])) {
    problem.currentVersion = o["currentVersion"];
  }
  if (typeof o["expiresAt"] === "string") {
    problem.expiresAt = printable(o["expiresAt"], 40);
  }
  return problem;
}

function parseBody(call: Call, status: number, text: string): unknown {
  if (status === 204 || text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // Not quoted: a malformed answer to a read may hold a value.
    throw new UnavailableError(`${describe(call)}: the server's answer (${status}) is not valid JSON (malformed)`, {
      status,
      cause: e instanceof Error ? new Error(e.name) : undefined,
    });
  }
}

function unavailable(
  call: Call,
  status: number,
  text: string,
  attempts: number,
  retryAfterMs: number | undefined,
  why: string | undefined,
  problem?: Problem,
): UnavailableError {
  const p = problem ?? parseProblemText(text);
  const detail = p?.detail === undefined ? "" : `: ${p.detail}`;
  const maybe = !call.repeatable && status !== 429 ? "; the change may or may not have been made" : "";
  const reason = why === undefined ? "" : `; ${why}`;
  return new UnavailableError(`${describe(call)}: the server answered ${status}${detail}${tries(attempts)}${reason}${maybe}`, {
    status,
    code: p?.code,
    retryAfterMs,
  });
}

function parseProblemText(text: string): Problem | undefined {
  return parseProblem(new Headers({ "content-type": "application/problem+json" }), text);
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    return Number(v) * 1000;
  }
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The secret's name when the call is about one, else the method and path (never a query string). */
function describe(call: Call): string {
  if (call.key !== undefined) {
    const name = `secret '${printable(call.key, 256)}'`;
    return call.version === undefined ? name : `version ${call.version} of ${name}`;
  }
  return `${call.method} /api/v1/${call.path}`;
}

function tries(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : "";
}

/** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 4; cur = cur.cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]{2,40}$/.test(code)) {
      return code;
    }
  }
  return undefined;
}
