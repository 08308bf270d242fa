package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name percent-encoded once reaches the same secret as the name itself, as clients generated from
 * the OpenAPI document send it ({@code /} as {@code %2F}); the path is decoded exactly once, so
 * what a second decoding would make of it is refused. (MalformedInputTest sends the refused forms.)
 */
@DisplayName("names percent-encoded once address the same secret")
class PercentEncodedNamesTest {
  @TempDir Path dir;
  RealServer started;
  final HttpTestClient client = new HttpTestClient();

  @BeforeEach
  void start() {
    started = RealServer.start(dir);
  }

  @AfterEach
  void stop() {
    started.server().close();
  }

  Reply call(String method, String path, String body) {
    return client.call(
        started.server().port(),
        method,
        path,
        started.adminKey(),
        body == null ? null : "application/json",
        body);
  }

  @Test
  void everyOperation_acceptsTheEncodedName_andActsOnTheSameSecret() {
    assertThat(
            call("POST", "/api/v1/secrets", "{\"key\":\"prod/db/password\",\"value\":\"v1\"}")
                .status())
        .isEqualTo(201);
    Reply read = call("GET", "/api/v1/secrets/prod%2Fdb%2Fpassword", null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("key").asText()).isEqualTo("prod/db/password");
    assertThat(read.json().get("value").asText()).isEqualTo("v1");
    assertThat(
            call("GET", "/api/v1/secrets/prod%2fdb/password?version=1", null)
                .json()
                .get("value")
                .asText())
        .as("lower-case escapes and a mix of both forms")
        .isEqualTo("v1");
    assertThat(
            call("GET", "/api/v1/secrets/prod%2Fdb%2Fpassword:versions", null)
                .json()
                .get("versions"))
        .hasSize(1);
    assertThat(
            call("GET", "/api/v1/secrets/prod%2Fdb%2Fpassword%3Ametadata", null)
                .json()
                .get("key")
                .asText())
        .as("the colon encoded too")
        .isEqualTo("prod/db/password");
    assertThat(call("DELETE", "/api/v1/secrets/prod%2Fdb%2Fpassword", null).status())
        .isEqualTo(204);
    assertThat(call("GET", "/api/v1/secrets/prod/db/password", null).status()).isEqualTo(404);
    assertThat(call("POST", "/api/v1/secrets/prod%2Fdb%2Fpassword:restore", "").status())
        .isEqualTo(204);
    assertThat(call("GET", "/api/v1/secrets/prod/db/password", null).json().get("value").asText())
        .isEqualTo("v1");

    java.util.List<AuditEntry> audited =
        started.server().auditLog().read(0, 100, java.util.Optional.empty());
    assertThat(audited)
        .filteredOn(e -> e.action().equals("read"))
        .allSatisfy(e -> assertThat(e.secretName()).contains("prod/db/password"));
  }

  @Test
  void encodedTwice_isRefusedAsAnInvalidName_andReachesNothing() {
    call("POST", "/api/v1/secrets", "{\"key\":\"prod/db\",\"value\":\"v1\"}");
    for (String path :
        new String[] {
          "prod%252Fdb",
          "prod%252fdb",
          "%2e%2e%2Fprod%2Fdb",
          "prod%2F..%2Fprod%2Fdb",
          "prod%2Fdb%00",
          "prod%2Fdb%C3%28"
        }) {
      Reply r = call("GET", "/api/v1/secrets/" + path, null);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.body()).as(path).doesNotContain("v1");
    }
  }
}
