package com.lanonasis.secrets.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link com.lanonasis.secrets.SecretStores} hands a {@link SecretStoreProvider}: plain,
 * immutable data about the store the application asked for. It carries no keyring and no way back
 * into the facade: the provider describes its {@link Storage} and the facade does the rest
 * (keyring, encryption, cache).
 *
 * <pre>{@code
 * StoreRequest request = StoreRequest.of("jdbc:sqlite:app.db", "acme").withMaxValueBytes(1024);
 * }</pre>
 *
 * <p>Defaults: the process environment, values up to 64 KiB, no read cache. {@code toString} shows
 * the URI without user info or query, and no environment value. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class StoreRequest {
  /** The value limit of a request that names none: 64 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;

  private final String uri;
  private final String tenant;
  private final @Nullable Map<String, String> environment;
  private final int maxValueBytes;
  private final int cacheMaxEntries;

  private StoreRequest(
      String uri,
      String tenant,
      @Nullable Map<String, String> environment,
      int maxValueBytes,
      int cacheMaxEntries) {
    this.uri = uri;
    this.tenant = tenant;
    this.environment = environment;
    this.maxValueBytes = maxValueBytes;
    this.cacheMaxEntries = cacheMaxEntries;
  }

  /**
   * A request for {@code uri} and {@code tenant} (checked by the facade before a provider sees it),
   * with every other default; the process environment is read at lookup.
   */
  public static StoreRequest of(String uri, String tenant) {
    return new StoreRequest(
        Objects.requireNonNull(uri, "uri"),
        Objects.requireNonNull(tenant, "tenant"),
        null,
        DEFAULT_MAX_VALUE_BYTES,
        0);
  }

  /** This request reading settings from {@code environment} (copied) instead of the process's. */
  public StoreRequest withEnvironment(Map<String, String> environment) {
    return new StoreRequest(
        uri,
        tenant,
        Map.copyOf(Objects.requireNonNull(environment, "environment")),
        maxValueBytes,
        cacheMaxEntries);
  }

  /** This request with a value limit of {@code maxValueBytes} (at least 1). */
  public StoreRequest withMaxValueBytes(int maxValueBytes) {
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("maxValueBytes must be >= 1: " + maxValueBytes);
    }
    return new StoreRequest(uri, tenant, environment, maxValueBytes, cacheMaxEntries);
  }

  /**
   * This request noting that the facade will put a read cache of {@code maxEntries} (at least 1)
   * over the store, so that a remote store may keep that many ETags to revalidate with.
   */
  public StoreRequest withReadCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache maxEntries must be >= 1: " + maxEntries);
    }
    return new StoreRequest(uri, tenant, environment, maxValueBytes, maxEntries);
  }

  /** The store URI as given, for example {@code memory:} or {@code jdbc:h2:mem:x}. */
  public String uri() {
    return uri;
  }

  /** The tenant the store is scoped to. */
  public String tenant() {
    return tenant;
  }

  /**
   * A setting from the environment the application configured (by default the process environment),
   * such as {@code LANONASIS_DB_PASSWORD}. Blank values count as absent.
   */
  public Optional<String> environment(String name) {
    Objects.requireNonNull(name, "name");
    String v = (environment != null ? environment : System.getenv()).get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /**
   * The largest value the application accepts, in bytes; a remote store checks it before sending.
   */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** The bound on the facade's read cache over this store; 0 when the cache is off. */
  public int cacheMaxEntries() {
    return cacheMaxEntries;
  }

  @Override
  public String toString() {
    String shown = uri.replaceAll("//[^/@]*@", "//***@");
    int q = shown.indexOf('?');
    return "StoreRequest[uri="
        + (q >= 0 ? shown.substring(0, q) + "?***" : shown)
        + ", tenant="
        + tenant
        + "]";
  }
}
