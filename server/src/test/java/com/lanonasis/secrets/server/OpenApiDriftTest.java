package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the server it describes: the routes Javalin really has, the
 * operations that really answer over HTTP, and the shapes of what they really send.
 *
 * <p>{@code /api/v1/secrets/*} is one Javalin route whose handler dispatches {@code :versions},
 * {@code :restore} and {@code :destroy}, so comparing route tables cannot see those operations;
 * every documented operation is therefore also called, on the path built from its documented
 * template, and must answer with a documented status and a body that fits the documented schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDriftTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** Methods sent to a documented path where the document does not list them. */
  static final List<String> PROBED_METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");

  /** Ends in a word that is also an action, so a path template that confused the two would show. */
  static final String NAME = "drift/app/versions";

  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;
  Reply served;
  JsonNode doc;
  JsonSchemaSubset schemas;

  @BeforeAll
  void start(@TempDir Path dir) {
    // Dozens of deliberate keyless requests from one address: throttling has its own test
    // (AuthThrottleTest).
    RealServer started =
        RealServer.start(dir, b -> b.authFailureLimit(1_000_000, java.time.Duration.ofMinutes(1)));
    server = started.server();
    admin = started.adminKey();
    served = call("GET", OpenApiDocument.PATH, null, null, null);
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    doc = served.json();
    schemas = new JsonSchemaSubset(doc);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Reply call(String method, String path, String key, String contentType, String body) {
    return client.call(server.port(), method, path, key, contentType, body);
  }

  // ---- the comparison
  // ------------------------------------------------------------------------------

  /**
   * Routes without documentation, and documented operations without a route, as {@code "METHOD
   * shape"}.
   */
  record Drift(Set<String> undocumented, Set<String> unimplemented) {
    boolean none() {
      return undocumented.isEmpty() && unimplemented.isEmpty();
    }
  }

  static Drift compare(Collection<String> routes, Collection<String> documented) {
    Set<String> real =
        routes.stream().map(OpenApiDriftTest::shape).collect(Collectors.toCollection(TreeSet::new));
    Set<String> described =
        documented.stream()
            .map(OpenApiDriftTest::shape)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> undocumented = new TreeSet<>(real);
    undocumented.removeAll(described);
    Set<String> unimplemented = new TreeSet<>(described);
    unimplemented.removeAll(real);
    return new Drift(undocumented, unimplemented);
  }

  /**
   * {@code "METHOD path"} with every variable segment written {@code {}}: Javalin's {@code *},
   * {@code {p}} and {@code <p>}, and OpenAPI's {@code {key}} with whatever follows it in the
   * segment ({@code {key}:versions}). Both {@code GET /api/v1/secrets/*} and {@code GET
   * /api/v1/secrets/{key}:versions} become {@code GET /api/v1/secrets/{}}.
   */
  static String shape(String route) {
    int space = route.indexOf(' ');
    String method = route.substring(0, space).toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(method).append(' ');
    String[] segments = route.substring(space + 1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (i > 0) {
        out.append('/');
      }
      out.append(s.equals("*") || s.contains("{") || s.contains("<") ? "{}" : s);
    }
    return out.toString();
  }

  /** Every operation of the document as {@code "METHOD path-template"}. */
  static List<String> documentedOperations(JsonNode doc) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (String method : METHODS) {
        if (path.getValue().has(method)) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    return out;
  }

  /** operationId → (method, path template, operation). */
  Map<String, Operation> operations() {
    Map<String, Operation> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (String method : METHODS) {
        JsonNode op = path.getValue().get(method);
        if (op != null) {
          out.put(
              op.path("operationId").asText(),
              new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), op));
        }
      }
    }
    return out;
  }

  record Operation(String method, String template, JsonNode node) {}

  @Nested
  @DisplayName("the routes Javalin has are the operations the document lists")
  class Routes {
    @Test
    void registeredRoutes_matchDocumentedOperations() {
      // The dashboard's page and files are not API operations (DashboardFilesTest covers them), and
      // /mcp speaks JSON-RPC, described by the MCP specification and its own tools/list
      // (McpHttpTest);
      // the /.well-known/oauth-* refusals are for MCP clients (McpHttpTest too).
      List<String> routes =
          server.routes().stream()
              .filter(
                  r ->
                      !r.equals("GET /")
                          && !r.startsWith("GET " + DashboardFiles.PREFIX)
                          && !r.endsWith(" " + McpRoutes.PATH)
                          && !r.startsWith("GET /.well-known/"))
              .toList();
      assertThat(server.routes())
          .as("routes() reads Javalin's router")
          .contains("GET " + OpenApiDocument.PATH, "GET /");
      Drift drift = compare(routes, documentedOperations(doc));
      assertThat(drift.undocumented()).as("routes missing from openapi.json").isEmpty();
      assertThat(drift.unimplemented()).as("operations in openapi.json without a route").isEmpty();
    }

    @Test
    void compare_routeAddedWithoutDocumentation_isReported() {
      Drift drift =
          compare(
              List.of(
                  "GET /healthz", "GET /api/v1/secrets/*", "PUT /api/v1/secrets/*", "GET /metrics"),
              List.of(
                  "GET /healthz",
                  "GET /api/v1/secrets/{key}",
                  "GET /api/v1/secrets/{key}:versions"));
      assertThat(drift.none()).isFalse();
      assertThat(drift.undocumented()).containsExactly("GET /metrics", "PUT /api/v1/secrets/{}");
      assertThat(drift.unimplemented()).isEmpty();
    }

    @Test
    void compare_operationDocumentedWithoutRoute_isReported() {
      Drift drift =
          compare(
              List.of("GET /healthz", "POST /api/v1/keys/*"),
              List.of(
                  "GET /healthz",
                  "POST /api/v1/keys/{id}:revoke",
                  "DELETE /api/v1/keys/{id}",
                  "GET /api/v1/audit/{seq}"));
      assertThat(drift.none()).isFalse();
      assertThat(drift.undocumented()).isEmpty();
      assertThat(drift.unimplemented())
          .containsExactly("DELETE /api/v1/keys/{}", "GET /api/v1/audit/{}");
    }

    @Test
    void compare_sameRoutes_reportsNothing() {
      Drift drift =
          compare(
              List.of("GET /api/v1/secrets/*", "post /api/v1/keys/<id>"),
              List.of("GET /api/v1/secrets/{key}:versions", "POST /api/v1/keys/{id}:revoke"));
      assertThat(drift.none()).as(drift.toString()).isTrue();
    }

    @Test
    void shape_writesEveryVariableSegmentTheSameWay() {
      assertThat(shape("GET /api/v1/secrets/*")).isEqualTo("GET /api/v1/secrets/{}");
      assertThat(shape("get /api/v1/secrets/{key}:versions")).isEqualTo("GET /api/v1/secrets/{}");
      assertThat(shape("POST /api/v1/keys/<id>")).isEqualTo("POST /api/v1/keys/{}");
      assertThat(shape("GET /api/v1/audit/verify")).isEqualTo("GET /api/v1/audit/verify");
    }
  }

  @Nested
  @DisplayName("every documented operation answers over HTTP as documented")
  class Operations {
    final Set<String> called = new HashSet<>();

    /**
     * Calls an operation with the admin key on the path built from its documented template, and
     * checks the status is the expected one and documented, and the body fits the documented
     * schema.
     */
    Reply expect(
        String operationId, Map<String, String> pathParams, String query, String body, int status) {
      return expectAs(admin, operationId, pathParams, query, body, status);
    }

    Reply expectAs(
        String key,
        String operationId,
        Map<String, String> pathParams,
        String query,
        String body,
        int status) {
      Operation op = operations().get(operationId);
      assertThat(op).as("documented operation " + operationId).isNotNull();
      String path = op.template();
      for (Map.Entry<String, String> p : pathParams.entrySet()) {
        path = path.replace("{" + p.getKey() + "}", p.getValue());
      }
      assertThat(path)
          .as("every path parameter of " + op.template() + " given")
          .doesNotContain("{");
      Reply r =
          call(op.method(), path + query, key, body == null ? null : "application/json", body);
      called.add(operationId);
      String what =
          op.method()
              + " "
              + path
              + query
              + " ("
              + operationId
              + ") answered "
              + r.status()
              + ": "
              + r.body();
      assertThat(r.status()).as(what).isEqualTo(status);
      assertDocumented(op, r, what);
      return r;
    }

    void assertDocumented(Operation op, Reply r, String what) {
      JsonNode response = resolve(op.node().path("responses").path(String.valueOf(r.status())));
      assertThat(response.isMissingNode()).as("status not documented: " + what).isFalse();
      JsonNode content = response.path("content");
      if (content.isMissingNode() || content.isEmpty()) {
        assertThat(r.body()).as("documented without a body: " + what).isEmpty();
        return;
      }
      String type = r.contentType().split(";", 2)[0].trim();
      assertThat(content.has(type))
          .as("content type " + type + " not documented: " + what)
          .isTrue();
      if (type.equals("text/plain")) {
        assertThat(content.get(type).path("schema").path("type").asText())
            .as(what)
            .isEqualTo("string");
        return;
      }
      List<String> errors = schemas.errors(content.get(type).path("schema"), r.json());
      assertThat(errors).as("body does not fit the documented schema: " + what).isEmpty();
    }

    @Test
    void everyOperation_answersItsDocumentedSuccess() {
      expect("health", Map.of(), "", null, 200);
      expect("readiness", Map.of(), "", null, 200);
      expect("metrics", Map.of(), "", null, 200);
      expect("getOpenApiDocument", Map.of(), "", null, 200);
      expect("whoami", Map.of(), "", null, 200);
      String write =
          "{\"key\":\""
              + NAME
              + "\",\"value\":\"v1\",\"description\":\"d\",\"labels\":{\"team\":\"x\"}}";
      expect("writeSecret", Map.of(), "", write, 201);
      expect(
          "writeSecret",
          Map.of(),
          "",
          "{\"key\":\"" + NAME + "\",\"value\":\"v2\",\"expectedVersion\":1}",
          200);
      expect("listSecrets", Map.of(), "?prefix=drift/&limit=1", null, 200);
      JsonNode read = expect("readSecret", Map.of("key", NAME), "", null, 200).json();
      assertThat(read.get("key").asText()).as("{key} may hold '/'").isEqualTo(NAME);
      assertThat(
              expect("readSecret", Map.of("key", NAME), "?version=1", null, 200)
                  .json()
                  .get("value")
                  .asText())
          .isEqualTo("v1");
      assertThat(
              expect("readSecret", Map.of("key", NAME), "?version=1&encoding=base64", null, 200)
                  .json()
                  .get("valueBase64")
                  .asText())
          .isEqualTo("djE=");
      JsonNode versions = expect("listSecretVersions", Map.of("key", NAME), "", null, 200).json();
      assertThat(versions.get("versions")).hasSize(2);
      expect("readSecretMetadata", Map.of("key", NAME), "", null, 200);
      JsonNode attributes =
          expect(
                  "updateSecretAttributes",
                  Map.of("key", NAME),
                  "",
                  "{\"description\":\"e\",\"expiresAt\":\"2100-01-01T00:00:00Z\"}",
                  200)
              .json();
      assertThat(attributes.get("expiresAt").asText()).startsWith("2100-01-01T00:00");
      assertThat(
              expect("revealSecret", Map.of("key", NAME), "", "{\"version\":1}", 200)
                  .json()
                  .get("value")
                  .asText())
          .isEqualTo("v1");
      expect("revealSecret", Map.of("key", NAME), "", null, 200);
      expect("createSession", Map.of(), "", null, 201);
      expect("readSession", Map.of(), "", null, 200);
      expect("deleteSession", Map.of(), "", null, 204);
      JsonNode preview =
          expect(
                  "importSecrets",
                  Map.of(),
                  "",
                  "{\"dryRun\":true,\"entries\":[{\"key\":\"drift/imported\",\"value\":\"i\"}]}",
                  200)
              .json();
      assertThat(preview.get("items").get(0).get("action").asText()).isEqualTo("create");
      expect(
          "importSecrets",
          Map.of(),
          "",
          "{\"entries\":[{\"key\":\"drift/imported\",\"value\":\"i\",\"expectedVersion\":0}]}",
          200);
      expect(
          "importSecrets",
          Map.of(),
          "",
          "{\"entries\":[{\"key\":\"drift/imported\",\"value\":\"i\",\"expectedVersion\":0}]}",
          409);
      expect(
          "importSecrets",
          Map.of(),
          "",
          "{\"entries\":[{\"key\":\"drift//bad\",\"value\":\"i\",\"expectedVersion\":0}]}",
          400);
      assertThat(
              expect("exportSecrets", Map.of(), "", "{\"prefix\":\"drift/imported\"}", 200)
                  .json()
                  .get("items"))
          .hasSize(1);
      JsonNode batch =
          expect(
                  "batchGetSecrets",
                  Map.of(),
                  "",
                  "{\"names\":[\"drift/none\",\"drift/imported\"]}",
                  200)
              .json();
      assertThat(batch.get("secrets")).hasSize(1);
      assertThat(batch.get("errors")).hasSize(1);
      expect("deleteSecret", Map.of("key", NAME), "", null, 204);
      expect("restoreSecret", Map.of("key", NAME), "", null, 204);
      expect("destroySecret", Map.of("key", NAME), "?version=1", null, 204);
      expect("destroySecret", Map.of("key", NAME), "", null, 204);
      String id =
          expect(
                  "createApiKey",
                  Map.of(),
                  "",
                  "{\"role\":\"read_only\",\"prefix\":\"drift/\"}",
                  201)
              .json()
              .get("id")
              .asText();
      expect("listApiKeys", Map.of(), "", null, 200);
      expect("revokeApiKey", Map.of("id", id), "", null, 204);
      expect("readAuditLog", Map.of(), "?limit=2", null, 200);
      expect("verifyAuditLog", Map.of(), "", null, 200);
      JsonNode checkpoint = expect("signAuditCheckpoint", Map.of(), "", null, 200).json();
      assertThat(checkpoint.get("seq").asLong()).isPositive();

      String t = "drift-keys";
      String writer = server.apiKeys().create(t, Role.READ_WRITE, "");
      for (String n : List.of("a", "b")) {
        expectAs(
            writer,
            "writeSecret",
            Map.of(),
            "",
            "{\"key\":\"drift/" + n + "\",\"value\":\"v\"}",
            201);
      }
      expect("readKeyset", Map.of("tenant", t), "", null, 200);
      expect("listKeysets", Map.of(), "", null, 200);
      expect("readMasterKeys", Map.of(), "", null, 200);
      JsonNode rotated = expect("rotateDataKey", Map.of("tenant", t), "", null, 200).json();
      String old = rotated.get("keys").get(1).get("id").asText();
      JsonNode slice =
          expect("resealKeyset", Map.of("tenant", t), "", "{\"batchSize\":1,\"maxRecords\":1}", 200)
              .json();
      assertThat(slice.get("done").asBoolean()).isFalse();
      assertThat(slice.get("resealed").asLong()).isEqualTo(1);
      JsonNode rest =
          expect(
                  "resealKeyset",
                  Map.of("tenant", t),
                  "",
                  "{\"batchSize\":1,\"resumeAfter\":" + slice.get("resumeAfter") + "}",
                  200)
              .json();
      assertThat(rest.get("resealed").asLong())
          .as("the second slice carries on: %s", rest)
          .isEqualTo(1);
      assertThat(rest.get("done").asBoolean()).isTrue();
      expect("retireDataKey", Map.of("tenant", t, "id", old), "", null, 204);
      expect("destroyKeyset", Map.of("tenant", t), "", "{\"confirm\":\"" + t + "\"}", 200);
      expect("reprovisionKeyset", Map.of("tenant", t), "", null, 200);
      List<String> audited = new ArrayList<>();
      for (AuditEntry e : server.auditLog().read(0, 10_000, java.util.Optional.empty())) {
        if (e.action().startsWith("keyset.")) {
          audited.add(
              e.action()
                  + " "
                  + e.secretName().orElse("")
                  + " "
                  + e.outcome()
                  + " "
                  + e.tenant().orElse(""));
        }
      }
      assertThat(audited)
          .as("every keyset request is audited under the operator, the tenant as subject")
          .contains(
              "keyset.read " + t + " ok default",
              "keyset.rotate " + t + " ok default",
              "keyset.reseal " + t + " ok default",
              "keyset.retire " + t + "/keys/" + old + " ok default",
              "keyset.destroy " + t + " ok default",
              "keyset.provision " + t + " ok default",
              "keyset.list  ok default",
              "keyset.master  ok default");

      assertThat(called)
          .as("every documented operation was called")
          .isEqualTo(operations().keySet());
    }

    @Test
    void errors_areDocumentedProblemsOfTheirOperation() {
      String readOnly = server.apiKeys().create("default", Role.READ_ONLY, "");
      expect("writeSecret", Map.of(), "", "{\"key\":\"drift/conflict\",\"value\":\"v\"}", 201);
      JsonNode conflict =
          expect(
                  "writeSecret",
                  Map.of(),
                  "",
                  "{\"key\":\"drift/conflict\",\"value\":\"v\",\"expectedVersion\":7}",
                  409)
              .json();
      assertThat(conflict.get("currentVersion").asLong()).isEqualTo(1);
      expect("writeSecret", Map.of(), "", "{\"key\":\"drift//bad\",\"value\":\"v\"}", 400);
      expectAs(
          readOnly, "writeSecret", Map.of(), "", "{\"key\":\"drift/ro\",\"value\":\"v\"}", 403);
      expect("readSecret", Map.of("key", "drift/missing"), "", null, 404);
      expect("readSecret", Map.of("key", "drift/conflict"), "?version=0", null, 400);
      expect("listSecrets", Map.of(), "?limit=0", null, 400);
      expect("destroySecret", Map.of("key", "drift/missing"), "", null, 404);
      expect("readSecretMetadata", Map.of("key", "drift/missing"), "", null, 404);
      expect("updateSecretAttributes", Map.of("key", "drift/missing"), "", "{}", 404);
      expectAs(readOnly, "updateSecretAttributes", Map.of("key", "drift/conflict"), "", "{}", 403);
      expect(
          "writeSecret",
          Map.of(),
          "",
          "{\"key\":\"drift/big\",\"valueBase64\":\""
              + java.util.Base64.getEncoder().encodeToString(new byte[64 * 1024 + 1])
              + "\"}",
          413);
      expectAs(readOnly, "deleteSecret", Map.of("key", "drift/conflict"), "", null, 403);
      expect("restoreSecret", Map.of("key", "drift/conflict"), "", null, 404);
      expect("revokeApiKey", Map.of("id", "0000000000000000"), "", null, 404);
      expectAs(readOnly, "readAuditLog", Map.of(), "", null, 403);
      expectAs(readOnly, "listApiKeys", Map.of(), "", null, 403);
      expect("readAuditLog", Map.of(), "?after=-1", null, 400);
      expectAs("lns_0000000000000000_nope", "whoami", Map.of(), "", null, 401);

      String gone = "drift-gone";
      String goneWriter = server.apiKeys().create(gone, Role.READ_WRITE, "");
      expectAs(
          goneWriter, "writeSecret", Map.of(), "", "{\"key\":\"drift/x\",\"value\":\"v\"}", 201);
      JsonNode status = expect("readKeyset", Map.of("tenant", gone), "", null, 200).json();
      String primary = status.get("keys").get(0).get("id").asText();
      expect("retireDataKey", Map.of("tenant", gone, "id", primary), "", null, 409);
      expect("retireDataKey", Map.of("tenant", gone, "id", "7"), "", null, 404);
      expect("reprovisionKeyset", Map.of("tenant", gone), "", null, 409);
      expect(
          "destroyKeyset", Map.of("tenant", gone), "", "{\"confirm\":\"not-" + gone + "\"}", 400);
      expectAs(readOnly, "readKeyset", Map.of("tenant", gone), "", null, 403);
      expectAs(readOnly, "readMasterKeys", Map.of(), "", null, 403);
      expect("listKeysets", Map.of(), "?after=no%20tenant", null, 400);
      expect("destroyKeyset", Map.of("tenant", gone), "", "{\"confirm\":\"" + gone + "\"}", 200);
      JsonNode shredded =
          expectAs(goneWriter, "readSecret", Map.of("key", "drift/x"), "", null, 410).json();
      assertThat(shredded.get("code").asText()).isEqualTo("keyset_destroyed");
      assertThat(shredded.get("tenant").asText()).isEqualTo(gone);
      expectAs(
          goneWriter, "writeSecret", Map.of(), "", "{\"key\":\"drift/y\",\"value\":\"v\"}", 410);
      expect("rotateDataKey", Map.of("tenant", gone), "", null, 410);
      expect("resealKeyset", Map.of("tenant", gone), "", null, 410);
      expect("retireDataKey", Map.of("tenant", gone, "id", primary), "", null, 410);
      expect("reprovisionKeyset", Map.of("tenant", gone), "", null, 200);
      JsonNode valueGone =
          expectAs(goneWriter, "readSecret", Map.of("key", "drift/x"), "", null, 410).json();
      assertThat(valueGone.get("code").asText())
          .as("sealed before the shred: gone for good")
          .isEqualTo("value_gone");

      Operation create = operations().get("createApiKey");
      Reply plain = call("POST", create.template(), admin, "text/plain", "{\"role\":\"ADMIN\"}");
      assertThat(plain.status()).isEqualTo(415);
      assertDocumented(create, plain, "createApiKey as text/plain");
    }

    @Test
    void withoutAKey_onlyOperationsDocumentedAsPublicAnswer() {
      for (Map.Entry<String, Operation> e : operations().entrySet()) {
        Operation op = e.getValue();
        boolean isPublic = op.node().has("security") && op.node().get("security").isEmpty();
        String path =
            op.template()
                .replace("{key}", "drift/nokey")
                .replace("{id}", "0000000000000000")
                .replace("{tenant}", "drift-nokey");
        Reply r = call(op.method(), path, null, null, null);
        if (isPublic) {
          assertThat(r.status()).as(e.getKey() + " is documented as public").isEqualTo(200);
        } else {
          assertThat(r.status()).as(e.getKey() + " needs a key").isEqualTo(401);
          assertThat(r.raw().headers().firstValue("WWW-Authenticate"))
              .hasValue(
                  "Bearer error=\"invalid_token\", error_description=\"no API key was sent\"");
          assertDocumented(op, r, e.getKey() + " without a key");
        }
      }
    }

    @Test
    void methodsTheDocumentDoesNotList_areRefusedWith404or405() {
      for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
        String concrete =
            path.getKey()
                .replace("{key}", "drift/method")
                .replace("{id}", "0000000000000000")
                .replace("{tenant}", "drift-method");
        for (String method : PROBED_METHODS) {
          if (path.getValue().has(method.toLowerCase(Locale.ROOT))) {
            continue;
          }
          Reply r = call(method, concrete, admin, "application/json", "{}");
          assertThat(r.status())
              .as(method + " " + concrete + " is not documented: " + r.body())
              .isIn(404, 405);
        }
      }
    }

    @Test
    void requestBodies_refuseUnknownFieldsAndMissingRequiredOnes_asTheirSchemasSay() {
      Map<String, String> valid =
          Map.of(
              "writeSecret", "{\"key\":\"drift/body\",\"value\":\"v\"}",
              "updateSecretAttributes", "{\"description\":\"d\"}",
              "createApiKey", "{\"role\":\"READ_ONLY\"}",
              "destroyKeyset", "{\"confirm\":\"drift-body\"}",
              "resealKeyset", "{\"dryRun\":true}",
              "revealSecret", "{}",
              "importSecrets",
                  "{\"dryRun\":true,\"entries\":[{\"key\":\"drift/body\",\"value\":\"v\"}]}",
              "exportSecrets", "{\"prefix\":\"drift/\"}",
              "batchGetSecrets", "{\"names\":[\"drift/body\"]}");
      Set<String> withBody = new TreeSet<>();
      operations()
          .forEach(
              (id, op) -> {
                if (op.node().has("requestBody")) {
                  withBody.add(id);
                }
              });
      assertThat(withBody)
          .as("a valid body for every operation that takes one")
          .isEqualTo(valid.keySet());
      for (String id : withBody) {
        Operation op = operations().get(id);
        JsonNode schema = resolve(op.node().at("/requestBody/content/application~1json/schema"));
        ObjectNode body = (ObjectNode) read(valid.get(id));
        assertThat(schemas.errors(schema, body)).as("the probe body fits " + id).isEmpty();
        assertThat(schema.path("additionalProperties").asBoolean(true))
            .as(id + " refuses unknown fields")
            .isFalse();
        ObjectNode extra = body.deepCopy().put("unexpected", 1);
        assertThat(send(op, extra).status()).as(id + " with an unknown field").isEqualTo(400);
        for (JsonNode required : schema.path("required")) {
          ObjectNode missing = body.deepCopy();
          missing.remove(required.asText());
          assertThat(send(op, missing).status()).as(id + " without " + required).isEqualTo(400);
        }
      }
    }

    Reply send(Operation op, JsonNode body) {
      String path = op.template().replace("{key}", "drift/body").replace("{tenant}", "drift-body");
      Reply r = call(op.method(), path, admin, "application/json", body.toString());
      assertDocumented(op, r, op.method() + " " + op.template() + " " + body);
      return r;
    }
  }

  @Nested
  @DisplayName("the document is served publicly, from memory, and not audited")
  class Served {
    @Test
    void served_isTheResourceAsJson_withoutAKey() throws IOException {
      assertThat(served.contentType()).startsWith("application/json");
      try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.json")) {
        assertThat(in).isNotNull();
        assertThat(served.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }

    @Test
    void fetching_leavesNoAuditEntry_withOrWithoutAKey() {
      long before = server.auditLog().verify().entries();
      assertThat(call("GET", OpenApiDocument.PATH, null, null, null).status()).isEqualTo(200);
      assertThat(call("GET", OpenApiDocument.PATH, admin, null, null).status()).isEqualTo(200);
      assertThat(call("GET", OpenApiDocument.PATH, "lns_not_a_key", null, null).status())
          .isEqualTo(200);
      // A body over the cap is refused there too (413), without an audit entry.
      assertThat(
              call("GET", OpenApiDocument.PATH, null, "application/json", "x".repeat(300 * 1024))
                  .status())
          .isEqualTo(413);
      assertThat(server.auditLog().verify().entries()).isEqualTo(before);
    }

    @Test
    void onlyThatExactPath_isPublic() {
      // Any other spelling matches no route: 404, and never the document.
      // (A trailing slash is the same route to Javalin: the document, public as it is.)
      for (String path :
          List.of(
              "/api/v1/openapi.jsonx",
              "/api/v1/openapi.json/x",
              "/api/v1/OPENAPI.JSON",
              "/api/v1/openapi%2Ejson")) {
        Reply r = call("GET", path, null, null, null);
        assertThat(r.status()).as(path).isIn(400, 404);
        assertThat(r.body()).as(path).doesNotContain("\"openapi\"");
      }
    }
  }

  @Nested
  @DisplayName("the document is well-formed OpenAPI 3.1")
  class Structure {
    @Test
    void header_isOpenApi310_withTitleAndVersion() {
      assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
      assertThat(doc.at("/info/title").asText()).isNotBlank();
      assertThat(doc.at("/info/version").asText()).isEqualTo("0.1.0");
    }

    @Test
    void everyRef_resolves() {
      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).isNotEmpty();
      for (String ref : refs) {
        assertThat(ref).startsWith("#/");
        assertThat(doc.at(ref.substring(1)).isMissingNode()).as("unresolved " + ref).isFalse();
      }
    }

    @Test
    void everyOperation_hasAUniqueOperationId_andDescribedResponses() {
      List<String> ids = new ArrayList<>();
      for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
        for (String method : METHODS) {
          JsonNode op = path.getValue().get(method);
          if (op == null) {
            continue;
          }
          String where = method + " " + path.getKey();
          assertThat(op.path("operationId").asText()).as(where + " operationId").isNotBlank();
          ids.add(op.get("operationId").asText());
          assertThat(op.path("responses").isEmpty()).as(where + " responses").isFalse();
          for (Map.Entry<String, JsonNode> response : op.get("responses").properties()) {
            assertThat(response.getKey()).as(where).matches("[1-5][0-9][0-9]|default");
            assertThat(resolve(response.getValue()).path("description").asText())
                .as(where + " " + response.getKey() + " description")
                .isNotBlank();
          }
        }
      }
      assertThat(ids).doesNotHaveDuplicates().hasSize(documentedOperations(doc).size());
    }

    @Test
    void pathParameters_matchTheirTemplates() {
      Pattern variable = Pattern.compile("\\{([^}]+)}");
      for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
        Set<String> inTemplate = new TreeSet<>();
        Matcher m = variable.matcher(path.getKey());
        while (m.find()) {
          inTemplate.add(m.group(1));
        }
        for (String method : METHODS) {
          JsonNode op = path.getValue().get(method);
          if (op == null) {
            continue;
          }
          Set<String> declared = new TreeSet<>();
          for (JsonNode list : List.of(path.getValue().path("parameters"), op.path("parameters"))) {
            for (JsonNode p : list) {
              JsonNode param = resolve(p);
              assertThat(param.path("name").asText()).isNotBlank();
              assertThat(param.path("in").asText()).isIn("path", "query", "header", "cookie");
              assertThat(param.has("schema")).as(param.path("name").asText() + " schema").isTrue();
              if (param.path("in").asText().equals("path")) {
                assertThat(param.path("required").asBoolean())
                    .as(param.path("name") + " required")
                    .isTrue();
                declared.add(param.path("name").asText());
              }
            }
          }
          assertThat(declared).as(method + " " + path.getKey()).isEqualTo(inTemplate);
        }
      }
    }

    @Test
    void auditOutcomes_areTheOnesTheLogAccepts() {
      List<String> documented = new java.util.ArrayList<>();
      doc.at("/components/schemas/AuditEntry/properties/outcome/enum")
          .forEach(n -> documented.add(n.asText()));
      assertThat(documented).containsExactlyInAnyOrderElementsOf(AuditLog.OUTCOMES);
    }

    @Test
    void security_isABearerHeader_requiredByDefault() {
      JsonNode scheme = doc.at("/components/securitySchemes/apiKey");
      assertThat(scheme.path("type").asText()).isEqualTo("http");
      assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
      assertThat(doc.path("security").toString()).isEqualTo("[{\"apiKey\":[]}]");
    }

    @Test
    void problems_areRfc9457_andTheConflictCarriesCurrentVersion() {
      JsonNode problem = doc.at("/components/schemas/Problem");
      assertThat(problem.path("required").toString())
          .isEqualTo("[\"type\",\"title\",\"status\",\"detail\"]");
      assertThat(
              doc.at("/components/responses/VersionConflict/content/application~1problem+json")
                  .isMissingNode())
          .isFalse();
      assertThat(doc.at("/components/schemas/VersionConflictProblem").toString())
          .contains("currentVersion");
      assertThat(doc.at("/paths/~1api~1v1~1secrets/post/responses/409/$ref").asText())
          .isEqualTo("#/components/responses/VersionConflict");
    }

    @Test
    void schemaChecker_findsWhatABodyGetsWrong() {
      JsonNode secret = read("{\"$ref\":\"#/components/schemas/Secret\"}");
      String ok =
          "{\"key\":\"a/b\",\"value\":\"v\",\"version\":1,\"createdAt\":\"2025-01-01T00:00:00Z\"}";
      assertThat(schemas.errors(secret, read(ok))).isEmpty();
      assertThat(schemas.errors(secret, read(ok.replace("}", ",\"extra\":1}"))))
          .containsExactly("$.extra: not allowed (additionalProperties is false)");
      assertThat(schemas.errors(secret, read(ok.replace("\"version\":1,", ""))))
          .containsExactly("$: missing required 'version'");
      assertThat(schemas.errors(secret, read(ok.replace("\"version\":1", "\"version\":\"1\""))))
          .containsExactly("$.version: expected \"integer\", got STRING");
      assertThat(schemas.errors(secret, read(ok.replace("a/b", "a//b")))).hasSize(1);
      assertThat(
              schemas.errors(
                  read("{\"allOf\":[{\"$ref\":\"#/components/schemas/Problem\"}]}"), read("{}")))
          .hasSize(4);
      JsonNode twoToThree = read("{\"type\":\"array\",\"minItems\":2,\"maxItems\":3}");
      assertThat(schemas.errors(twoToThree, read("[1]"))).containsExactly("$: fewer than 2 items");
      assertThat(schemas.errors(twoToThree, read("[1,2,3,4]")))
          .containsExactly("$: more than 3 items");
      assertThat(schemas.errors(twoToThree, read("[1,2]"))).isEmpty();
      assertThat(schemas.errors(read("{\"oneOf\":[]}"), read("{}")))
          .containsExactly("$: the schema uses 'oneOf', which this checker does not know");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
  }

  static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("$ref")) {
      out.add(node.get("$ref").asText());
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectRefs(it.next(), out);
    }
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
