package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lanonasis Secrets REST server: Javalin (Jetty 12) over one {@link JdbcRecordStore} and a
 * {@link MasterKeyring}, with API keys and the audit log in the same {@link JdbcDatabase}.
 *
 * <pre>{@code
 * try (SecretsServer server = SecretsServer.builder()
 *     .jdbcUrl("jdbc:sqlite:./data/secrets.db")
 *     .keyring(DevelopmentKeyring.loadOrCreate(Path.of("./data/keyset.json")))
 *     .port(0)                                  // ephemeral
 *     .start()) {
 *   System.out.println("listening on " + server.port());
 * }
 * }</pre>
 *
 * <p>One {@link SecretStore} per tenant is opened on first use and shared; all of them share the
 * record store, which is closed once, at {@link #close()}. On first start with no API key at all,
 * an admin key for tenant {@code default} is created and printed once to standard output (never
 * to the log), and written to {@link Builder#adminKeyFile} (mode 0600) when set.
 *
 * <p>Defaults: bind 127.0.0.1, port 8080, plain HTTP (HTTPS only with {@link Builder#tlsPem} or
 * {@link Builder#tlsPkcs12}), request bodies up to 256 KiB. Thread-safe.
 *
 * @since 0.1
 */
public final class SecretsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretsServer.class);
  private static final String PRINCIPAL = "lanonasis.apiKey";
  private static final String PROBLEM_JSON = "application/problem+json";
  /** The caller's own identity: the cheapest authenticated request, and the load test's baseline. */
  static final String WHOAMI = "/api/v1/whoami";
  static final String METRICS = "/metrics";
  /** Query parameters that look like someone put a credential in the URL. */
  private static final Set<String> CREDENTIAL_PARAMS = Set.of("api_key", "apikey", "api-key", "key", "token",
      "access_token", "authorization");

  private final JdbcDatabase database;
  private final JdbcRecordStore records;
  private final MasterKeyring keyring;
  private final ApiKeys apiKeys;
  private final AuditLog auditLog;
  private final AuthThrottle throttle;
  private final ServerMetrics metrics;
  private final ObjectMapper json = Requests.mapper();
  private final ConcurrentMap<String, SecretStore> stores = new ConcurrentHashMap<>();
  private final Javalin app;

  private SecretsServer(Builder b, JdbcDatabase database, ServerMetrics metrics) {
    this.database = database;
    this.metrics = metrics;
    this.keyring = b.keyring;
    this.records = JdbcRecordStore.builder().database(database).clock(b.clock).build();
    ApiKeys.migrate(database);
    this.apiKeys = new ApiKeys(database, b.clock);
    this.auditLog = new AuditLog(database, b.clock);
    this.throttle = new AuthThrottle(b.authFailureBurst, b.authFailureWindow, b.clock);
    bootstrap(b);
    SecretRoutes routes = new SecretRoutes(json, this::store);
    AuditRoutes auditRoutes = new AuditRoutes(json, auditLog);
    KeyRoutes keyRoutes = new KeyRoutes(json, apiKeys);
    OpenApiDocument openApi = new OpenApiDocument(json);
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = b.maxBodyBytes;
      cfg.jetty.modifyServer(server -> {
        server.setErrorHandler(new JettyProblems());
        // Graceful stop: refuse new connections, let requests in flight finish (up to the drain
        // timeout), and only then does close() shut the pool they are using.
        server.setStopTimeout(b.drainTimeout.toMillis());
        server.insertHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
      });
      if (b.tls != null) {
        // Javalin adds its plain-HTTP connector only when none is configured: this one replaces it.
        cfg.jetty.addConnector((server, http) -> b.tls.httpsConnector(server, http, b.bindAddress, b.port));
      }
      cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "up")));
      cfg.routes.get("/readyz", this::ready);
      cfg.routes.get(METRICS, ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape()));
      cfg.requestLogger.http((ctx, millis) -> metrics.request(ctx.req().getMethod(), route(ctx), metricAction(ctx),
          ctx.statusCode(), millis));
      cfg.routes.before("/api/*", this::authenticate);
      cfg.routes.before("/api/*", ctx -> {
        if (isPublic(ctx)) {
          checkSize(ctx, b.maxBodyBytes); // capped like every body, but not audited
        } else {
          auditedRefusal(ctx, () -> checkSize(ctx, b.maxBodyBytes));
        }
      });
      cfg.routes.get(OpenApiDocument.PATH, openApi::serve);
      cfg.routes.get(WHOAMI, this::whoami);
      cfg.routes.post(SecretRoutes.BASE, audited(routes::put));
      cfg.routes.get(SecretRoutes.BASE, audited(routes::list));
      cfg.routes.get(SecretRoutes.BASE + "/*", audited(routes::get));
      cfg.routes.delete(SecretRoutes.BASE + "/*", audited(routes::delete));
      cfg.routes.post(SecretRoutes.BASE + "/*", audited(routes::post));
      cfg.routes.post(KeyRoutes.BASE, audited(keyRoutes::create));
      cfg.routes.get(KeyRoutes.BASE, audited(keyRoutes::list));
      cfg.routes.post(KeyRoutes.BASE + "/*", audited(keyRoutes::post));
      cfg.routes.get(AuditRoutes.BASE + "/verify", auditRoutes::verify);
      cfg.routes.get(AuditRoutes.BASE, auditRoutes::read);
      cfg.routes.error(404, ctx -> unlessProblem(ctx, new Problem(404, "Not Found", "no such resource")));
      cfg.routes.error(405, ctx -> unlessProblem(ctx, new Problem(405, "Method Not Allowed", "method not allowed here")));
      cfg.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
      cfg.routes.exception(SecretsException.class, (e, ctx) -> problem(ctx, translate(e)));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
          new Problem(e.getStatus(), e.getStatus() == 413 ? "Content Too Large" : HttpStatus.getMessage(e.getStatus()),
              e.getStatus() == 413 ? "the body is larger than " + b.maxBodyBytes + " bytes" : "the request was refused")));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        // The class only: a message from a third-party library may quote request content.
        LOG.error("unexpected {} on a {} request", e.getClass().getName(), ctx.method());
        problem(ctx, new Problem(500, "Internal Server Error", "unexpected error"));
      });
    });
    app.start(b.bindAddress, b.port);
    LOG.info("Lanonasis Secrets server listening on {}://{}:{}", b.tls != null ? "https" : "http", b.bindAddress,
        app.port());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return app.port();
  }

  /** The API keys of this server's database: create and revoke keys. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** The audit log of this server's database: read it and verify its hash chain. */
  public AuditLog auditLog() {
    return auditLog;
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (up to the drain timeout,
   * default 10 s), then closes the record store and the pool. {@code ServerMain} calls this on
   * SIGTERM.
   */
  @Override
  public void close() {
    try {
      app.stop();
      LOG.info("Lanonasis Secrets server stopped; requests in flight finished");
    } finally {
      // Closing a tenant's SecretStore would close the shared record store: close that once instead.
      stores.clear();
      auditLog.close();
      records.close();
      database.close();
      metrics.close();
    }
  }

  /**
   * Every HTTP route registered with Javalin, as {@code "METHOD path"} in registration order, filters
   * left out: what {@code OpenApiDriftTest} compares with the OpenAPI document.
   */
  List<String> routes() {
    // Javalin has no public listing; its own route-overview plugin reads the internal router too.
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .toList();
  }

  @Override
  public String toString() {
    return "SecretsServer[" + records + "]";
  }

  static ApiKey principal(Context ctx) {
    ApiKey key = ctx.attribute(PRINCIPAL);
    if (key == null) {
      throw new IllegalStateException("no authenticated API key on this request");
    }
    return key;
  }

  private SecretStore store(String tenant) {
    return stores.computeIfAbsent(tenant,
        t -> SecretStores.builder().recordStore(records).keyring(keyring).tenant(t).open());
  }

  private void ready(Context ctx) {
    try {
      records.tenants(Optional.empty(), 1);
      ctx.json(Map.of("status", "ready"));
    } catch (SecretsException | IllegalStateException e) {
      problem(ctx, new Problem(503, "Service Unavailable", "the store is not reachable"));
    }
  }

  private void whoami(Context ctx) {
    ApiKey key = principal(ctx);
    ctx.json(Map.of("keyId", key.id(), "tenant", key.tenant(), "role", key.role().name(), "prefix", key.namePrefix()));
  }

  private void authenticate(Context ctx) {
    if (!isPublic(ctx)) {
      auditedRefusal(ctx, () -> checkKey(ctx));
    }
  }

  /**
   * The one {@code /api} path that needs no key and leaves no audit entry: the API's description,
   * public like {@code /healthz}. An exact match, so any other spelling of it (case, a trailing
   * slash, percent-encoding) needs a key like every other {@code /api} path.
   */
  private static boolean isPublic(Context ctx) {
    return ctx.path().equals(OpenApiDocument.PATH);
  }

  private void checkKey(Context ctx) {
    for (Map.Entry<String, java.util.List<String>> p : ctx.queryParamMap().entrySet()) {
      boolean looksLikeKey = p.getValue().stream().anyMatch(v -> v.startsWith("lns_"));
      if (looksLikeKey || CREDENTIAL_PARAMS.contains(p.getKey().toLowerCase(Locale.ROOT))) {
        throw Problem.badRequest("API keys are accepted only in the Authorization header, never in the URL; "
            + "treat a key sent in a URL as leaked and revoke it");
      }
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new Problem(401, "Unauthorized", "an API key is required: Authorization: Bearer lns_...");
    }
    String address = ctx.req().getRemoteAddr();
    Optional<Duration> wait = throttle.retryAfter(address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      metrics.throttled();
      throw new Problem(429, "Too Many Requests", "too many failed authentications from this address; "
          + "retry after " + seconds + " s");
    }
    Optional<ApiKey> key = Optional.empty();
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = apiKeys.authenticate(header.substring(7).trim());
    }
    if (key.isEmpty()) {
      throttle.failed(address);
      metrics.authFailure();
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new Problem(401, "Unauthorized", "the API key is not valid");
    }
    ctx.attribute(PRINCIPAL, key.get());
  }

  // ---- audit -------------------------------------------------------------------------------------

  /**
   * Runs a secret handler and records its entry before the response leaves: Javalin sends the
   * result only after the handler returns, so when the entry cannot be written the result (a
   * value, for a GET) is replaced by a 503 and never sent.
   */
  private Handler audited(Handler handler) {
    return ctx -> {
      Exception failure = null;
      String outcome = "ok";
      try {
        handler.handle(ctx);
      } catch (Exception e) {
        failure = e;
        outcome = outcome(e);
      }
      record(ctx, action(ctx), outcome);
      if (failure != null) {
        throw failure;
      }
    };
  }

  /** A refusal before any handler (bad or missing key, key in the URL, body too large) is recorded too. */
  private void auditedRefusal(Context ctx, Runnable check) {
    try {
      check.run();
    } catch (Problem p) {
      boolean authentication = ctx.attribute(PRINCIPAL) == null;
      if (authentication || ctx.path().startsWith(SecretRoutes.BASE) || ctx.path().startsWith(KeyRoutes.BASE)) {
        record(ctx, authentication ? "authenticate" : action(ctx), outcome(p));
      }
      throw p;
    }
  }

  private void record(Context ctx, String action, String outcome) {
    ApiKey key = ctx.attribute(PRINCIPAL);
    try {
      auditLog.append(key == null ? null : key.tenant(), key == null ? null : key.id(), action,
          ctx.attribute(SecretRoutes.AUDIT_NAME), outcome, ctx.req().getRemoteAddr());
    } catch (SecretsException | IllegalStateException e) {
      LOG.error("audit entry not written, request answered 503: {}", e.getMessage());
      metrics.auditFailure();
      throw new Problem(503, "Service Unavailable", "the audit log could not be written, so the result is "
          + "withheld; a write may already have taken effect");
    }
  }

  /** The matched route's template, never the requested path (which holds secret names). */
  private String route(Context ctx) {
    try {
      io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
      if (e != null) {
        return e.path;
      }
      // Refused by a before-handler (401, 429, 413...): the route it would have reached.
      return app.unsafe.internalRouter.findHttpHandlerEntries(ctx.method(), ctx.path()).stream()
          .findFirst().map(p -> p.endpoint.path).orElse("unmatched");
    } catch (RuntimeException noEndpoint) {
      return "unmatched";
    }
  }

  /** The audited action of a secret or key request (a fixed set of words), "none" for the rest. */
  private static String metricAction(Context ctx) {
    String path = ctx.path();
    return path.startsWith(SecretRoutes.BASE) || path.startsWith(KeyRoutes.BASE) ? action(ctx) : "none";
  }

  /** The audited action, from the method and the path alone (the handler may have failed before parsing). */
  private static String action(Context ctx) {
    String path = ctx.path();
    String method = ctx.req().getMethod();
    if (path.startsWith(KeyRoutes.BASE)) {
      if (path.equals(KeyRoutes.BASE) || path.equals(KeyRoutes.BASE + "/")) {
        return method.equals("POST") ? "key.create" : "key.list";
      }
      return path.endsWith(":revoke") ? "key.revoke" : "unknown";
    }
    if (path.equals(SecretRoutes.BASE) || path.equals(SecretRoutes.BASE + "/")) {
      return method.equals("POST") ? "write" : "list";
    }
    int colon = path.lastIndexOf(':');
    String suffix = colon > SecretRoutes.BASE.length() ? path.substring(colon + 1) : "";
    return switch (method) {
      case "GET" -> suffix.equals("versions") || suffix.equals("metadata") ? suffix : "read";
      case "DELETE" -> "delete";
      case "POST" -> suffix.equals("restore") || suffix.equals("destroy") || suffix.equals("attributes") ? suffix : "unknown";
      default -> "unknown";
    };
  }

  private static String outcome(Exception e) {
    int status;
    if (e instanceof Problem p) {
      status = p.status();
    } else if (e instanceof HttpResponseException h) {
      status = h.getStatus();
    } else if (e instanceof SecretNotFoundException) {
      status = 404;
    } else if (e instanceof VersionConflictException || e instanceof SecretDeletedException) {
      status = 409;
    } else if (e instanceof InvalidInputException) {
      status = 400;
    } else {
      status = 500;
    }
    if (status == 401 || status == 403) {
      return "denied";
    }
    if (status == 404) {
      return "not_found";
    }
    if (status == 409) {
      return "conflict";
    }
    if (status == 429) {
      return "throttled";
    }
    return status < 500 ? "invalid" : "error";
  }

  private static void checkSize(Context ctx, long max) {
    String length = ctx.header("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw Problem.badRequest("Content-Length is not a number");
      }
      if (n > max) {
        if (n <= 4 * max) {
          // Read and drop a moderately oversized body first: closing with it unread makes the
          // kernel reset the connection, and a client still sending then never sees the 413.
          try {
            ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (IOException | RuntimeException e) {
            // the client went away; the 413 below is all there is to say
          }
        }
        throw new Problem(413, "Content Too Large", "the body is larger than " + max + " bytes");
      }
    }
  }

  private static Problem translate(SecretsException e) {
    if (e instanceof SecretNotFoundException nf) {
      // Only a secret the key can see gets here (others are refused before the store is asked),
      // and its expiry is in the listing anyway: saying so tells nothing new.
      return nf.expiredAt().map(at -> new Problem(404, "Not Found", "the secret has expired")
          .code(Problem.EXPIRED).with("expiresAt", at.toString())).orElseGet(Problem::notFound);
    }
    if (e instanceof VersionConflictException c) {
      return new Problem(409, "Conflict", "the secret's current version is not the expected one")
          .code(Problem.VERSION_CONFLICT).with("currentVersion", c.currentVersion());
    }
    if (e instanceof SecretDeletedException) {
      return new Problem(409, "Conflict", "the secret is deleted; restore it before writing to it")
          .code(Problem.SECRET_DELETED);
    }
    if (e instanceof SecretTooLargeException t) {
      return new Problem(413, "Content Too Large", "the value is " + t.size() + " bytes; the limit is " + t.limit())
          .code(Problem.TOO_LARGE).with("size", t.size()).with("limit", t.limit());
    }
    if (e instanceof InvalidSecretNameException) {
      return Problem.badRequest("invalid secret name").code(Problem.INVALID_NAME);
    }
    if (e instanceof InvalidInputException) {
      // Messages of the api module name settings and limits, never values.
      return Problem.badRequest(e.getMessage()).code(Problem.INVALID_INPUT);
    }
    if (e instanceof BackendUnavailableException) {
      LOG.warn("store unavailable: {}", e.getMessage());
      return new Problem(503, "Service Unavailable", "the store is unavailable; try again");
    }
    LOG.error("{}: {}", e.getClass().getSimpleName(), e.getMessage());
    return new Problem(500, "Internal Server Error", "the store reported an error");
  }

  /** Javalin's own 404/405 (no route) become problems too; ours already are and stay as they are. */
  private void unlessProblem(Context ctx, Problem p) {
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith(PROBLEM_JSON)) {
      problem(ctx, p);
    }
  }

  private void problem(Context ctx, Problem p) {
    try {
      ctx.status(p.status()).contentType(PROBLEM_JSON).result(json.writeValueAsBytes(p.body()));
    } catch (IOException e) {
      ctx.status(500).result("");
    }
  }

  private void bootstrap(Builder b) {
    if (apiKeys.count() > 0) {
      return;
    }
    if (b.adminKeyFile != null) {
      try {
        Path parent = b.adminKeyFile.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createFile(b.adminKeyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        throw new ConfigurationException("admin key file already exists; move it away or choose another: "
            + b.adminKeyFile);
      } catch (IOException | UnsupportedOperationException e) {
        throw new ConfigurationException("cannot create the admin key file " + b.adminKeyFile, e);
      }
    }
    String key = apiKeys.create("default", Role.ADMIN, "");
    if (b.adminKeyFile != null) {
      try {
        Files.writeString(b.adminKeyFile, key + "\n", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new ConfigurationException("cannot write the admin key file " + b.adminKeyFile, e);
      }
    }
    b.out.println("Created the admin API key of tenant 'default'. It is shown only this once:");
    b.out.println("  " + key);
    b.out.flush();
  }

  /**
   * H2 closes its databases in a JVM shutdown hook of its own, which may run before ours has let
   * the requests in flight finish; the server closes the pool (and so the database) itself.
   */
  static String h2KeptOpenUntilClose(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
      return jdbcUrl;
    }
    return jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  /**
   * Configures and starts a {@link SecretsServer}. Set a keyring and exactly one of
   * {@link #jdbcUrl} and {@link #dataSource}.
   */
  public static final class Builder {
    private String jdbcUrl;
    private String username;
    private char[] password;
    private DataSource dataSource;
    private MasterKeyring keyring;
    private String bindAddress = "127.0.0.1";
    private int port = 8080;
    private Path adminKeyFile;
    private TlsKeyMaterial tls;
    private long maxBodyBytes = 256 * 1024;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private int authFailureBurst = 10;
    private Duration authFailureWindow = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();
    private PrintStream out = System.out;

    private Builder() {}

    /** A JDBC URL; the server makes a connection pool for it and closes it at {@link #close()}. */
    public Builder jdbcUrl(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:")) {
        throw new IllegalArgumentException("not a JDBC URL (must start with jdbc:)");
      }
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder credentials(String username, char[] password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** The application's own pool; never closed by the server. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    public Builder keyring(MasterKeyring keyring) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      return this;
    }

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** 0 picks a free port; see {@link SecretsServer#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range (0..65535): " + port);
      }
      this.port = port;
      return this;
    }

    /** Where to write the bootstrap admin key (created with mode 0600; must not exist yet). */
    public Builder adminKeyFile(Path adminKeyFile) {
      this.adminKeyFile = Objects.requireNonNull(adminKeyFile, "adminKeyFile");
      return this;
    }

    /**
     * Listen with HTTPS only (TLS 1.2 or 1.3; no plain-HTTP connector), with the certificate chain
     * in {@code certificateChain} (PEM, the server's certificate first) and the unencrypted PKCS#8
     * private key in {@code privateKey} (PEM {@code -----BEGIN PRIVATE KEY-----}, RSA or EC). The
     * files are read now, so a bad file fails here. Set at most one of this and {@link #tlsPkcs12}.
     *
     * @throws ConfigurationException when a file cannot be read, a key is PKCS#1, SEC1 or encrypted
     *     (the message says how to convert it), or the key does not belong to the certificate
     */
    public Builder tlsPem(Path certificateChain, Path privateKey) {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
      checkNoTlsYet();
      this.tls = TlsKeyMaterial.fromPem(certificateChain, privateKey);
      return this;
    }

    /**
     * Listen with HTTPS only (TLS 1.2 or 1.3; no plain-HTTP connector), with the one private key and
     * certificate chain of a PKCS#12 file. The file is read now; {@code password} is not kept (the
     * caller may wipe it). Set at most one of this and {@link #tlsPem}.
     *
     * @throws ConfigurationException when the file cannot be read, the password is wrong, or the
     *     file does not hold exactly one private key with its certificate chain
     */
    public Builder tlsPkcs12(Path file, char[] password) {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(password, "password");
      checkNoTlsYet();
      this.tls = TlsKeyMaterial.fromPkcs12(file, password);
      return this;
    }

    private void checkNoTlsYet() {
      if (tls != null) {
        throw new IllegalStateException("TLS is already configured (" + tls + "); set one of tlsPem and tlsPkcs12");
      }
    }

    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 1024 || maxBodyBytes > 16L * 1024 * 1024) {
        throw new IllegalArgumentException("maxBodyBytes out of range (1 KiB..16 MiB): " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** How long {@link SecretsServer#close()} waits for requests in flight (default 10 s). */
    public Builder drainTimeout(Duration drainTimeout) {
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("drainTimeout out of range (0..10 min): " + drainTimeout);
      }
      this.drainTimeout = drainTimeout;
      return this;
    }

    /**
     * Failed-authentication throttling per client address: {@code burst} failures at once, then
     * {@code burst} per {@code window} (default 10 per minute); beyond that, 429 with Retry-After.
     */
    public Builder authFailureLimit(int burst, Duration window) {
      if (burst < 1 || burst > 1_000_000) {
        throw new IllegalArgumentException("burst out of range (1..1000000): " + burst);
      }
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive");
      }
      this.authFailureBurst = burst;
      this.authFailureWindow = window;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the bootstrap admin key is printed (default standard output). */
    public Builder bootstrapOutput(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    public SecretsServer start() {
      if (keyring == null) {
        throw new IllegalStateException("no keyring: set keyring(...)");
      }
      if ((jdbcUrl == null) == (dataSource == null)) {
        throw new IllegalStateException("set exactly one of jdbcUrl(...) and dataSource(...)");
      }
      ServerMetrics metrics = new ServerMetrics();
      JdbcDatabase database = null;
      try {
        JdbcDatabase.Builder db = JdbcDatabase.builder().poolName("lanonasis-server").metricRegistry(metrics.registry());
        if (jdbcUrl != null) {
          db.url(h2KeptOpenUntilClose(jdbcUrl));
          if (username != null) {
            db.username(username).password(password);
          }
        } else {
          db.dataSource(dataSource);
        }
        database = db.build();
        return new SecretsServer(this, database, metrics);
      } catch (RuntimeException e) {
        if (database != null) {
          database.close();
        }
        metrics.close();
        throw e;
      }
    }
  }
}
