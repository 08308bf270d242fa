import { printable } from "./config.js";
import { InvalidInputError } from "./errors.js";

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const KEY_IN_NAME = /lns_[0-9a-f]{16}_[A-Za-z0-9_-]{8,}/i;

/** The server's rule, word for word, so a refusal reads the same on both sides. */
const RULE = "segments of [A-Za-z0-9._-] joined by '/', 1 to 256 characters, no empty, '.' or '..' segment";

/**
 * Checks a secret's name as the server does, before anything is sent: segments of
 * `[A-Za-z0-9._-]` joined by `/`, 1 to 256 characters, no empty, `.` or `..` segment.
 */
export function checkName(name: unknown): string {
  if (typeof name !== "string") {
    throw new InvalidInputError(`invalid secret name: a string is required, got ${name === null ? "null" : typeof name}`);
  }
  if (KEY_IN_NAME.test(name)) {
    // The server refuses these too; here the name never leaves the process, and is not quoted.
    throw new InvalidInputError(
      "invalid secret name: it holds what looks like an API key (lns_<id>_...), so it is neither sent nor shown; " +
        "if a key was pasted there, treat it as leaked and revoke it",
    );
  }
  const valid =
    name.length >= 1 &&
    name.length <= 256 &&
    name.split("/").every((s) => SEGMENT.test(s) && s !== "." && s !== "..");
  if (!valid) {
    throw new InvalidInputError(`invalid secret name '${printable(name, 100)}': ${RULE}`);
  }
  return name;
}

/** The name in a path: each segment percent-encoded, the '/' between them kept. */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
