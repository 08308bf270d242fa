package com.lanonasis.secrets.http;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.Storage;
import com.lanonasis.secrets.spi.StoreRequest;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens a {@link SecretManagerClient} for {@code http://} and {@code https://} store URIs, so an
 * application moves from {@code jdbc:...} to a Lanonasis server by changing only the URI:
 *
 * <pre>{@code
 * // LANONASIS_API_KEY=lns_... in the environment
 * SecretStore store = SecretStores.builder()
 *     .uri("https://secrets.internal:8443")
 *     .cache(Duration.ofSeconds(30), 10_000)       // the facade's read cache, ETag revalidation below it
 *     .open();
 * }</pre>
 *
 * <ul>
 *   <li>The API key comes from {@code LANONASIS_API_KEY} (through {@link
 *       com.lanonasis.secrets.SecretStores.Builder#environment}, the process environment by
 *       default), never from the URI: a URI with user info or a query string is refused, and the
 *       message says to treat a key written there as leaked. To pass a key in code, build a {@link
 *       SecretManagerClient} with {@link SecretManagerClientConfig}.
 *   <li>{@code LANONASIS_TLS_CA_FILE} names a PEM bundle of certificate authorities to trust
 *       instead of the JDK's; {@code LANONASIS_INSECURE_NO_TLS=true} allows {@code http://} beyond
 *       loopback.
 *   <li>The builder's value limit applies; its keyring is not used (the server encrypts). Its read
 *       cache is the facade's, the same decorator as over a local store; with it on, the client
 *       keeps the values' ETags, so a read after an entry's time to live costs a 304 when the
 *       secret is unchanged. Its tenant, when set to anything but {@code default}, must be the
 *       key's tenant; otherwise the store's tenant is the key's.
 * </ul>
 *
 * @since 0.1
 */
public final class HttpSecretStoreProvider implements SecretStoreProvider {
  /** The tenant {@link com.lanonasis.secrets.SecretStores} asks for when none was set. */
  private static final String DEFAULT_TENANT = TenantId.DEFAULT;

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public Storage open(StoreRequest request) {
    SecretManagerClientConfig.Builder b = SecretManagerClientConfig.builder().apiUrl(request.uri());
    String key =
        request
            .environment(SecretManagerClientConfig.ENV_API_KEY)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "no API key for "
                            + SecretManagerClientConfig.redact(request.uri())
                            + ": set "
                            + SecretManagerClientConfig.ENV_API_KEY
                            + " (never put a key in the URI), or build a SecretManagerClient "
                            + "with SecretManagerClientConfig.builder().apiKey(...)"));
    try {
      b.apiKey(key);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          SecretManagerClientConfig.ENV_API_KEY + " is not usable: " + e.getMessage());
    }
    request
        .environment(SecretManagerClientConfig.ENV_TLS_CA_FILE)
        .ifPresent(f -> b.trustedCertificates(Path.of(f)));
    if (request
        .environment(SecretManagerClientConfig.ENV_INSECURE_NO_TLS)
        .map("true"::equalsIgnoreCase)
        .orElse(false)) {
      b.insecurePlainHttp();
    }
    if (request.cacheMaxEntries() > 0) {
      b.etagRevalidation(
          request.cacheMaxEntries()); // freshness is the facade's cache over the client
    }
    b.maxValueBytes(request.maxValueBytes());
    if (!request.tenant().equals(DEFAULT_TENANT)) {
      b.expectTenant(request.tenant());
    }
    return Storage.remote(new SecretManagerClient(b.build()));
  }

  @Override
  public String toString() {
    return "HttpSecretStoreProvider[http, https]";
  }
}
