package com.lanonasis.secrets.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (requests it refuses before Javalin sees them: a bad URI, a malformed
 * header, a request line or headers too large) as problem+json instead of Jetty's HTML page, which
 * echoes the request URI, with the security headers every other answer carries.
 */
final class JettyProblems implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s
            ? s
            : response.getStatus();
    if (status < 400 || status > 599) {
      status = 500;
    }
    String title = HttpStatus.getMessage(status).replace("\"", "");
    String body =
        "{\"type\":\"about:blank\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\"the request was refused by the HTTP layer\"}";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    // The same promise as every other answer (Chain): these refusals never reach Javalin's
    // handlers.
    Chain.SECURITY_HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // Jetty drops the connection after refusing a request: say so, or a pooling client sends its
    // next request on a dead connection and sees no response at all.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
