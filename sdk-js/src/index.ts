/**
 * @lanonasis/secrets-client: a TypeScript client for the Lanonasis Secrets REST API (v1), with no
 * runtime dependency (Node's own fetch). See README.md.
 */
export { SecretManagerClient } from "./client.js";
export type {
  ListOptions,
  Page,
  PutOptions,
  Secret,
  SecretMetadata,
  SecretVersion,
  VersionInfo,
  Whoami,
} from "./client.js";
export type { SecretManagerClientConfig } from "./config.js";
export {
  AccessDeniedError,
  AuthenticationError,
  ConfigurationError,
  ERROR_KINDS,
  GoneError,
  IntegrityError,
  InvalidInputError,
  LanonasisError,
  SecretDeletedError,
  SecretNotFoundError,
  UnavailableError,
  VersionConflictError,
} from "./errors.js";
export type { ErrorKind, LanonasisErrorOptions } from "./errors.js";
export { checkName } from "./names.js";
export {
  API_KEY_PREFIX,
  apiKeyPublicForm,
  containsApiKey,
  DEFAULT_TENANT,
  isApiKey,
  isNameText,
  isValidName,
  isValidTenant,
  MAX_NAME_LENGTH,
  MAX_TENANT_LENGTH,
  NAME_RULE,
  redactApiKeys,
  TENANT_RULE,
} from "./rules.js";
