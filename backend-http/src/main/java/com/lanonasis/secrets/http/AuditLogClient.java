package com.lanonasis.secrets.http;

import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Safety;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Read access to a Lanonasis server's audit log, for an ADMIN key without a name prefix: pages of
 * entries ({@code GET /api/v1/audit}) and a freshly signed checkpoint ({@code GET
 * /api/v1/audit/checkpoint}, the operator's). It returns the server's JSON as it is — the entries'
 * hashes are to be recomputed by whoever verifies them, not trusted — and goes through the same
 * transport and {@link SecretManagerClientConfig} rules as {@link SecretManagerClient}; failures
 * are the SDK's exceptions ({@link ApiKeyAdminClient} has the table). What {@code lanonasis audit}
 * reads a remote log with.
 *
 * <p>Thread-safe. The constructor makes no request.
 *
 * @since 0.1
 */
public final class AuditLogClient implements AutoCloseable {
  private final AdminCalls calls;

  public AuditLogClient(SecretManagerClientConfig config) {
    this.calls = new AdminCalls("AuditLogClient", config);
  }

  /**
   * The entries after seq {@code after}, oldest first, at most {@code limit} (1 to 1000): the JSON
   * object {@code {items: [...], nextAfter?}} the server sends.
   */
  public String page(long after, int limit) {
    if (after < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException(
          "after must be >= 0 and limit 1..1000: " + after + ", " + limit);
    }
    HttpUrl url =
        calls
            .url("audit")
            .build()
            .newBuilder()
            .addQueryParameter("after", Long.toString(after))
            .addQueryParameter("limit", Integer.toString(limit))
            .build();
    return get(Op.AUDIT_READ, "read the audit log", url, Safety.REPEATABLE);
  }

  /**
   * The entries before seq {@code before} (0: from the newest), newest first, at most {@code limit}
   * (1 to 1000), narrowed by the server's filters ({@code keyId}, {@code action}, {@code name},
   * {@code outcome}, {@code from}, {@code until}, {@code hideListings}; an empty value is left
   * out): the JSON object {@code {items: [...], nextBefore?}} the server sends, each item with the
   * {@code key} it was made with described (role, prefix, revoked) where the server still has it.
   */
  public String newest(long before, int limit, Map<String, String> filters) {
    if (before < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException(
          "before must be >= 0 and limit 1..1000: " + before + ", " + limit);
    }
    HttpUrl.Builder url =
        calls
            .url("audit")
            .build()
            .newBuilder()
            .addQueryParameter("before", Long.toString(before))
            .addQueryParameter("limit", Integer.toString(limit));
    new TreeMap<>(filters)
        .forEach(
            (k, v) -> {
              if (v != null && !v.isEmpty()) {
                url.addQueryParameter(k, v);
              }
            });
    return get(Op.AUDIT_READ, "read the audit log", url.build(), Safety.REPEATABLE);
  }

  /** A checkpoint the server signs now, of its newest entry: the JSON object it sends. */
  public String checkpoint() {
    return get(
        Op.AUDIT_CHECKPOINT,
        "sign an audit checkpoint",
        calls.url("audit/checkpoint").build(),
        Safety.REPEATABLE);
  }

  private String get(Op op, String what, HttpUrl url, Safety safety) {
    return calls.call(
        op,
        what,
        "",
        200,
        new Request.Builder().url(url).get(),
        safety,
        body -> new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return calls.toString();
  }
}
