package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.MasterKeyring;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private SecretsServer start(
      String url, MasterKeyring keyring, ByteArrayOutputStream out, Path adminKeyFile) {
    SecretsServerBuilder b =
        SecretsServer.builder()
            .jdbcUrl(url)
            .keyring(keyring)
            .port(0)
            .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    if (adminKeyFile != null) {
      b.adminKeyFile(adminKeyFile);
    }
    return b.start();
  }

  private HttpResponse<String> send(SecretsServer s, HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(SecretsServer s, String path, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Authorization", "Bearer " + key);
  }

  @Test
  void restart_keepsKeysAndSecrets_andDoesNotBootstrapAgain(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("secrets");
    MasterKeyring keyring = MasterKeyring.generate();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    String admin;
    try (SecretsServer s = start(url, keyring, first, dir.resolve("admin.key"))) {
      admin = Files.readString(dir.resolve("admin.key")).trim();
      HttpResponse<String> put =
          send(
              s,
              request(s, "/api/v1/secrets", admin)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"key\":\"keep/me\",\"value\":\"v1\"}")));
      assertThat(put.statusCode()).isEqualTo(201);
    }
    assertThat(first.toString(StandardCharsets.UTF_8)).contains(admin);

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    // The admin key file exists now; with keys in the database it is not needed and not touched.
    try (SecretsServer s = start(url, keyring, second, dir.resolve("admin.key"))) {
      HttpResponse<String> get = send(s, request(s, "/api/v1/secrets/keep/me", admin).GET());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).contains("\"value\":\"v1\"");
    }
    assertThat(second.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void close_stopsListening(@TempDir Path dir) throws Exception {
    SecretsServer s =
        start(
            "jdbc:h2:file:" + dir.resolve("secrets"),
            MasterKeyring.generate(),
            new ByteArrayOutputStream(),
            null);
    int port = s.port();
    assertThat(port).isPositive();
    s.close();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void readyz_andRequests_are503WhenTheDatabaseIsGone(@TempDir Path dir) throws Exception {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("secrets"));
    cfg.setConnectionTimeout(250);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HikariDataSource pool = new HikariDataSource(cfg);
        SecretsServer s =
            SecretsServer.builder()
                .dataSource(pool)
                .keyring(MasterKeyring.generate())
                .port(0)
                .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8))
                .start()) {
      String admin =
          out.toString(StandardCharsets.UTF_8)
              .lines()
              .map(String::trim)
              .filter(l -> l.startsWith("lns_"))
              .findFirst()
              .orElseThrow();
      assertThat(send(s, request(s, "/readyz", admin).GET()).statusCode()).isEqualTo(200);
      pool.close();
      // /readyz keeps its answer for a second (Readiness.KEPT): ask until the kept 200 has expired.
      HttpResponse<String> ready = send(s, request(s, "/readyz", admin).GET());
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          ready.statusCode() == 200 && System.nanoTime() < deadline; ) {
        Thread.sleep(100);
        ready = send(s, request(s, "/readyz", admin).GET());
      }
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(send(s, request(s, "/healthz", admin).GET()).statusCode()).isEqualTo(200);
      HttpResponse<String> read = send(s, request(s, "/api/v1/secrets/any", admin).GET());
      assertThat(read.statusCode()).isEqualTo(503);
      assertThat(read.body()).doesNotContain("SQL").doesNotContain("jdbc:").doesNotContain(admin);
    }
  }

  @Test
  void bootstrap_refusesAnExistingAdminKeyFile_andCreatesNoKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("admin.key");
    Files.writeString(file, "someone else's file");
    String url = "jdbc:h2:file:" + dir.resolve("secrets");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> start(url, MasterKeyring.generate(), out, file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("admin key file already exists");
    assertThat(Files.readString(file)).isEqualTo("someone else's file");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void close_letsARequestInFlightFinish_thenRefusesConnections(@TempDir Path dir) throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean slow =
        new java.util.concurrent.atomic.AtomicBoolean();
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("secrets"));
    try (HikariDataSource pool = new HikariDataSource(cfg)) {
      // A database that takes its time for one connection: the request holding it is in flight.
      javax.sql.DataSource slowDs =
          (javax.sql.DataSource)
              java.lang.reflect.Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {javax.sql.DataSource.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")
                        && slow.compareAndSet(true, false)) {
                      entered.countDown();
                      Thread.sleep(1500);
                    }
                    return method.invoke(pool, args);
                  });
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SecretsServer s =
          SecretsServer.builder()
              .dataSource(slowDs)
              .keyring(MasterKeyring.generate())
              .port(0)
              .drainTimeout(java.time.Duration.ofSeconds(30))
              .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8))
              .start();
      int port = s.port();
      String admin;
      try {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
                .matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        admin = m.group();
        assertThat(
                send(
                        s,
                        request(s, "/api/v1/secrets", admin)
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"key\":\"drain/me\",\"value\":\"v1\"}")))
                    .statusCode())
            .isEqualTo(201);
        slow.set(true);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
            http.sendAsync(
                request(s, "/api/v1/secrets/drain/me", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        s.close();
        HttpResponse<String> finished = inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(finished.body()).contains("\"value\":\"v1\"");
      } finally {
        s.close();
      }
      assertThatThrownBy(
              () ->
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);
    }
  }
}
