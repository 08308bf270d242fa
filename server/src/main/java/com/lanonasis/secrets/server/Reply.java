package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler answers a {@link Call} with (OkHttp's {@code Response}, OpenBao's {@code
 * logical.Response}): status, body and headers, and what the audit entry should say beyond what the
 * route table knows. The chain records the entry first and sends the reply only after it was
 * written, so an answer whose entry cannot be written never leaves.
 *
 * @param status the HTTP status
 * @param body what is sent
 * @param headers sent in this order; a name may repeat ({@code Set-Cookie})
 * @param action the audited action when the handler knows it better than the route ({@code /mcp}'s
 *     tool)
 * @param auditSubject what the request was about, when named only in the answer
 * @param outcome the audit outcome of an answer that did not succeed in what it was asked although
 *     it is not an error status (an MCP tool refused inside a 200)
 */
record Reply(
    int status,
    Body body,
    List<Header> headers,
    Optional<String> action,
    Optional<String> auditSubject,
    Optional<String> outcome) {

  /** One response header. */
  record Header(String name, String value) {
    Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** What a reply sends. */
  sealed interface Body {}

  /** No body (204, 304). */
  record Empty() implements Body {}

  /** A record or map, written as JSON with the server's mapper. */
  record Json(Object value) implements Body {
    Json {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Json[redacted]";
    }
  }

  /** Bytes already encoded, of {@code contentType}. */
  // Already-encoded bytes on their way out; replies are never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Bytes(String contentType, byte[] content) implements Body {
    Bytes {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
      return "Bytes[" + contentType + ", " + content.length + " bytes]";
    }
  }

  Reply {
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(auditSubject, "auditSubject");
    Objects.requireNonNull(outcome, "outcome");
  }

  private static Reply of(int status, Body body) {
    return new Reply(status, body, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** {@code body} as {@code application/json}. */
  static Reply json(int status, Object body) {
    return of(status, new Json(body));
  }

  /**
   * Bytes of a given type: a served file, or a body the handler encoded itself so that it could
   * wipe what it held.
   */
  static Reply bytes(int status, String contentType, byte[] content) {
    return of(status, new Bytes(contentType, content));
  }

  /** No body. */
  static Reply empty(int status) {
    return of(status, new Empty());
  }

  Reply header(String name, String value) {
    List<Header> h = new ArrayList<>(headers);
    h.add(new Header(name, value));
    return new Reply(status, body, h, action, auditSubject, outcome);
  }

  Reply action(String audited) {
    return new Reply(status, body, headers, Optional.of(audited), auditSubject, outcome);
  }

  Reply about(String subject) {
    return new Reply(status, body, headers, action, Optional.ofNullable(subject), outcome);
  }

  Reply outcome(String audited) {
    return new Reply(status, body, headers, action, auditSubject, Optional.of(audited));
  }

  /** Writes this reply as the response: the chain's last step, after the audit entry. */
  void send(Context ctx, ObjectMapper json) throws IOException {
    for (Header h : headers) {
      ctx.res().addHeader(h.name(), h.value());
    }
    ctx.status(status);
    if (body instanceof Json j) {
      ctx.contentType("application/json").result(json.writeValueAsBytes(j.value()));
    } else if (body instanceof Bytes b) {
      ctx.contentType(b.contentType()).result(b.content());
    }
  }

  @Override
  public String toString() {
    // A body may hold a value or a new key: never printed.
    return "Reply[" + status + "]";
  }
}
