package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plants a sentinel as a secret value and as an API key, runs the main flows and the error paths
 * against a real server (and, for retries and malformed answers, a scripted one) with the client's
 * and the server's log lines captured at TRACE, and checks the sentinels appear in no log line,
 * exception message (whole cause chain) or {@code toString}.
 */
class SentinelLeakTest {
  static final String VALUE = "S3NTINEL-value-c11e";
  static final String KEY_SECRET = "S3NTINELkey" + "x".repeat(32);
  static final String BAD_KEY = "lns_0123456789abcdef_" + KEY_SECRET;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> seen = new ArrayList<>();
  private Logger ours;
  private Level oldLevel;

  @BeforeEach
  void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    // Our code (client and server) at TRACE; third-party libraries at their configured level.
    ours = context.getLogger("com.lanonasis");
    oldLevel = ours.getLevel();
    ours.setLevel(Level.TRACE);
    logs.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
  }

  @AfterEach
  void release() {
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(logs);
    ours.setLevel(oldLevel);
  }

  @Test
  @DisplayName("main flows and error paths, cache on and off, against a real server")
  void realServer_flowsNeverShowValueOrKey(@TempDir Path dir) {
    try (RealServer server = RealServer.start(dir)) {
      String key = server.newTenantKey();
      SecretManagerClientConfig plainConfig = ClientConfigs.of(server, key).build();
      note(plainConfig);
      try (SecretManagerClient plain = new SecretManagerClient(plainConfig);
          SecretManagerClient cached =
              new SecretManagerClient(ClientConfigs.of(server, key).etagRevalidation(10).build())) {
        for (SecretManagerClient c : List.of(plain, cached)) {
          String name = c == plain ? "leak/plain" : "leak/cached";
          note(c);
          note(
              c.put(
                  name,
                  SecretValue.ofUtf8(VALUE),
                  PutOptions.upsert()
                      .withAttributes(SecretAttributes.none().withDescription("db password"))));
          try (Secret s = c.get(name)) {
            note(s);
            note(s.value());
          }
          note(c.get(name, 1));
          note(c.list(ListOptions.prefix("leak/")));
          note(c.metadata(name));
          note(c.versions(name));
          attempt(
              VersionConflictException.class,
              () -> c.put(name, SecretValue.ofUtf8(VALUE), PutOptions.ifVersion(77)));
          attempt(
              VersionConflictException.class,
              () -> c.put(name, SecretValue.ofUtf8(VALUE), PutOptions.ifVersion(0)));
          attempt(
              InvalidSecretNameException.class, () -> c.put("bad name", SecretValue.ofUtf8(VALUE)));
          attempt(
              SecretTooLargeException.class,
              () -> c.put("big", SecretValue.ofUtf8(VALUE.repeat(4000))));
          attempt(SecretNotFoundException.class, () -> c.get(name, 99));
          c.delete(name);
          attempt(SecretDeletedException.class, () -> c.put(name, SecretValue.ofUtf8(VALUE)));
          attempt(SecretNotFoundException.class, () -> c.get(name));
          c.restore(name);
          c.put(name, SecretValue.ofUtf8(VALUE + "-2"));
          c.destroy(name, 1);
          attempt(SecretNotFoundException.class, () -> c.get(name, 1));
          c.destroy(name);
        }
      }
      attempt(
          UnauthenticatedException.class,
          () -> new SecretManagerClient(ClientConfigs.of(server, BAD_KEY).build()));
      attempt(
          ConfigurationException.class,
          () -> SecretStores.builder().uri(server.url() + "/?api_key=" + BAD_KEY).open());
      attempt(
          UnauthenticatedException.class,
          () ->
              SecretStores.builder()
                  .uri(server.url())
                  .environment(Map.of(SecretManagerClientConfig.ENV_API_KEY, BAD_KEY))
                  .open());
      note(ClientConfigs.of(server, BAD_KEY).build());
    }
    assertClean();
  }

  @Test
  @DisplayName("retries and malformed answers from a scripted server")
  void scriptedFaults_neverShowValueOrKey() throws Exception {
    try (MockWebServer mock = new MockWebServer()) {
      mock.start();
      mock.enqueue(
          new MockResponse.Builder()
              .code(200)
              .setHeader("Content-Type", "application/json")
              .body(
                  "{\"keyId\":\"0123456789abcdef\",\"tenant\":\"t\",\"role\":\"ADMIN\",\"prefix\":\"\"}")
              .build());
      // No Retry-After: OkHttp itself repeats a 503 with "Retry-After: 0" once, before the client
      // sees it.
      mock.enqueue(new MockResponse.Builder().code(503).build());
      mock.enqueue(
          new MockResponse.Builder()
              .code(200)
              .setHeader("Content-Type", "application/json")
              .body(
                  "{\"key\":\"k\",\"valueBase64\":\""
                      + Base64.getEncoder().encodeToString(VALUE.getBytes())
                      + "\",\"version\":1,\"createdAt\":\"2030-01-01T00:00:00Z\"}")
              .build());
      mock.enqueue(
          new MockResponse.Builder()
              .code(200)
              .setHeader("Content-Type", "application/json")
              .body("{\"key\":\"k\",\"valueBase64\":\"" + VALUE + "\"")
              .build());
      mock.enqueue(
          new MockResponse.Builder()
              .code(500)
              .setHeader("Content-Type", "application/problem+json")
              .body("{\"type\":\"about:blank\",\"title\":\"x\",\"status\":500,\"detail\":\"x\"}")
              .build());
      try (SecretManagerClient c =
          new SecretManagerClient(
              SecretManagerClientConfig.builder()
                  .apiUrl(mock.url("/").toString())
                  .apiKey(BAD_KEY)
                  .retries(1, Duration.ofMillis(1), Duration.ofMillis(2))
                  .build())) {
        note(c);
        try (Secret s = c.get("k")) {
          note(s);
        }
        attempt(BackendUnavailableException.class, () -> c.get("k"));
        attempt(BackendUnavailableException.class, () -> c.put("k", SecretValue.ofUtf8(VALUE)));
      }
    }
    assertThat(messages()).anySatisfy(line -> assertThat(line).contains("retrying"));
    assertClean();
  }

  private void assertClean() {
    List<String> all = new ArrayList<>(seen);
    all.addAll(messages());
    assertThat(all).hasSizeGreaterThan(5);
    assertThat(all)
        .allSatisfy(
            text ->
                assertThat(text)
                    .doesNotContain(VALUE)
                    .doesNotContain(KEY_SECRET)
                    .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes())));
  }

  private List<String> messages() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      out.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        out.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    return out;
  }

  private void note(Object o) {
    seen.add(String.valueOf(o));
  }

  /** Runs an error path, which must fail with the given type, and keeps every text it produced. */
  private void attempt(Class<? extends SecretsException> expected, Runnable r) {
    try {
      r.run();
      fail("expected %s, but the call succeeded", expected.getSimpleName());
    } catch (RuntimeException e) {
      assertThat(e).isInstanceOf(expected);
      for (Throwable t = e; t != null; t = t.getCause()) {
        seen.add(t.getClass().getName() + ": " + t.getMessage());
        seen.add(t.toString());
        for (Throwable s : t.getSuppressed()) {
          seen.add(s.toString());
        }
      }
    }
  }
}
