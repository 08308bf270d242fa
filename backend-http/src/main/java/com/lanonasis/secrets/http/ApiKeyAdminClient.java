package com.lanonasis.secrets.http;

import com.lanonasis.secrets.ApiKeyNotFoundException;
import com.lanonasis.secrets.ApiKeyRevokedException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Safety;
import com.lanonasis.secrets.wire.Role;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * API-key administration on a Lanonasis server ({@code POST /api/v1/keys}, {@code GET
 * /api/v1/keys}, {@code POST /api/v1/keys/{id}:revoke}), for an ADMIN key without a name prefix. It
 * goes through the same transport as {@link SecretManagerClient}, so the same {@link
 * SecretManagerClientConfig} rules hold: the key only in the {@code Authorization} header, no
 * credential or query in the URL, plain {@code http://} only to loopback unless {@code
 * insecurePlainHttp()}, the configured trusted certificates, redirects refused.
 *
 * <pre>{@code
 * try (ApiKeyAdminClient admin = new ApiKeyAdminClient(SecretManagerClientConfig.fromEnvironment().build())) {
 *   NewApiKey ci = admin.create(Role.READ_ONLY, "ci/");   // ci.key() is shown this once
 *   for (ApiKeyInfo k : admin.list()) { ... }
 *   admin.revoke(ci.info().id());
 * }
 * }</pre>
 *
 * <p>An ADMIN of the operator tenant {@code default} manages every tenant's keys; an ADMIN of
 * another tenant only its own. The constructor makes no request; each call reports its own failure
 * with the exceptions of the rest of the SDK:
 *
 * <table>
 *   <caption>server answer to exception</caption>
 *   <tr><th>answer</th><th>exception</th></tr>
 *   <tr><td>400 (a role, prefix or tenant the server refuses)</td><td>{@link InvalidInputException} with its detail</td></tr>
 *   <tr><td>401 / 403</td><td>{@link com.lanonasis.secrets.AccessDeniedException} (403: not an unscoped ADMIN key, or another tenant)</td></tr>
 *   <tr><td>404 on revoke</td><td>{@link ApiKeyNotFoundException}</td></tr>
 *   <tr><td>409 on revoke</td><td>{@link ApiKeyRevokedException}: a conflict, the key stays revoked</td></tr>
 *   <tr><td>429, 5xx, no answer</td><td>{@link com.lanonasis.secrets.BackendUnavailableException}</td></tr>
 *   <tr><td>3xx, 405, 415, a 404 without a problem body</td><td>{@link com.lanonasis.secrets.ConfigurationException}: not the API this client speaks; redirects are never followed</td></tr>
 * </table>
 *
 * <p>{@code list} is retried like a read; {@code create} and {@code revoke} only when they
 * certainly never reached the server (a second {@code create} would mint a second key). The
 * client's cache and value-size settings do not apply here. Messages and {@code toString} show at
 * most a key's public id; only {@link NewApiKey#key()} returns a key.
 *
 * <p>Thread-safe. {@link #close()} releases the connection pool and threads it created.
 *
 * @since 0.1
 */
public final class ApiKeyAdminClient implements AutoCloseable {
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

  private final AdminCalls calls;

  /** A client for the server and ADMIN key of {@code config}. Makes no request. */
  public ApiKeyAdminClient(SecretManagerClientConfig config) {
    this.calls = new AdminCalls("ApiKeyAdminClient", config);
  }

  /**
   * Creates a key of the caller's tenant.
   *
   * @param prefix the names the key is limited to: empty for all, else a secret name, optionally
   *     ending in {@code /} (then the names under it)
   * @throws InvalidInputException for a prefix that is not one, before any request
   */
  public NewApiKey create(Role role, String prefix) {
    return create(Optional.empty(), role, prefix);
  }

  /**
   * Creates a key of {@code tenant}: only an ADMIN of the operator tenant {@code default} may name
   * another tenant than its own (403 otherwise).
   *
   * @throws InvalidInputException for a tenant outside 1 to 64 of {@code [A-Za-z0-9._-]} or a bad
   *     prefix, before any request
   */
  public NewApiKey create(String tenant, Role role, String prefix) {
    return create(Optional.of(checkTenant(tenant)), role, prefix);
  }

  /**
   * {@code tenant}, if it is a tenant id (1 to 64 of {@code [A-Za-z0-9._-]}); checked before any
   * request.
   */
  static String checkTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (!TenantId.isValid(tenant)) {
      throw new InvalidInputException("a tenant is 1 to 64 characters of [A-Za-z0-9._-]");
    }
    return tenant;
  }

  private NewApiKey create(Optional<String> tenant, Role role, String prefix) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(prefix, "prefix");
    String bare = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (!prefix.isEmpty() && !SecretName.isValid(bare)) {
      throw new InvalidInputException(
          "a key's prefix is empty or a valid secret name, optionally followed by '/'");
    }
    checkOpen();
    Transport.Body body = WireFormat.keyRequest(tenant, role, prefix);
    try {
      return call(
          Op.KEY_CREATE,
          "create an API key",
          "",
          201,
          new Request.Builder().url(calls.url("keys").build()).post(body),
          Safety.ONCE,
          WireFormat::newKey);
    } finally {
      body.wipe();
    }
  }

  /** Every key the caller may see (its tenant's, or all for the operator tenant), oldest first. */
  public List<ApiKeyInfo> list() {
    checkOpen();
    return call(
        Op.KEY_LIST,
        "list API keys",
        "",
        200,
        new Request.Builder().url(calls.url("keys").build()).get(),
        Safety.REPEATABLE,
        WireFormat::keys);
  }

  /**
   * Revokes the key with this id; the server refuses it from its very next request.
   *
   * @param id the 16 hex digits after {@code lns_} ({@link ApiKeyInfo#id()})
   * @throws InvalidInputException when {@code id} is not 16 hex digits, before any request (the
   *     message never quotes it: it may be a whole key pasted by mistake)
   * @throws ApiKeyNotFoundException when the server knows no such key (for this caller)
   * @throws ApiKeyRevokedException when it was revoked already
   */
  public void revoke(String id) {
    Objects.requireNonNull(id, "id");
    if (!isKeyId(id)) {
      throw new InvalidInputException(
          "a key id is 16 lowercase hex digits, the part of the key after lns_ "
              + "(never the whole key)");
    }
    checkOpen();
    call(
        Op.KEY_REVOKE,
        "revoke API key " + id,
        id,
        204,
        new Request.Builder()
            .url(calls.url("keys/" + id + ":revoke").build())
            .post(RequestBody.EMPTY),
        Safety.ONCE,
        body -> null);
  }

  /** Releases the connection pool and threads this client made. Idempotent. */
  @Override
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return calls.toString();
  }

  static boolean isKeyId(String id) {
    return KEY_ID.matcher(id).matches();
  }

  private <T> T call(
      Op op,
      String what,
      String id,
      int expected,
      Request.Builder request,
      Safety safety,
      Function<byte[], T> decoder) {
    return calls.call(op, what, id, expected, request, safety, decoder);
  }

  private void checkOpen() {
    calls.checkOpen();
  }
}
