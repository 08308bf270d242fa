import { ConfigurationError } from "./errors.js";
import { apiKeyPublicForm, containsApiKey } from "./rules.js";

/** How to reach the server. Only `apiUrl` is required. */
export interface SecretManagerClientConfig {
  /**
   * The server's base URL, `https://host[:port][/path]`; the API lives under `<apiUrl>/api/v1`
   * (a URL that already ends in `/api/v1` or `/api/v1/secrets`, as the server prints it, is
   * accepted and cut back to the base). `http://` only to loopback (localhost, 127.0.0.0/8, ::1)
   * unless `allowInsecureHttp`. No user info, query or fragment: a key never comes from a URL.
   */
  apiUrl: string;
  /** The API key (`lns_...`), sent only as `Authorization: Bearer`. Without one every call fails with `AuthenticationError`. */
  apiKey?: string | undefined;
  /** Time for one attempt, connect to last byte, in milliseconds. Default 10,000; 1 to 600,000. */
  timeoutMs?: number | undefined;
  /** Further attempts of a request that is safe to repeat (reads, check-and-set writes). Default 2; 0 to 10. */
  maxRetries?: number | undefined;
  /** Plain `http://` to a host that is not loopback: the key and values then cross the network in clear. Default false. */
  allowInsecureHttp?: boolean | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 2;

/** The environment variables `fromEnvironment` reads, as every Lanonasis client tool does. */
export const ENV_URL = "LANONASIS_URL";
export const ENV_API_KEY = "LANONASIS_API_KEY";
export const ENV_INSECURE_NO_TLS = "LANONASIS_INSECURE_NO_TLS";

/** A settled configuration: the URL parsed and checked, numbers in range. */
export interface ResolvedConfig {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

const API_SUFFIX = /\/api\/v1(?:\/secrets)?$/;
/** A path reaching further into the API than its root: refused, never read as a secret name (as in the Java SDK). */
const INSIDE_API = /(?:^|\/)api\/v\d+(?:\/|$)/;

export function resolveConfig(config: SecretManagerClientConfig): ResolvedConfig {
  // The type rules this out for TypeScript callers only; a JavaScript caller may pass anything.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  if (config === null || typeof config !== "object") {
    throw new ConfigurationError("config must be an object with at least apiUrl");
  }
  const allowInsecureHttp = config.allowInsecureHttp ?? false;
  if (typeof allowInsecureHttp !== "boolean") {
    throw new ConfigurationError("allowInsecureHttp must be a boolean");
  }
  return {
    baseUrl: parseApiUrl(config.apiUrl, allowInsecureHttp),
    apiKey: checkApiKey(config.apiKey),
    timeoutMs: checkInteger("timeoutMs", config.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 600_000),
    maxRetries: checkInteger("maxRetries", config.maxRetries ?? DEFAULT_MAX_RETRIES, 0, 10),
  };
}

/**
 * The configuration from `LANONASIS_URL`, `LANONASIS_API_KEY` and `LANONASIS_INSECURE_NO_TLS`
 * (`true`/`false`), with `overrides` winning. An empty variable counts as not set.
 */
export function configFromEnvironment(
  env: Record<string, string | undefined>,
  overrides: Partial<SecretManagerClientConfig>,
): SecretManagerClientConfig {
  const setting = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const apiUrl = overrides.apiUrl ?? setting(ENV_URL);
  if (apiUrl === undefined) {
    throw new ConfigurationError(`${ENV_URL} is not set: give the server's URL, e.g. https://secrets.internal:8443`);
  }
  let insecure = false;
  const flag = setting(ENV_INSECURE_NO_TLS);
  if (flag !== undefined) {
    if (/^true$/i.test(flag)) {
      insecure = true;
    } else if (!/^false$/i.test(flag)) {
      throw new ConfigurationError(`${ENV_INSECURE_NO_TLS} must be true or false`);
    }
  }
  const config: SecretManagerClientConfig = { apiUrl, allowInsecureHttp: overrides.allowInsecureHttp ?? insecure };
  const apiKey = overrides.apiKey ?? setting(ENV_API_KEY);
  if (apiKey !== undefined) {
    config.apiKey = apiKey;
  }
  if (overrides.timeoutMs !== undefined) {
    config.timeoutMs = overrides.timeoutMs;
  }
  if (overrides.maxRetries !== undefined) {
    config.maxRetries = overrides.maxRetries;
  }
  return config;
}

/** The key's public id (`lns_<id>_***`), or `***`: all a message or `inspect` may show of a key. */
export function keyHint(apiKey: string | undefined): string {
  if (apiKey === undefined) {
    return "none";
  }
  return apiKeyPublicForm(apiKey);
}

function parseApiUrl(raw: unknown, allowInsecureHttp: boolean): string {
  if (typeof raw !== "string" || raw.trim() === "") {
    throw new ConfigurationError("apiUrl is required: the server's base URL, e.g. https://secrets.internal:8443");
  }
  const text = raw.trim();
  if (containsApiKey(text)) {
    // Not quoted: the URL holds what looks like an API key.
    throw new ConfigurationError(
      "apiUrl holds what looks like an API key (lns_...): a key is never taken from a URL, where it ends up in " +
        "logs and shell history. Pass it as apiKey or set LANONASIS_API_KEY, and treat that key as leaked: revoke it",
    );
  }
  if (!/^https?:\/\//i.test(text)) {
    throw new ConfigurationError(`apiUrl must start with https:// (or http:// for loopback): ${redactUrl(text)}`);
  }
  const authority = text.slice(text.indexOf("//") + 2).split(/[/?#]/, 1)[0] ?? "";
  if (authority.includes("@")) {
    throw new ConfigurationError(
      `apiUrl must not carry user info (${redactUrl(text)}): credentials are never taken from a URL. ` +
        "Pass the key as apiKey or set LANONASIS_API_KEY; if a key was in that URL, treat it as leaked and revoke it",
    );
  }
  if (text.includes("?")) {
    throw new ConfigurationError(
      `apiUrl must not carry a query string (${redactUrl(text)}): a key is never taken from a URL. ` +
        "Pass the key as apiKey or set LANONASIS_API_KEY; if a key was in that URL, treat it as leaked and revoke it",
    );
  }
  if (text.includes("#")) {
    throw new ConfigurationError(`apiUrl must not carry a fragment: ${redactUrl(text)}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(`apiUrl is not a valid URL: ${redactUrl(text)}`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `apiUrl ${redactUrl(text)} is plain http to a host that is not loopback: the API key and values would cross ` +
        "the network in clear. Use https://, or set allowInsecureHttp (LANONASIS_INSECURE_NO_TLS=true) if a " +
        "TLS-terminating proxy is on the same trusted network",
    );
  }
  const path = url.pathname.replace(/\/+$/, "").replace(API_SUFFIX, "");
  if (INSIDE_API.test(path)) {
    throw new ConfigurationError(
      `apiUrl ${redactUrl(text)} points inside the API: give the server's base URL (e.g. ` +
        "https://secrets.internal:8443, as the server prints it); the client adds /api/v1 itself",
    );
  }
  return url.origin + path;
}

/** Loopback by name, without a DNS lookup: localhost (and *.localhost), 127.0.0.0/8, ::1. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === "[::1]" ||
    h === "::1"
  );
}

/**
 * The URL for messages: the scheme and host (user info replaced), and whether more followed; the
 * path, query and fragment are never quoted (a pasted value or token may be there).
 */
function redactUrl(text: string): string {
  const m = /^(https?:\/\/)([^/?#]*)([\s\S]*)$/i.exec(text);
  if (m === null) {
    return "(not shown: no http(s) scheme)";
  }
  const authority = (m[2] ?? "").replace(/^[^@]*@/, "***@");
  const rest = m[3] ?? "";
  const more = rest === "" || rest === "/" ? rest : rest.startsWith("/") ? "/..." : `${rest[0]}***`;
  return printable(`${m[1]}${authority}${more}`, 200);
}

function checkApiKey(apiKey: unknown): string | undefined {
  if (apiKey === undefined || apiKey === null || apiKey === "") {
    return undefined;
  }
  if (typeof apiKey !== "string") {
    throw new ConfigurationError("apiKey must be a string (lns_...)");
  }
  // Never quoted, not even in part: whatever was passed may be a real key with a stray character.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigurationError(
      "apiKey must be printable ASCII without spaces or line breaks (it is sent in the Authorization header)",
    );
  }
  return apiKey;
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}: ${printable(String(value), 40)}`);
  }
  return value;
}

/** At most `max` characters of `text`, anything outside printable ASCII shown as '?'. */
export function printable(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(/[^\x20-\x7e]/g, "?");
}
