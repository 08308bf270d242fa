package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}: Prometheus text, request counts and latencies per route, never a name or value.
 */
class MetricsTest {
  static final String VALUE = "S3NTINEL-metric-value";
  static final String NAME = "metricsprobe/S3NTINEL-name";

  @Test
  void countsRequestsPerRouteTemplateMethodActionAndStatus_withoutNamesValuesOrKeys(
      @TempDir Path dir) {
    HttpTestClient client = new HttpTestClient();
    RealServer started = RealServer.start(dir);
    try (SecretsServer server = started.server()) {
      String admin = started.adminKey();
      int port = server.port();

      assertThat(
              client
                  .call(
                      port,
                      "POST",
                      "/api/v1/secrets",
                      admin,
                      "application/json",
                      "{\"key\":\"" + NAME + "\",\"value\":\"" + VALUE + "\"}")
                  .status())
          .isEqualTo(201);
      for (int i = 0; i < 3; i++) {
        assertThat(client.call(port, "GET", "/api/v1/secrets/" + NAME, admin, null, null).status())
            .isEqualTo(200);
      }
      assertThat(
              client
                  .call(port, "GET", "/api/v1/secrets/" + NAME + "-missing", admin, null, null)
                  .status())
          .isEqualTo(404);
      assertThat(client.call(port, "GET", "/api/v1/whoami", admin + "x", null, null).status())
          .isEqualTo(401);
      assertThat(client.call(port, "BREW", "/S3NTINEL-path", admin, null, null).status())
          .isBetween(400, 499);
      assertThat(client.call(port, "GET", "/S3NTINEL-path/x", null, null, null).status())
          .isEqualTo(404);

      Reply metrics = client.call(port, "GET", "/metrics", null, null, null);
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.contentType()).startsWith("text/plain");
      List<String> lines = Arrays.asList(metrics.body().split("\n"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .isEqualTo(
                          "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"200\"} 3"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .isEqualTo(
                          "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"404\"} 1"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .isEqualTo(
                          "lanonasis_http_requests_seconds_count{action=\"write\",method=\"POST\",route=\"/api/v1/secrets\",status=\"201\"} 1"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith(
                          "lanonasis_http_requests_seconds_bucket{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"200\","));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .isEqualTo(
                          "lanonasis_http_requests_seconds_count{action=\"none\",method=\"GET\",route=\"/api/v1/whoami\",status=\"401\"} 1"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .matches(
                          "lanonasis_http_requests_seconds_count\\{action=\"none\","
                              + "method=\"OTHER\",route=\"unmatched\",status=\"4\\d\\d\"} 1"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .isEqualTo(
                          "lanonasis_http_requests_seconds_count{action=\"none\",method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
      assertThat(lines).contains("lanonasis_auth_failures_total 1.0");
      // SQLite: a pool of readers and the one writer connection.
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("hikaricp_connections_active{pool=\"lanonasis-server-read\"}"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("hikaricp_connections_active{pool=\"lanonasis-server-write\"}"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes"));

      assertThat(metrics.body())
          .doesNotContain("S3NTINEL")
          .doesNotContain("metricsprobe")
          .doesNotContain(RealServer.secretPart(admin));
    }
  }

  @Test
  void refusals_areCountedUnderTheRouteTheyTargeted_andThrottlingAndAuditFailuresHaveTheirCounters(
      @TempDir Path dir) throws Exception {
    HttpTestClient client = new HttpTestClient();
    RealServer started =
        RealServer.start(dir, b -> b.authFailureLimit(1, java.time.Duration.ofMinutes(1)));
    try (SecretsServer server = started.server()) {
      int port = server.port();
      String admin = started.adminKey();
      // 413 by Content-Length, before the body is read: counted under POST /api/v1/secrets, action
      // write.
      Reply big =
          client.rawRequest(
              port,
              "POST /api/v1/secrets HTTP/1.1\r\nAuthorization: Bearer "
                  + admin
                  + "\r\nContent-Type: application/json\r\nContent-Length: 10000000",
              new byte[0]);
      assertThat(big.status()).isEqualTo(413);
      // The audit entry cannot be written: 503, and the audit-failure counter moves.
      client.call(
          port,
          "POST",
          "/api/v1/secrets",
          admin,
          "application/json",
          "{\"key\":\"m/x\",\"value\":\"v\"}");
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
          java.sql.Statement s = c.createStatement()) {
        s.executeUpdate("ALTER TABLE server_audit_log RENAME TO server_audit_log_moved");
      }
      assertThat(client.call(port, "GET", "/api/v1/secrets/m/x", admin, null, null).status())
          .isEqualTo(503);
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
          java.sql.Statement s = c.createStatement()) {
        s.executeUpdate("ALTER TABLE server_audit_log_moved RENAME TO server_audit_log");
      }
      // One bad key empties the bucket (burst 1): the next failure is 429, under the route it
      // targeted.
      assertThat(client.call(port, "GET", "/api/v1/secrets/m/x", admin + "x", null, null).status())
          .isEqualTo(401);
      assertThat(client.call(port, "GET", "/api/v1/secrets/m/x", admin + "y", null, null).status())
          .isEqualTo(429);

      List<String> lines =
          Arrays.asList(client.call(port, "GET", "/metrics", null, null, null).body().split("\n"));
      assertThat(lines)
          .contains(
              "lanonasis_http_requests_seconds_count{action=\"write\",method=\"POST\",route=\"/api/v1/secrets\",status=\"413\"} 1",
              "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"503\"} 1",
              "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"401\"} 1",
              "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"429\"} 1",
              "lanonasis_auth_throttled_total 1.0",
              "lanonasis_auth_failures_total 1.0",
              "lanonasis_audit_write_failures_total 1.0");
    }
  }
}
