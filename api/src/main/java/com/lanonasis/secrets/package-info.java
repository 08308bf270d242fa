/**
 * What applications use: {@link com.lanonasis.secrets.SecretStore}, opened by {@link
 * com.lanonasis.secrets.SecretStores}; the value types ({@link com.lanonasis.secrets.SecretValue},
 * {@link com.lanonasis.secrets.SecretName}, {@link com.lanonasis.secrets.SecretMetadata} ...); keys
 * ({@link com.lanonasis.secrets.MasterKeyring}, the handle; where it comes from, {@link
 * com.lanonasis.secrets.KeyringSources} with a {@link com.lanonasis.secrets.KeyringProtection} or
 * {@link com.lanonasis.secrets.DevelopmentKeyring}; its file formats, {@link
 * com.lanonasis.secrets.KeyringFile}; {@link com.lanonasis.secrets.TenantKeyManager}); and the
 * exception family under {@link com.lanonasis.secrets.SecretsException}.
 *
 * <p>Package-private classes here form the common encrypted layer that sits over every local
 * backend: {@code EncryptedSecretStore} (validation, versions, Tink envelope encryption) and {@code
 * TenantKeyring} (per-tenant data keys); they stay beside {@code MasterKeyring}, whose wrap/unwrap
 * they use; so do the keyring file codecs ({@code KeyringEnvelope}, the only keyring code that uses
 * Jackson, and one class per format). The read cache is a decorator in {@code
 * com.lanonasis.secrets.internal}. No Tink, Jackson or other third-party type appears in a public
 * signature.
 *
 * <p>Dependencies: this package uses {@code spi} (the facade and the encrypted layer) and {@code
 * internal} (the facade only); {@code spi} uses this package's value types. No cycle of classes
 * crosses a package boundary; see {@code com.lanonasis.secrets.internal} for exactly what holds.
 */
package com.lanonasis.secrets;
