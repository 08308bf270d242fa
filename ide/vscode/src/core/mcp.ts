import type { Settings } from "./settings";

/** What the editor needs to start `lanonasis mcp` on stdio. */
export interface McpStdioData {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Without the API key until `envWithApiKey`: the key is added only when the editor starts it. */
  readonly env: Readonly<Record<string, string>>;
  /** Changes when what the definition starts changes, so the editor restarts the server. */
  readonly version: string;
}

export const MCP_LABEL = "Lanonasis Secrets";

/**
 * The definition the provider lists: `<cliPath> mcp` with `LANONASIS_URL`. It carries no key:
 * providers' definitions can be listed (and shown) without starting anything, so the key is added
 * by `envWithApiKey` at resolve time, right before the editor starts the process.
 */
export function mcpStdioDefinition(settings: Settings): McpStdioData {
  const env: Record<string, string> = {};
  if (settings.serverUrl !== "") {
    env["LANONASIS_URL"] = settings.serverUrl;
  }
  return Object.freeze({
    label: MCP_LABEL,
    command: settings.cliPath,
    args: Object.freeze(["mcp"]),
    env: Object.freeze(env),
    version: versionOf(settings),
  });
}

/**
 * A definition's environment with `LANONASIS_API_KEY` added: the key SecretStorage holds, read at
 * resolve time. Whatever else the environment holds is kept.
 */
export function envWithApiKey<V>(env: Readonly<Record<string, V>>, apiKey: string): Record<string, V | string> {
  return { ...env, LANONASIS_API_KEY: apiKey };
}

function versionOf(settings: Settings): string {
  // Not the key: a sign-in with another key is announced by onDidChangeMcpServerDefinitions.
  return simpleHash(`${settings.cliPath}\u0000${settings.serverUrl}`);
}

function simpleHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

export type OtherIde = "cursor" | "windsurf";

/** Where each editor reads the snippet from, as `lanonasis mcp config --ide …` says. */
export const MCP_CONFIG_LOCATION: Readonly<Record<OtherIde, string>> = Object.freeze({
  cursor: "~/.cursor/mcp.json (every project) or .cursor/mcp.json (this project)",
  windsurf: "~/.codeium/windsurf/mcp_config.json",
});

/**
 * The MCP configuration file for Cursor or Windsurf (the same stdio entry; only the file's
 * location differs, see MCP_CONFIG_LOCATION), exactly as `lanonasis mcp config --ide
 * cursor|windsurf` prints it for the same server: the key is referenced as
 * `${env:LANONASIS_API_KEY}` (set in the environment the editor starts from), never written in.
 */
export function otherIdeMcpConfig(settings: Settings): string {
  const env: Record<string, string> = {};
  if (settings.serverUrl !== "") {
    env["LANONASIS_URL"] = settings.serverUrl;
  }
  env["LANONASIS_API_KEY"] = "${env:LANONASIS_API_KEY}";
  return prettyJson({ mcpServers: { lanonasis: { command: settings.cliPath, args: ["mcp"], env } } });
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * JSON in the layout the CLI's Jackson default pretty printer writes (`"key" : value`, arrays on
 * one line, two-space indent), so that the snippet is byte for byte what the CLI prints.
 */
export function prettyJson(value: Json, indent = ""): string {
  if (Array.isArray(value)) {
    const items = value as readonly Json[];
    return items.length === 0 ? "[ ]" : "[ " + items.map((v) => prettyJson(v, indent)).join(", ") + " ]";
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as { readonly [key: string]: Json });
    if (entries.length === 0) {
      return "{ }";
    }
    const inner = indent + "  ";
    return "{\n" + entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${prettyJson(v, inner)}`).join(",\n")
      + "\n" + indent + "}";
  }
  return JSON.stringify(value);
}
