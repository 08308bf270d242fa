package com.lanonasis.secrets.http;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Reply;
import com.lanonasis.secrets.http.Transport.Safety;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * The Lanonasis Secrets SDK for Java: a {@link SecretStore} whose secrets live on a Lanonasis
 * server, reached over its REST API (v1) with OkHttp. The server encrypts and decrypts with its own
 * keyring; the client holds no key but the API key.
 *
 * <pre>{@code
 * try (SecretManagerClient client = new SecretManagerClient(SecretManagerClientConfig.builder()
 *     .apiUrl("https://secrets.internal:8443")
 *     .apiKey(System.getenv("LANONASIS_API_KEY"))
 *     .build())) {
 *   client.setSecret("prod/db/password", "hunter2");
 *   String password = client.getSecret("prod/db/password");
 * }
 *
 * // or, with LANONASIS_API_KEY set, by URI like every other backend:
 * SecretStore store = SecretStores.open("https://secrets.internal:8443");
 * }</pre>
 *
 * <p>{@code setSecret}/{@code getSecret} are the names the SDK has in other languages; the rest is
 * {@link SecretStore}, with the same semantics and the same exceptions as the local stores (see
 * {@link ErrorMapping} for the HTTP statuses behind each).
 *
 * <h2>Connecting</h2>
 *
 * The constructor calls {@code GET /api/v1/whoami} once, so a wrong URL, an untrusted certificate
 * or a refused key fails there, not on first use; it also learns the key's tenant ({@link
 * #tenant()}). A process that makes one read can skip that round trip with {@link
 * SecretManagerClientConfig.Builder#checkKeyOnConnect(boolean) checkKeyOnConnect(false)}: the key
 * is then checked when first needed, and a failed read reports what the check would have. The API
 * key travels only in the {@code Authorization} header, never in a URL, and appears in no message,
 * log line or {@code toString}.
 *
 * <h2>Retries</h2>
 *
 * Reads, and writes with an expected version (check-and-set), are retried after a timeout, a reset
 * connection, 429, 502, 503 or 504, with jittered exponential backoff, honouring {@code
 * Retry-After} (see {@link SecretManagerClientConfig}). They are safe to repeat: a check-and-set
 * write cannot apply twice. If a retried check-and-set write reports a {@link
 * com.lanonasis.secrets.VersionConflictException} whose current version is the expected one plus
 * one, the first attempt may have been applied: read the secret to know. Unconditional writes,
 * deletes, restores, destroys and attribute updates are sent again only when they certainly never
 * reached the server (connection refused, 429); otherwise their failure says the change may or may
 * not have been made.
 *
 * <h2>ETag revalidation, and the read cache</h2>
 *
 * With {@link SecretManagerClientConfig.Builder#etagRevalidation} on, the client keeps the values
 * it read with their {@code ETag} and revalidates on every read: an unchanged secret costs a 304
 * without the value. Every read asks the server, so nothing is stale. To serve values from memory
 * for a time, use the facade's read cache over the client, the same decorator as over a local
 * store: {@code SecretStores.builder().remoteStore(client).cache(ttl, maxEntries).open()} (a store
 * opened by URI with {@code .cache(...)} gets it, with revalidation below it).
 *
 * <p>Thread-safety: safe for concurrent use; share one instance (it pools connections). {@link
 * #close()} releases the connection pool and threads it created (not those of a caller's {@code
 * OkHttpClient}) and wipes the stored values.
 *
 * @since 0.1
 */
public final class SecretManagerClient implements SecretStore {
  private final SecretManagerClientConfig config;
  private final Transport transport;
  private final @Nullable EtagStore etags;

