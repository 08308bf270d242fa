package com.lanonasis.secrets.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.lanonasis.secrets.openapi.generated.ApiClient;
import com.lanonasis.secrets.openapi.generated.ApiException;
import com.lanonasis.secrets.openapi.generated.api.SecretsApi;
import com.lanonasis.secrets.openapi.generated.api.ServerApi;
import com.lanonasis.secrets.openapi.generated.model.Problem;
import com.lanonasis.secrets.openapi.generated.model.Role;
import com.lanonasis.secrets.openapi.generated.model.Secret;
import com.lanonasis.secrets.openapi.generated.model.SecretMetadata;
import com.lanonasis.secrets.openapi.generated.model.SecretPage;
import com.lanonasis.secrets.openapi.generated.model.VersionConflictProblem;
import com.lanonasis.secrets.openapi.generated.model.VersionInfo;
import com.lanonasis.secrets.openapi.generated.model.WriteSecretRequest;
import com.lanonasis.secrets.openapi.generated.model.WrittenVersion;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client generated from the server's OpenAPI document by openapi-generator (Java, {@code native}
 * library) against a real server: every call here goes through the generated code only, so what it
 * sends is what any tool that reads the document would send — a name's {@code /} in {@code {key}}
 * percent-encoded as {@code %2F} (RFC 6570 simple expansion).
 *
 * <p>The generated {@code native} client has no authentication support of its own; its documented
 * hook, the request interceptor, adds the {@code Authorization: Bearer} header the document's
 * security scheme names.
 */
