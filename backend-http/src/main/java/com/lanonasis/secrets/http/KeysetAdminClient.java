package com.lanonasis.secrets.http;

import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealPosition;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Safety;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The data-key lifecycle of a server's tenants ({@code /api/v1/keysets}, {@code
 * /api/v1/master-keys}): what {@link TenantKeyManager} does on an embedded store, done by the
 * server for an operator key, an ADMIN key of tenant {@code default} without a name prefix (any
 * other key gets {@link com.lanonasis.secrets.AccessDeniedException}). The same transport and
 * {@link SecretManagerClientConfig} rules as {@link SecretManagerClient}.
 *
 * <pre>{@code
 * try (KeysetAdminClient keys = new KeysetAdminClient(SecretManagerClientConfig.fromEnvironment().build())) {
 *   keys.rotate("acme");                                   // new primary data key
 *   keys.reseal("acme", 1000, report -> {});               // every record under it
 *   keys.retire("acme", oldKeyId);                         // refused while any record uses it
 * }
 * }</pre>
 *
 * <p>The exceptions are the ones {@link TenantKeyManager} throws for the same refusal, so code
 * written for one works with the other: {@link KeysetDestroyedException} (HTTP 410) for a shredded
 * tenant, {@link InvalidInputException} for a key still in use, the primary key, a key not in the
 * keyset or a re-provision of a live keyset (HTTP 409 or 404), and the SDK's usual ones for
 * authentication, throttling and server failures. Reads and re-seal requests are retried like reads
 * (re-sealing a row twice is harmless: each row is replaced only if it still holds what was read);
 * rotate, destroy, re-provision and retire only when they certainly never reached the server.
 *
 * <p>Thread-safe. Nothing here ever carries key material: the server answers with key ids and
 * counts only.
 *
 * @since 0.1
 */
public final class KeysetAdminClient implements AutoCloseable {

  private final AdminCalls calls;

  /** A client for the server and operator key of {@code config}. Makes no request. */
  public KeysetAdminClient(SecretManagerClientConfig config) {
    this.calls = new AdminCalls("KeysetAdminClient", config);
  }

  /** The tenant's keyset: generation, keys with the records each seals, the primary's usage. */
  public KeysetStatus status(String tenant) {
    return call(
        Op.KEYSET_READ,
        "read the data keyset of tenant '" + tenant(tenant) + "'",
        tenant,
        200,
        get(url(tenant, "")),
        Safety.REPEATABLE,
        KeysetWire::status);
  }

