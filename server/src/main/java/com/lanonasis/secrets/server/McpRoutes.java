package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code /mcp}: the MCP tools over Streamable HTTP, in the server's chain. The chain authenticates
 * the request (an API key in {@code Authorization}; a dashboard session is refused here), limits
 * its body and audits it; this handler gives the SDK's stateless servlet transport a caller that
 * sees the tenant's store as the key may ({@link KeyScopedStore}) and reports each tool call's
 * action, subject and outcome back to the audit link. The transport's Host and Origin checks (DNS
 * rebinding) are on: loopback names when bound to loopback, else the configured hosts; a request
 * with any {@code Origin} not allowed is refused (browsers send one, MCP clients do not).
 *
 * <p>Stateless: every POST carries one JSON-RPC message and gets its answer as {@code
 * application/json}; there is no session and no server-sent stream, so {@code GET} and {@code
 * DELETE} answer 405 as the Streamable HTTP transport allows. The transport writes into a buffer,
 * not the connection: the audit entry is written before any byte of the answer leaves, and an
 * answer whose entry cannot be written is withheld (503), as on the REST routes.
 */
final class McpRoutes {
  static final String PATH = "/mcp";

  /** How an agent is told the server's operator turns each off tool on (see server/README.md). */
  static final String REVEAL_SETTING =
      "the server setting mcp-allow-reveal (--mcp-allow-reveal, "
          + "LANONASIS_MCP_ALLOW_REVEAL=true)";

  static final String WRITE_SETTING =
      "the server setting mcp-allow-write (--mcp-allow-write, " + "LANONASIS_MCP_ALLOW_WRITE=true)";
  static final String COMMAND_SETTING =
      "the server setting mcp-allow-commands (--mcp-allow-commands psql,make)";
  private static final String CALLER = "lanonasis.mcpCaller";
  private static final Map<String, String> ACTIONS =
      Map.of(
          "list_secrets",
          "mcp.list",
          "describe_secret",
          "mcp.describe",
          "get_secret",
          "mcp.reveal",
          "set_secret",
          "mcp.set",
          "run_with_secrets",
          "mcp.run");

  private final HttpServletStatelessServerTransport transport;
  private final McpStatelessSyncServer server;
  private final Function<String, SecretStore> stores;
  private final ObjectMapper json = Requests.mapper();

  McpRoutes(
      SecretsMcpServer tools,
      List<String> allowedHosts,
      long maxBodyBytes,
      Function<String, SecretStore> stores) {
    this.stores = stores;
    this.transport =
        HttpServletStatelessServerTransport.builder()
            .jsonMapper(McpJsonDefaults.getMapper())
            .messageEndpoint(PATH)
            .contextExtractor(
                req ->
                    McpTransportContext.create(
                        Map.of(McpCaller.CONTEXT_KEY, req.getAttribute(CALLER))))
            .httpHeaderValidator(
                DefaultServerTransportSecurityValidator.builder()
                    .allowedHosts(allowedHosts)
                    .build())
            .maxRequestSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
            .build();
    this.server = tools.serveStateless(transport);
  }

  List<Route> routes() {
    return List.of(
        // The tool called is known only from the answer: the reply names it for the audit entry.
        Route.audited(HandlerType.POST, PATH, "mcp.rpc", this::post),
        Route.open(HandlerType.GET, PATH, McpRoutes::noStream),
        Route.open(HandlerType.DELETE, PATH, McpRoutes::noStream),
        Route.open(HandlerType.GET, "/.well-known/oauth-protected-resource", McpRoutes::noOAuth),
        Route.open(HandlerType.GET, "/.well-known/oauth-protected-resource/*", McpRoutes::noOAuth),
        Route.open(HandlerType.GET, "/.well-known/oauth-authorization-server", McpRoutes::noOAuth),
        Route.open(
            HandlerType.GET, "/.well-known/oauth-authorization-server/*", McpRoutes::noOAuth),
        Route.open(HandlerType.GET, "/.well-known/openid-configuration", McpRoutes::noOAuth));
  }