@ExtendWith(RealServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientTest {
  SecretsServer server;
  String admin;
  ApiClient client;
  SecretsApi secrets;

  @BeforeAll
  void start(RealServer started) {
    server = started.server();
    admin = started.adminKey();
    client = clientWithKey(admin);
    secrets = new SecretsApi(client);
  }

  ApiClient clientWithKey(String key) {
    ApiClient c = new ApiClient();
    c.updateBaseUri("http://127.0.0.1:" + server.port());
    if (key != null) {
      c.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
    }
    return c;
  }

  Problem problem(ApiException e) {
    assertThat(e.getResponseHeaders().firstValue("Content-Type"))
        .get(STRING)
        .startsWith("application/problem+json");
    try {
      return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    } catch (JsonProcessingException x) {
      throw new AssertionError("not a problem: " + e.getResponseBody(), x);
    }
  }

  /**
   * Writes two versions, reads both back, finds the name in a listing and its versions, reads its
   * metadata, deletes it and sees it gone — each step through the generated client.
   */
  void roundTrip(String name) throws ApiException {
    WrittenVersion first = secrets.writeSecret(new WriteSecretRequest().key(name).value("hunter2"));
    assertThat(first.getKey()).isEqualTo(name);
    assertThat(first.getVersion()).isEqualTo(1L);
    WrittenVersion second =
        secrets.writeSecret(new WriteSecretRequest().key(name).value("n3w").expectedVersion(1L));
    assertThat(second.getVersion()).isEqualTo(2L);

    Secret latest = secrets.readSecret(name, null, null, null);
    assertThat(latest.getKey()).isEqualTo(name);
    assertThat(latest.getValue()).isEqualTo("n3w");
    assertThat(latest.getVersion()).isEqualTo(2L);
    Secret older = secrets.readSecret(name, 1L, null, null);
    assertThat(older.getValue()).isEqualTo("hunter2");
    assertThat(older.getVersion()).isEqualTo(1L);
    assertThat(secrets.readSecret(name, 1L, "base64", null).getValueBase64())
        .isEqualTo("aHVudGVyMg==");

    SecretPage page = secrets.listSecrets(name, null, 10, null);
    String tail = name.substring(name.lastIndexOf('/') + 1).toUpperCase(java.util.Locale.ROOT);
    assertThat(secrets.listSecrets(null, tail, 10, null).getItems())
        .as("contains=, any case")
        .extracting(SecretMetadata::getKey)
        .contains(name);
    assertThat(page.getItems()).extracting(SecretMetadata::getKey).contains(name);
    assertThat(page.getItems())
        .filteredOn(i -> i.getKey().equals(name))
        .singleElement()
        .extracting(SecretMetadata::getVersion)
        .isEqualTo(2L);

    List<VersionInfo> versions = secrets.listSecretVersions(name).getVersions();
    assertThat(versions).extracting(VersionInfo::getVersion).containsExactly(1L, 2L);
    assertThat(versions).extracting(VersionInfo::getDestroyed).containsOnly(false);
    assertThat(secrets.readSecretMetadata(name).getVersion()).isEqualTo(2L);

    secrets.deleteSecret(name);
    ApiException gone =
        catchThrowableOfType(ApiException.class, () -> secrets.readSecret(name, null, null, null));
    assertThat(gone.getCode()).isEqualTo(404);
    assertThat(problem(gone).getCode()).isEqualTo("not_found");
    assertThat(secrets.listSecrets(name, null, 10, null).getItems())
        .extracting(SecretMetadata::getKey)
        .doesNotContain(name);
  }

  @Nested
  @DisplayName("a secret makes the whole round trip through the generated client")
  class RoundTrip {
    @Test
    @DisplayName("a name without '/', which needs no encoding")
    void roundTrip_nameWithoutSlash_writesReadsListsVersionsAndDeletes() throws ApiException {
      roundTrip("openapi-db-password");
    }

    /** The generated client sends {@code /api/v1/secrets/prod%2Fdb%2Fpassword}. */
    @Test
    @DisplayName("a name with '/', which the client sends as %2F")
    void roundTrip_nameWithSlash_writesReadsListsVersionsAndDeletes() throws ApiException {
      roundTrip("prod/db/password");
    }
  }

  @Nested
  @DisplayName("what the generated client encodes is decoded once, then held to the name rules")
  class Refused {
    /**
     * The client encodes each of these once ({@code prod%2F..%2Fdb}, {@code prod%252Fdb}, {@code
     * prod%00db}); decoded once, none is a valid name, so each is a 400 problem. A server that does
     * not decode names yet refuses any {@code %}, so these hold before and after.
     */
    @ParameterizedTest
    @ValueSource(
        strings = {"prod/../db", "prod/./db", "prod//db", "/prod/db", "prod%2Fdb", "prod<NUL>db"})
    void readSecret_notAName_isA400Problem(String shown) {
      String notAName =
          shown.replace("<NUL>", "\0"); // a NUL would not survive the test report's XML
      ApiException e =
          catchThrowableOfType(
              ApiException.class, () -> secrets.readSecret(notAName, null, null, null));
      assertThat(e.getCode()).as(shown).isEqualTo(400);
      assertThat(problem(e).getStatus()).isEqualTo(400);
    }
  }

  @Nested
  @DisplayName("errors arrive as the problems the generated models describe")
  class Errors {
    @Test
    void writeSecret_wrongExpectedVersion_isA409ProblemWithCurrentVersion() throws Exception {
      secrets.writeSecret(new WriteSecretRequest().key("openapi-conflict").value("v"));
      ApiException e =
          catchThrowableOfType(
              ApiException.class,
              () ->
                  secrets.writeSecret(
                      new WriteSecretRequest()
                          .key("openapi-conflict")
                          .value("v")
                          .expectedVersion(7L)));
      assertThat(e.getCode()).isEqualTo(409);
      VersionConflictProblem conflict =
          client.getObjectMapper().readValue(e.getResponseBody(), VersionConflictProblem.class);
      assertThat(conflict.getCode()).isEqualTo("version_conflict");
      assertThat(conflict.getCurrentVersion()).isEqualTo(1L);
    }

    @Test
    void whoami_withoutAKey_isA401Problem_andWithTheKey_namesTheCaller() throws ApiException {
      ApiException e =
          catchThrowableOfType(
              ApiException.class, () -> new ServerApi(clientWithKey(null)).whoami());
      assertThat(e.getCode()).isEqualTo(401);
      assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate"))
          .hasValue("Bearer error=\"invalid_token\", error_description=\"no API key was sent\"");
      assertThat(problem(e).getStatus()).isEqualTo(401);

      assertThat(new ServerApi(client).whoami().getRole()).isEqualTo(Role.ADMIN);
      assertThat(new ServerApi(clientWithKey(null)).health().getStatus()).hasToString("up");
    }
  }
}
