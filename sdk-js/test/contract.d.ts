// The contract the VS Code extension is written against (copied as given); contract.test.ts checks
// at compile time that src/index.ts satisfies it. Type declarations only: nothing here runs.
// Contract of @lanonasis/secrets-client (sdk-js/src/index.ts exports exactly these; more is fine).
export interface SecretManagerClientConfig {
  apiUrl: string;               // https://host[:port][/path]; http:// only to loopback unless allowInsecureHttp
  apiKey?: string;              // lns_...; optional so that a key-less client can be built (calls then fail with AuthenticationError)
  timeoutMs?: number;           // per attempt, default 10_000
  maxRetries?: number;          // default 2, only for safe requests (see README)
  allowInsecureHttp?: boolean;  // plain http beyond loopback (LANONASIS_INSECURE_NO_TLS=true)
}
export interface VersionInfo { key: string; version: number; createdAt: string; }
export interface Secret { key: string; value: string; version: number; createdAt: string; }
export interface SecretMetadata {
  key: string; version: number; createdAt: string; updatedAt: string;
  description?: string; labels?: Record<string, string>; expiresAt?: string;
}
export interface SecretVersion { version: number; createdAt: string; destroyed: boolean; }
export interface Page<T> { items: T[]; nextCursor?: string; }
export interface Whoami { keyId: string; tenant: string; role: "ADMIN" | "READ_WRITE" | "READ_ONLY"; prefix: string; }
export interface PutOptions { expectedVersion?: number; description?: string; labels?: Record<string, string>; }
export interface ListOptions { prefix?: string; limit?: number; cursor?: string; }

export class SecretManagerClient {
  constructor(config: SecretManagerClientConfig);
  /** LANONASIS_URL, LANONASIS_API_KEY, LANONASIS_INSECURE_NO_TLS from env (default process.env). */
  static fromEnvironment(env?: Record<string, string | undefined>, overrides?: Partial<SecretManagerClientConfig>): SecretManagerClient;
  readonly apiUrl: string;
  /** The original design's interface. */
  setSecret(key: string, value: string): Promise<void>;
  getSecret(key: string): Promise<string | null>;        // null when the secret does not exist (404)
  /** The rest of the REST API users need. */
  putSecret(key: string, value: string, options?: PutOptions): Promise<VersionInfo>;
  readSecret(key: string, options?: { version?: number }): Promise<Secret>;   // throws SecretNotFoundError
  listSecrets(options?: ListOptions): Promise<Page<SecretMetadata>>;
  listVersions(key: string): Promise<SecretVersion[]>;
  metadata(key: string): Promise<SecretMetadata>;
  deleteSecret(key: string): Promise<void>;
  restoreSecret(key: string): Promise<void>;
  whoami(): Promise<Whoami>;
}
// Errors: a small closed family; message never holds a value or a key.
export class LanonasisError extends Error { readonly status?: number; readonly code?: string; }
export class ConfigurationError extends LanonasisError {}
export class SecretNotFoundError extends LanonasisError { readonly key: string; }
export class VersionConflictError extends LanonasisError { readonly key: string; readonly currentVersion?: number; }
export class AuthenticationError extends LanonasisError {}   // 401
export class AccessDeniedError extends LanonasisError {}     // 403
export class InvalidInputError extends LanonasisError {}     // 400, 413, 415, client-side validation
export class UnavailableError extends LanonasisError { readonly retryAfterMs?: number; }  // 429, 5xx, timeout, network
