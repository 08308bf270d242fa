package com.lanonasis.secrets.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tools over a real (in-memory) encrypted store, called as the SDK calls them. The sentinel
 * value must come back only from {@code get_secret} with reveals allowed.
 */
class SecretToolsTest {
  static final String SENTINEL = "S3NTINEL-mcp-7f3a9c";
  static final String NAME = "prod/db/password";

  SecretStore store;
  final List<ToolEvent> audited = new ArrayList<>();

  @BeforeEach
  void open() {
    store = SecretStores.open("memory:");
    try (SecretValue v = SecretValue.ofUtf8(SENTINEL)) {
      store.put(NAME, v);
    }
    try (SecretValue v = SecretValue.ofUtf8(SENTINEL)) {
      store.put("prod/db/replica-password", v);
    }
    try (SecretValue v = SecretValue.ofUtf8("something else")) {
      store.put("prod/api/token", v);
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  static SecretTools tools(boolean reveal, boolean write) {
    CommandRunner runner =
        Runners.runner(
            List.of(),
            Path.of("").toAbsolutePath(),
            Map.of(),
            64 * 1024,
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    return new SecretTools(reveal, write, runner, McpJsonDefaults.getMapper());
  }

  CallToolResult call(SecretTools tools, String tool, Map<String, Object> args) {
    return tools.call(new McpCaller(store, audited::add), new CallToolRequest(tool, args));
  }

  static String text(CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  @Nested
  @DisplayName("by default an agent sees names and masked previews, never a value")
  class Masked {
    final SecretTools tools = tools(false, false);

    @Test
    void tools_listedWithSchemas_andOffOnesSayHowToEnable() {
      List<McpSchema.Tool> list = tools.tools();
      assertThat(list)
          .extracting(McpSchema.Tool::name)
          .containsExactly(
              "list_secrets", "describe_secret", "get_secret", "set_secret", "run_with_secrets");
      for (McpSchema.Tool t : list) {
        assertThat(t.inputSchema())
            .containsEntry("type", "object")
            .containsEntry("additionalProperties", false);
        assertThat(t.description()).isNotBlank();
      }
      assertThat(list.get(2).description()).contains("OFF", "--allow-reveal");
      assertThat(list.get(3).description()).contains("OFF", "--allow-write");
      assertThat(list.get(4).description()).contains("OFF", "--allow-command");
    }

    @Test
    void listSecrets_namesAndMetadata_noValues() {
      CallToolResult r = call(tools, "list_secrets", Map.of("prefix", "prod/db/"));
      assertThat(r.isError()).isFalse();
      assertThat(text(r))
          .contains(NAME, "prod/db/replica-password")
          .doesNotContain("prod/api/token")
          .doesNotContain(SENTINEL);
      assertThat(audited).containsExactly(new ToolEvent("list_secrets", "prod/db/", "ok"));
    }

    @Test
    void listSecrets_pages_withTheCursorItReturns() {
      CallToolResult first = call(tools, "list_secrets", Map.of("prefix", "prod/", "limit", 2));
      assertThat((List<?>) structured(first).get("secrets")).hasSize(2);
      String cursor = (String) structured(first).get("nextCursor");
      CallToolResult second =
          call(tools, "list_secrets", Map.of("prefix", "prod/", "limit", 2, "cursor", cursor));
      assertThat((List<?>) structured(second).get("secrets")).hasSize(1);
      assertThat(structured(second)).doesNotContainKey("nextCursor");
    }

    @Test
    void describeSecret_lengthVersionAndKeyedFingerprint_notTheValue() {
      CallToolResult r = call(tools, "describe_secret", Map.of("name", NAME));
      assertThat(r.isError()).isFalse();
      Map<String, Object> s = structured(r);
      assertThat(s)
          .containsEntry("length", SENTINEL.length())
          .containsEntry("version", 1L)
          .containsEntry("value", "[masked]");
      assertThat(text(r)).doesNotContain(SENTINEL);
      String fp = (String) s.get("fingerprint");
      assertThat(fp).matches("hmac-sha256:[0-9a-f]{12}");
      String plainSha = java.util.HexFormat.of().formatHex(sha256(SENTINEL)).substring(0, 12);
      assertThat(fp).as("keyed, not a plain hash a dictionary could test").doesNotContain(plainSha);
      Object same =
          structured(call(tools, "describe_secret", Map.of("name", "prod/db/replica-password")))
              .get("fingerprint");
      Object other =
          structured(call(tools, "describe_secret", Map.of("name", "prod/api/token")))
              .get("fingerprint");
      assertThat(same)
          .as("keyed per name: a guess stored under another name cannot be compared (S11)")
          .isNotEqualTo(fp);
      assertThat(other).isNotEqualTo(fp);
      try (SecretValue v = SecretValue.ofUtf8(SENTINEL)) {
        store.put(NAME, v);
      }
      assertThat(
              structured(call(tools, "describe_secret", Map.of("name", NAME))).get("fingerprint"))
          .as("the same value of the same secret, another version: the same fingerprint")
          .isEqualTo(fp);
      assertThat(
              structured(call(tools(false, false), "describe_secret", Map.of("name", NAME)))
                  .get("fingerprint"))
          .as("another server's key gives another fingerprint")
          .isNotEqualTo(fp);
    }

    @Test
    void getSecret_refused_sayingHowToEnable_andAuditedAsDenied() {
      CallToolResult r = call(tools, "get_secret", Map.of("name", NAME));
      assertThat(r.isError()).isTrue();
      assertThat(text(r))
          .contains("--allow-reveal", "describe_secret", "run_with_secrets")
          .doesNotContain(SENTINEL);
      assertThat(structured(r)).containsEntry("error", "denied");
      assertThat(audited).containsExactly(new ToolEvent("get_secret", NAME, "denied"));
    }

    @Test
    void setSecret_refusedWithoutAllowWrite_andNothingWritten() {
      CallToolResult r =
          call(tools, "set_secret", Map.of("name", NAME, "value", "new-" + SENTINEL));
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("--allow-write").doesNotContain(SENTINEL);
      assertThat(store.metadata(NAME).currentVersion()).isEqualTo(1);
    }

    @Test
    void runWithSecrets_offWithoutAllowedCommands() {
      CallToolResult r =
          call(tools, "run_with_secrets", Map.of("command", "env", "env", Map.of("X", NAME)));
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("--allow-command");
      assertThat(audited).containsExactly(new ToolEvent("run_with_secrets", "env", "denied"));
    }
  }

  @Nested
  @DisplayName("reveal and write only when the server was started with them")
  class Allowed {
    final SecretTools tools = tools(true, true);

    @Test
    void getSecret_withAllowReveal_returnsTheValue_auditedAsOk() {
      CallToolResult r = call(tools, "get_secret", Map.of("name", NAME));
      assertThat(r.isError()).isFalse();
      assertThat(structured(r)).containsEntry("value", SENTINEL).containsEntry("version", 1L);
      assertThat(audited).containsExactly(new ToolEvent("get_secret", NAME, "ok"));
    }

    @Test
    void getSecret_binaryValue_base64() {
      try (SecretValue v = SecretValue.of(new byte[] {(byte) 0xff, 0, 1})) {
        store.put("bin", v);
      }
      assertThat(structured(call(tools, "get_secret", Map.of("name", "bin"))))
          .containsEntry("valueBase64", "/wAB")
          .doesNotContainKey("value");
    }

    @Test
    void setSecret_withAllowWrite_writesANewVersion_andChecksExpectedVersion() {
      CallToolResult r =
          call(tools, "set_secret", Map.of("name", NAME, "value", "v2", "expectedVersion", 1));
      assertThat(structured(r)).containsEntry("version", 2L);
      CallToolResult stale =
          call(tools, "set_secret", Map.of("name", NAME, "value", "v3", "expectedVersion", 1));
      assertThat(stale.isError()).isTrue();
      assertThat(structured(stale)).containsEntry("error", "conflict");
      assertThat(text(stale)).doesNotContain("v3");
      assertThat(store.metadata(NAME).currentVersion()).isEqualTo(2);
      CallToolResult create =
          call(tools, "set_secret", Map.of("name", "new/one", "value", "x", "expectedVersion", 0));
      assertThat(structured(create)).containsEntry("version", 1L);
    }
  }

  @Nested
  @DisplayName("bad arguments answer a tool error that quotes no value, and change nothing")
  class BadArguments {
    final SecretTools tools = tools(true, true);

    @Test
    void wrongTypes_unknownArguments_badNames_areToolErrors() {
      Map<String, Map<String, Object>> cases = new HashMap<>();
      cases.put("describe_secret", Map.of("name", 42));
      cases.put("get_secret", Map.of("name", NAME, "version", "one"));
      cases.put("list_secrets", Map.of("limit", 0));
      cases.put("set_secret", Map.of("name", "a//b", "value", SENTINEL));
      for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
        CallToolResult r = call(tools, c.getKey(), c.getValue());
        assertThat(r.isError()).as(c.getKey()).isTrue();
        assertThat(structured(r)).as(c.getKey()).containsEntry("error", "invalid");
        assertThat(text(r)).doesNotContain(SENTINEL);
      }
      CallToolResult unknown =
          call(tools, "set_secret", Map.of("name", "x", "value", "y", SENTINEL, "z"));
      assertThat(text(unknown)).contains("unknown argument").doesNotContain(SENTINEL);
      CallToolResult valueAsNumber =
          call(tools, "set_secret", Map.of("name", "x", "value", 12345678));
      assertThat(text(valueAsNumber)).contains("'value'").doesNotContain("12345678");
      assertThat(store.list(com.lanonasis.secrets.ListOptions.all()).items()).hasSize(3);
    }

    @Test
    void missingSecret_notFound_sameMessageForAVersionThatDoesNotExist() {
      CallToolResult missing = call(tools, "get_secret", Map.of("name", "no/such"));
      assertThat(structured(missing)).containsEntry("error", "not_found");
      assertThat(text(missing))
          .isEqualTo("secret 'no/such' not found (or not the version asked for)");
      store.delete("prod/api/token");
      assertThat(text(call(tools, "describe_secret", Map.of("name", "prod/api/token"))))
          .isEqualTo("secret 'prod/api/token' not found (or not the version asked for)");
    }

    @Test
    void unknownTool_isAToolError() {
      assertThat(structured(call(tools, "rm_rf", Map.of()))).containsEntry("error", "invalid");
    }
  }

  @Test
  void auditThatFails_withholdsTheResult() {
    SecretTools tools = tools(true, true);
    CallToolResult r =
        tools.call(
            new McpCaller(
                store,
                e -> {
                  throw new IllegalStateException("disk full");
                }),
            new CallToolRequest("get_secret", Map.of("name", NAME)));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).contains("withheld").doesNotContain(SENTINEL);
  }

  @Test
  void everyResult_ofEveryTool_withoutReveal_neverHoldsTheSentinel() {
    SecretTools tools = tools(false, true);
    List<CallToolResult> results = new ArrayList<>();
    results.add(call(tools, "list_secrets", Map.of()));
    results.add(call(tools, "describe_secret", Map.of("name", NAME)));
    results.add(call(tools, "describe_secret", Map.of("name", NAME, "version", 1)));
    results.add(call(tools, "get_secret", Map.of("name", NAME)));
    results.add(
        call(tools, "set_secret", Map.of("name", NAME, "value", "other", "expectedVersion", 7)));
    results.add(call(tools, "run_with_secrets", Map.of("command", "sh", "env", Map.of("P", NAME))));
    for (CallToolResult r : results) {
      assertThat(r.toString()).doesNotContain(SENTINEL);
      assertThat(String.valueOf(r.structuredContent())).doesNotContain(SENTINEL);
    }
    assertThat(audited)
        .hasSize(results.size())
        .allSatisfy(e -> assertThat(e.toString()).doesNotContain(SENTINEL));
  }

  @Test
  @DisplayName(
      "an API key an agent pastes into a name reaches the audit event cut to its public id, from every tool")
  void apiKeyInAName_isCutToItsPublicId_inTheAuditEventOfEveryTool() {
    String id = "0123456789abcdef";
    String secretPart = "Zq9-S3NTINEL_pasted-key-7f3a9cYQ8bXk2mW5nR1tL4vH6jD0";
    String pasted = "lns_" + id + "_" + secretPart;
    String cut = "lns_" + id + "_***";
    SecretTools tools = tools(true, true);
    call(tools, "list_secrets", Map.of("prefix", "prod/" + pasted + "/"));
    call(tools, "describe_secret", Map.of("name", "prod/" + pasted));
    call(tools, "get_secret", Map.of("name", pasted));
    call(tools, "set_secret", Map.of("name", "ci/" + pasted, "value", "v"));
    call(tools(false, false), "get_secret", Map.of("name", "x/" + pasted));
    assertThat(audited)
        .extracting(ToolEvent::subject)
        .containsExactly("prod/" + cut + "/", "prod/" + cut, cut, "ci/" + cut, "x/" + cut);
    assertThat(audited).allSatisfy(e -> assertThat(e.toString()).doesNotContain(secretPart));
  }

  static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
