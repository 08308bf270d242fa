/**
 * What applications use: {@link com.lanonasis.secrets.SecretStore}, opened by
 * {@link com.lanonasis.secrets.SecretStores}; the value types ({@link com.lanonasis.secrets.SecretValue},
 * {@link com.lanonasis.secrets.SecretName}, {@link com.lanonasis.secrets.SecretMetadata} ...); keys
 * ({@link com.lanonasis.secrets.MasterKeyring}, {@link com.lanonasis.secrets.TenantKeyManager}); and
 * the exception family under {@link com.lanonasis.secrets.SecretsException}.
 *
 * <p>Package-private classes here form the common encrypted layer that sits over every local
 * backend: {@code EncryptedSecretStore} (validation, versions, Tink envelope encryption),
 * {@code TenantKeyring} (per-tenant data keys) and {@code ReadCache}. No Tink, Jackson or other
 * third-party type appears in a public signature.
 */
package com.lanonasis.secrets;
