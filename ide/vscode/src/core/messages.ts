import {
  AccessDeniedError,
  AuthenticationError,
  ConfigurationError,
  InvalidInputError,
  LanonasisError,
  SecretNotFoundError,
  UnavailableError,
  VersionConflictError,
} from "@lanonasis/secrets-client";
import { NotReadyError } from "./client";

/**
 * What the user is told when an operation fails. Written here from the error's class and the
 * secret's name, never copied from an unknown error's message: whatever that message holds
 * (a value a lower layer quoted, a key in a URL) does not reach a notification or a log line.
 */
export function describeError(error: unknown, name?: string): string {
  const subject = name === undefined ? "" : ` '${name}'`;
  if (error instanceof NotReadyError) {
    return error.message;
  }
  if (error instanceof VersionConflictError) {
    const current = error.currentVersion === undefined ? "" : ` (it is now at version ${error.currentVersion})`;
    return `Version conflict: secret${subject} was changed by someone else${current}. Nothing was written; look again and retry.`;
  }
  if (error instanceof SecretNotFoundError) {
    return `Secret${subject} not found (it may have been deleted, or lie outside this key's prefix).`;
  }
  if (error instanceof AuthenticationError) {
    return "The server refused the API key (wrong, revoked or expired). Sign in again.";
  }
  if (error instanceof AccessDeniedError) {
    return `This API key may not do that${subject === "" ? "" : " to" + subject} (its role or prefix forbids it).`;
  }
  if (error instanceof InvalidInputError) {
    return `The server refused the request${subject === "" ? "" : " for" + subject}: invalid input${statusText(error)}.`;
  }
  if (error instanceof UnavailableError) {
    return `The Lanonasis server is unavailable or did not answer in time${statusText(error)}. Try again later.`;
  }
  if (error instanceof LanonasisError && error.code === "secret_deleted") {
    return `Secret${subject} is deleted: an administrator must restore it before it can be written.`;
  }
  if (error instanceof ConfigurationError) {
    return "The client configuration is not valid: check lanonasis.serverUrl (https://, or http:// only to a loopback address).";
  }
  if (error instanceof LanonasisError) {
    return `The Lanonasis server refused the request${statusText(error)}.`;
  }
  return "Unexpected error (details withheld because they could hold a value).";
}

function statusText(error: LanonasisError): string {
  const parts: string[] = [];
  if (error.status !== undefined) {
    parts.push(`HTTP ${error.status}`);
  }
  if (error.code !== undefined && /^[a-z_]{1,40}$/.test(error.code)) {
    parts.push(error.code);
  }
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}
