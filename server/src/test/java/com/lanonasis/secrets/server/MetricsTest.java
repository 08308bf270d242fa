package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: Prometheus text, request counts and latencies per route, never a name or value. */
class MetricsTest {
  static final String VALUE = "S3NTINEL-metric-value";
  static final String NAME = "metricsprobe/S3NTINEL-name";

  @Test
  void countsRequestsPerRouteTemplateMethodActionAndStatus_withoutNamesValuesOrKeys(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpTestClient client = new HttpTestClient();
    try (SecretsServer server = SecretsServer.builder().jdbcUrl("jdbc:sqlite:" + dir.resolve("db/secrets.db"))
        .keyring(MasterKeyring.generate()).port(0)
        .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8)).start()) {
      Matcher m = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").matcher(out.toString(StandardCharsets.UTF_8));
      assertThat(m.find()).isTrue();
      String admin = m.group();
      int port = server.port();

      assertThat(client.call(port, "POST", "/api/v1/secrets", admin, "application/json",
          "{\"key\":\"" + NAME + "\",\"value\":\"" + VALUE + "\"}").status()).isEqualTo(201);
      for (int i = 0; i < 3; i++) {
        assertThat(client.call(port, "GET", "/api/v1/secrets/" + NAME, admin, null, null).status()).isEqualTo(200);
      }
      assertThat(client.call(port, "GET", "/api/v1/secrets/" + NAME + "-missing", admin, null, null).status()).isEqualTo(404);
      assertThat(client.call(port, "GET", "/api/v1/whoami", admin + "x", null, null).status()).isEqualTo(401);
      assertThat(client.call(port, "BREW", "/S3NTINEL-path", admin, null, null).status()).isBetween(400, 499);
      assertThat(client.call(port, "GET", "/S3NTINEL-path/x", null, null, null).status()).isEqualTo(404);

      Reply metrics = client.call(port, "GET", "/metrics", null, null, null);
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.contentType()).startsWith("text/plain");
      List<String> lines = Arrays.asList(metrics.body().split("\n"));
      assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
          "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"200\"} 3"));
      assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
          "lanonasis_http_requests_seconds_count{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"404\"} 1"));
      assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
          "lanonasis_http_requests_seconds_count{action=\"write\",method=\"POST\",route=\"/api/v1/secrets\",status=\"201\"} 1"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(
          "lanonasis_http_requests_seconds_bucket{action=\"read\",method=\"GET\",route=\"/api/v1/secrets/*\",status=\"200\","));
      assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
          "lanonasis_http_requests_seconds_count{action=\"none\",method=\"GET\",route=\"/api/v1/whoami\",status=\"401\"} 1"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("lanonasis_http_requests_seconds_count\\{action=\"none\","
          + "method=\"OTHER\",route=\"unmatched\",status=\"4\\d\\d\"} 1"));
      assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
          "lanonasis_http_requests_seconds_count{action=\"none\",method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
      assertThat(lines).contains("lanonasis_auth_failures_total 1.0");
      // SQLite: a pool of readers and the one writer connection.
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections_active{pool=\"lanonasis-server-read\"}"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections_active{pool=\"lanonasis-server-write\"}"));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes"));

      assertThat(metrics.body()).doesNotContain("S3NTINEL").doesNotContain("metricsprobe")
          .doesNotContain(TestServers.secretPart(admin));
    }
  }
}
