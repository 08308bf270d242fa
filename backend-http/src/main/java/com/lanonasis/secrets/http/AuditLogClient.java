package com.lanonasis.secrets.http;

import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Reply;
import com.lanonasis.secrets.http.Transport.Safety;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Read access to a Lanonasis server's audit log, for an ADMIN key without a name prefix: pages of
 * entries ({@code GET /api/v1/audit}) and a freshly signed checkpoint ({@code GET
 * /api/v1/audit/checkpoint}, the operator's). It returns the server's JSON as it is — the entries'
 * hashes are to be recomputed by whoever verifies them, not trusted — and goes through the same
 * transport and {@link SecretManagerClientConfig} rules as {@link SecretManagerClient}; failures are
 * the SDK's exceptions ({@link ApiKeyAdminClient} has the table). What {@code lanonasis audit}
 * reads a remote log with.
 *
 * <p>Thread-safe. The constructor makes no request.
 *
 * @since 0.1
 */
public final class AuditLogClient implements AutoCloseable {
  private final SecretManagerClientConfig config;
  private final Transport transport;
  private final AtomicBoolean closed = new AtomicBoolean();

  public AuditLogClient(SecretManagerClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new Transport(config);
  }

  /**
   * The entries after seq {@code after}, oldest first, at most {@code limit} (1 to 1000): the JSON
   * object {@code {items: [...], nextAfter?}} the server sends.
   */
  public String page(long after, int limit) {
    if (after < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("after must be >= 0 and limit 1..1000: " + after + ", " + limit);
    }
    HttpUrl url = transport.url("audit").build().newBuilder().addQueryParameter("after", Long.toString(after))
        .addQueryParameter("limit", Integer.toString(limit)).build();
    return get(Op.AUDIT_READ, "read the audit log", url, Safety.REPEATABLE);
  }

  /** A checkpoint the server signs now, of its newest entry: the JSON object it sends. */
  public String checkpoint() {
    return get(Op.AUDIT_CHECKPOINT, "sign an audit checkpoint", transport.url("audit/checkpoint").build(),
        Safety.REPEATABLE);
  }

  private String get(Op op, String what, HttpUrl url, Safety safety) {
    if (closed.get()) {
      throw new IllegalStateException("audit log client is closed");
    }
    Reply reply = transport.send(what, new Request.Builder().url(url).get(), safety);
    try {
      if (reply.status() != 200) {
        throw ErrorMapping.toException(op, what, "", OptionalLong.empty(), -1, -1, reply);
      }
      return new String(reply.body(), StandardCharsets.UTF_8);
    } finally {
      reply.wipe();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      transport.close();
    }
  }

  @Override
  public String toString() {
    return "AuditLogClient[apiUrl=" + config.apiUrl() + ", apiKey=" + config.apiKeyHint() + "]";
  }
}
