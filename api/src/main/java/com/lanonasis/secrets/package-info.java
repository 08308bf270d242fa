/**
 * What applications use: {@link com.lanonasis.secrets.SecretStore}, opened by
 * {@link com.lanonasis.secrets.SecretStores}; the value types ({@link com.lanonasis.secrets.SecretValue},
 * {@link com.lanonasis.secrets.SecretName}, {@link com.lanonasis.secrets.SecretMetadata} ...); keys
 * ({@link com.lanonasis.secrets.MasterKeyring}, the handle; where it comes from,
 * {@link com.lanonasis.secrets.KeyringSources} with a {@link com.lanonasis.secrets.KeyringProtection}
 * or {@link com.lanonasis.secrets.DevelopmentKeyring}; its file formats,
 * {@link com.lanonasis.secrets.KeyringFile}; {@link com.lanonasis.secrets.TenantKeyManager}); and
 * the exception family under {@link com.lanonasis.secrets.SecretsException}.
 *
 * <p>Package-private classes here form the common encrypted layer that sits over every local
 * backend: {@code EncryptedSecretStore} (validation, versions, Tink envelope encryption),
 * {@code TenantKeyring} (per-tenant data keys) and {@code ReadCache}; and the keyring file codecs
 * ({@code KeyringEnvelope}, the only keyring code that uses Jackson, and one class per format). No
 * Tink, Jackson or other third-party type appears in a public signature.
 */
package com.lanonasis.secrets;
