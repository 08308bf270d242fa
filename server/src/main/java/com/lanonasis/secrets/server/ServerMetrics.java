package com.lanonasis.secrets.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The server's Micrometer registry, scraped in the Prometheus text format at {@code /metrics}.
 *
 * <p>Every tag comes from a small fixed set so neither a secret's name nor anything else a client
 * sends can become a label: {@code route} is the route <em>template</em> ({@code
 * /api/v1/secrets/*}, never the requested path), {@code method} one of the HTTP methods the server
 * knows or {@code OTHER}, {@code action} the audited action ({@code read}, {@code write}, … or
 * {@code none}), {@code status} the numeric status code.
 */
final class ServerMetrics implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Histogram buckets: a dozen, from a cached read on loopback to a slow database. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(10)
  };

  private static final Set<String> METHODS =
      Set.of("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter authFailures;
  private final Counter throttled;
  private final Counter auditFailures;

  ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    authFailures =
        Counter.builder("lanonasis.auth.failures")
            .description("requests whose API key was malformed, unknown or revoked")
            .register(registry);
    throttled =
        Counter.builder("lanonasis.auth.throttled")
            .description("requests refused with 429 after too many failed authentications")
            .register(registry);
    auditFailures =
        Counter.builder("lanonasis.audit.write.failures")
            .description("requests answered 503 because their audit entry could not be written")
            .register(registry);
  }

  /** For HikariCP's {@code setMetricRegistry}. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  void request(String method, String route, String action, int status, float millis) {
    String m = method == null ? "OTHER" : method.toUpperCase(Locale.ROOT);
    Timer.builder("lanonasis.http.requests")
        .description("HTTP requests by route template, method, audited action and status")
        .tag("method", METHODS.contains(m) ? m : "OTHER")
        .tag("route", route)
        .tag("action", action)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  void authFailure() {
    authFailures.increment();
  }

  void throttled() {
    throttled.increment();
  }

  void auditFailure() {
    auditFailures.increment();
  }

  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
