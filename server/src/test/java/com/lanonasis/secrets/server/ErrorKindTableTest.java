package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.testkit.ErrorKindTable;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the server answers every error kind as docs/errors.md says")
class ErrorKindTableTest {
  private static final ErrorKindTable TABLE = ErrorKindTable.read();
  private final Problems problems = new Problems(new ObjectMapper(), 1024);

  @Test
  @DisplayName(
      "an AccessDeniedException that reaches the problem table is 403 and audited as denied, not a 500")
  void accessDenied_is403Denied() {
    Problem p = problems.of(new AccessDeniedException("this API key is read-only"));
    assertThat(p.status()).isEqualTo(403);
    assertThat(p.body())
        .containsEntry("title", "Forbidden")
        .containsEntry("detail", "this API key is read-only");
    assertThat(p.outcome()).isEqualTo("denied");
  }

  @Test
  @DisplayName("every exception class answers its kind's status, problem code and audit outcome")
  void everyClass_problemAndOutcome_asTheTable() {
    for (SecretsException e : ErrorKindTable.oneOfEachClass()) {
      ErrorKindTable.Row row = TABLE.row(e.kind());
      Problem p = problems.of(e);
      String what = e.getClass().getSimpleName();
      assertThat(p.status())
          .as(what)
          .isEqualTo(e instanceof SecretTooLargeException ? 413 : row.restStatus());
      assertThat(p.outcome()).as(what).isEqualTo(row.auditOutcome());
      Object code = p.body().get("code");
      if (row.problemCodes().isEmpty()) {
        assertThat(code).as(what).isNull();
      } else if (code != null) {
        assertThat(row.problemCodes()).as(what).contains((String) code);
      }
      assertThat(Problems.outcome(e.kind())).isEqualTo(row.auditOutcome());
    }
  }

  @Test
  @DisplayName("the kinds whose status is ambiguous carry a code the SDKs tell them apart by")
  void ambiguousStatuses_carryTheTablesCode() {
    for (SecretsException e : ErrorKindTable.oneOfEachClass()) {
      if (e.kind() == Kind.INTEGRITY || e.kind() == Kind.CONFIGURATION || e.kind() == Kind.GONE) {
        assertThat(problems.of(e).body().get("code")).as(e.getClass().getSimpleName()).isNotNull();
      }
    }
  }

  @Nested
  @DisplayName("over HTTP, on a real server")
  class OverHttp {
    @TempDir static Path dir;
    static RealServer started;
    static int port;
    final HttpTestClient http = new HttpTestClient();

    @BeforeAll
    static void start() {
      started = RealServer.start(dir);
      port = started.server().port();
    }

    @AfterAll
    static void stop() {
      started.server().close();
    }

    private HttpTestClient.Reply post(String key, String body) {
      return http.call(port, "POST", "/api/v1/secrets", key, "application/json", body);
    }

    /** Checks the answer and the newest audit entry (the admin's own reads of the log aside). */
    private void assertKind(Kind kind, HttpTestClient.Reply reply) {
      ErrorKindTable.Row row = TABLE.row(kind);
      assertThat(reply.status()).as(kind + ": " + reply.body()).isEqualTo(row.restStatus());
      assertThat(reply.contentType()).startsWith(Problems.CONTENT_TYPE);
      JsonNode code = reply.json().get("code");
      if (code != null) {
        assertThat(row.problemCodes()).as(kind.name()).contains(code.asText());
      }
      List<String> outcomes = new ArrayList<>();
      for (JsonNode item :
          http.call(port, "GET", "/api/v1/audit?before=0&limit=20", started.adminKey(), null, null)
              .json()
              .get("items")) {
        if (!item.get("action").asText().equals("audit.read")) {
          outcomes.add(item.get("outcome").asText());
        }
      }
      assertThat(outcomes)
          .as("the newest entry, of %s", kind)
          .first()
          .isEqualTo(row.auditOutcome());
    }

    @Test
    @DisplayName(
        "NOT_FOUND, CONFLICT, INVALID, DENIED, UNAUTHENTICATED, GONE and INTEGRITY as the table says")
    void reachableKinds_asTheTable() throws Exception {
      String tenant = "walk";
      String writer = started.server().apiKeys().create(tenant, Role.READ_WRITE, "");
      String reader = started.server().apiKeys().create(tenant, Role.READ_ONLY, "");

      assertKind(
          Kind.NOT_FOUND, http.call(port, "GET", "/api/v1/secrets/walk/none", writer, null, null));

      assertThat(post(writer, "{\"key\":\"walk/a\",\"value\":\"1\"}").status()).isEqualTo(201);
      assertKind(
          Kind.CONFLICT,
          post(writer, "{\"key\":\"walk/a\",\"value\":\"2\",\"expectedVersion\":7}"));

      assertKind(Kind.INVALID, post(writer, "{\"key\":\"walk/../a\",\"value\":\"1\"}"));

      assertKind(Kind.DENIED, post(reader, "{\"key\":\"walk/a\",\"value\":\"3\"}"));

      assertKind(
          Kind.UNAUTHENTICATED,
          http.call(
              port,
              "GET",
              "/api/v1/secrets/walk/a",
              "lns_0000000000000000_" + "A".repeat(43),
              null,
              null));

      // INTEGRITY: a ciphertext moved to another name fails its associated data.
      assertThat(post(writer, "{\"key\":\"walk/b\",\"value\":\"b\"}").status()).isEqualTo(201);
      try (Connection c =
              DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/secrets.db"));
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE secret_versions SET ciphertext = (SELECT ciphertext FROM secret_versions WHERE "
                + "tenant = 'walk' AND name = 'walk/a' AND version = 1) WHERE tenant = 'walk' AND name = 'walk/b'");
      }
      assertKind(
          Kind.INTEGRITY, http.call(port, "GET", "/api/v1/secrets/walk/b", writer, null, null));

      assertThat(
              http.call(
                      port,
                      "POST",
                      "/api/v1/keysets/walk:destroy",
                      started.adminKey(),
                      "application/json",
                      "{\"confirm\":\"walk\"}")
                  .status())
          .isEqualTo(200);
      assertKind(Kind.GONE, http.call(port, "GET", "/api/v1/secrets/walk/a", writer, null, null));
    }
  }
}
