/**
 * Not API: implementation classes of {@code secrets-api} that other Lanonasis modules may wire
 * together, with no compatibility promise. Applications use {@link com.lanonasis.secrets}; backend
 * authors {@link com.lanonasis.secrets.spi}. Nothing here may change in a minor release without
 * notice.
 *
 * <p>It holds the read cache, a {@link com.lanonasis.secrets.SecretStore} decorator ({@link
 * com.lanonasis.secrets.internal.CachingSecretStore}) that {@link
 * com.lanonasis.secrets.SecretStores} puts over any store, local or remote, and the narrow {@link
 * com.lanonasis.secrets.internal.CacheSource} through which a local store tells it what the {@code
 * SecretStore} interface does not say (a value's expiry, a change of the tenant's keyset).
 *
 * <h2>Dependencies between the api module's packages</h2>
 *
 * The root package ({@code com.lanonasis.secrets}) holds the application API and, package-private,
 * the crypto core ({@code EncryptedSecretStore}, {@code TenantKeyring}, {@code DataKeysets}); the
 * core stays there because it needs {@code MasterKeyring}'s package-private wrap/unwrap, whose Tink
 * types must not become public. {@code spi} uses the root's value types and {@code SecretStore};
 * the root's facade and crypto core use {@code spi}; {@code internal} uses the root's value types
 * and is used only by the facade. So the <em>packages</em> root and {@code spi} (and root and
 * {@code internal}) depend on each other, which cannot be avoided while {@code SecretStores} and
 * the value types share the root package. What holds, and {@code PackageCycleTest} checks on the
 * compiled classes: no cycle of <em>classes</em> crosses a package boundary (every strongly
 * connected set of classes lies in one package), no {@code spi} class depends on {@code
 * SecretStores}, the crypto core or {@code internal}, and no {@code internal} class depends on
 * {@code SecretStores}.
 */
package com.lanonasis.secrets.internal;
