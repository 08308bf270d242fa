package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication link of the chain over real HTTP: what it refuses before any key is checked,
 * what it records, and that an unauthenticated client cannot grow the audit log one row per
 * request.
 */
@DisplayName("authentication: refusals, throttling and what they leave in the audit log")
class AuthenticatorTest {
  @TempDir Path dir;
  final HttpTestClient client = new HttpTestClient();
  RealServer started;

  @AfterEach
  void stop() {
    if (started != null) {
      started.server().close();
    }
  }

  int port() {
    return started.server().port();
  }

  List<AuditEntry> entries() {
    return started.server().auditLog().read(0, 10_000, Optional.empty());
  }

  @Nested
  @DisplayName("refused before the key is looked at")
  class Refused {
    @Test
    @DisplayName("two Authorization headers: 400, whichever of them is valid")
    void twoAuthorizationHeaders_400() {
      started = RealServer.start(dir);
      String admin = started.adminKey();
      for (String[] pair :
          new String[][] {
            {admin, "lns_0000000000000000_x"}, {"lns_0000000000000000_x", admin}, {admin, admin}
          }) {
        Reply r =
            client.rawRequest(
                port(),
                "GET /api/v1/whoami HTTP/1.1\r\nAuthorization: Bearer "
                    + pair[0]
                    + "\r\nAuthorization: Bearer "
                    + pair[1],
                null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body())
            .contains("more than one Authorization header")
            .doesNotContain(RealServer.secretPart(admin));
      }
    }

    @Test
    @DisplayName("an API key pasted into the path: 400, and the audit entry holds only its id")
    void apiKeyInThePath_400_andRedactedInTheAuditLog() throws Exception {
      started = RealServer.start(dir);
      String admin = started.adminKey();
      String leaked = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      String secretPart = RealServer.secretPart(leaked);
      for (String path :
          List.of(
              "/api/v1/secrets/" + leaked,
              "/api/v1/secrets/app/" + leaked + "/x",
              "/api/v1/secrets/" + leaked + ":versions")) {
        Reply r = client.call(port(), "GET", path, admin, null, null);
        assertThat(r.status()).as(path).isEqualTo(400);
        assertThat(r.body()).contains("revoke").doesNotContain(secretPart);
      }
      // Percent-encoded, the key is only seen after the name is decoded: refused there, recorded
      // redacted.
      Reply encoded =
          client.call(
              port(),
              "GET",
              "/api/v1/secrets/app%2F" + leaked.replace("_", "%5F"),
              admin,
              null,
              null);
      assertThat(encoded.status()).isEqualTo(400);
      Reply inBody =
          client.call(
              port(),
              "POST",
              "/api/v1/secrets",
              admin,
              "application/json",
              "{\"key\":\"app/" + leaked + "\",\"value\":\"v\"}");
      assertThat(inBody.status()).isEqualTo(400);
      assertThat(entries())
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.toString()).doesNotContain(secretPart));
      assertThat(entries())
          .extracting(e -> e.secretName().orElse(""))
          .contains("app/lns_" + ApiKeys.idOf(leaked) + "_***");
      assertThat(client.call(port(), "GET", "/api/v1/audit?limit=1000", admin, null, null).body())
          .doesNotContain(secretPart);
      assertThat(Files.readString(Path.of("target/server-test.log"), StandardCharsets.UTF_8))
          .doesNotContain(secretPart);
    }

    @Test
    @DisplayName("HEAD under /api: 405, and nothing about the secret")
    void head_405() {
      started = RealServer.start(dir);
      client.call(
          port(),
          "POST",
          "/api/v1/secrets",
          started.adminKey(),
          "application/json",
          "{\"key\":\"a/b\",\"value\":\"v\"}");
      for (String path :
          List.of(
              "/api/v1/secrets/a/b",
              "/api/v1/secrets/a/missing",
              "/api/v1/secrets",
              "/api/v1/whoami")) {
        Reply r = client.call(port(), "HEAD", path, started.adminKey(), null, null);
        assertThat(r.status()).as(path).isEqualTo(405);
      }
    }
  }

  @Nested
  @DisplayName("an unauthenticated flood")
  class Flood {
    @Test
    @DisplayName(
        "keyless and bad-key requests are throttled, and the audit log grows by a few rows, not one per request")
    void keylessFlood_isThrottled_andAggregatedInTheAuditLog() {
      started = RealServer.start(dir, b -> b.authFailureLimit(10, Duration.ofMinutes(1)));
      int sent = 300;
      int throttled = 0;
      int refused = 0;
      for (int i = 0; i < sent; i++) {
        String key =
            switch (i % 3) {
              case 0 -> null;
              case 1 -> "not-a-key";
              default -> "lns_0123456789abcdef_" + "A".repeat(43);
            };
        int status = client.call(port(), "GET", "/api/v1/secrets/app/db", key, null, null).status();
        if (status == 429) {
          throttled++;
        } else if (status == 401) {
          refused++;
        }
      }
      assertThat(refused).as("the first ten fail as usual").isEqualTo(10);
      assertThat(throttled)
          .as("then every request waits, with or without a key")
          .isEqualTo(sent - 10);
      started.server().flushRefusals();
      List<AuditEntry> rows = entries();
      assertThat(rows)
          .as("one entry per outcome for the address, plus one count each: " + rows)
          .hasSize(4);
      assertThat(rows.stream().mapToLong(e -> Math.max(1, e.repeated())).sum())
          .as("every refusal is counted")
          .isEqualTo(sent);
      assertThat(started.server().auditLog().verify().intact()).isTrue();
      // S8: a valid key from the same address is served all the same: others' failures do not lock
      // it out.
      assertThat(
              client.call(port(), "GET", "/api/v1/whoami", started.adminKey(), null, null).status())
          .isEqualTo(200);
    }

    @Test
    @DisplayName(
        "S8: one keyless request every few seconds keeps no valid key from the same address at 429")
    void aSlowKeylessTrickle_neverLocksOutValidKeys_norDashboardSessions() {
      started = RealServer.start(dir, b -> b.authFailureLimit(3, Duration.ofMinutes(1)));
      String reader = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      Reply signIn = client.call(port(), "POST", "/api/v1/session", reader, null, null);
      String cookie = SessionTest.sessionCookie(signIn.headers()).split(";", 2)[0];
      String token = signIn.json().get("csrfToken").asText();
      for (int i = 0; i < 20; i++) {
        assertThat(client.call(port(), "GET", "/api/v1/secrets", null, null, null).status())
            .isIn(401, 429);
        assertThat(
                client
                    .call(
                        port(),
                        "GET",
                        "/api/v1/secrets",
                        "lns_0123456789abcdef_" + "B".repeat(43),
                        null,
                        null)
                    .status())
            .isIn(401, 429);
        assertThat(
                client
                    .call(port(), "GET", "/api/v1/whoami", started.adminKey(), null, null)
                    .status())
            .as("the admin key, round %d", i)
            .isEqualTo(200);
        assertThat(client.call(port(), "GET", "/api/v1/secrets", reader, null, null).status())
            .isEqualTo(200);
        assertThat(
                client
                    .call(
                        port(),
                        "GET",
                        "/api/v1/whoami",
                        null,
                        null,
                        null,
                        java.util.Map.of("Cookie", cookie, Sessions.CSRF_HEADER, token))
                    .status())
            .as("a session")
            .isEqualTo(200);
      }
      assertThat(client.call(port(), "GET", "/api/v1/secrets", null, null, null).status())
          .as("the flood itself waits")
          .isEqualTo(429);
    }
  }
}
