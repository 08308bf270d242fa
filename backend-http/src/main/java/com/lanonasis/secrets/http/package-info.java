/**
 * The HTTP backend: {@link com.lanonasis.secrets.http.SecretManagerClient}, a {@link
 * com.lanonasis.secrets.SecretStore} over a Lanonasis server's REST API (v1), configured by {@link
 * com.lanonasis.secrets.http.SecretManagerClientConfig}, and the {@link
 * com.lanonasis.secrets.http.HttpSecretStoreProvider} that opens it for {@code http://} and {@code
 * https://} URIs; and {@link com.lanonasis.secrets.http.ApiKeyAdminClient}, the server's API-key
 * administration over the same transport.
 *
 * <p>Package-private classes are internals: {@code Transport} (OkHttp, timeouts, retries), {@code
 * WireFormat} (the API's JSON), {@code ErrorMapping} (HTTP answers to the api module's exceptions),
 * {@code EtagStore} (values kept with their ETags to revalidate with) and {@code PemTrust} (a
 * private certificate authority). OkHttp types appear only in the configuration, where an
 * application may hand over its own {@code OkHttpClient}.
 */
package com.lanonasis.secrets.http;
