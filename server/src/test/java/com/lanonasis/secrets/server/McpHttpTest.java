package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /mcp} over real HTTP with the MCP SDK's own Streamable HTTP client: the same keys, scopes,
 * roles and audit log as the REST API; the transport's DNS-rebinding checks; values masked unless
 * the server allows reveals.
 */
class McpHttpTest {
  static final String SENTINEL = "S3NTINEL-mcp-http-5d1e";
  static final HttpTestClient HTTP = new HttpTestClient();

  static McpSyncClient client(SecretsServer server, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
            .endpoint("/mcp")
            .requestBuilder(request)
            .build();
    McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    c.initialize();
    return c;
  }

  static CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
    return c.callTool(new CallToolRequest(tool, args));
  }

  static String text(CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  static void put(SecretsServer server, String key, String name, String value) {
    Reply r =
        HTTP.call(
            server.port(),
            "POST",
            "/api/v1/secrets",
            key,
            "application/json",
            "{\"key\":\"" + name + "\",\"value\":\"" + value + "\"}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  static List<AuditEntry> mcpEntries(SecretsServer server) {
    List<AuditEntry> out = new ArrayList<>();
    for (AuditEntry e : server.auditLog().read(0, 100_000, Optional.empty())) {
      if (e.action().startsWith("mcp.")) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * A POST with the Host header a DNS-rebinding page would send (the JDK client will not set one).
   */
  static String rawPost(int port, String host, String key, String body) {
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head =
        "POST /mcp HTTP/1.1\r\nHost: "
            + host
            + "\r\nAuthorization: Bearer "
            + key
            + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: "
            + b.length
            + "\r\nConnection: close\r\n\r\n";
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(b);
      socket.getOutputStream().flush();
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String initialize() {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("a server started with the defaults: names and masked previews only")
  class Defaults {
    SecretsServer server;
    String admin;
    String scoped;

    @BeforeAll
    void start(@TempDir Path dir) {
      RealServer s = RealServer.start(dir);
      server = s.server();
      admin = s.adminKey();
      scoped = server.apiKeys().create("default", Role.READ_ONLY, "team/");
      put(server, admin, "team/db/password", SENTINEL);
      put(server, admin, "other/db/password", SENTINEL);
    }

    @AfterAll
    void stop() {
      server.close();
    }

    @Test
    void sdkClient_initializesAndListsTheFiveTools() {
      try (McpSyncClient c = client(server, admin)) {
        assertThat(c.getServerInfo().name()).isEqualTo(SecretsMcpServer.NAME);
        assertThat(c.listTools().tools())
            .extracting(McpSchema.Tool::name)
            .containsExactly(
                "list_secrets", "describe_secret", "get_secret", "set_secret", "run_with_secrets");
      }
    }

    @Test
    void describeSecret_masked_andGetSecretRefused_eachAudited() {
      int before = mcpEntries(server).size();
      try (McpSyncClient c = client(server, admin)) {
        CallToolResult d = call(c, "describe_secret", Map.of("name", "team/db/password"));
        assertThat(d.isError()).isFalse();
        assertThat(structured(d))
            .containsEntry("length", SENTINEL.length())
            .containsEntry("value", "[masked]");
        CallToolResult g = call(c, "get_secret", Map.of("name", "team/db/password"));
        assertThat(g.isError()).isTrue();
        assertThat(text(g)).contains("mcp-allow-reveal").doesNotContain(" --allow-reveal");
        assertThat(d.toString() + g).doesNotContain(SENTINEL);
      }
      List<AuditEntry> after = mcpEntries(server);
      List<String> calls =
          after.subList(before, after.size()).stream()
              .filter(e -> !e.action().equals("mcp.rpc"))
              .map(e -> e.action() + " " + e.secretName().orElse("") + " " + e.outcome())
              .toList();
      assertThat(calls)
          .containsExactly(
              "mcp.describe team/db/password ok", "mcp.reveal team/db/password denied");
    }

    @Test
    void prefixScopedKey_seesOnlyItsNames_andAnOutsideNameReadsAsMissing() {
      try (McpSyncClient c = client(server, scoped)) {
        String listed = text(call(c, "list_secrets", Map.of()));
        assertThat(listed).contains("team/db/password").doesNotContain("other/");
        CallToolResult outside = call(c, "describe_secret", Map.of("name", "other/db/password"));
        CallToolResult missing = call(c, "describe_secret", Map.of("name", "team/never"));
        assertThat(structured(outside)).containsEntry("error", "not_found");
        assertThat(text(outside))
            .isEqualTo(text(missing).replace("team/never", "other/db/password"));
      }
    }

    @Test
    void setSecret_refusedByDefault_evenForAnAdmin() {
      try (McpSyncClient c = client(server, admin)) {
        CallToolResult r = call(c, "set_secret", Map.of("name", "team/db/password", "value", "x"));
        assertThat(structured(r)).containsEntry("error", "denied");
      }
      Reply read =
          HTTP.call(server.port(), "GET", "/api/v1/secrets/team/db/password", admin, null, null);
      assertThat(read.json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "no key or a bad key: the SDK's client fails saying so, and no OAuth discovery succeeds (issue 22)")
    void noKey_badKey_areRefusedBeforeAnyTool_andTheClientIsToldWhy() {
      // The SDK's client raises its authorization error with the answer's status and challenge:
      // what
      // an MCP host shows, and what decides whether it starts an OAuth flow.
      assertThat(refusal(() -> client(server, null)))
          .satisfies(
              info -> {
                assertThat(info.statusCode()).isEqualTo(401);
                assertThat(info.headers().firstValue("WWW-Authenticate"))
                    .hasValue(
                        "Bearer error=\"invalid_token\", error_description=\"no API key was sent\"");
              });
      assertThat(refusal(() -> client(server, "lns_0123456789abcdef_" + "A".repeat(43))))
          .satisfies(
              info -> {
                assertThat(info.statusCode()).isEqualTo(401);
                assertThat(info.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(
                        v ->
                            assertThat(v)
                                .contains("error=\"invalid_token\"")
                                .contains("the API key is not valid"));
              });
      Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
      Reply missing =
          HTTP.call(server.port(), "POST", "/mcp", null, "application/json", initialize(), accept);
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      // A bare "Bearer" challenge is what sends MCP clients (the Inspector) into OAuth discovery.
      assertThat(missing.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer error=\"invalid_token\", error_description=\"no API key was sent\"");
      Reply bad =
          HTTP.call(
              server.port(),
              "POST",
              "/mcp",
              "lns_0123456789abcdef_" + "A".repeat(43),
              "application/json",
              initialize(),
              accept);
      assertThat(bad.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(
              v ->
                  assertThat(v)
                      .startsWith("Bearer error=\"invalid_token\", error_description=")
                      .contains("not valid"));
      assertThat(missing.json().get("detail").asText())
          .isEqualTo("an API key is required: Authorization: Bearer lns_...");
      assertThat(bad.json().get("detail").asText()).isEqualTo("the API key is not valid");
      for (String path :
          List.of(
              "/.well-known/oauth-protected-resource",
              "/.well-known/oauth-protected-resource/mcp",
              "/.well-known/oauth-authorization-server",
              "/.well-known/oauth-authorization-server/mcp",
              "/.well-known/openid-configuration")) {
        Reply r = HTTP.call(server.port(), "GET", path, null, null, null);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.contentType()).as(path).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText())
            .as(path)
            .contains("no OAuth")
            .contains("API key");
      }
    }

    /**
     * The answer behind the SDK's authorization error that {@code connect} fails with (it wraps
     * it).
     */
    static java.net.http.HttpResponse.ResponseInfo refusal(Runnable connect) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(connect::run);
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        if (t instanceof McpHttpClientTransportAuthorizationException a) {
          return a.getResponseInfo();
        }
      }
      throw new AssertionError("not an authorization error", thrown);
    }

    @Test
    @DisplayName(
        "a batch, truncated JSON or deep nesting: a 400 problem, no exception and no stack trace (S9)")
    void malformedJsonRpc_isAProblem_withNoStackTrace() {
      Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
      String deep =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":"
              + "[".repeat(5000)
              + "]".repeat(5000)
              + "}";
      for (String body :
          List.of(
              "[" + initialize() + "," + initialize() + "]",
              initialize().substring(0, 40),
              deep,
              "{}",
              "null",
              "\"text\"")) {
        Reply r = HTTP.call(server.port(), "POST", "/mcp", admin, "application/json", body, accept);
        String what = body.length() > 60 ? body.substring(0, 60) + "..." : body;
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(r.body())
            .as(what)
            .doesNotContain(
                "stackTrace",
                "Exception",
                "at io.",
                "at com.",
                "java.",
                "jackson",
                "modelcontextprotocol");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      }
    }

    @Test
    @DisplayName("every /mcp answer says Cache-Control: no-store (S16)")
    void mcpAnswers_areNotStored() {
      Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
      Reply ok =
          HTTP.call(server.port(), "POST", "/mcp", admin, "application/json", initialize(), accept);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
      Reply refused =
          HTTP.call(server.port(), "POST", "/mcp", null, "application/json", initialize(), accept);
      assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
      Reply get = HTTP.call(server.port(), "GET", "/mcp", admin, null, null);
      assertThat(get.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void dnsRebinding_foreignHostOrOrigin_refused() {
      Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
      Reply ok =
          HTTP.call(server.port(), "POST", "/mcp", admin, "application/json", initialize(), accept);
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      String host =
          rawPost(server.port(), "attacker.example:" + server.port(), admin, initialize());
      assertThat(host).startsWith("HTTP/1.1 421").contains("mcp-allowed-hosts");
      assertThat(rawPost(server.port(), "localhost:" + server.port(), admin, initialize()))
          .startsWith("HTTP/1.1 200");
      Reply origin =
          HTTP.call(
              server.port(),
              "POST",
              "/mcp",
              admin,
              "application/json",
              initialize(),
              Map.of(
                  "Accept",
                  "application/json, text/event-stream",
                  "Origin",
                  "http://attacker.example"));
      assertThat(origin.status()).isEqualTo(403);
    }

    @Test
    void dashboardSession_isNotAnMcpCredential() {
      Reply session = HTTP.call(server.port(), "POST", "/api/v1/session", admin, null, null);
      String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      String csrf = session.json().get("csrfToken").asText();
      Reply r =
          HTTP.call(
              server.port(),
              "POST",
              "/mcp",
              null,
              "application/json",
              initialize(),
              Map.of(
                  "Accept",
                  "application/json, text/event-stream",
                  "Cookie",
                  cookie,
                  Sessions.CSRF_HEADER,
                  csrf,
                  "Origin",
                  "http://127.0.0.1:" + server.port()));
      assertThat(r.status()).isIn(401, 403);
    }

    @Test
    void getAndDelete_answer405_allowPost() {
      for (String method : List.of("GET", "DELETE")) {
        Reply r =
            HTTP.call(
                server.port(),
                method,
                "/mcp",
                admin,
                null,
                null,
                Map.of("Accept", "text/event-stream"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
      }
    }

    @Test
    void malformedJsonRpc_isA400_andAudited() {
      int before = mcpEntries(server).size();
      Reply r =
          HTTP.call(
              server.port(),
              "POST",
              "/mcp",
              admin,
              "application/json",
              "{not json",
              Map.of("Accept", "application/json, text/event-stream"));
      assertThat(r.status()).isEqualTo(400);
      List<AuditEntry> after = mcpEntries(server);
      assertThat(after).hasSize(before + 1);
      assertThat(after.get(after.size() - 1).outcome()).isEqualTo("invalid");
    }

    @Test
    void nothingLogged_holdsTheSentinelOrAKey() throws Exception {
      try (McpSyncClient c = client(server, admin)) {
        call(c, "describe_secret", Map.of("name", "team/db/password"));
        call(c, "get_secret", Map.of("name", "team/db/password"));
        call(c, "describe_secret", Map.of("name", admin));
      }
      Path log = Path.of("target/server-test.log");
      assertThat(log).as("the test logging configuration writes every log line there").exists();
      String logged = Files.readString(log);
      assertThat(logged)
          .as("this server's own lines are in the file searched")
          .containsPattern("listening on http://\\S+:" + server.port() + "\\b");
      assertThat(logged).doesNotContain(SENTINEL).doesNotContain(RealServer.secretPart(admin));
      for (AuditEntry e : mcpEntries(server)) {
        assertThat(e.toString())
            .doesNotContain(SENTINEL)
            .doesNotContain(RealServer.secretPart(admin));
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("a server started with reveal and write allowed: roles still hold")
  class Allowed {
    SecretsServer server;
    String admin;
    String readOnly;

    @BeforeAll
    void start(@TempDir Path dir) {
      RealServer s =
          RealServer.start(
              dir,
              b -> b.mcp(SecretsMcpServer.builder().allowReveal(true).allowWrite(true).build()));
      server = s.server();
      admin = s.adminKey();
      readOnly = server.apiKeys().create("default", Role.READ_ONLY, "");
      put(server, admin, "app/token", SENTINEL);
    }

    @AfterAll
    void stop() {
      server.close();
    }

    @Test
    void getSecret_revealsTheValue_auditedAsAReveal() {
      try (McpSyncClient c = client(server, readOnly)) {
        assertThat(structured(call(c, "get_secret", Map.of("name", "app/token"))))
            .containsEntry("value", SENTINEL);
      }
      assertThat(mcpEntries(server))
          .anySatisfy(
              e -> {
                assertThat(e.action()).isEqualTo("mcp.reveal");
                assertThat(e.secretName()).hasValue("app/token");
                assertThat(e.outcome()).isEqualTo("ok");
              });
    }

    @Test
    void setSecret_readOnlyKeyDenied_readWriteKeyWrites() {
      try (McpSyncClient c = client(server, readOnly)) {
        CallToolResult r = call(c, "set_secret", Map.of("name", "app/new", "value", "x"));
        assertThat(structured(r)).containsEntry("error", "denied");
      }
      assertThat(
              HTTP.call(server.port(), "GET", "/api/v1/secrets/app/new", admin, null, null)
                  .status())
          .isEqualTo(404);
      String writer = server.apiKeys().create("default", Role.READ_WRITE, "");
      try (McpSyncClient c = client(server, writer)) {
        assertThat(structured(call(c, "set_secret", Map.of("name", "app/new", "value", "x"))))
            .containsEntry("version", 1);
      }
    }

    @Test
    void anotherTenantsKey_seesNothingOfThisTenant() {
      String foreign = server.apiKeys().create("beta", Role.ADMIN, "");
      try (McpSyncClient c = client(server, foreign)) {
        assertThat(structured(call(c, "get_secret", Map.of("name", "app/token"))))
            .containsEntry("error", "not_found");
        assertThat(text(call(c, "list_secrets", Map.of()))).doesNotContain("app/token");
      }
    }
  }

  /**
   * The tools' own authorization matrix: tool × caller × scope × tenant over raw JSON-RPC posts
   * (the endpoint is stateless), on a server that allows reveals and writes, so that only the key's
   * role, prefix and tenant decide. The expected outcome of each cell comes from the same rules as
   * the REST matrix ({@link AuthorizationMatrixTest}); a name outside the prefix or in another
   * tenant must read exactly like a missing one.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("every tool × caller × scope × tenant answers as the REST rules say")
  class Matrix {
    enum Tool {
      LIST,
      DESCRIBE,
      GET,
      SET
    }

    enum Caller {
      ADMIN,
      READ_WRITE,
      READ_ONLY,
      NO_KEY,
      REVOKED_KEY
    }

    enum Scope {
      UNSCOPED,
      INSIDE_PREFIX,
      OUTSIDE_PREFIX
    }

    enum Tenant {
      OWN,
      FOREIGN
    }

    record Cell(int index, Tool tool, Caller caller, Scope scope, Tenant tenant) {
      String name() {
        return (scope == Scope.OUTSIDE_PREFIX ? "other/" : "team/") + String.format("m%03d", index);
      }
    }

    SecretsServer server;
    final Map<String, String> admins = new java.util.HashMap<>();
    final Map<String, String> keys = new java.util.HashMap<>();
    final com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeAll
    void start(@TempDir Path dir) {
      RealServer s =
          RealServer.start(
              dir,
              b ->
                  b.authFailureLimit(1_000_000, Duration.ofMinutes(1))
                      .mcp(SecretsMcpServer.builder().allowReveal(true).allowWrite(true).build()));
      server = s.server();
      admins.put("alpha", server.apiKeys().create("alpha", Role.ADMIN, ""));
      admins.put("beta", server.apiKeys().create("beta", Role.ADMIN, ""));
      for (Caller c : List.of(Caller.ADMIN, Caller.READ_WRITE, Caller.READ_ONLY)) {
        Role role = Role.valueOf(c.name());
        keys.put(c + " " + Scope.UNSCOPED, server.apiKeys().create("alpha", role, ""));
        String scoped = server.apiKeys().create("alpha", role, "team/");
        keys.put(c + " " + Scope.INSIDE_PREFIX, scoped);
        keys.put(c + " " + Scope.OUTSIDE_PREFIX, scoped);
      }
      String revoked = server.apiKeys().create("alpha", Role.ADMIN, "");
      server.apiKeys().revoke(ApiKeys.idOf(revoked));
      for (Scope sc : Scope.values()) {
        keys.put(Caller.REVOKED_KEY + " " + sc, revoked);
      }
    }

    @AfterAll
    void stop() {
      server.close();
    }

    /** The rules, first match wins; the REST API's, for the four things a tool can do. */
    String expected(Cell c) {
      if (c.caller() == Caller.NO_KEY || c.caller() == Caller.REVOKED_KEY) {
        return "401";
      }
      if (c.tool() == Tool.SET && c.caller() == Caller.READ_ONLY) {
        return "denied";
      }
      if (c.tool() != Tool.LIST && c.scope() == Scope.OUTSIDE_PREFIX) {
        return "not_found";
      }
      if (c.tool() != Tool.LIST && c.tool() != Tool.SET && c.tenant() == Tenant.FOREIGN) {
        return "not_found";
      }
      return "ok";
    }

    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> everyCell() {
      List<Cell> cells = new ArrayList<>();
      for (Tool t : Tool.values()) {
        for (Caller c : Caller.values()) {
          for (Scope s : Scope.values()) {
            for (Tenant n : Tenant.values()) {
              cells.add(new Cell(cells.size(), t, c, s, n));
            }
          }
        }
      }
      assertThat(cells).hasSize(4 * 5 * 3 * 2);
      return cells.stream()
          .map(
              c ->
                  org.junit.jupiter.api.DynamicTest.dynamicTest(
                      c.index()
                          + " "
                          + c.tool()
                          + " · "
                          + c.caller()
                          + " · "
                          + c.scope()
                          + " · "
                          + c.tenant()
                          + " → "
                          + expected(c),
                      () -> check(c)));
    }

    void check(Cell c) throws Exception {
      put(
          server,
          admins.get(c.tenant() == Tenant.OWN ? "alpha" : "beta"),
          c.name(),
          "v-" + c.tenant());
      String key = c.caller() == Caller.NO_KEY ? null : keys.get(c.caller() + " " + c.scope());
      Reply r = tool(key, c.tool(), c.name());
      String want = expected(c);
      if (want.equals("401")) {
        assertThat(r.status()).isEqualTo(401);
        return;
      }
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      com.fasterxml.jackson.databind.JsonNode result = json.readTree(r.body()).get("result");
      boolean error = result.path("isError").asBoolean(false);
      String outcome = error ? result.path("structuredContent").path("error").asText() : "ok";
      assertThat(outcome).as(r.body()).isEqualTo(want);
      if (want.equals("not_found")) {
        // A name never created inside the scope (described: writing it would create it).
        Reply missing =
            tool(key, c.tool() == Tool.SET ? Tool.DESCRIBE : c.tool(), "team/never-" + c.index());
        String hidden = json.readTree(r.body()).get("result").toString().replace(c.name(), "NAME");
        String absent =
            json.readTree(missing.body())
                .get("result")
                .toString()
                .replace("team/never-" + c.index(), "NAME");
        assertThat(hidden).as("hidden reads exactly like missing").isEqualTo(absent);
      }
      if (c.tool() == Tool.LIST) {
        boolean visible = c.tenant() == Tenant.OWN && c.scope() != Scope.OUTSIDE_PREFIX;
        assertThat(r.body().contains("\"" + c.name() + "\""))
            .as("listed: %s", r.body())
            .isEqualTo(visible);
      }
      assertThat(r.body()).doesNotContain("v-" + (c.tenant() == Tenant.OWN ? "FOREIGN" : "OWN"));
      if (c.tool() != Tool.GET) {
        assertThat(r.body()).doesNotContain("v-OWN").doesNotContain("v-FOREIGN");
      }
    }

    Reply tool(String key, Tool t, String name) {
      String args =
          switch (t) {
            case LIST -> "{\"prefix\":\"" + name + "\"}";
            case DESCRIBE, GET -> "{\"name\":\"" + name + "\"}";
            case SET -> "{\"name\":\"" + name + "\",\"value\":\"written\"}";
          };
      String tool =
          switch (t) {
            case LIST -> "list_secrets";
            case DESCRIBE -> "describe_secret";
            case GET -> "get_secret";
            case SET -> "set_secret";
          };
      return HTTP.call(
          server.port(),
          "POST",
          "/mcp",
          key,
          "application/json",
          "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\""
              + tool
              + "\",\"arguments\":"
              + args
              + "}}",
          Map.of("Accept", "application/json, text/event-stream"));
    }
  }
}
