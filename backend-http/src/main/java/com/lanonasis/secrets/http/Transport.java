package com.lanonasis.secrets.http;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange with the server, retried when that is safe: the OkHttp client, the {@code
 * Authorization} header, timeouts, jittered exponential backoff and {@code Retry-After}.
 *
 * <p>What is retried:
 *
 * <ul>
 *   <li>{@link Safety#REPEATABLE} calls (reads, and check-and-set writes, which cannot apply
 *       twice): after any I/O failure (timeout, reset, refused connection) and after 429, 502, 503,
 *       504.
 *   <li>{@link Safety#ONCE} calls (unconditional writes, deletes...): only when the request
 *       certainly never reached the server: a refused connection, an unknown host, or a 429 (the
 *       server throttles before it does anything). Their bodies are one-shot, so OkHttp's own
 *       silent retry on a failed connection does not repeat them either once sent.
 * </ul>
 *
 * <p>Nothing here logs a header, a body or a query string; debug lines name the method and path.
 */
final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  static final MediaType JSON = MediaType.get("application/json");

  /** More than any answer of API v1 can hold (1000 list items with full attributes). */
  static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

  private static final String USER_AGENT = "lanonasis-secrets-java/0.1";

  enum Safety {
    /** Safe to send again whatever happened to an earlier attempt. */
    REPEATABLE,
    /** Must not be applied twice: sent again only if it certainly never reached the server. */
    ONCE
  }

  /**
   * A response read whole: status, the headers the client uses, and the body (wipe it when done).
   */
  // The body is an array so that wipe() can clear it; replies are never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Reply(
      int status,
      Optional<String> etag,
      Optional<String> contentType,
      Optional<Duration> retryAfter,
      byte[] body,
      int attempts) {
    void wipe() {
      Arrays.fill(body, (byte) 0);
    }

    boolean isProblem() {
      return contentType.map(t -> t.startsWith("application/problem+json")).orElse(false);
    }
  }

  /** A JSON request body held in a buffer the caller wipes after the call. */
  static final class Body extends RequestBody {
    private final byte[] bytes;
    private final int length;
    private final boolean oneShot;

    Body(byte[] bytes, int length, boolean oneShot) {
      this.bytes = bytes;
      this.length = length;
      this.oneShot = oneShot;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(bytes, 0, length);
    }

    /** One-shot bodies are never sent twice by OkHttp's own recovery. */
    @Override
    public boolean isOneShot() {
      return oneShot;
    }

    void wipe() {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private final OkHttpClient client;
  private final boolean ownsClient;
  private final HttpUrl base;
  private final String authorization;
  private final int maxRetries;
  private final long baseDelayMillis;
  private final long maxDelayMillis;
  private final Duration maxRetryAfter;

  Transport(SecretManagerClientConfig config) {
    OkHttpClient.Builder b =
        config.okHttpClient().map(OkHttpClient::newBuilder).orElseGet(OkHttpClient.Builder::new);
    b.connectTimeout(config.connectTimeout())
        .readTimeout(config.callTimeout())
        .writeTimeout(config.callTimeout())
        .callTimeout(config.callTimeout())
        // A redirect would carry the key and a write's body to another address: refuse instead.
        .followRedirects(false)
        .followSslRedirects(false)
        // Values are never written to an HTTP disk cache, even when the caller's client has one.
        .cache(null);
    if (!config.trustedCertificates().isEmpty()) {
      X509TrustManager trust = PemTrust.trustManager(config.trustedCertificates());
      b.sslSocketFactory(PemTrust.sslContext(trust).getSocketFactory(), trust);
    }
    if (!config.baseUrl().isHttps()) {
      // Plain http (loopback, or allowed by insecureNoTls): no TLS is ever spoken, since redirects
      // are
      // refused, and a client without a TLS spec skips loading the JDK's trust store, a large part
      // of
      // a short command's start-up.
      b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    }
    this.client = b.build();
    this.ownsClient = config.okHttpClient().isEmpty();
    this.base = config.baseUrl();
    this.authorization = "Bearer " + config.apiKey();
    this.maxRetries = config.maxRetries();
    this.baseDelayMillis = config.retryBaseDelay().toMillis();
    this.maxDelayMillis = config.retryMaxDelay().toMillis();
    this.maxRetryAfter = config.maxRetryAfter();
  }

  /** {@code <base>/api/v1/<path>}; {@code path} holds only name characters, '/' and ':'. */
  HttpUrl.Builder url(String path) {
    return base.newBuilder().addPathSegments("api/v1/" + path);
  }

  /**
   * Sends {@code request} (the Authorization header added here) and reads the whole response,
   * retrying as {@code safety} allows. Returns every HTTP answer, errors included, for the caller
   * to map; throws only when no answer came.
   *
   * @param what the operation, for messages ("read secret 'x'")
   */
  Reply send(String what, Request.Builder request, Safety safety) {
    Request req =
        request
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .build();
    for (int attempt = 1; ; attempt++) {
      Reply reply;
      try {
        reply = exchange(req, attempt);
      } catch (IOException e) {
        if (attempt <= maxRetries && retryable(e, safety)) {
          pause(req, e.getClass().getSimpleName(), attempt, backoff(attempt), what);
          continue;
        }
        throw failure(what, e, safety, attempt);
      }
      if (attempt <= maxRetries && retryable(reply.status(), safety)) {
        Optional<Duration> asked = reply.retryAfter();
        if (asked.isEmpty() || asked.get().compareTo(maxRetryAfter) <= 0) {
          long wait = Math.max(backoff(attempt), asked.map(Duration::toMillis).orElse(0L));
          reply.wipe();
          pause(req, "HTTP " + reply.status(), attempt, wait, what);
          continue;
        }
      }
      return reply;
    }
  }

  private Reply exchange(Request req, int attempt) throws IOException {
    try (Response response = client.newCall(req).execute()) {
      ResponseBody body = response.body();
      return new Reply(
          response.code(),
          Optional.ofNullable(response.header("ETag")),
          Optional.ofNullable(response.header("Content-Type")),
          retryAfter(response.header("Retry-After")),
          readBounded(body),
          attempt);
    }
  }

  private static byte[] readBounded(ResponseBody body) throws IOException {
    long declared = body.contentLength();
    if (declared > MAX_RESPONSE_BYTES) {
      throw new IOException("response body of " + declared + " bytes is over the client's limit");
    }
    if (declared == 0) {
      return new byte[0];
    }
    try (InputStream in = body.byteStream()) {
      // A declared length is read exactly (the final read sees the end); otherwise grow as needed.
      byte[] buf = new byte[declared > 0 ? (int) declared + 1 : 8192];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length >= MAX_RESPONSE_BYTES) {
            if (in.read() < 0) {
              return buf;
            }
            Arrays.fill(buf, (byte) 0);
            throw new IOException(
                "response body is over the client's limit of " + MAX_RESPONSE_BYTES + " bytes");
          }
          byte[] bigger =
              Arrays.copyOf(
                  buf, (int) Math.min(Math.max(8192L, (long) buf.length * 2), MAX_RESPONSE_BYTES));
          Arrays.fill(buf, (byte) 0);
          buf = bigger;
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      if (n == buf.length) {
        return buf;
      }
      byte[] exact = Arrays.copyOf(buf, n);
      Arrays.fill(buf, (byte) 0);
      return exact;
    }
  }

  private static boolean retryable(IOException e, Safety safety) {
    if (certificateProblem(e)) {
      return false;
    }
    if (safety == Safety.REPEATABLE) {
      return true;
    }
    // Nothing was sent: no connection, or no address to connect to.
    return e instanceof ConnectException || e instanceof UnknownHostException;
  }

  private static boolean retryable(int status, Safety safety) {
    if (status == 429) {
      return true; // refused before any work: throttling happens ahead of every handler
    }
    return safety == Safety.REPEATABLE && (status == 502 || status == 503 || status == 504);
  }

  private static boolean certificateProblem(IOException e) {
    if (e instanceof SSLPeerUnverifiedException) {
      return true;
    }
    if (e instanceof SSLHandshakeException) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof CertificateException) {
          return true;
        }
      }
    }
    return false;
  }

  private RuntimeException failure(String what, IOException e, Safety safety, int attempts) {
    String host = base.host() + ":" + base.port();
    if (certificateProblem(e)) {
      return new ConfigurationException(
          "cannot "
              + what
              + ": the TLS certificate of "
              + host
              + " is not trusted "
              + "or does not match the host name. For a private certificate authority set "
              + "SecretManagerClientConfig.builder().trustedCertificates(pemFile) (or "
              + SecretManagerClientConfig.ENV_TLS_CA_FILE
              + ")",
          e);
    }
    String cause =
        e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)
            ? "timed out (call timeout)"
            : describe(e);
    String outcome =
        safety == Safety.ONCE
                && !(e instanceof ConnectException || e instanceof UnknownHostException)
            ? "; the change may or may not have been made: read the secret (or its versions) before repeating it"
            : "";
    return new BackendUnavailableException(
        "cannot "
            + what
            + ": the server at "
            + host
            + " did not answer ("
            + cause
            + (attempts > 1 ? ", " + attempts + " attempts" : "")
            + ")"
            + outcome,
        e);
  }

  /** The exception's kind and its message, cut short and without control characters. */
  private static String describe(IOException e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    String text = e.getClass().getSimpleName() + message;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < 160; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
  private long backoff(int attempt) {
    long ceiling = Math.min(maxDelayMillis, baseDelayMillis << Math.min(attempt - 1, 20));
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  private void pause(Request req, String reason, int attempt, long millis, String what) {
    LOG.debug(
        "{} {}: {} on attempt {} of {}; retrying in {} ms",
        req.method(),
        req.url().encodedPath(),
        reason,
        attempt,
        maxRetries + 1,
        millis);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(
          "cannot " + what + ": interrupted while waiting to retry", e);
    }
  }

  /** Retry-After as delay-seconds or an HTTP date (RFC 9110); absent when missing or unreadable. */
  static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.trim();
    if (h.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
      } catch (NumberFormatException e) {
        return Optional.of(Duration.ofDays(1)); // more digits than a long: "a very long time"
      }
    }
    try {
      Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(Instant.now(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "Transport[" + base + "]";
  }
}
