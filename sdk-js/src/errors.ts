/**
 * The errors of @lanonasis/secrets-client: a small closed family under {@link LanonasisError}.
 *
 * A message names the setting or the secret's name; it never holds a secret value or an API key
 * (at most the key's public id, `lns_<id>_***`). `status` is the HTTP status when the server
 * answered, `code` the server's machine-readable problem code when it sent one
 * (server/README.md, "Errors").
 *
 * Every error has a `kind`, the same nine as the Java library's `SecretsException.Kind`, and
 * each class has exactly one (docs/errors.md is the table of kind, status and class). Code that
 * must react to a failure can switch over `err.kind` instead of testing classes.
 */

/** The kinds of failure, as docs/errors.md lists them; `UNAVAILABLE` is the only one worth retrying unchanged. */
export const ERROR_KINDS = [
  "NOT_FOUND",
  "CONFLICT",
  "GONE",
  "INVALID",
  "DENIED",
  "UNAUTHENTICATED",
  "UNAVAILABLE",
  "INTEGRITY",
  "CONFIGURATION",
] as const;

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What every error class accepts besides its message. */
export interface LanonasisErrorOptions {
  status?: number | undefined;
  code?: string | undefined;
  cause?: unknown;
  /** Only for a {@link LanonasisError} itself (a 409 of no known code): its subclasses each have their own. */
  kind?: ErrorKind | undefined;
}

/** The root of every error this package throws on purpose. */
export class LanonasisError extends Error {
  /** The HTTP status the server answered, when it answered. */
  declare readonly status?: number;
  /** The server's problem `code` (`not_found`, `version_conflict`, `keyset_destroyed`, ...), when it sent one. */
  declare readonly code?: string;
  /** What kind of failure this is (docs/errors.md). */
  readonly kind: ErrorKind;

  constructor(message: string, options: LanonasisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // The class name, so that `err.name` and the first line of the stack say which error it is.
    Object.defineProperty(this, "name", { value: new.target.name, enumerable: false, configurable: true, writable: true });
    if (options.status !== undefined) {
      this.status = options.status;
    }
    if (options.code !== undefined) {
      this.code = options.code;
    }
    this.kind = options.kind ?? "CONFIGURATION";
  }

  /** Whether the same call later may succeed unchanged: exactly when `kind` is `UNAVAILABLE`. */
  get retryable(): boolean {
    return this.kind === "UNAVAILABLE";
  }
}

/** A setting is wrong (URL, key form, timeout), or the server is not the API this client speaks. */
export class ConfigurationError extends LanonasisError {
  override readonly kind = "CONFIGURATION";
}

/** The secret (or the asked version of it) does not exist, is deleted, expired, or is invisible to the key. */
export class SecretNotFoundError extends LanonasisError {
  override readonly kind = "NOT_FOUND";
  readonly key: string;

  constructor(key: string, message: string, options: LanonasisErrorOptions = {}) {
    super(message, options);
    this.key = key;
  }
}

/** A check-and-set write (`expectedVersion`) met another version; `currentVersion` is 0 when the secret is absent. */
export class VersionConflictError extends LanonasisError {
  override readonly kind = "CONFLICT";
  readonly key: string;
  declare readonly currentVersion?: number;

  constructor(key: string, currentVersion: number | undefined, message: string, options: LanonasisErrorOptions = {}) {
    super(message, options);
    this.key = key;
    if (currentVersion !== undefined) {
      this.currentVersion = currentVersion;
    }
  }
}

/**
 * A write to a secret that is soft-deleted (409 `secret_deleted`): restore it first. Not part of
 * the original contract; it is a {@link LanonasisError} like the others.
 */
export class SecretDeletedError extends LanonasisError {
  override readonly kind = "CONFLICT";
  readonly key: string;

  constructor(key: string, message: string, options: LanonasisErrorOptions = {}) {
    super(message, options);
    this.key = key;
  }
}

/** 401: no key, or a malformed, unknown or revoked one. */
export class AuthenticationError extends LanonasisError {
  override readonly kind = "UNAUTHENTICATED";
}

/** 403: the key is valid but may not do this (a read-only key writing, a non-admin on admin routes). */
export class AccessDeniedError extends LanonasisError {
  override readonly kind = "DENIED";
}

/** 400, 413, 415, or refused before sending (a bad name, version, limit, value type). */
export class InvalidInputError extends LanonasisError {
  override readonly kind = "INVALID";
}

/**
 * 410: gone for good, as no retry or restore brings back: the tenant's data keyset was destroyed
 * (crypto-shredded, `code` `keyset_destroyed`), or the data key that sealed this version is gone
 * (`value_gone`).
 */
export class GoneError extends LanonasisError {
  override readonly kind = "GONE";
}

/** 500 `integrity`: the server's store failed an integrity check (damaged data, a keyset that does not open it). */
export class IntegrityError extends LanonasisError {
  override readonly kind = "INTEGRITY";
}

/** 429, 5xx, a timeout or a network failure; `retryAfterMs` when the server asked to wait. */
export class UnavailableError extends LanonasisError {
  override readonly kind = "UNAVAILABLE";
  declare readonly retryAfterMs?: number;

  constructor(message: string, options: LanonasisErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(message, options);
    if (options.retryAfterMs !== undefined) {
      this.retryAfterMs = options.retryAfterMs;
    }
  }
}
