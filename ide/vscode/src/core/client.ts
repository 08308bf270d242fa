import { isApiKey, SecretManagerClient, type Whoami } from "@lanonasis/secrets-client";
import type { Settings } from "./settings";

/** The user has not configured `lanonasis.serverUrl`, or has not signed in. */
export class NotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotReadyError";
  }
}

/** Keys look like `lns_<16 hex>_<base64url>` (the client's rule); checked before a key is ever sent anywhere. */
export function looksLikeApiKey(candidate: string): boolean {
  return isApiKey(candidate.trim());
}

/**
 * The one place a client is made: from the settings and the key SecretStorage holds. Nothing is
 * cached here, so a changed setting or a sign-out takes effect on the next call.
 */
export function createClient(settings: Settings, apiKey: string | undefined): SecretManagerClient {
  if (settings.serverUrl === "") {
    throw new NotReadyError("Set lanonasis.serverUrl to your Lanonasis server first.");
  }
  if (apiKey === undefined || apiKey === "") {
    throw new NotReadyError("Not signed in: run 'Lanonasis: Sign in with API key'.");
  }
  return new SecretManagerClient({ apiUrl: settings.serverUrl, apiKey });
}

/**
 * Checks a key the user typed against the server before anything keeps it: answers who the key
 * is, or throws (AuthenticationError for a wrong or revoked key).
 */
export async function verifyApiKey(settings: Settings, apiKey: string): Promise<Whoami> {
  if (!looksLikeApiKey(apiKey)) {
    throw new NotReadyError("That is not a Lanonasis API key (they look like lns_<id>_<secret>).");
  }
  return createClient(settings, apiKey.trim()).whoami();
}
