/**
 * The MCP tool server: the tools an AI agent uses to work with secrets without seeing them, over
 * any {@link com.lanonasis.secrets.SecretStore}, on the official MCP Java SDK. Values are masked by
 * default; revealing and writing are opt-in at start, and {@code run_with_secrets} runs only
 * allow-listed commands and scrubs their output of the values it injected. See the module README.
 */
package com.lanonasis.secrets.mcp;