  /** What whoami answered; null until then when the key is checked when needed. */
  private volatile WireFormat.@Nullable Whoami identity;

  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Connects to the server and checks the API key (unless {@link
   * SecretManagerClientConfig#checksKeyOnConnect()} is off: then it sends nothing).
   *
   * @throws com.lanonasis.secrets.AccessDeniedException if the server refuses the key
   * @throws ConfigurationException if the TLS certificate is not trusted, the URL is not a
   *     Lanonasis server, or the key belongs to another tenant than {@code expectTenant}
   * @throws com.lanonasis.secrets.BackendUnavailableException if the server cannot be reached
   */
  public SecretManagerClient(SecretManagerClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new Transport(config);
    this.etags = config.etagEntries() == 0 ? null : new EtagStore(config.etagEntries());
    if (config.checksKeyOnConnect()) {
      try {
        identity();
      } catch (RuntimeException e) {
        transport.close();
        throw e;
      }
    }
  }

  /**
   * The key's identity as whoami answers it, asked once (checking the key, and the tenant if one is
   * expected).
   */
  private WireFormat.Whoami identity() {
    WireFormat.Whoami known = identity;
    if (known != null) {
      return known;
    }
    WireFormat.Whoami me =
        call(
            Op.WHOAMI,
            "check the API key",
            "",
            OptionalLong.empty(),
            get(transport.url("whoami")),
            Safety.REPEATABLE,
            WireFormat::whoami);
    if (config.expectedTenant().isPresent() && !config.expectedTenant().get().equals(me.tenant())) {
      throw new ConfigurationException(
          "the API key "
              + config.apiKeyHint()
              + " belongs to tenant '"
              + me.tenant()
              + "', not to the expected tenant '"
              + config.expectedTenant().get()
              + "'");
    }
    identity = me;
    return me;
  }

  /**
   * {@code failure} of a read made before the key was checked, or what the check throws if it
   * fails: a refused key or a URL that is not a Lanonasis server then reads as it would have on
   * connecting. A server that did not answer, or whose certificate is not trusted, is not asked
   * again.
   */
  private RuntimeException uncheckedReadFailed(RuntimeException failure) {
    if (identity != null
        || !(failure instanceof SecretsException)
        || failure instanceof com.lanonasis.secrets.BackendUnavailableException
        // An untrusted certificate: no answer was read.
        || failure.getCause() instanceof java.io.IOException) {
      return failure;
    }
    try {
      identity();
    } catch (RuntimeException check) {
      return check;
    }
    return failure;
  }

  // ---- the SDK's names
  // -----------------------------------------------------------------------------

  /**
   * Writes {@code value} (as UTF-8) as a new version of {@code key}; see {@link #put(String,
   * SecretValue)}.
   */
  public VersionInfo setSecret(String key, String value) {
    Objects.requireNonNull(value, "value");
    try (SecretValue v = SecretValue.ofUtf8(value)) {
      return put(key, v);
    }
  }

  /**
   * The latest value of {@code key} decoded as UTF-8. This makes a {@code String} of the secret,
   * which cannot be wiped; {@link #get(String)} returns bytes the caller can wipe.
   */
  public String getSecret(String key) {
    try (Secret s = get(key)) {
      return s.value().asUtf8();
    }
  }

  /**
   * The latest values of {@code keys} decoded as UTF-8, in the order given: {@link #getAll} (one
   * request per 100 names), all or nothing, then each value made a {@code String}, which cannot be
   * wiped; {@link #getAll} returns bytes the caller can wipe.
   *
   * @throws com.lanonasis.secrets.SecretNotFoundException for the first key that cannot be read
   */
  public Map<String, String> getSecrets(Collection<String> keys) {
    Map<String, Secret> read = getAll(keys);
    Map<String, String> out = new LinkedHashMap<>();
    try {
      read.forEach((name, s) -> out.put(name, s.value().asUtf8()));
    } finally {
      read.values().forEach(Secret::close);
    }
    return Collections.unmodifiableMap(out);
  }

  // ---- the key this client uses, as the server answered GET /api/v1/whoami (on connecting, or
  // when
  // first needed)
  // --------------

  /** The id of the API key (16 hex digits), never the key itself. */
  public String keyId() {
    return identity().keyId();
  }

  /**
   * The key's role as the server names it: {@code ADMIN}, {@code READ_WRITE} or {@code READ_ONLY}.
   */
  public String role() {
    return identity().role();
  }

  /** The name prefix the key is limited to, or empty when it may use every name of its tenant. */
  public Optional<String> namePrefix() {
    String namePrefix = identity().prefix();
    return namePrefix.isEmpty() ? Optional.empty() : Optional.of(namePrefix);
  }

  // ---- SecretStore
  // -----------------------------------------------------------------------------------

  @Override
  public String tenant() {
    return identity().tenant();
  }

  @Override
  public VersionInfo put(String name, SecretValue value, PutOptions options) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    SecretName n = name(name);
    checkOpenForChange();
    int size = value.length();
    if (size > config.maxValueBytes()) {
      throw new SecretTooLargeException(n.value(), size, config.maxValueBytes());
    }
    boolean checkAndSet = options.expectedVersion().isPresent();
    Transport.Body body = WireFormat.writeRequest(n, value, options, !checkAndSet);
    try {
      Request.Builder request =
          new Request.Builder().url(transport.url("secrets").build()).post(body);
      Reply reply =
          transport.send(
              "write secret '" + n + "'", request, checkAndSet ? Safety.REPEATABLE : Safety.ONCE);
      try {
        if (reply.status() != 200 && reply.status() != 201) {
          throw shredded(
              reply,
              ErrorMapping.toException(
                  Op.PUT,
                  "write secret '" + n + "'",
                  n.value(),
                  options.expectedVersion(),
                  size,
                  config.maxValueBytes(),
                  reply));
        }
        VersionInfo written = decode("write secret '" + n + "'", reply, WireFormat::written);
        if (!written.name().equals(n)) {
          throw new IntegrityException(
              "the server answered a write of secret '" + n + "' for '" + written.name() + "'");
        }
        return written;
      } finally {
        reply.wipe();
      }
    } finally {
      body.wipe();
    }
  }

  @Override
  public Secret get(String name) {
    return read(name(name), 0);
  }

  @Override
  public Secret get(String name, long version) {
    SecretName n = name(name);
    checkVersion(version);
    return read(n, version);
  }

  /** The most names one {@code :batchGet} request carries (the server's limit). */
  static final int BATCH = 100;

  /**
   * {@code POST /api/v1/secrets:batchGet}, once per {@value #BATCH} names: the semantics of {@link
   * SecretStore#getAll}, each name authorized and audited by the server as its single read. A
   * server that predates the batch route (404 for the route itself) is read name by name.
   */
  @Override
  public Map<String, Secret> getAll(Collection<String> names) {
    List<String> checked = SecretStore.checkBatch(names);
    checkOpen();
    Map<String, Secret> out = new LinkedHashMap<>();
    try {
      for (int from = 0; from < checked.size(); from += BATCH) {
        readBatch(checked.subList(from, Math.min(from + BATCH, checked.size())), out);
      }
    } catch (RuntimeException e) {
      out.values().forEach(Secret::close);
      // Without the check on connecting, a refused key fails as it would have on connecting.
      throw uncheckedReadFailed(e);
    }
    return Collections.unmodifiableMap(out);
  }

  private void readBatch(List<String> names, Map<String, Secret> out) {
    String what = "read " + names.size() + " secrets";
    Transport.Body body = WireFormat.batchGetRequest(names);
    try {
      Reply reply =
          transport.send(
              what,
              post(transport.url("secrets:batchGet").addQueryParameter("encoding", "base64"), body),
              Safety.REPEATABLE);
      try {
        if (reply.status() == 404 && !batchProblem(reply)) {
          for (String name : names) {
            out.put(name, get(name));
          }
          return;
        }
        if (reply.status() != 200) {
          throw shredded(
              reply,
              ErrorMapping.toException(Op.GET, what, "", OptionalLong.empty(), -1, -1, reply));
        }
        WireFormat.Batch batch = decode(what, reply, WireFormat::batch);
        try {
          answered(what, names, batch);
          if (!batch.errors().isEmpty()) {
            throw perName(batch.errors().get(0), reply.attempts());
          }
          for (WireFormat.ReadValue v : batch.secrets()) {
            out.put(v.key(), secret(SecretName.of(v.key()), v.version(), v.value(), v.createdAt()));
          }
        } finally {
          batch.wipe();
        }
      } finally {
        reply.wipe();
      }
    } finally {
      body.wipe();
    }
  }

  /**
   * Whether a 404 is the batch route's own answer; a server without the route answers its generic
   * "no such resource", which has no {@code code}.
   */
  private static boolean batchProblem(Reply reply) {
    return reply.isProblem() && WireFormat.problem(reply.body()).code().isPresent();
  }

  /**
   * Checks that the server answered exactly the names asked, each once, in the order asked: an
   * answer about other names is refused, not handed out under the names asked for.
   */
  private static void answered(String what, List<String> names, WireFormat.Batch batch) {
    List<String> values = new java.util.ArrayList<>();
    List<String> errors = new java.util.ArrayList<>();
    for (WireFormat.ReadValue v : batch.secrets()) {
      if (v.version() < 1) {
        throw new IntegrityException("the server answered " + what + " with version 0");
      }
      values.add(v.key());
    }
    batch.errors().forEach(e -> errors.add(e.key()));
    List<String> inOrder = new java.util.ArrayList<>(names);
    inOrder.retainAll(values);
    List<String> errorsInOrder = new java.util.ArrayList<>(names);
    errorsInOrder.retainAll(errors);
    java.util.Set<String> all = new java.util.HashSet<>(values);
    all.addAll(errors);
    if (values.size() + errors.size() != names.size()
        || all.size() != names.size()
        || !inOrder.equals(values)
        || !errorsInOrder.equals(errors)) {
      throw new IntegrityException(
          "the server answered " + what + " with other names than were asked for");
    }
  }

  /** The exception the single read of a name a batch could not read would have thrown. */
  private SecretsException perName(WireFormat.BatchError e, int attempts) {
    Reply problem =
        new Reply(
            e.status(),
            Optional.empty(),
            Optional.of("application/problem+json"),
            Optional.empty(),
            e.problem(),
            attempts);
    SecretName n = SecretName.of(e.key());
    if (etags != null && e.status() == 404) {
      etags.remove(new EtagStore.Key(n.value(), 0));
    }
    return shredded(
        problem,
        ErrorMapping.toException(
            Op.GET, "read secret '" + n + "'", n.value(), OptionalLong.empty(), -1, -1, problem));
  }

  @Override
  public Page<SecretMetadata> list(ListOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    HttpUrl.Builder url =
        transport.url("secrets").addQueryParameter("limit", Integer.toString(options.limit()));
    if (!options.prefix().isEmpty()) {
      url.addQueryParameter("prefix", options.prefix());
    }
    options.cursor().ifPresent(c -> url.addQueryParameter("cursor", c));
    String what =
        "list secrets" + (options.prefix().isEmpty() ? "" : " under '" + options.prefix() + "'");
    return call(
        Op.LIST, what, "", OptionalLong.empty(), get(url), Safety.REPEATABLE, WireFormat::page);
  }

  @Override
  public SecretMetadata metadata(String name) {
    SecretName n = name(name);
    checkOpen();
    SecretMetadata m =
        call(
            Op.METADATA,
            "read metadata of secret '" + n + "'",
            n.value(),
            OptionalLong.empty(),
            get(transport.url("secrets/" + n + ":metadata")),
            Safety.REPEATABLE,
            WireFormat::metadata);
    return sameName(n, m);
  }

  @Override
  public SecretMetadata updateAttributes(String name, SecretAttributes attributes) {
    Objects.requireNonNull(attributes, "attributes");
    SecretName n = name(name);
    checkOpenForChange();
    Transport.Body body = WireFormat.attributesRequest(attributes);
    try {
      SecretMetadata m =
          call(
              Op.ATTRIBUTES,
              "update attributes of secret '" + n + "'",
              n.value(),
              OptionalLong.empty(),
              post(transport.url("secrets/" + n + ":attributes"), body),
              Safety.ONCE,
              WireFormat::metadata);
      return sameName(n, m);
    } finally {
      body.wipe();
    }
  }

  @Override
  public List<VersionInfo> versions(String name) {
    SecretName n = name(name);
    checkOpen();
    return call(
        Op.VERSIONS,
        "list versions of secret '" + n + "'",
        n.value(),
        OptionalLong.empty(),
        get(transport.url("secrets/" + n + ":versions")),
        Safety.REPEATABLE,
        body -> WireFormat.versions(body, n));
  }

  @Override
  public void delete(String name) {
    SecretName n = name(name);
    checkOpenForChange();
    change(
        Op.DELETE,
        "delete secret '" + n + "'",
        n,
        OptionalLong.empty(),
        new Request.Builder().url(transport.url("secrets/" + n).build()).delete());
  }

  @Override
  public void restore(String name) {
    SecretName n = name(name);
    checkOpenForChange();
    change(
        Op.RESTORE,
        "restore secret '" + n + "'",
        n,
        OptionalLong.empty(),
        post(transport.url("secrets/" + n + ":restore"), RequestBody.EMPTY));
  }

  @Override
  public void destroy(String name) {
    SecretName n = name(name);
    checkOpenForChange();
    change(
        Op.DESTROY,
        "destroy secret '" + n + "'",
        n,
        OptionalLong.empty(),
        post(transport.url("secrets/" + n + ":destroy"), RequestBody.EMPTY));
  }

  @Override
  public void destroy(String name, long version) {
    SecretName n = name(name);
    checkVersion(version);
    checkOpenForChange();
    HttpUrl.Builder url =
        transport
            .url("secrets/" + n + ":destroy")
            .addQueryParameter("version", Long.toString(version));
    change(
        Op.DESTROY_VERSION,
        "destroy version " + version + " of secret '" + n + "'",
        n,
        OptionalLong.of(version),
        post(url, RequestBody.EMPTY));
  }

  /**
   * Releases the connection pool and threads this client made, and wipes the stored values.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (etags != null) {
        etags.clear();
      }
      transport.close();
    }
  }

  @Override
  public String toString() {
    return "SecretManagerClient[apiUrl="
        + config.apiUrl()
        + describeIdentity()
        + ", etags="
        + (config.etagEntries() == 0 ? "off" : config.etagEntries())
        + "]";
  }

  // ---- internals
  // -------------------------------------------------------------------------------------

  private String describeIdentity() {
    WireFormat.Whoami me = identity;
    return me == null
        ? ", key not checked yet"
        : ", tenant=" + me.tenant() + ", keyId=" + me.keyId();
  }

  /** Before a request that changes something: the key checked, when that was left for later. */
  private void checkOpenForChange() {
    checkOpen();
    identity();
  }

  /** GET of a value, revalidating a stored one when ETag revalidation is on. */
  private Secret read(SecretName n, long version) {
    checkOpen();
    try {
      return readOnce(n, version);
    } catch (RuntimeException e) {
      throw uncheckedReadFailed(e);
    }
  }

  private Secret readOnce(SecretName n, long version) {
    Op op = version == 0 ? Op.GET : Op.GET_VERSION;
    String what =
        version == 0
            ? "read secret '" + n + "'"
            : "read version " + version + " of secret '" + n + "'";
    EtagStore.Key key = new EtagStore.Key(n.value(), version);
    EtagStore.Entry cached = etags == null ? null : etags.get(key);
    HttpUrl.Builder url = transport.url("secrets/" + n).addQueryParameter("encoding", "base64");
    if (version != 0) {
      url.addQueryParameter("version", Long.toString(version));
    }
    Request.Builder request = get(url);
    if (cached != null) {
      request.header("If-None-Match", cached.etag());
    }
    Reply reply = transport.send(what, request, Safety.REPEATABLE);
    try {
      if (reply.status() == 304 && cached != null) {
        return secret(n, cached.version(), cached.value(), cached.createdAt());
      }
      if (reply.status() != 200) {
        if (etags != null && reply.status() == 404) {
          etags.remove(key);
        }
        throw shredded(
            reply,
            ErrorMapping.toException(
                op,
                what,
                n.value(),
                version == 0 ? OptionalLong.empty() : OptionalLong.of(version),
                -1,
                -1,
                reply));
      }
      WireFormat.ReadValue value = decode(what, reply, WireFormat::secret);
      try {
        if (!value.key().equals(n.value())
            || (version != 0 && value.version() != version)
            || value.version() < 1) {
          throw new IntegrityException(
              "the server answered a read of "
                  + (version == 0 ? "" : "version " + version + " of ")
                  + "secret '"
                  + n
                  + "' with version "
                  + value.version()
                  + " of another secret or version");
        }
        if (etags != null && reply.etag().isPresent()) {
          etags.put(key, value.version(), value.value(), value.createdAt(), reply.etag().get());
        }
        return secret(n, value.version(), value.value(), value.createdAt());
      } finally {
        Arrays.fill(value.value(), (byte) 0);
      }
    } finally {
      reply.wipe();
    }
  }

  /**
   * {@code e}, after dropping every stored value if the server said the tenant was crypto-shredded
   * (410): they are no use any more, and plaintext is not kept for nothing.
   */
  private SecretsException shredded(Reply reply, SecretsException e) {
    if (etags != null && reply.status() == 410) {
      etags.removeAll();
    }
    return e;
  }

  private static Secret secret(
      SecretName n, long version, byte[] value, java.time.Instant createdAt) {
    return new Secret(n, version, SecretValue.of(value), createdAt);
  }

  /** A change answered 204: delete, restore, destroy. */
  private void change(
      Op op, String what, SecretName n, OptionalLong version, Request.Builder request) {
    Reply reply = transport.send(what, request, Safety.ONCE);
    try {
      if (reply.status() != 204) {
        throw shredded(
            reply, ErrorMapping.toException(op, what, n.value(), version, -1, -1, reply));
      }
    } finally {
      reply.wipe();
    }
  }

  /** Sends, maps an error answer, decodes a 200. */
  private <T> T call(
      Op op,
      String what,
      String name,
      OptionalLong version,
      Request.Builder request,
      Safety safety,
      Function<byte[], T> decoder) {
    if (op == Op.WHOAMI) {
      return callOnce(op, what, name, version, request, safety, decoder);
    }
    try {
      return callOnce(op, what, name, version, request, safety, decoder);
    } catch (RuntimeException e) {
      throw uncheckedReadFailed(e);
    }
  }

  private <T> T callOnce(
      Op op,
      String what,
      String name,
      OptionalLong version,
      Request.Builder request,
      Safety safety,
      Function<byte[], T> decoder) {
    Reply reply = transport.send(what, request, safety);
    try {
      if (reply.status() != 200) {
        SecretsException e =
            shredded(reply, ErrorMapping.toException(op, what, name, version, -1, -1, reply));
        throw e;
      }
      return decode(what, reply, decoder);
    } finally {
      reply.wipe();
    }
  }

  private static <T> T decode(String what, Reply reply, Function<byte[], T> decoder) {
    try {
      return decoder.apply(reply.body());
    } catch (WireFormat.BadResponse e) {
      throw ErrorMapping.malformed(what, e);
    }
  }

  private static SecretMetadata sameName(SecretName n, SecretMetadata m) {
    if (!m.name().equals(n)) {
      throw new IntegrityException(
          "the server answered about secret '" + m.name() + "' when asked about '" + n + "'");
    }
    return m;
  }

  private static Request.Builder get(HttpUrl.Builder url) {
    return new Request.Builder().url(url.build()).get();
  }

  private static Request.Builder post(HttpUrl.Builder url, RequestBody body) {
    return new Request.Builder().url(url.build()).post(body);
  }

  private static SecretName name(String name) {
    return SecretName.of(Objects.requireNonNull(name, "name"));
  }

  private static void checkVersion(long version) {
    if (version < 1) {
      throw new InvalidInputException("version must be >= 1: " + version);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the secret store is closed");
    }
  }
}
