package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.DataKeyPolicy;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.audit.AuditCheckpoints;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.StoreRollback;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.handler.GracefulHandler;
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
 * <p>This class wires the parts and runs them; each concern is a link of its own: the route table
 * ({@link #routes}), authentication ({@link Authenticator}), the audit ({@link AuditFilter}), one
 * problem table ({@link Problems}), all assembled by {@link Chain}. One {@link SecretStore} per
 * tenant is opened on first use and shared; all of them share the record store. On first start with
 * no API key at all, an admin key for tenant {@code default} is printed once ({@link
 * FirstAdminKey}).
 *
 * <p>Defaults: bind 127.0.0.1, port 8080, plain HTTP — only on a loopback address unless {@link
 * SecretsServerBuilder#insecurePlainHttp()} (HTTPS with {@link SecretsServerBuilder#tlsPem} or
 * {@link SecretsServerBuilder#tlsPkcs12}), request bodies up to 256 KiB, an audit checkpoint every
 * minute the log grew. Thread-safe.
 *
 * @since 0.1
 */
public final class SecretsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretsServer.class);

  /**
   * The caller's own identity: the cheapest authenticated request, and the load test's baseline.
   */
  static final String WHOAMI = "/api/v1/whoami";

  static final String METRICS = "/metrics";

  private final JdbcDatabase database;

  /** False for a database the application gave the builder: it closes that one itself. */
  private final boolean ownsDatabase;

  private final JdbcRecordStore records;
  private final MasterKeyring keyring;
  private final ApiKeys apiKeys;
  private final AuditLog auditLog;
  private final AuditFilter auditFilter;
  private final AuditCheckpoints checkpoints;
  private final ServerMetrics metrics;
  private final Readiness readiness;
  private final Sessions sessions;
  private final ConcurrentMap<String, SecretStore> stores = new ConcurrentHashMap<>();
  private final List<Route> routes;
  private final McpRoutes mcp;
  private final ScheduledExecutorService background;
  private final Javalin app;

  /**
   * The server's one request mapper, shared by every route: a mapper caches what it learns of each
   * type, so one keeps that work (and its memory) once.
   */
  private final ObjectMapper json = Requests.mapper();

  SecretsServer(SecretsServerBuilder b, JdbcDatabase database, ServerMetrics metrics) {
    this.database = database;
    this.ownsDatabase = b.sharedDatabase == null;
    this.metrics = metrics;
    this.auditLog = new AuditLog(database, b.clock);
    // Before anything is migrated or created: a store behind its checkpoints is left as it was
    // found.
    Optional<String> rollback =
        b.checkpointFile == null
            ? Optional.empty()
            : StoreRollback.check(
                database, auditLog, b.checkpointFile, json, b.acceptStoreRollback);
    if (b.acceptStoreRollback && rollback.isEmpty()) {
      LOG.warn(
          "acceptStoreRollback is set, but the store holds the newest audit checkpoint: nothing to accept. "
              + "Leave it off, or a later rollback would pass unnoticed");
    }
    // Migrations run as another role (the tables' owner): they grant the role the server connects
    // as.
    String appRole = database.applicationRole().orElse("");
    this.records =
        JdbcRecordStore.builder().database(database).appRole(appRole).clock(b.clock).build();
    // build() checked that one of keyring and keyringSource is set.
    this.keyring =
        b.keyring != null
            ? b.keyring
            : Objects.requireNonNull(b.keyringSource, "keyringSource").apply(records);
    new TenantKeyManager(records, keyring).requireKeyringOpensEveryKeyset();
    ApiKeys.migrate(database, appRole);
    this.apiKeys = new ApiKeys(database, b.clock);
    this.checkpoints =
        b.signingKey == null
            ? AuditCheckpoints.ephemeral(json)
            : AuditCheckpoints.open(b.signingKey, Optional.ofNullable(b.checkpointFile), json);
    rollback.ifPresent(
        finding -> {
          LOG.warn("starting on a rolled-back store, as acceptStoreRollback asked: {}", finding);
          AuditEntry accepted =
              auditLog.append(null, null, StoreRollback.AUDIT_ACTION, null, "ok", null);
          checkpoints.signAcceptedRollback(accepted);
        });
    this.readiness = new Readiness(records, database, auditLog);
    Problems problems = new Problems(json, b.maxBodyBytes);
    this.auditFilter = new AuditFilter(auditLog, problems, metrics, b.clock, Duration.ofMinutes(1));
    this.sessions = new Sessions(b.clock, b.sessionIdleTimeout, b.sessionAbsoluteTimeout, 10_000);
    Authenticator authenticator =
        new Authenticator(
            apiKeys,
            new AuthThrottle(b.authFailureBurst, b.authFailureWindow, b.clock),
            metrics,
            sessions);
    FirstAdminKey.createIfNoKeys(apiKeys, Optional.ofNullable(b.adminKeyFile), b.out);
    this.mcp =
        new McpRoutes(
            b.mcp != null
                ? b.mcp
                : SecretsMcpServer.builder()
                    .switchNames(
                        McpRoutes.REVEAL_SETTING,
                        McpRoutes.WRITE_SETTING,
                        McpRoutes.COMMAND_SETTING)
                    .build(),
            b.mcpHosts(),
            b.maxBodyBytes,
            this::store);
    this.routes = routes(b.clock, b.tls != null);
    Chain chain = new Chain(authenticator, auditFilter, problems, metrics, b.maxBodyBytes, json);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.maxRequestSize = b.maxBodyBytes;
              // A name percent-encoded once (prod%2Fdb) is ours to decode (SecretPath): let it
              // through.
              cfg.jetty.modifyHttpConfiguration(
                  http ->
                      http.setUriCompliance(
                          UriCompliance.DEFAULT.with(
                              "lanonasis", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR)));
              cfg.jetty.modifyServletContextHandler(
                  h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
              cfg.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(new JettyProblems());
                    // Graceful stop: refuse new connections, let requests in flight finish (up to
                    // the drain
                    // timeout), and only then does close() shut the pool they are using.
                    server.setStopTimeout(b.drainTimeout.toMillis());
                    server.insertHandler(new GracefulHandler());
                  });
              if (b.tls != null) {
                // Javalin adds its plain-HTTP connector only when none is configured: this one
                // replaces it.
                cfg.jetty.addConnector(
                    (server, http) ->
                        Objects.requireNonNull(b.tls, "tls")
                            .httpsConnector(server, http, b.bindAddress, b.port));
              }
              chain.install(cfg, routes);
            });
    app.start(b.bindAddress, b.port);
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lanonasis-audit-checkpoints");
              t.setDaemon(true);
              return t;
            });
    long every = b.checkpointInterval.toMillis();
    // Nothing waits on the future: checkpoint() logs what a checkpoint throws, and close() shuts
    // the executor down.
    ScheduledFuture<?> unused =
        background.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        "Lanonasis Secrets server listening on {}://{}:{}",
        b.tls != null ? "https" : "http",
        b.bindAddress,
        app.port());
  }

  /** The route table: every route this server serves, with its access and audited action. */
  private List<Route> routes(Clock clock, boolean tls) {
    SecretRoutes secrets = new SecretRoutes(json, this::store);
    KeyRoutes keys = new KeyRoutes(json, apiKeys);
    AuditRoutes audit = new AuditRoutes(auditLog, checkpoints, clock, apiKeys::find);
    KeysetRoutes keysets =
        new KeysetRoutes(
            json, records, new TenantKeyManager(records, keyring, clock, DataKeyPolicy.defaults()));
    OpenApiDocument openApi = new OpenApiDocument(json);
    SessionRoutes session = new SessionRoutes(sessions, tls);
    DashboardFiles dashboard = new DashboardFiles();
    BulkRoutes bulk = new BulkRoutes(json, this::store);
    String base = SecretRoutes.BASE;
    List<Route> table =
        new ArrayList<>(
            List.of(
                Route.open(
                    HandlerType.GET, "/healthz", call -> Reply.json(200, Map.of("status", "up"))),
                Route.open(HandlerType.GET, "/readyz", this::ready),
                Route.open(
                    HandlerType.GET,
                    METRICS,
                    call ->
                        Reply.bytes(
                            200,
                            ServerMetrics.CONTENT_TYPE,
                            metrics.scrape().getBytes(StandardCharsets.UTF_8))),
                Route.open(HandlerType.GET, OpenApiDocument.PATH, openApi::serve),
                Route.keyed(HandlerType.GET, WHOAMI, this::whoami),
                Route.open(HandlerType.GET, "/", dashboard::index),
                Route.open(HandlerType.GET, DashboardFiles.PREFIX + "*", dashboard::file),
                Route.audited(
                    HandlerType.POST, SessionRoutes.PATH, "session.create", session::create),
                Route.keyed(HandlerType.GET, SessionRoutes.PATH, session::get),
                Route.audited(
                    HandlerType.DELETE, SessionRoutes.PATH, "session.delete", session::delete),
                Route.audited(HandlerType.POST, base, "write", secrets::put),
                Route.audited(HandlerType.POST, BulkRoutes.IMPORT, "import", bulk::importSecrets),
                Route.audited(HandlerType.POST, BulkRoutes.EXPORT, "export", bulk::export),
                Route.audited(
                    HandlerType.POST,
                    SecretRoutes.BATCH_GET,
                    SecretRoutes.READ_ACTION,
                    secrets::batchGet),
                Route.audited(HandlerType.GET, base, "list", secrets::list),
                Route.audited(
                    HandlerType.GET,
                    base + "/*",
                    call -> call.secretPath().auditAction("GET"),
                    secrets::get),
                Route.audited(HandlerType.DELETE, base + "/*", "delete", secrets::delete),
                Route.audited(
                    HandlerType.POST,
                    base + "/*",
                    call -> call.secretPath().auditAction("POST"),
                    secrets::post),
                Route.audited(HandlerType.POST, KeyRoutes.BASE, "key.create", keys::create),
                Route.audited(HandlerType.GET, KeyRoutes.BASE, "key.list", keys::list),
                Route.audited(
                    HandlerType.POST,
                    KeyRoutes.BASE + "/*",
                    call -> call.http().path().endsWith(":revoke") ? "key.revoke" : "unknown",
                    keys::post),
                Route.audited(HandlerType.GET, KeysetRoutes.BASE, "keyset.list", keysets::list),
                Route.audited(
                    HandlerType.GET, KeysetRoutes.BASE + "/*", "keyset.read", keysets::get),
                // Before the wildcard below, which would match it too: Javalin takes the first
                // route that matches.
                Route.audited(
                    HandlerType.POST,
                    KeysetRoutes.BASE + "/{tenant}/keys/*",
                    "keyset.retire",
                    keysets::post),
                Route.audited(
                    HandlerType.POST,
                    KeysetRoutes.BASE + "/*",
                    KeysetRoutes::postAction,
                    keysets::post),
                Route.audited(
                    HandlerType.GET,
                    KeysetRoutes.MASTER_KEYS,
                    "keyset.master",
                    keysets::masterKeys),
                Route.audited(
                    HandlerType.GET, AuditRoutes.BASE + "/verify", "audit.verify", audit::verify),
                Route.audited(
                    HandlerType.GET,
                    AuditRoutes.BASE + "/checkpoint",
                    "audit.checkpoint",
                    audit::checkpoint),
                Route.audited(HandlerType.GET, AuditRoutes.BASE, "audit.read", audit::read)));
    table.addAll(mcp.routes());
    return List.copyOf(table);
  }

  public static SecretsServerBuilder builder() {
    return new SecretsServerBuilder();
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return app.port();
  }

  /** The API keys of this server's database: create and revoke keys. */
  /** The record store the server's tenants live in (tests look at keysets through it). */
  JdbcRecordStore recordStore() {
    return records;
  }

  MasterKeyring keyring() {
    return keyring;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** The audit log of this server's database: read it and verify its hash chain. */
  public AuditLog auditLog() {
    return auditLog;
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (up to the drain timeout,
   * default 10 s), writes the last audit entries and a final checkpoint, then closes the record
   * store and the pools. {@code ServerMain} calls this on SIGTERM.
   */
  @Override
  public void close() {
    try {
      app.stop();
      mcp.close();
      LOG.info("Lanonasis Secrets server stopped; requests in flight finished");
    } finally {
      background.shutdownNow();
      auditFilter.flush(true);
      checkpoint();
      // Closing a tenant's SecretStore would close the shared record store: close that once
      // instead.
      stores.clear();
      auditLog.close();
      records.close();
      if (ownsDatabase) {
        database.close();
      }
      metrics.close();
    }
  }

  /**
   * Every route, as {@code "METHOD path"}, in table order: what {@code OpenApiDriftTest} checks the
   * document against.
   */
  List<String> routes() {
    return routes.stream().map(Route::label).toList();
  }

  /**
   * Writes the counts of aggregated refused authentications now, instead of when their window ends.
   */
  void flushRefusals() {
    auditFilter.flush(true);
  }

  /** The route table itself, for tests that derive their cases from it. */
  List<Route> routeTable() {
    return routes;
  }

  @Override
  public String toString() {
    return "SecretsServer[" + records + "]";
  }

  private void checkpoint() {
    try {
      auditFilter.flush(false);
      checkpoints.signIfGrown(auditLog.head());
    } catch (SecretsException | IllegalStateException e) {
      LOG.warn("no audit checkpoint this time: {}", e.getMessage());
    }
  }

  /**
   * The tenant's store, opened once and shared by every request (tests wrap it as the routes do).
   */
  SecretStore store(String tenant) {
    return stores.computeIfAbsent(
        tenant, t -> SecretStores.builder().recordStore(records).keyring(keyring).tenant(t).open());
  }

  private Reply ready(Call call) {
    Optional<String> notReady = readiness.check();
    if (notReady.isPresent()) {
      throw new Problem(503, "Service Unavailable", "not ready: " + notReady.get());
    }
    return Reply.json(200, Map.of("status", "ready"));
  }

  private Reply whoami(Call call) {
    ApiKey key = call.principal();
    return Reply.json(
        200,
        Map.of(
            "keyId",
            key.id(),
            "tenant",
            key.tenant(),
            "role",
            key.role().name(),
            "prefix",
            key.namePrefix()));
  }

  /**
   * Whether {@code host} is a loopback address; only literal addresses are looked at, so no DNS
   * query happens.
   */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9A-Fa-f:]+]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
