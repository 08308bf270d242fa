package com.lanonasis.secrets.http;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import java.net.IDN;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link SecretManagerClient} reaches a Lanonasis server: the API's URL and key, timeouts,
 * retries, TLS trust and the optional ETag revalidation. Immutable and thread-safe; build one with
 * {@link #builder()} (or {@link #fromEnvironment()} for {@code LANONASIS_URL} and {@code
 * LANONASIS_API_KEY}).
 *
 * <pre>{@code
 * SecretManagerClientConfig config = SecretManagerClientConfig.builder()
 *     .apiUrl("https://secrets.internal:8443")
 *     .apiKey(System.getenv("LANONASIS_API_KEY"))
 *     .trustedCertificates(Path.of("/etc/ssl/private-ca.pem"))   // a private CA, if any
 *     .etagRevalidation(10_000)                                   // optional
 *     .build();
 * }</pre>
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>Connect timeout 10 seconds; call timeout (one attempt, from connect to the last byte read)
 *       30 seconds.
 *   <li>2 retries (3 attempts) with jittered exponential backoff starting at 100 ms and capped at 2
 *       s, for calls that are safe to repeat only (see {@link SecretManagerClient}); a {@code
 *       Retry-After} of up to 10 seconds is honoured.
 *   <li>No ETag revalidation. Values up to 64 KiB, checked before sending.
 *   <li>The key checked on connecting ({@code GET /api/v1/whoami} in the constructor); see {@link
 *       Builder#checkKeyOnConnect(boolean)}.
 *   <li>The JDK's trusted certificate authorities. Plain {@code http://} only to a loopback
 *       address, unless {@link Builder#insecurePlainHttp()}.
 * </ul>
 *
 * <p>The API key never appears in {@link #toString()}, a message or a log line: only its public id
 * ({@code lns_<id>_***}) when it has the {@code lns_} form, else {@code ***}.
 *
 * @since 0.1
 */
public final class SecretManagerClientConfig {
  /** The environment variable holding the API key. */
  public static final String ENV_API_KEY = "LANONASIS_API_KEY";

  /** The environment variable holding the server's URL, read by {@link #fromEnvironment()}. */
  public static final String ENV_URL = "LANONASIS_URL";

  /** The environment variable naming a PEM file of trusted certificate authorities. */
  public static final String ENV_TLS_CA_FILE = "LANONASIS_TLS_CA_FILE";

  /** The environment variable that, set to {@code true}, allows plain HTTP beyond loopback. */
  public static final String ENV_INSECURE_NO_TLS = "LANONASIS_INSECURE_NO_TLS";

  private static final Pattern API_VERSION = Pattern.compile("v[0-9]+");

  private final HttpUrl apiUrl;
  private final String apiKey;
  private final Duration connectTimeout;
  private final Duration callTimeout;
  private final int maxRetries;
  private final Duration retryBaseDelay;
  private final Duration retryMaxDelay;
  private final Duration maxRetryAfter;
  private final @Nullable OkHttpClient okHttpClient;
  private final List<X509Certificate> trustedCertificates;
  private final @Nullable String trustSource;
  private final int etagEntries;
  private final int maxValueBytes;
  private final @Nullable String expectedTenant;
  private final boolean insecurePlainHttp;
  private final boolean checkKeyOnConnect;

  private SecretManagerClientConfig(Builder b) {
    // build() refused a builder without them.
    this.apiUrl = Objects.requireNonNull(b.apiUrl, "apiUrl");
    this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
    this.connectTimeout = b.connectTimeout;
    this.callTimeout = b.callTimeout;
    this.maxRetries = b.maxRetries;
    this.retryBaseDelay = b.retryBaseDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.maxRetryAfter = b.maxRetryAfter;
    this.okHttpClient = b.okHttpClient;
    this.trustedCertificates = b.trustedCertificates;
    this.trustSource = b.trustSource;
    this.etagEntries = b.etagEntries;
    this.maxValueBytes = b.maxValueBytes;
    this.expectedTenant = b.expectedTenant;
    this.insecurePlainHttp = b.insecurePlainHttp;
    this.checkKeyOnConnect = b.checkKeyOnConnect;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with {@code LANONASIS_URL} and {@code LANONASIS_API_KEY} (and, when set, {@code
   * LANONASIS_TLS_CA_FILE} and {@code LANONASIS_INSECURE_NO_TLS}) from the process environment;
   * anything may still be changed before {@link Builder#build()}.
   */
  public static Builder fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} reading {@code environment} instead of the process's. */
  public static Builder fromEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    Builder b = builder();
    setting(environment, ENV_URL).ifPresent(b::apiUrl);
    setting(environment, ENV_API_KEY).ifPresent(b::apiKey);
    setting(environment, ENV_TLS_CA_FILE).ifPresent(f -> b.trustedCertificates(Path.of(f)));
    if (setting(environment, ENV_INSECURE_NO_TLS)
        .map(v -> v.equalsIgnoreCase("true"))
        .orElse(false)) {
      b.insecurePlainHttp();
    }
    return b;
  }

  private static Optional<String> setting(Map<String, String> environment, String name) {
    String v = environment.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * The server's base URL: as given, but a trailing {@code /api/v1} or {@code /api/v1/secrets} cut
   * off (any other path is kept: the API lives under it).
   */
  public String apiUrl() {
    return apiUrl.toString();
  }

  HttpUrl baseUrl() {
    return apiUrl;
  }

  /** The API key itself: handle with care. */
  String apiKey() {
    return apiKey;
  }

  /** The key's public id ({@code lns_<id>_***}), or {@code ***}: what messages may show. */
  public String apiKeyHint() {
    return keyHint(apiKey);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration callTimeout() {
    return callTimeout;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration retryBaseDelay() {
    return retryBaseDelay;
  }

  public Duration retryMaxDelay() {
    return retryMaxDelay;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * The caller's client, whose connection pool and dispatcher the store shares, if one was given.
   */
  public Optional<OkHttpClient> okHttpClient() {
    return Optional.ofNullable(okHttpClient);
  }

  /** The certificate authorities trusted instead of the JDK's, if any were given. */
  public List<X509Certificate> trustedCertificates() {
    return trustedCertificates;
  }

  /**
   * How many values the client keeps with their ETags to revalidate with; 0 (the default) when off.
   */
  public int etagEntries() {
    return etagEntries;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** The tenant the key must belong to, if the caller said. */
  public Optional<String> expectedTenant() {
    return Optional.ofNullable(expectedTenant);
  }

  public boolean isInsecurePlainHttp() {
    return insecurePlainHttp;
  }

  /**
   * Whether the client checks the key when it is made (the default), or when it first needs to (see
   * {@link Builder#checkKeyOnConnect(boolean)}).
   */
  public boolean checksKeyOnConnect() {
    return checkKeyOnConnect;
  }

  @Override
  public String toString() {
    return "SecretManagerClientConfig[apiUrl="
        + apiUrl
        + ", apiKey="
        + keyHint(apiKey)
        + ", connectTimeout="
        + connectTimeout
        + ", callTimeout="
        + callTimeout
        + ", maxRetries="
        + maxRetries
        + ", etags="
        + (etagEntries == 0 ? "off" : etagEntries)
        + (trustSource == null ? "" : ", trust=" + trustSource)
        + (okHttpClient == null ? "" : ", okHttpClient=caller's")
        + (insecurePlainHttp ? ", insecurePlainHttp" : "")
        + (checkKeyOnConnect ? "" : ", keyCheckedWhenNeeded")
        + "]";
  }

  static String keyHint(String key) {
    if (key == null) {
      return "(none)";
    }
    return ApiKeyFormat.publicForm(key);
  }

  /**
   * Builds a {@link SecretManagerClientConfig}. Each setter refuses a bad value at once, naming it
   * (never an API key); {@link #build()} checks the rules that span settings. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable HttpUrl apiUrl;
    private @Nullable String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);
    private int maxRetries = 2;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Duration retryMaxDelay = Duration.ofSeconds(2);
    private Duration maxRetryAfter = Duration.ofSeconds(10);
    private @Nullable OkHttpClient okHttpClient;
    private List<X509Certificate> trustedCertificates = List.of();
    private @Nullable String trustSource;
    private int etagEntries;
    private int maxValueBytes = SecretStores.DEFAULT_MAX_VALUE_BYTES;
    private @Nullable String expectedTenant;
    private boolean insecurePlainHttp;
    private boolean checkKeyOnConnect = true;

    private Builder() {}

    /**
     * The server's base URL, {@code https://host[:port][/path]} ({@code http://} for loopback, or
     * with {@link #insecurePlainHttp()}). It must not carry user info, a query or a fragment: an
     * API key is never accepted in a URL (URLs end up in logs, proxies and shell history). A path
     * ending in {@code /api/v1} or {@code /api/v1/secrets} (the API's own, as the server prints it)
     * is cut back to the base; a path further inside the API ({@code /api/v1/secrets/x}, {@code
     * /api/v2}) is refused rather than read as a secret name.
     *
     * @throws ConfigurationException when the URL is malformed, carries credentials or a query, or
     *     points inside the API
     */
    public Builder apiUrl(String apiUrl) {
      Objects.requireNonNull(apiUrl, "apiUrl");
      this.apiUrl = parseApiUrl(apiUrl);
      return this;
    }

    /**
     * The API key ({@code lns_...}), sent only in the {@code Authorization} header. Default: none
     * (required).
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      String key = apiKey.trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("apiKey is empty");
      }
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          throw new IllegalArgumentException(
              "apiKey has a character outside printable ASCII at index " + i);
        }
      }
      this.apiKey = key;
      return this;
    }

    /** Time to establish a connection (TCP and TLS): 1 ms to 10 minutes. Default 10 seconds. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          checkDuration("connectTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Time for one attempt of a call, from connecting to reading the last byte: 1 ms to 10 minutes.
     * Retries each get their own. Default 30 seconds.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout =
          checkDuration("callTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Retries after a failed attempt (0 to 10) of calls that are safe to repeat. Default 2. Backoff
     * before retry <i>n</i> (from 0) is random between 0 and {@code min(maxDelay, baseDelay * 2^n)}
     * ("full jitter"), or the server's {@code Retry-After} when that is longer.
     */
    public Builder retries(int maxRetries, Duration baseDelay, Duration maxDelay) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries out of range (0..10): " + maxRetries);
      }
      Duration base =
          checkDuration("retry baseDelay", baseDelay, Duration.ofMillis(1), Duration.ofMinutes(1));
      Duration max =
          checkDuration("retry maxDelay", maxDelay, Duration.ofMillis(1), Duration.ofMinutes(10));
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException("retry maxDelay " + max + " is below baseDelay " + base);
      }
      this.maxRetries = maxRetries;
      this.retryBaseDelay = base;
      this.retryMaxDelay = max;
      return this;
    }

    /**
     * The longest {@code Retry-After} (of a 429 or 503) the client waits for before retrying, 0 to
     * 10 minutes; a longer one fails the call at once with a retryable {@link
     * com.lanonasis.secrets.BackendUnavailableException} saying how long the server asked for.
     * Default 10 seconds.
     */
    public Builder maxRetryAfter(Duration max) {
      this.maxRetryAfter =
          checkDuration("maxRetryAfter", max, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    /**
     * The application's own OkHttp client: the store shares its connection pool and dispatcher
     * (through {@link OkHttpClient#newBuilder()}) and adds its own timeouts, trust and a rule not
     * to follow redirects. Its HTTP cache, if any, is not used for secrets. Default: a client of
     * the store's own, shut down at {@link SecretManagerClient#close()}.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Trust exactly the certificate authorities in this PEM file (one or more {@code -----BEGIN
     * CERTIFICATE-----} blocks) instead of the JDK's: for a private deployment whose server
     * certificate comes from an internal CA. Host names are still verified. The file is read now.
     *
     * @throws ConfigurationException when the file cannot be read or holds no certificate
     */
    public Builder trustedCertificates(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      this.trustedCertificates = PemTrust.readCertificates(pemFile);
      this.trustSource = pemFile.toString();
      return this;
    }

    /**
     * Trust exactly these certificate authorities instead of the JDK's; see {@link
     * #trustedCertificates(Path)}.
     */
    public Builder trustedCertificates(List<X509Certificate> certificates) {
      Objects.requireNonNull(certificates, "certificates");
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("trustedCertificates is empty");
      }
      certificates.forEach(c -> Objects.requireNonNull(c, "certificate"));
      this.trustedCertificates = List.copyOf(certificates);
      this.trustSource = certificates.size() + " certificate(s)";
      return this;
    }

    /**
     * Turns on ETag revalidation: the client keeps up to {@code maxEntries} values (1 to 1,000,000)
     * with the {@code ETag} the server sent, and sends it with every read of that value as {@code
     * If-None-Match}: an unchanged secret costs a 304 without the value, a changed one a 200 with
     * it. Every read still asks the server, so nothing is ever stale. For values served from
     * memory, put the facade's read cache over the client: {@code
     * SecretStores.builder().remoteStore(client).cache(ttl, maxEntries)}. Off by default.
     */
    public Builder etagRevalidation(int maxEntries) {
      if (maxEntries < 1 || maxEntries > 1_000_000) {
        throw new IllegalArgumentException(
            "etag maxEntries out of range (1..1000000): " + maxEntries);
      }
      this.etagEntries = maxEntries;
      return this;
    }

    /**
     * The largest value sent, in bytes: 1 to 1 MiB; a larger one is refused with {@link
     * com.lanonasis.secrets.SecretTooLargeException} before any request. The server keeps its own
     * limit (64 KiB by default) and refuses beyond it. Default 64 KiB.
     */
    public Builder maxValueBytes(int maxValueBytes) {
      if (maxValueBytes < 1 || maxValueBytes > SecretStores.MAX_MAX_VALUE_BYTES) {
        throw new IllegalArgumentException(
            "maxValueBytes out of range (1.."
                + SecretStores.MAX_MAX_VALUE_BYTES
                + "): "
                + maxValueBytes);
      }
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /**
     * The tenant the API key must belong to; the client refuses to open otherwise. Default: the
     * key's own tenant, whatever it is (a key belongs to exactly one).
     */
    public Builder expectTenant(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (!TenantId.isValid(tenant)) {
        throw new IllegalArgumentException("tenant must be 1 to 64 of [A-Za-z0-9._-]");
      }
      this.expectedTenant = tenant;
      return this;
    }

    /**
     * Allows {@code http://} to a host that is not a loopback address: the API key and every value
     * then cross the network in clear text. Only behind a TLS-terminating proxy on the same host,
     * or on a network you fully trust. Off by default.
     */
    public Builder insecurePlainHttp() {
      this.insecurePlainHttp = true;
      return this;
    }

    /**
     * Whether the {@link SecretManagerClient} constructor checks the key with {@code GET
     * /api/v1/whoami}, so that a wrong URL, an untrusted certificate or a refused key fails there
     * (the default, {@code true}). With {@code false} the constructor sends nothing and a process
     * that makes one read saves a round trip (the {@code lanonasis} CLI's one-shot commands); the
     * client then asks {@code whoami} when it first needs to:
     *
     * <ul>
     *   <li>for the key's identity ({@link SecretManagerClient#tenant()}, {@code keyId()}, {@code
     *       role()}, {@code namePrefix()});
     *   <li>before the first request that changes something (a write, a delete, a restore, a
     *       destroy, new attributes), so a value or a change goes only to a server that answered as
     *       a Lanonasis server for this key; reads ({@code get}, {@code list}, metadata, versions)
     *       go straight;
     *   <li>after a read that fails while the key is unchecked: the read then throws what the check
     *       throws if the check fails (a refused key, a URL that is not a Lanonasis server: the
     *       same exception and message as the constructor would have thrown), else its own failure.
     *       A server that did not answer at all is not asked twice: that read's {@link
     *       com.lanonasis.secrets.BackendUnavailableException} names the read.
     * </ul>
     *
     * Refused with {@link #expectTenant(String)}, whose check belongs before any request.
     */
    public Builder checkKeyOnConnect(boolean check) {
      this.checkKeyOnConnect = check;
      return this;
    }

    /** Checks the settings that span fields and builds the immutable configuration. */
    public SecretManagerClientConfig build() {
      if (apiUrl == null) {
        throw new IllegalStateException(
            "apiUrl is not set (or set " + ENV_URL + " and use fromEnvironment())");
      }
      if (apiKey == null) {
        throw new IllegalStateException(
            "apiKey is not set: pass it to apiKey(...) or set " + ENV_API_KEY);
      }
      if (!checkKeyOnConnect && expectedTenant != null) {
        throw new IllegalStateException(
            "expectTenant needs the key checked on connecting: drop checkKeyOnConnect(false)");
      }
      if (!apiUrl.isHttps()) {
        if (!trustedCertificates.isEmpty()) {
          throw new IllegalStateException(
              "trustedCertificates are set but apiUrl is plain http: use https://");
        }
        if (!insecurePlainHttp && !isLoopback(apiUrl.host())) {
          throw new ConfigurationException(
              "apiUrl "
                  + apiUrl
                  + " is plain http to a host that is not loopback: "
                  + "the API key and values would cross the network in clear text. Use https://, or accept the "
                  + "risk with insecurePlainHttp() ("
                  + ENV_INSECURE_NO_TLS
                  + "=true)");
        }
      }
      return new SecretManagerClientConfig(this);
    }

    private static Duration checkDuration(String what, Duration d, Duration min, Duration max) {
      Objects.requireNonNull(d, what);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " out of range (" + min + ".." + max + "): " + d);
      }
      return d;
    }
  }

  /** Parses and checks a base URL; refuses anything that could carry a credential. */
  static HttpUrl parseApiUrl(String raw) {
    String text = raw.trim();
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      throw new ConfigurationException(
          "apiUrl must start with https:// (or http:// for loopback): " + redact(text));
    }
    HttpUrl url = HttpUrl.parse(text);
    if (url == null) {
      throw new ConfigurationException("apiUrl is not a valid URL: " + redact(text));
    }
    if (!url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
      throw new ConfigurationException(
          "apiUrl must not carry user info ("
              + redact(text)
              + "): credentials are "
              + "never taken from a URL. Pass the API key to SecretManagerClientConfig.builder().apiKey(...) or set "
              + ENV_API_KEY
              + "; if a key was in that URL, treat it as leaked and revoke it");
    }
    if (url.encodedQuery() != null) {
      throw new ConfigurationException(
          "apiUrl must not carry a query string ("
              + redact(text)
              + "): an API key is "
              + "never taken from a URL, where it would end up in logs and shell history. Pass it to "
              + "SecretManagerClientConfig.builder().apiKey(...) or set "
              + ENV_API_KEY
              + "; if a key was in that URL, treat it as leaked and revoke it");
    }
    if (url.encodedFragment() != null) {
      throw new ConfigurationException("apiUrl must not carry a fragment: " + redact(text));
    }
    return baseOf(url, text);
  }

  /**
   * The server's base URL: a path ending in {@code /api/v1} or {@code /api/v1/secrets} (as the
   * server prints its API) is cut back to what precedes it, so that a pasted API URL is never read
   * as a secret name; a path reaching further into the API is refused. Any other path is a prefix
   * (a reverse proxy's) and kept. sdk-js applies the same rule.
   */
  private static HttpUrl baseOf(HttpUrl url, String text) {
    List<String> segments = new ArrayList<>(url.encodedPathSegments());
    while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
      segments.remove(segments.size() - 1);
    }
    int n = segments.size();
    if (n >= 3 && segments.subList(n - 3, n).equals(List.of("api", "v1", "secrets"))) {
      segments = segments.subList(0, n - 3);
    } else if (n >= 2 && segments.subList(n - 2, n).equals(List.of("api", "v1"))) {
      segments = segments.subList(0, n - 2);
    }
    for (int i = 0; i + 1 < segments.size(); i++) {
      if (segments.get(i).equals("api") && API_VERSION.matcher(segments.get(i + 1)).matches()) {
        throw new ConfigurationException(
            "apiUrl "
                + redact(text)
                + " points inside the API: give the server's "
                + "base URL (e.g. https://secrets.internal:8443, as the server prints it); the client adds /api/v1 itself");
      }
    }
    return url.newBuilder().encodedPath("/" + String.join("/", segments)).build();
  }

  /**
   * The URL for messages: user info and everything from '?' or '#' on replaced, as SecretStores
   * does.
   */
  static String redact(String uri) {
    String out = uri.replaceAll("//[^/@]*@", "//***@");
    int cut = indexOfAny(out, '?', '#');
    out = cut >= 0 ? out.substring(0, cut) + out.charAt(cut) + "***" : out;
    StringBuilder printable = new StringBuilder();
    for (int i = 0; i < out.length() && i < 200; i++) {
      char c = out.charAt(i);
      printable.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return printable.toString();
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  /** Loopback by name, without a DNS lookup: localhost, 127.0.0.0/8, ::1. */
  static boolean isLoopback(String host) {
    String h = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.matches("127(\\.\\d{1,3}){3}")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
