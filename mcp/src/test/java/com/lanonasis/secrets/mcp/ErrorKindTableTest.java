package com.lanonasis.secrets.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.testkit.ErrorKindTable;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the MCP tool error of each error kind is the one docs/errors.md gives")
class ErrorKindTableTest {
  private static final ErrorKindTable TABLE = ErrorKindTable.read();

  @Test
  @DisplayName(
      "every exception class gives its kind's tool error, which only uses the audit vocabulary")
  void everyClass_toolError_asTheTable() {
    for (SecretsException e : ErrorKindTable.oneOfEachClass()) {
      assertThat(SecretTools.toolError(e.kind()))
          .as(e.getClass().getSimpleName())
          .isEqualTo(TABLE.row(e.kind()).mcpToolError());
    }
    for (ErrorKindTable.Row row : TABLE.rows()) {
      assertThat(ToolEvent.OUTCOMES).contains(row.mcpToolError());
    }
  }

  @Test
  @DisplayName(
      "NOT_FOUND, CONFLICT (a stale version, a deleted secret) and INVALID, called for real, audited alike")
  void reachableKinds_realCalls_asTheTable() {
    List<ToolEvent> audited = new ArrayList<>();
    try (SecretStore store = SecretStores.open("memory:")) {
      try (SecretValue v = SecretValue.ofUtf8("one")) {
        store.put("app/a", v);
        store.put("app/deleted", v);
      }
      store.delete("app/deleted");
      SecretTools tools = SecretToolsTest.tools(true, true);
      McpCaller caller = new McpCaller(store, audited::add);
      Map<Kind, Map<String, Object>> calls =
          Map.of(
              Kind.NOT_FOUND, Map.of("tool", "get_secret", "name", "app/none"),
              Kind.CONFLICT,
                  Map.of("tool", "set_secret", "name", "app/a", "value", "x", "expectedVersion", 7),
              Kind.INVALID, Map.of("tool", "get_secret", "name", "app/../a"));
      for (Map.Entry<Kind, Map<String, Object>> c : calls.entrySet()) {
        Map<String, Object> args = new java.util.HashMap<>(c.getValue());
        String tool = (String) args.remove("tool");
        assertToolError(c.getKey(), tools.call(caller, new CallToolRequest(tool, args)), audited);
      }
      assertToolError(
          Kind.CONFLICT,
          tools.call(
              caller,
              new CallToolRequest("set_secret", Map.of("name", "app/deleted", "value", "x"))),
          audited);
    }
  }

  private static void assertToolError(Kind kind, CallToolResult r, List<ToolEvent> audited) {
    String want = TABLE.row(kind).mcpToolError();
    assertThat(r.isError()).as(kind.name()).isTrue();
    assertThat(SecretToolsTest.structured(r)).as(kind.name()).containsEntry("error", want);
    assertThat(audited.get(audited.size() - 1).outcome())
        .as("audited as the tool error")
        .isEqualTo(want);
  }
}
