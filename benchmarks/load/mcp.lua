-- wrk script: POSTs one MCP JSON-RPC message (tools/call) to /mcp; the message comes from LNS_BODY,
-- the key from LNS_KEY (environment, never the command line).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LNS_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.body = os.getenv("LNS_BODY")
