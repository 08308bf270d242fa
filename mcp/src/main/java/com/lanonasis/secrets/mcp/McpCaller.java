package com.lanonasis.secrets.mcp;

import java.util.Objects;

/**
 * Who a tool call runs for: the store it sees (already limited to what the caller may see, e.g. a
 * server's view for one API key) and where its calls are audited. On stdio there is one caller for
 * the whole process; over HTTP each request brings its own, in the MCP transport context under
 * {@link #CONTEXT_KEY}.
 *
 * @since 0.1.0
 */
public record McpCaller(com.lanonasis.secrets.SecretStore store, ToolAudit audit) {
  /**
   * The key under which an HTTP transport puts the request's caller in the MCP transport context.
   */
  public static final String CONTEXT_KEY = "lanonasis.mcpCaller";

  public McpCaller {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(audit, "audit");
  }
}
