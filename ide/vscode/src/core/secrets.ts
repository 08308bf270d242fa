import type { Secret, SecretManagerClient, SecretVersion, VersionInfo } from "@lanonasis/secrets-client";
import { isValidName, MAX_NAME_LENGTH, SecretNotFoundError } from "@lanonasis/secrets-client";

/**
 * The per-secret operations behind the view's commands, over a client. Values pass through as
 * return values only: nothing here logs, keeps or formats them.
 */
export class SecretOperations {
  constructor(private readonly client: SecretManagerClient) {}

  /** The latest value, read when the user asks to copy or reveal it. */
  read(key: string): Promise<Secret> {
    return this.client.readSecret(key);
  }

  /**
   * The version a new value must replace: the current one, or 0 when the secret does not exist
   * yet. Read before the user types the value, so that a write by someone else in between is a
   * conflict instead of being silently overwritten.
   */
  async currentVersion(key: string): Promise<number> {
    try {
      return (await this.client.metadata(key)).version;
    } catch (error) {
      if (error instanceof SecretNotFoundError) {
        return 0;
      }
      throw error;
    }
  }

  /** Check-and-set: writes only if the secret is still at `expectedVersion` (VersionConflictError otherwise). */
  write(key: string, value: string, expectedVersion: number): Promise<VersionInfo> {
    return this.client.putSecret(key, value, { expectedVersion });
  }

  history(key: string): Promise<SecretVersion[]> {
    return this.client.listVersions(key);
  }

  delete(key: string): Promise<void> {
    return this.client.deleteSecret(key);
  }
}

/** The versions of a secret as one line each, newest first, for a read-only list; no value involved. */
export function historyLines(versions: readonly SecretVersion[]): string[] {
  return [...versions]
    .sort((a, b) => b.version - a.version)
    .map((v) => `v${v.version}  ${v.createdAt}${v.destroyed ? "  (destroyed)" : ""}`);
}

/** The status bar's text: the server's host and the signed-in key's id, never the key. */
export function statusText(serverUrl: string, keyId: string | undefined): string {
  const host = hostOf(serverUrl);
  if (host === undefined) {
    return "$(key) Lanonasis: no server";
  }
  return keyId === undefined ? `$(key) Lanonasis: ${host} (signed out)` : `$(key) Lanonasis: ${host} · ${keyId}`;
}

function hostOf(serverUrl: string): string | undefined {
  if (serverUrl === "") {
    return undefined;
  }
  try {
    return new URL(serverUrl).host;
  } catch {
    return undefined;
  }
}

/**
 * Why a name the user typed is not a valid secret name (the client's `isValidName`: segments of
 * `[A-Za-z0-9._-]` joined by `/`, 1–256 characters, no empty, `.` or `..` segment), or undefined
 * when it is. The server checks again; this only saves a round trip and gives a precise message.
 */
export function nameProblem(name: string): string | undefined {
  if (isValidName(name)) {
    return undefined;
  }
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    return `A name has 1 to ${MAX_NAME_LENGTH} characters.`;
  }
  if (name.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    return "A name is segments joined by '/', none of them empty, '.' or '..'.";
  }
  return "A name's segments hold only letters, digits, '.', '_' and '-'.";
}
