package com.lanonasis.secrets.server;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.mcp.McpCaller;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.mcp.ToolEvent;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /mcp}: the MCP tools over Streamable HTTP, in the server's chain. The chain authenticates
 * the request (an API key in {@code Authorization}; a dashboard session is refused here), limits its
 * body and audits it; this handler gives the SDK's stateless servlet transport a caller that sees
 * the tenant's store as the key may ({@link KeyScopedStore}) and reports each tool call's action,
 * subject and outcome back to the audit link. The transport's Host and Origin checks (DNS
 * rebinding) are on: loopback names when bound to loopback, else the configured hosts; a request
 * with any {@code Origin} not allowed is refused (browsers send one, MCP clients do not).
 *
 * <p>Stateless: every POST carries one JSON-RPC message and gets its answer as
 * {@code application/json}; there is no session and no server-sent stream, so {@code GET} and
 * {@code DELETE} answer 405 as the Streamable HTTP transport allows. The transport writes into a
 * buffer, not the connection: the audit entry is written before any byte of the answer leaves,
 * and an answer whose entry cannot be written is withheld (503), as on the REST routes.
 */
final class McpRoutes {
  static final String PATH = "/mcp";
  /** How an agent is told the server's operator turns each off tool on (see server/README.md). */
  static final String REVEAL_SETTING = "the server setting mcp-allow-reveal (--mcp-allow-reveal, "
      + "LANONASIS_MCP_ALLOW_REVEAL=true)";
  static final String WRITE_SETTING = "the server setting mcp-allow-write (--mcp-allow-write, "
      + "LANONASIS_MCP_ALLOW_WRITE=true)";
  static final String COMMAND_SETTING = "the server setting mcp-allow-commands (--mcp-allow-commands psql,make)";
  private static final String ACTION = "lanonasis.mcpAction";
  private static final String CALLER = "lanonasis.mcpCaller";
  private static final Map<String, String> ACTIONS = Map.of("list_secrets", "mcp.list",
      "describe_secret", "mcp.describe", "get_secret", "mcp.reveal", "set_secret", "mcp.set",
      "run_with_secrets", "mcp.run");

  private final HttpServletStatelessServerTransport transport;
  private final McpStatelessSyncServer server;
  private final Function<String, SecretStore> stores;

  McpRoutes(SecretsMcpServer tools, List<String> allowedHosts, long maxBodyBytes, Function<String, SecretStore> stores) {
    this.stores = stores;
    this.transport = HttpServletStatelessServerTransport.builder()
        .jsonMapper(McpJsonDefaults.getMapper())
        .messageEndpoint(PATH)
        .contextExtractor(req -> McpTransportContext.create(Map.of(McpCaller.CONTEXT_KEY, req.getAttribute(CALLER))))
        .securityValidator(DefaultServerTransportSecurityValidator.builder().allowedHosts(allowedHosts).build())
        .maxRequestSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
        .build();
    this.server = tools.serveStateless(transport);
  }

  List<Route> routes() {
    return List.of(
        Route.audited(HandlerType.POST, PATH, ctx -> {
          String action = ctx.attribute(ACTION);
          return action == null ? "mcp.rpc" : action;
        }, this::post),
        Route.open(HandlerType.GET, PATH, McpRoutes::noStream),
        Route.open(HandlerType.DELETE, PATH, McpRoutes::noStream));
  }

  void close() {
    server.close();
  }

  private static void noStream(Context ctx) {
    ctx.header("Allow", "POST");
    throw new Problem(405, "Method Not Allowed", "this MCP endpoint is stateless: POST one JSON-RPC message, "
        + "get its answer as application/json (no event stream, no session to delete)");
  }

  private void post(Context ctx) throws Exception {
    if (Authenticator.sessionIfAny(ctx).isPresent()) {
      throw new Problem(401, "Unauthorized", "the MCP endpoint takes an API key in the Authorization header, not a "
          + "dashboard session");
    }
    ApiKey key = Authenticator.principal(ctx);
    SecretStore store = new KeyScopedStore(stores.apply(key.tenant()), key);
    ctx.req().setAttribute(CALLER, new McpCaller(store, event -> told(ctx, event)));
    Captured res = new Captured(ctx.res());
    transport.service(ctx.req(), res);
    if (res.error != 0) {
      throw refusal(res.error);
    }
    res.flush();
    ctx.status(res.status);
    if (res.body.size() > 0) {
      ctx.contentType("application/json; charset=utf-8");
      ctx.result(res.body.toByteArray());
    }
    if (res.status >= 400 && ctx.attribute(ACTION) == null) {
      AuditFilter.outcome(ctx, Problems.outcome(res.status));
    }
  }

  /** The call's first event is the request's entry; a run's further secrets each get one more. */
  private static void told(Context ctx, ToolEvent event) {
    String action = ACTIONS.getOrDefault(event.tool(), "mcp.rpc");
    if (ctx.attribute(ACTION) != null) {
      AuditFilter.also(ctx, action, event.subject(), event.outcome());
      return;
    }
    ctx.attribute(ACTION, action);
    AuditFilter.subject(ctx, event.subject());
    AuditFilter.outcome(ctx, event.outcome());
  }

  private static Problem refusal(int status) {
    return switch (status) {
      case 403 -> new Problem(403, "Forbidden", "requests with an Origin header other than the allowed ones are "
          + "refused (a web page may not call the MCP endpoint)");
      case 421 -> new Problem(421, "Misdirected Request", "the Host header names no host this server's /mcp "
          + "answers to; the server's operator can add it with --mcp-allowed-hosts");
      case 413 -> new Problem(413, "Content Too Large", "the MCP message is larger than the server accepts");
      case 503 -> new Problem(503, "Service Unavailable", "the server is shutting down");
      default -> new Problem(status, "MCP transport refusal", "the MCP transport refused the request");
    };
  }

  /** The transport's answer, kept until the audit entry is written. */
  private static final class Captured extends HttpServletResponseWrapper {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private PrintWriter writer;
    int status = 200;
    int error;

    Captured(HttpServletResponse real) {
      super(real);
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public void sendError(int sc) {
      error = sc;
    }

    @Override
    public void sendError(int sc, String msg) {
      error = sc; // the SDK's message is replaced by ours
    }

    @Override
    public void setContentType(String type) {
      // always JSON, set by post()
    }

    @Override
    public void setCharacterEncoding(String charset) {
      // always UTF-8
    }

    @Override
    public PrintWriter getWriter() {
      if (writer == null) {
        writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
      }
      return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new UnsupportedOperationException("not asynchronous");
        }

        @Override
        public void write(int b) {
          body.write(b);
        }
      };
    }

    void flush() {
      if (writer != null) {
        writer.flush();
      }
    }
  }
}