  /**
   * A definite "no" where an MCP client looks for OAuth metadata (RFC 9728, RFC 8414) after a 401:
   * the answer says what to send instead, so the client reports it rather than trying to register.
   */
  private static Reply noOAuth(Call call) {
    throw new Problem(
        404,
        "Not Found",
        "this server offers no OAuth authorization: /mcp takes an API key "
            + "in the Authorization header (Authorization: Bearer lns_...); ask the server's operator for one");
  }

  void close() {
    server.close();
  }

  private static Reply noStream(Call call) {
    call.http().header("Allow", "POST");
    throw new Problem(
        405,
        "Method Not Allowed",
        "this MCP endpoint is stateless: POST one JSON-RPC message, "
            + "get its answer as application/json (no event stream, no session to delete)");
  }

  private Reply post(Call call) throws Exception {
    if (call.session().isPresent()) {
      throw new Problem(
          401,
          "Unauthorized",
          "the MCP endpoint takes an API key in the Authorization header, not a "
              + "dashboard session");
    }
    Context ctx = call.http();
    ApiKey key = call.principal();
    SecretStore store = new KeyScopedStore(stores.apply(key.tenant()), key);
    List<ToolEvent> events = new ArrayList<>();
    ctx.req().setAttribute(CALLER, new McpCaller(store, events::add));
    // Checked here, not by the transport, which answers a body it cannot parse (a batch, truncated
    // JSON, deep nesting, `null`) with the serialised Java exception, stack trace and all.
    Requests.jsonObject(ctx, json);
    Captured res = new Captured(ctx.res());
    transport.service(new Replayed(ctx.req(), ctx.bodyAsBytes()), res);
    if (res.error != 0) {
      throw refusal(res.error);
    }
    res.flush();
    if (res.status == 400) {
      // Whatever else the transport cannot take: its answer is the serialised exception as above.
      throw Problem.badRequest(
          "the body is not one JSON-RPC 2.0 message: send a single JSON object "
              + "(batches are not supported), complete and nested at most a few hundred levels deep");
    }
    Reply reply =
        res.body.size() > 0
            ? Reply.bytes(res.status, "application/json; charset=utf-8", res.body.toByteArray())
            : Reply.empty(res.status);
    if (events.isEmpty()) {
      return res.status >= 400 ? reply.outcome(Problems.outcome(res.status)) : reply;
    }
    // The call's first event is the request's entry; a run's further secrets each get one more.
    ToolEvent first = events.get(0);
    for (ToolEvent e : events.subList(1, events.size())) {
      call.also(action(e), e.subject(), e.outcome());
    }
    return reply.action(action(first)).about(first.subject()).outcome(first.outcome());
  }

  private static String action(ToolEvent event) {
    return ACTIONS.getOrDefault(event.tool(), "mcp.rpc");
  }

  private static Problem refusal(int status) {
    return switch (status) {
      case 403 ->
          new Problem(
              403,
              "Forbidden",
              "requests with an Origin header other than the allowed ones are "
                  + "refused (a web page may not call the MCP endpoint)");
      case 421 ->
          new Problem(
              421,
              "Misdirected Request",
              "the Host header names no host this server's /mcp "
                  + "answers to; the server's operator can add it with --mcp-allowed-hosts");
      case 413 ->
          new Problem(
              413, "Content Too Large", "the MCP message is larger than the server accepts");
      case 503 -> new Problem(503, "Service Unavailable", "the server is shutting down");
      default ->
          new Problem(status, "MCP transport refusal", "the MCP transport refused the request");
    };
  }

  /**
   * The request with its body already read (and checked) by {@link #post}, for the transport to
   * read again.
   */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;

    Replayed(HttpServletRequest real, byte[] body) {
      super(real);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("not asynchronous");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }

  /** The transport's answer, kept until the audit entry is written. */
  private static final class Captured extends HttpServletResponseWrapper {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private @Nullable PrintWriter writer;
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
