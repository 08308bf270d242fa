/**
 * The extension's settings as one immutable value, read through a getter so that this module
 * never imports the editor's API. The API key is deliberately not a setting: it lives in the
 * editor's SecretStorage only (see the adapter).
 */
export interface Settings {
  /** `lanonasis.serverUrl`, trimmed, without a trailing slash; empty when not configured. */
  readonly serverUrl: string;
  /** `lanonasis.defaultPrefix`, the root of the tree: empty, or a name prefix ending in `/`. */
  readonly defaultPrefix: string;
  /** `lanonasis.clipboardClearSeconds`: 0 never clears. Default 30. */
  readonly clipboardClearSeconds: number;
  /** `lanonasis.cliPath`: the command the MCP server is started with. Default `lanonasis`. */
  readonly cliPath: string;
}

export const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 30;
export const DEFAULT_CLI_PATH = "lanonasis";
const MAX_CLIPBOARD_CLEAR_SECONDS = 3600;

/** Reads one setting of the `lanonasis` section; answers undefined when it is not set. */
export type SettingGetter = (name: "serverUrl" | "defaultPrefix" | "clipboardClearSeconds" | "cliPath") => unknown;

/**
 * Builds the settings from a getter, replacing a missing or ill-typed value by its default
 * (a settings.json edited by hand can hold anything).
 */
export function readSettings(get: SettingGetter): Settings {
  const serverUrl = asString(get("serverUrl")).trim().replace(/\/+$/, "");
  return Object.freeze({
    serverUrl,
    defaultPrefix: normalizePrefix(asString(get("defaultPrefix"))),
    clipboardClearSeconds: clearSeconds(get("clipboardClearSeconds")),
    cliPath: asString(get("cliPath")).trim() || DEFAULT_CLI_PATH,
  });
}

/**
 * A tree root must be a whole name segment: `prod` is read as `prod/`, so that the tree shows
 * `prod/db` but not `production/db` (the server's prefix is a plain string prefix for listing).
 */
export function normalizePrefix(raw: string): string {
  const trimmed = raw.trim().replace(/^\/+/, "");
  if (trimmed === "") {
    return "";
  }
  return trimmed.endsWith("/") ? trimmed : trimmed + "/";
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function clearSeconds(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    return DEFAULT_CLIPBOARD_CLEAR_SECONDS;
  }
  return Math.min(Math.floor(value), MAX_CLIPBOARD_CLEAR_SECONDS);
}