  /** Every tenant that has (or had) a data keyset, by name. */
  public List<KeysetStatus> list() {
    List<KeysetStatus> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      HttpUrl.Builder url = calls.url("keysets");
      after.ifPresent(a -> url.addQueryParameter("after", a));
      KeysetWire.KeysetPage page =
          call(
              Op.KEYSET_LIST,
              "list data keysets",
              "",
              200,
              get(url),
              Safety.REPEATABLE,
              KeysetWire::page);
      all.addAll(page.items());
      if (page.next().isPresent() && page.next().equals(after)) {
        throw new com.lanonasis.secrets.BackendUnavailableException(
            "cannot list data keysets: the server " + "answered the same page twice");
      }
      after = page.next();
    } while (after.isPresent());
    return List.copyOf(all);
  }

  /** The server's master key ids and how many tenant keysets each wraps. */
  public MasterKeyUsage masterKeys() {
    return call(
        Op.KEYSET_LIST,
        "read the master key usage",
        "",
        200,
        get(calls.url("master-keys")),
        Safety.REPEATABLE,
        KeysetWire::masterKeys);
  }

  /** A new primary data key for the tenant (a keyset if it had none); its status afterwards. */
  public KeysetStatus rotate(String tenant) {
    return call(
        Op.KEYSET_CHANGE,
        "rotate the data key of tenant '" + tenant(tenant) + "'",
        tenant,
        200,
        post(url(tenant, ":rotate"), new byte[0]),
        Safety.ONCE,
        KeysetWire::status);
  }

  /**
   * Crypto-shreds the tenant: every value it holds becomes unreadable for good, on every store, and
   * nothing can be written for it until {@link #reprovision}.
   *
   * @return whether a live keyset was destroyed (false: it had none, or it was destroyed already)
   */
  public boolean destroy(String tenant) {
    return call(
        Op.KEYSET_CHANGE,
        "destroy the data keyset of tenant '" + tenant(tenant) + "'",
        tenant,
        200,
        post(url(tenant, ":destroy"), KeysetWire.destroyRequest(tenant)),
        Safety.ONCE,
        KeysetWire::destroyed);
  }

  /**
   * A new, empty keyset for a shredded tenant; its status. Refused unless the keyset is destroyed.
   */
  public KeysetStatus reprovision(String tenant) {
    return call(
        Op.KEYSET_CHANGE,
        "re-provision tenant '" + tenant(tenant) + "'",
        tenant,
        200,
        post(url(tenant, ":reprovision"), new byte[0]),
        Safety.ONCE,
        KeysetWire::status);
  }

  /**
   * Re-seals every record of the tenant under its primary data key, one bounded request after
   * another (each carries on where the last stopped), until none is left.
   *
   * @param batchSize records per transaction on the server, 1 to {@link
   *     TenantKeyManager#MAX_RESEAL_BATCH}
   * @param progress called after each request with the totals so far
   * @return the totals; {@code unreadable} counts records that failed to open
   */
  public ResealReport reseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return reseal(tenant, batchSize, TenantKeyManager.ResealMode.RESEAL, progress);
  }

  /** What {@link #reseal} would do: the same requests, counting, with nothing re-sealed. */
  public ResealReport planReseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return reseal(tenant, batchSize, TenantKeyManager.ResealMode.DRY_RUN, progress);
  }

  private ResealReport reseal(
      String tenant,
      int batchSize,
      TenantKeyManager.ResealMode mode,
      Consumer<ResealReport> progress) {
    boolean dryRun = mode == TenantKeyManager.ResealMode.DRY_RUN;
    tenant(tenant);
    if (batchSize < 1 || batchSize > TenantKeyManager.MAX_RESEAL_BATCH) {
      throw new InvalidInputException(
          "batch size out of range (1.." + TenantKeyManager.MAX_RESEAL_BATCH + "): " + batchSize);
    }
    Objects.requireNonNull(progress, "progress");
    long resealed = 0;
    long skipped = 0;
    long unreadable = 0;
    Map<Integer, Long> from = new TreeMap<>();
    Optional<ResealPosition> resume = Optional.empty();
    while (true) {
      ResealReport slice =
          call(
              Op.KEYSET_RESEAL,
              "re-seal the records of tenant '" + tenant + "'",
              tenant,
              200,
              post(url(tenant, ":reseal"), KeysetWire.resealRequest(batchSize, dryRun, resume)),
              Safety.REPEATABLE,
              KeysetWire::reseal);
      resealed += slice.resealed();
      skipped += slice.skipped();
      unreadable += slice.unreadable();
      slice.fromKeyIds().forEach((k, v) -> from.merge(k, v, Long::sum));
      ResealReport total =
          new ResealReport(
              tenant,
              slice.primaryKeyId(),
              resealed,
              skipped,
              unreadable,
              Map.copyOf(from),
              slice.done(),
              slice.resumeAfter());
      progress.accept(total);
      if (slice.done() || slice.resumeAfter().isEmpty()) {
        return total;
      }
      if (slice.resumeAfter().equals(resume)) {
        throw new com.lanonasis.secrets.BackendUnavailableException(
            "cannot re-seal tenant '" + tenant + "': the server made no progress");
      }
      resume = slice.resumeAfter();
    }
  }

  /**
   * Removes a data key from the tenant's keyset once no record uses it.
   *
   * @throws InvalidInputException if it is the primary, not in the keyset, or still seals records
   *     (the message says how many: re-seal first)
   */
  public void retire(String tenant, int keyId) {
    String id = Integer.toUnsignedString(keyId);
    call(
        Op.KEYSET_RETIRE,
        "retire data key " + id + " of tenant '" + tenant(tenant) + "'",
        tenant,
        204,
        post(url(tenant, "/keys/" + id + ":retire"), new byte[0]),
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

  private static String tenant(String tenant) {
    return ApiKeyAdminClient.checkTenant(tenant);
  }

  private HttpUrl.Builder url(String tenant, String rest) {
    return calls.url("keysets/" + tenant + rest);
  }

  private static Request.Builder get(HttpUrl.Builder url) {
    return new Request.Builder().url(url.build()).get();
  }

  private static Request.Builder post(HttpUrl.Builder url, byte[] json) {
    return new Request.Builder().url(url.build()).post(RequestBody.create(json, Transport.JSON));
  }

  private <T> T call(
      Op op,
      String what,
      String tenant,
      int expected,
      Request.Builder request,
      Safety safety,
      Function<byte[], T> decoder) {
    return calls.call(op, what, tenant, expected, request, safety, decoder);
  }
}
