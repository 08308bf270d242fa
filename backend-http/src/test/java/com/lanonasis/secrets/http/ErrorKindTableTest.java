package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.testkit.ErrorKindTable;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the SDK throws the exception of each error kind as docs/errors.md says")
class ErrorKindTableTest {
  private static final ErrorKindTable TABLE = ErrorKindTable.read();

  private static void assertKind(Kind kind, ThrowingCallable call) {
    SecretsException e = catchThrowableOfType(SecretsException.class, call);
    assertThat(e).as("%s is thrown", kind).isNotNull();
    assertThat(e.kind()).as(e.getClass().getSimpleName() + ": " + e.getMessage()).isEqualTo(kind);
    assertThat(TABLE.row(kind).javaExceptions()).contains(e.getClass().getSimpleName());
    assertThat(e.isRetryable()).isEqualTo(kind == Kind.UNAVAILABLE);
  }

  @Test
  @DisplayName(
      "every kind's answer, as the server's table sends it, becomes an exception of that kind")
  void everyKind_scriptedAnswer_thatKind() throws Exception {
    for (ErrorKindTable.Row row : TABLE.rows()) {
      try (MockWebServer mock = new MockWebServer()) {
        mock.start();
        mock.enqueue(TransportFaultTest.json(200, TransportFaultTest.WHOAMI));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("status", row.restStatus());
        problem.put("detail", "as the server says it");
        if (!row.problemCodes().isEmpty()) {
          problem.put("code", row.problemCodes().get(0));
        }
        problem.put("currentVersion", 2);
        problem.put("tenant", "acme");
        StringBuilder body = new StringBuilder("{");
        problem.forEach(
            (k, v) ->
                body.append(body.length() > 1 ? "," : "")
                    .append('"')
                    .append(k)
                    .append("\":")
                    .append(v instanceof String ? "\"" + v + "\"" : v));
        MockResponse.Builder answer =
            new MockResponse.Builder()
                .code(row.restStatus())
                .setHeader("Content-Type", "application/problem+json")
                .body(body.append('}').toString());
        if (row.restStatus() == 503) {
          answer.setHeader("Retry-After", "1");
        }
        mock.enqueue(answer.build());
        try (SecretManagerClient client =
            new SecretManagerClient(
                SecretManagerClientConfig.builder()
                    .apiUrl(mock.url("/").toString())
                    .apiKey(TransportFaultTest.KEY)
                    .retries(0, Duration.ofMillis(1), Duration.ofMillis(1))
                    .build())) {
          assertKind(
              row.kind(),
              () -> client.put("app/db", SecretValue.ofUtf8("v"), PutOptions.ifVersion(1)));
        }
      }
    }
  }

  @Nested
  @DisplayName("against a real server")
  class AgainstTheServer {
    @TempDir static Path dir;
    static RealServer server;

    @BeforeAll
    static void start() {
      server = RealServer.start(dir);
    }

    @AfterAll
    static void stop() {
      server.close();
    }

    @Test
    @DisplayName(
        "NOT_FOUND, CONFLICT, INVALID, DENIED, UNAUTHENTICATED, INTEGRITY and GONE, each of its kind")
    void reachableKinds_thatKind() throws Exception {
      String tenant = "walk-sdk";
      String writer = server.server().apiKeys().create(tenant, Role.READ_WRITE, "");
      String reader = server.server().apiKeys().create(tenant, Role.READ_ONLY, "");
      try (SecretManagerClient rw =
              new SecretManagerClient(ClientConfigs.of(server, writer).build());
          SecretManagerClient ro =
              new SecretManagerClient(ClientConfigs.of(server, reader).build());
          KeysetAdminClient operator =
              new KeysetAdminClient(
                  ClientConfigs.of(
                          server, server.server().apiKeys().create("default", Role.ADMIN, ""))
                      .build())) {
        assertKind(Kind.NOT_FOUND, () -> rw.get("walk/none"));
        rw.setSecret("walk/a", "1");
        assertKind(
            Kind.CONFLICT,
            () -> rw.put("walk/a", SecretValue.ofUtf8("2"), PutOptions.ifVersion(7)));
        assertKind(Kind.INVALID, () -> rw.list(ListOptions.all().after("not-a-cursor")));
        assertKind(Kind.DENIED, () -> ro.setSecret("walk/a", "3"));
        assertKind(
            Kind.UNAUTHENTICATED,
            () ->
                new SecretManagerClient(
                    ClientConfigs.of(server, "lns_0000000000000000_" + "A".repeat(43)).build()));

        rw.setSecret("walk/b", "b");
        try (Connection c =
                DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
            Statement s = c.createStatement()) {
          s.executeUpdate(
              "UPDATE secret_versions SET ciphertext = (SELECT ciphertext FROM secret_versions WHERE "
                  + "tenant = '"
                  + tenant
                  + "' AND name = 'walk/a' AND version = 1) WHERE tenant = '"
                  + tenant
                  + "' AND name = 'walk/b'");
        }
        assertKind(Kind.INTEGRITY, () -> rw.get("walk/b"));

        operator.destroy(tenant);
        assertKind(Kind.GONE, () -> rw.get("walk/a"));
      }
    }
  }
}
