package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.VersionConflictException;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Faults a real server cannot be made to produce: stalls past the timeout, connections dropped
 * mid-exchange, 503 with Retry-After, 429 on a write, malformed JSON, redirects, an HTML error
 * page. Script the fake, run the real client, assert on what crossed the wire.
 */
class TransportFaultTest {
  static final String KEY = "lns_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String SENTINEL = "S3NTINEL-fault-5e0a";
  static final String WHOAMI =
      "{\"keyId\":\"0123456789abcdef\",\"tenant\":\"acme\",\"role\":\"READ_WRITE\",\"prefix\":\"\"}";

  MockWebServer mock;
  SecretManagerClient client;

  @BeforeEach
  void start() throws IOException {
    mock = new MockWebServer();
    mock.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    mock.close();
  }

  /** A client after a successful whoami; 2 retries, 1-20 ms backoff, a 500 ms call timeout. */
  SecretManagerClient connect() throws InterruptedException {
    mock.enqueue(json(200, WHOAMI));
    client =
        new SecretManagerClient(
            SecretManagerClientConfig.builder()
                .apiUrl(mock.url("/").toString())
                .apiKey(KEY)
                .callTimeout(Duration.ofMillis(500))
                .retries(2, Duration.ofMillis(1), Duration.ofMillis(20))
                .build());
    assertThat(mock.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v1/whoami");
    return client;
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  static MockResponse problem(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/problem+json")
        .body(body)
        .build();
  }

  static MockResponse value(String name, long version, String value) {
    String b64 =
        Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .setHeader("ETag", "\"tag-" + version + "\"")
        .body(
            "{\"key\":\""
                + name
                + "\",\"valueBase64\":\""
                + b64
                + "\",\"version\":"
                + version
                + ",\"createdAt\":\"2030-01-01T00:00:00Z\"}")
        .build();
  }

  static MockResponse dropped() {
    return new MockResponse.Builder()
        .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
        .build();
  }

  static MockResponse stalled() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  static final String WRITTEN =
      "{\"key\":\"app/db\",\"version\":2,\"createdAt\":\"2030-01-01T00:00:00Z\"}";

  /** Requests after whoami, read off the server. */
  int requestsAfterWhoami() {
    return mock.getRequestCount() - 1;
  }

  @Nested
  @DisplayName("what crosses the wire")
  class Wire {
    @Test
    @DisplayName(
        "the key travels only in the Authorization header; the value as base64 in the body")
    void requests_carryKeyInHeaderOnly() throws Exception {
      connect();
      mock.enqueue(json(201, WRITTEN.replace("2,", "1,")));
      client.put("app/db", SecretValue.ofUtf8(SENTINEL), PutOptions.ifVersion(0));
      RecordedRequest put = mock.takeRequest();
      assertThat(put.getMethod()).isEqualTo("POST");
      assertThat(put.getUrl().encodedPath()).isEqualTo("/api/v1/secrets");
      assertThat(put.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(put.getUrl().toString()).doesNotContain(KEY).doesNotContain(SENTINEL);
      String body = put.getBody().utf8();
      assertThat(body)
          .contains(
              "\"key\":\"app/db\"",
              "\"expectedVersion\":0",
              "\"valueBase64\":\""
                  + Base64.getEncoder().encodeToString(SENTINEL.getBytes())
                  + "\"");
      assertThat(body).doesNotContain(SENTINEL);

      mock.enqueue(value("app/db", 1, "v"));
      try (Secret s = client.get("app/db")) {
        assertThat(s.value().asUtf8()).isEqualTo("v");
      }
      RecordedRequest get = mock.takeRequest();
      assertThat(get.getUrl().encodedPath()).isEqualTo("/api/v1/secrets/app/db");
      assertThat(get.getUrl().queryParameter("encoding")).isEqualTo("base64");
      assertThat(get.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }
  }

  @Nested
  @DisplayName("timeouts and dropped connections")
  class Connections {
    @Test
    @DisplayName(
        "a read that stalls past the call timeout is retried, then fails as unavailable after 3 attempts")
    void get_stalls_retriedThenUnavailable() throws Exception {
      connect();
      for (int i = 0; i < 3; i++) {
        mock.enqueue(stalled());
      }
      BackendUnavailableException e =
          catchThrowableOfType(BackendUnavailableException.class, () -> client.get("app/db"));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage())
          .contains("read secret 'app/db'")
          .contains("did not answer")
          .contains("3 attempts");
      assertThat(requestsAfterWhoami()).isEqualTo(3);
    }

    @Test
    @DisplayName("a read whose connection drops mid-response is repeated and succeeds")
    void get_connectionDropped_repeatedAndSucceeds() throws Exception {
      connect();
      mock.enqueue(dropped());
      mock.enqueue(value("app/db", 3, "fine"));
      try (Secret s = client.get("app/db")) {
        assertThat(s.value().asUtf8()).isEqualTo("fine");
        assertThat(s.version()).isEqualTo(3);
      }
      assertThat(requestsAfterWhoami()).isEqualTo(2);
    }

    @Test
    @DisplayName(
        "an unconditional write whose connection drops after sending is not repeated, and says so")
    void put_unconditional_droppedAfterSend_notRepeated() throws Exception {
      connect();
      mock.enqueue(dropped());
      mock.enqueue(json(200, WRITTEN)); // bait: a repeated request would succeed
      BackendUnavailableException e =
          catchThrowableOfType(
              BackendUnavailableException.class,
              () -> client.put("app/db", SecretValue.ofUtf8(SENTINEL)));
      assertThat(e.getMessage())
          .contains("write secret 'app/db'")
          .contains("may or may not have been made")
          .doesNotContain(SENTINEL);
      assertThat(requestsAfterWhoami()).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "a check-and-set write whose connection drops is repeated with the same expected version")
    void put_checkAndSet_dropped_repeated() throws Exception {
      connect();
      mock.enqueue(dropped());
      mock.enqueue(json(200, WRITTEN));
      assertThat(client.put("app/db", SecretValue.ofUtf8("x"), PutOptions.ifVersion(1)).version())
          .isEqualTo(2);
      assertThat(requestsAfterWhoami()).isEqualTo(2);
      mock.takeRequest();
      assertThat(mock.takeRequest().getBody().utf8()).contains("\"expectedVersion\":1");
    }

    @Test
    @DisplayName(
        "a refused connection is retried even for a write (nothing was sent), then unavailable")
    void connectionRefused_writeRetriedThenUnavailable() throws Exception {
      okhttp3.OkHttpClient shared = new okhttp3.OkHttpClient();
      mock.enqueue(json(200, WHOAMI));
      client =
          new SecretManagerClient(
              SecretManagerClientConfig.builder()
                  .apiUrl(mock.url("/").toString())
                  .apiKey(KEY)
                  .okHttpClient(shared)
                  .retries(2, Duration.ofMillis(1), Duration.ofMillis(20))
                  .build());
      mock.close();
      shared.connectionPool().evictAll(); // no pooled connection left: the next call must connect
      BackendUnavailableException e =
          catchThrowableOfType(
              BackendUnavailableException.class,
              () -> client.put("app/db", SecretValue.ofUtf8("x")));
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage())
          .contains("did not answer")
          .contains("ConnectException")
          .contains("3 attempts")
          .doesNotContain("may or may not");
      shared.dispatcher().executorService().shutdown();
    }

    @Test
    @DisplayName("a server that cannot be reached fails the constructor, not the first use")
    void constructor_unreachable_failsFast() throws Exception {
      String url = mock.url("/").toString();
      mock.close();
      BackendUnavailableException e =
          catchThrowableOfType(
              BackendUnavailableException.class,
              () ->
                  new SecretManagerClient(
                      SecretManagerClientConfig.builder()
                          .apiUrl(url)
                          .apiKey(KEY)
                          .retries(1, Duration.ofMillis(1), Duration.ofMillis(5))
                          .build()));
      assertThat(e.getMessage())
          .contains("check the API key")
          .contains("did not answer")
          .doesNotContain(KEY);
    }
  }

  @Nested
  @DisplayName("throttling and unavailability")
  class Unavailable {
    @Test
    @DisplayName("503 with Retry-After is honoured, then the read succeeds")
    void get_503RetryAfter_thenSucceeds() throws Exception {
      connect();
      mock.enqueue(
          new MockResponse.Builder()
              .code(503)
              .setHeader("Retry-After", "1")
              .setHeader("Content-Type", "application/problem+json")
              .body(
                  "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"busy\"}")
              .build());
      mock.enqueue(value("app/db", 1, "after the wait"));
      assertThat(client.getSecret("app/db")).isEqualTo("after the wait");
      assertThat(requestsAfterWhoami()).isEqualTo(2);
    }

    @Test
    @DisplayName(
        "a Retry-After beyond the client's maximum fails at once, saying how long the server asked for")
    void get_retryAfterTooLong_failsAtOnce() throws Exception {
      connect();
      mock.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "3600").build());
      BackendUnavailableException e =
          catchThrowableOfType(BackendUnavailableException.class, () -> client.get("app/db"));
      assertThat(e.getMessage()).contains("HTTP 503").contains("retry after 3600 s");
      assertThat(e.isRetryable()).isTrue();
      assertThat(requestsAfterWhoami()).isEqualTo(1);
    }

    @Test
    @DisplayName("retries are bounded: 503 on every attempt fails after 1 + maxRetries requests")
    void get_503Always_boundedRetries() throws Exception {
      connect();
      for (int i = 0; i < 5; i++) {
        mock.enqueue(new MockResponse.Builder().code(503).build());
      }
      BackendUnavailableException e =
          catchThrowableOfType(BackendUnavailableException.class, () -> client.get("app/db"));
      assertThat(e.getMessage()).contains("HTTP 503").contains("3 attempts");
      assertThat(requestsAfterWhoami()).isEqualTo(3);
    }

    @Test
    @DisplayName("an unconditional write answered 503 is not repeated: it may have been applied")
    void put_503_notRepeated() throws Exception {
      connect();
      mock.enqueue(new MockResponse.Builder().code(503).build());
      mock.enqueue(json(200, WRITTEN));
      BackendUnavailableException e =
          catchThrowableOfType(
              BackendUnavailableException.class,
              () -> client.put("app/db", SecretValue.ofUtf8("x")));
      assertThat(e.getMessage()).contains("may or may not have been made");
      assertThat(requestsAfterWhoami()).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "a write answered 429 is repeated after Retry-After: the server throttles before doing anything")
    void put_429_repeated() throws Exception {
      connect();
      mock.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build());
      mock.enqueue(json(200, WRITTEN));
      assertThat(client.put("app/db", SecretValue.ofUtf8("x")).version()).isEqualTo(2);
      assertThat(requestsAfterWhoami()).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("answers that are not API v1")
  class Malformed {
    @Test
    @DisplayName(
        "malformed JSON, missing fields and bad base64 in a 200 are unavailable errors that quote nothing")
    void malformedBodies_typedAndQuoteNothing() throws Exception {
      connect();
      mock.enqueue(json(200, "{\"key\":\"app/db\",\"valueBase64\":\"" + SENTINEL));
      mock.enqueue(json(200, "{\"key\":\"app/db\",\"version\":1}"));
      mock.enqueue(
          json(
              200,
              "{\"key\":\"app/db\",\"valueBase64\":\""
                  + SENTINEL
                  + "!!\",\"version\":1,"
                  + "\"createdAt\":\"2030-01-01T00:00:00Z\"}"));
      mock.enqueue(json(200, "[\"" + SENTINEL + "\"]"));
      mock.enqueue(json(200, "")); // Content-Length: 0
      for (int i = 0; i < 5; i++) {
        BackendUnavailableException e =
            catchThrowableOfType(BackendUnavailableException.class, () -> client.get("app/db"));
        assertThat(e.getMessage())
            .contains("read secret 'app/db'")
            .contains("malformed")
            .doesNotContain(SENTINEL);
      }
      assertThat(requestsAfterWhoami()).as("a malformed answer is not retried").isEqualTo(5);
    }

    @Test
    @DisplayName("an HTML 404 from a proxy is not taken for a missing secret")
    void html404_isNotSecretNotFound() throws Exception {
      connect();
      mock.enqueue(
          new MockResponse.Builder()
              .code(404)
              .setHeader("Content-Type", "text/html")
              .body("<html>" + SENTINEL + "</html>")
              .build());
      ConfigurationException e =
          catchThrowableOfType(ConfigurationException.class, () -> client.get("app/db"));
      assertThat(e.getMessage())
          .contains("HTTP 404 without a problem body")
          .doesNotContain(SENTINEL);
    }

    @Test
    @DisplayName("a redirect is not followed: the key would go with it")
    void redirect_notFollowed() throws Exception {
      try (MockWebServer elsewhere = new MockWebServer()) {
        elsewhere.start();
        connect();
        mock.enqueue(
            new MockResponse.Builder()
                .code(307)
                .setHeader("Location", elsewhere.url("/api/v1/secrets/app/db"))
                .build());
        ConfigurationException e =
            catchThrowableOfType(ConfigurationException.class, () -> client.get("app/db"));
        assertThat(e.getMessage()).contains("redirected (HTTP 307)");
        assertThat(elsewhere.getRequestCount()).isZero();
      }
    }

    @Test
    @DisplayName("problem codes and members map to the typed exceptions")
    void problems_mapToTypedExceptions() throws Exception {
      connect();
      mock.enqueue(
          problem(
              409,
              "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"x\","
                  + "\"code\":\"version_conflict\",\"currentVersion\":7}"));
      VersionConflictException c =
          catchThrowableOfType(
              VersionConflictException.class,
              () -> client.put("app/db", SecretValue.ofUtf8("x"), PutOptions.ifVersion(3)));
      assertThat(c.currentVersion()).isEqualTo(7);
      assertThat(c.expectedVersion()).isEqualTo(3);
      mock.enqueue(
          problem(
              404,
              "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"x\","
                  + "\"code\":\"expired\",\"expiresAt\":\"2001-02-03T04:05:06Z\"}"));
      SecretNotFoundException nf =
          catchThrowableOfType(SecretNotFoundException.class, () -> client.get("app/db"));
      assertThat(nf.expiredAt())
          .hasValueSatisfying(t -> assertThat(t).hasToString("2001-02-03T04:05:06Z"));
      assertThat(nf.getMessage()).contains("expired");
      mock.enqueue(
          problem(
              403,
              "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                  + "\"detail\":\"this API key is read-only\"}"));
      AccessDeniedException denied =
          catchThrowableOfType(AccessDeniedException.class, () -> client.delete("app/db"));
      assertThat(denied.kind()).isEqualTo(SecretsException.Kind.DENIED);
      assertThat(denied.getMessage()).contains("delete secret 'app/db'").contains("read-only");
      assertThat(denied.isRetryable()).isFalse();
    }
  }

  @Test
  @DisplayName("the key refused at connect time is an AccessDeniedException from the constructor")
  void constructor_keyRefused_accessDenied() throws Exception {
    mock.enqueue(
        problem(
            401,
            "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"the API key is not valid\"}"));
    UnauthenticatedException e =
        catchThrowableOfType(
            UnauthenticatedException.class,
            () ->
                new SecretManagerClient(
                    SecretManagerClientConfig.builder()
                        .apiUrl(mock.url("/").toString())
                        .apiKey(KEY)
                        .build()));
    assertThat(e.kind()).isEqualTo(SecretsException.Kind.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("HTTP 401").doesNotContain(KEY);
    assertThat(mock.takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath())
        .isEqualTo("/api/v1/whoami");
  }
}
