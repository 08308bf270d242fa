/**
 * The MCP tool server: the tools an AI agent uses to work with secrets without seeing them, over
 * any {@link com.lanonasis.secrets.SecretStore}, on the official MCP Java SDK. Values are masked by
 * default; revealing and writing are opt-in at start, and {@code run_with_secrets} runs only the
 * operator's recipes and allow-listed commands, each in a bubblewrap sandbox that hides keys, data
 * and other processes, returning the exit code (and, where allowed, output scrubbed of the values
 * it injected). See the module README for the guarantee and its conditions.
 */
package com.lanonasis.secrets.mcp;
