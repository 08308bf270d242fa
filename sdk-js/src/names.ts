import { printable } from "./config.js";
import { InvalidInputError } from "./errors.js";
import { containsApiKey, isValidName, NAME_RULE } from "./rules.js";

/**
 * Checks a secret's name as the server does, before anything is sent: segments of
 * `[A-Za-z0-9._-]` joined by `/`, 1 to 256 characters, no empty, `.` or `..` segment.
 */
export function checkName(name: unknown): string {
  if (typeof name !== "string") {
    throw new InvalidInputError(`invalid secret name: a string is required, got ${name === null ? "null" : typeof name}`);
  }
  if (containsApiKey(name)) {
    // The server refuses these too; here the name never leaves the process, and is not quoted.
    throw new InvalidInputError(
      "invalid secret name: it holds what looks like an API key (lns_<id>_...), so it is neither sent nor shown; " +
        "if a key was pasted there, treat it as leaked and revoke it",
    );
  }
  if (!isValidName(name)) {
    // The server's rule, word for word, so a refusal reads the same on both sides.
    throw new InvalidInputError(`invalid secret name '${printable(name, 100)}': ${NAME_RULE}`);
  }
  return name;
}

/** The name in a path: each segment percent-encoded, the '/' between them kept. */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
