// The shared input rules, the one TypeScript/JavaScript definition of each: the API key's shape and
// its redaction, the secret-name rule, the tenant rule and the default tenant. The server's Java
// twins are com.lanonasis.secrets.wire.ApiKeyFormat, SecretName and TenantId.
//
// This module imports nothing, so that its compiled form (dist/src/rules.js) runs as it is in a
// browser: the server's dashboard serves a copy of it as ui/client-rules.js (written by
// `npm run sync-dashboard` in sdk-js; sdk-js's test/rules.test.ts fails when the copy differs).
// Edit this file, never the copy.

/** What every API key starts with. */
export const API_KEY_PREFIX = "lns_";

/** A key, `lns_<id>_<secret>`: `id` is 16 lower-case hex digits (public), the secret URL-safe base64. */
const API_KEY = /lns_([0-9a-f]{16})_[A-Za-z0-9_-]+/;
const API_KEY_EVERYWHERE = new RegExp(API_KEY.source, "g");
const NAME_SEGMENT = /^[A-Za-z0-9._-]+$/;
const NAME_TEXT = /^[A-Za-z0-9._/-]*$/;
const TENANT = /^[A-Za-z0-9._-]+$/;

/** The longest secret name, in characters. */
export const MAX_NAME_LENGTH = 256;

/** The longest tenant id, in characters. */
export const MAX_TENANT_LENGTH = 64;

/** The tenant of a key created without one, and the server operator's tenant. */
export const DEFAULT_TENANT = "default";

/** The name rule in words, as the server says it. */
export const NAME_RULE = "segments of [A-Za-z0-9._-] joined by '/', 1 to 256 characters, no empty, '.' or '..' segment";

/** The tenant rule in words, as the server says it. */
export const TENANT_RULE = "1 to 64 characters of [A-Za-z0-9._-]";

/** Whether `text` is exactly one API key of the `lns_<id>_<secret>` shape. */
export function isApiKey(text: string): boolean {
  const m = API_KEY.exec(text);
  return m !== null && m.index === 0 && m[0].length === text.length;
}

/** Whether `text` holds an API key anywhere (a name, a URL, a message). */
export function containsApiKey(text: string): boolean {
  return API_KEY.test(text);
}

/** The key's public form `lns_<id>_***` when `key` has the key's shape, else `***`: all a message may show of a key. */
export function apiKeyPublicForm(key: string): string {
  const m = API_KEY.exec(key);
  const id = m?.[1];
  return m !== null && id !== undefined && m.index === 0 && m[0].length === key.length ? API_KEY_PREFIX + id + "_***" : "***";
}

/** `text` with every API key in it reduced to its public form `lns_<id>_***`. */
export function redactApiKeys(text: string): string {
  return text.replace(API_KEY_EVERYWHERE, API_KEY_PREFIX + "$1_***");
}

/** Whether `name` is a valid secret name: segments of `[A-Za-z0-9._-]` joined by `/`, 1 to 256 characters, no empty, `.` or `..` segment. */
export function isValidName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= MAX_NAME_LENGTH &&
    name.split("/").every((s) => NAME_SEGMENT.test(s) && s !== "." && s !== "..")
  );
}

/** Whether `text` is made of name characters only (`[A-Za-z0-9._-]` and `/`), at most 256: a name prefix or a part of a name. */
export function isNameText(text: string): boolean {
  return text.length <= MAX_NAME_LENGTH && NAME_TEXT.test(text);
}

/** Whether `tenant` is a valid tenant id: 1 to 64 characters of `[A-Za-z0-9._-]`. */
export function isValidTenant(tenant: string): boolean {
  return tenant.length >= 1 && tenant.length <= MAX_TENANT_LENGTH && TENANT.test(tenant);
}
