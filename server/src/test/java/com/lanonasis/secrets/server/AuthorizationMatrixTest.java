package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint × caller × prefix scope × tenant, over real HTTP: the expected status of each cell
 * comes from {@link #RULES}, a table written from the README's rules (not from the server's code),
 * and every "hidden" 404 must be byte-identical to a truly missing secret's (or key's) 404.
 *
 * <p>The callers are keys of tenant {@code alpha}, which is not the operator tenant {@code
 * default}, so the tenant rules of key management apply to them; {@code beta} is the foreign
 * tenant. Each cell works on a name of its own ({@code team/c0042} inside the {@code team/} prefix,
 * {@code other/c0042} outside it) and creates the state it needs first (the secret, deleted for
 * {@code :restore}; a fresh key for {@code :revoke}), so cells do not depend on each other or on
 * their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
  static final String OWN = "alpha";
  static final String FOREIGN = "beta";
  static final String PREFIX = "team/";

  /** The same scope written without its trailing slash: it must still end at a segment boundary. */
  static final String BARE_PREFIX = "team";

  /** The 404 of a secret nobody created; every hidden 404 must be byte-identical to it. */
  static final String MISSING_KEY_ID = "0123456789abcdef";

  enum Endpoint {
    WRITE("POST /api/v1/secrets", 200),
    READ("GET /api/v1/secrets/{key}", 200),
    READ_VERSION("GET /api/v1/secrets/{key}?version=1", 200),
    LIST("GET /api/v1/secrets?prefix={key}", 200),
    VERSIONS("GET /api/v1/secrets/{key}:versions", 200),
    METADATA("GET /api/v1/secrets/{key}:metadata", 200),
    ATTRIBUTES("POST /api/v1/secrets/{key}:attributes", 200),
    DELETE("DELETE /api/v1/secrets/{key}", 204),
    RESTORE("POST /api/v1/secrets/{key}:restore", 204),
    DESTROY("POST /api/v1/secrets/{key}:destroy", 204),
    KEY_CREATE("POST /api/v1/keys", 201),
    KEY_LIST("GET /api/v1/keys", 200),
    KEY_REVOKE("POST /api/v1/keys/{id}:revoke", 204),
    AUDIT("GET /api/v1/audit", 200),
    AUDIT_VERIFY("GET /api/v1/audit/verify", 200),
    AUDIT_CHECKPOINT("GET /api/v1/audit/checkpoint", 200),
    KEYSET_LIST("GET /api/v1/keysets", 200),
    KEYSET_READ("GET /api/v1/keysets/{tenant}", 200),
    KEYSET_ROTATE("POST /api/v1/keysets/{tenant}:rotate", 200),
    KEYSET_DESTROY("POST /api/v1/keysets/{tenant}:destroy", 200),
    KEYSET_REPROVISION("POST /api/v1/keysets/{tenant}:reprovision", 200),
    KEYSET_RESEAL("POST /api/v1/keysets/{tenant}:reseal", 200),
    KEYSET_RETIRE("POST /api/v1/keysets/{tenant}/keys/{id}:retire", 204),
    MASTER_KEYS("GET /api/v1/master-keys", 200),
    REVEAL("POST /api/v1/secrets/{key}:reveal", 200),
    IMPORT("POST /api/v1/secrets:import", 200),
    EXPORT("POST /api/v1/secrets:export", 200),
    BATCH_GET("POST /api/v1/secrets:batchGet", 200),
    SESSION_CREATE("POST /api/v1/session", 201),
    SESSION_READ("GET /api/v1/session", 200),
    SESSION_DELETE("DELETE /api/v1/session", 204),
    WHOAMI("GET /api/v1/whoami", 200);

    final String label;
    final int success;

    Endpoint(String label, int success) {
      this.label = label;
      this.success = success;
    }

    /** {@code "GET /api/v1/secrets/{key}"}: the operation, without the query the cell adds. */
    String operation() {
      return label.split("\\?", 2)[0];
    }
  }

  /** Who calls: a key of each role, or something that does not authenticate. */
  enum Caller {
    ADMIN,
    READ_WRITE,
    READ_ONLY,
    NO_KEY,
    REVOKED_KEY,
    MALFORMED_KEY;

    boolean authenticates() {
      return this == ADMIN || this == READ_WRITE || this == READ_ONLY;
    }
  }

  /**
   * The caller's prefix and where the cell's name lies. Irrelevant (but still run) for NO_KEY and
   * MALFORMED_KEY. A prefix covers whole name segments: {@code team/} covers {@code team/...};
   * {@code team} (no slash) covers {@code team} and {@code team/...}, never {@code teamwork/...}.
   */
  enum Scope {
    UNSCOPED_KEY("", PREFIX),
    NAME_INSIDE_PREFIX(PREFIX, PREFIX),
    NAME_OUTSIDE_PREFIX(PREFIX, "other/"),
    NAME_UNDER_BARE_PREFIX(BARE_PREFIX, PREFIX),
    NAME_SHARING_THE_BARE_PREFIXS_LETTERS(BARE_PREFIX, BARE_PREFIX + "work/");

    private final String keyPrefix;
    private final String dir;

    Scope(String keyPrefix, String dir) {
      this.keyPrefix = keyPrefix;
      this.dir = dir;
    }

    String keyPrefix() {
      return keyPrefix;
    }

    String dir() {
      return dir;
    }

    /** Whether the name lies outside the key's scope (then it reads exactly like a missing one). */
    boolean outside() {
      return this == NAME_OUTSIDE_PREFIX || this == NAME_SHARING_THE_BARE_PREFIXS_LETTERS;
    }
  }

  /** Whether the cell's secret (or key) lives in the caller's tenant or only in the foreign one. */
  enum Tenant {
    OWN_TENANT,
    FOREIGN_TENANT
  }

  record Cell(int index, Endpoint endpoint, Caller caller, Scope scope, Tenant tenant) {
    String name() {
      return scope.dir() + String.format("c%04d", index);
    }

    /** A name in the caller's own tenant and scope that nobody ever creates. */
    String missingName() {
      return PREFIX + String.format("m%04d", index);
    }

    String owner() {
      return tenant == Tenant.OWN_TENANT ? OWN : FOREIGN;
    }
  }

  record Rule(String why, Predicate<Cell> when, ToIntFunction<Cell> status, boolean hidden) {}

  /** The data-key lifecycle: the operator's alone, whatever tenant it names. */
  static final Set<Endpoint> KEYSETS =
      EnumSet.of(
          Endpoint.KEYSET_LIST,
          Endpoint.KEYSET_READ,
          Endpoint.KEYSET_ROTATE,
          Endpoint.KEYSET_DESTROY,
          Endpoint.KEYSET_REPROVISION,
          Endpoint.KEYSET_RESEAL,
          Endpoint.KEYSET_RETIRE,
          Endpoint.MASTER_KEYS);

  static final Set<Endpoint> ADMIN_ONLY =
      EnumSet.of(
          Endpoint.KEY_CREATE,
          Endpoint.KEY_LIST,
          Endpoint.KEY_REVOKE,
          Endpoint.AUDIT,
          Endpoint.AUDIT_VERIFY,
          Endpoint.AUDIT_CHECKPOINT,
          Endpoint.KEYSET_LIST,
          Endpoint.KEYSET_READ,
          Endpoint.KEYSET_ROTATE,
          Endpoint.KEYSET_DESTROY,
          Endpoint.KEYSET_REPROVISION,
          Endpoint.KEYSET_RESEAL,
          Endpoint.KEYSET_RETIRE,
          Endpoint.MASTER_KEYS);
  static final Set<Endpoint> WRITES =
      EnumSet.of(
          Endpoint.WRITE,
          Endpoint.DELETE,
          Endpoint.RESTORE,
          Endpoint.DESTROY,
          Endpoint.ATTRIBUTES,
          Endpoint.IMPORT);

  /** Endpoints that name one secret (the list takes a prefix instead). */
  static final Set<Endpoint> NAMED =
      EnumSet.of(
          Endpoint.WRITE,
          Endpoint.READ,
          Endpoint.READ_VERSION,
          Endpoint.REVEAL,
          Endpoint.VERSIONS,
          Endpoint.METADATA,
          Endpoint.ATTRIBUTES,
          Endpoint.DELETE,
          Endpoint.RESTORE,
          Endpoint.DESTROY);

  /**
   * The README's rules, first match wins: authentication, then role, then visibility (prefix,
   * tenant), then the endpoint's own success. A read-only key is refused a write before its name is
   * looked at, so a name outside its prefix answers exactly like a missing one inside (403 both).
   * Key management and the audit log name no secret: they need an ADMIN key without a name prefix,
   * since a scoped admin could otherwise mint itself an unscoped key or read every name's history.
   */
  static final List<Rule> RULES =
      List.of(
          new Rule(
              "no, malformed or revoked key", c -> !c.caller().authenticates(), c -> 401, false),
          new Rule(
              "key management and audit are for ADMIN keys",
              c -> ADMIN_ONLY.contains(c.endpoint()) && c.caller() != Caller.ADMIN,
              c -> 403,
              false),
          new Rule(
              "key management and audit need an ADMIN key without a prefix (a scoped one could mint an unscoped key)",
              c -> ADMIN_ONLY.contains(c.endpoint()) && c.scope() != Scope.UNSCOPED_KEY,
              c -> 403,
              false),
          new Rule(
              "verifying the whole log and signing checkpoints are the operator's (tenant default): they cover "
                  + "every tenant's entries",
              c ->
                  c.endpoint() == Endpoint.AUDIT_VERIFY
                      || c.endpoint() == Endpoint.AUDIT_CHECKPOINT,
              c -> 403,
              false),
          new Rule(
              "the data-key lifecycle (rotate, re-seal, retire, shred, re-provision) is the operator's alone, even "
                  + "for the caller's own tenant: it changes what every store of a tenant can read",
              c -> KEYSETS.contains(c.endpoint()),
              c -> 403,
              false),
          new Rule(
              "a read-only key cannot write, delete, restore or destroy",
              c -> WRITES.contains(c.endpoint()) && c.caller() == Caller.READ_ONLY,
              c -> 403,
              false),
          new Rule(
              "a name outside the key's prefix (whole segments: 'team' does not cover 'teamwork/') reads as missing",
              c -> NAMED.contains(c.endpoint()) && c.scope().outside(),
              c -> 404,
              true),
          new Rule(
              "an import naming a name outside the key's prefix is refused whole, saying which entry (the key "
                  + "knows its own prefix: nothing about the name's existence is told)",
              c -> c.endpoint() == Endpoint.IMPORT && c.scope().outside(),
              c -> 400,
              false),
          new Rule(
              "a batch read answers 200 whatever it names: a name outside the key's prefix or only in another "
                  + "tenant is that name's 404, exactly like a missing one's (checked in batchResult)",
              c ->
                  c.endpoint() == Endpoint.BATCH_GET
                      && (c.scope().outside() || c.tenant() == Tenant.FOREIGN_TENANT),
              c -> 200,
              false),
          new Rule(
              "writing a name that exists only in another tenant creates it in the caller's",
              c -> c.endpoint() == Endpoint.WRITE && c.tenant() == Tenant.FOREIGN_TENANT,
              c -> 201,
              false),
          new Rule(
              "another tenant's secret reads as missing",
              c -> NAMED.contains(c.endpoint()) && c.tenant() == Tenant.FOREIGN_TENANT,
              c -> 404,
              true),
          new Rule(
              "another tenant's key id reads as unknown",
              c -> c.endpoint() == Endpoint.KEY_REVOKE && c.tenant() == Tenant.FOREIGN_TENANT,
              c -> 404,
              true),
          new Rule(
              "an ADMIN of a tenant other than default creates keys for its own tenant only",
              c -> c.endpoint() == Endpoint.KEY_CREATE && c.tenant() == Tenant.FOREIGN_TENANT,
              c -> 403,
              false),
          new Rule("allowed", c -> true, c -> c.endpoint().success, false));

  static Rule rule(Cell c) {
    return RULES.stream().filter(r -> r.when().test(c)).findFirst().orElseThrow();
  }

  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();

  /** Unscoped ADMIN keys of each tenant, to set cells up. */
  final Map<String, String> setupAdmin = new HashMap<>();

  final Map<Caller, Map<Scope, String>> callers = new EnumMap<>(Caller.class);
  final Map<String, String> missingBodies = new HashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) {
    // Hundreds of deliberate bad keys from one address: throttling has its own test
    // (AuthThrottleTest).
    server =
        RealServer.start(dir, b -> b.authFailureLimit(1_000_000, java.time.Duration.ofMinutes(1)))
            .server();
    ApiKeys keys = server.apiKeys();
    setupAdmin.put(OWN, keys.create(OWN, Role.ADMIN, ""));
    setupAdmin.put(FOREIGN, keys.create(FOREIGN, Role.ADMIN, ""));
    List<String> malformed =
        List.of(
            "not-a-key",
            "lns_XYZ_abc",
            "lns_0123456789abcdef",
            "Basic dXNlcjpwYXNz",
            "lns_0123456789abcdef_" + "A".repeat(42));
    for (Scope s : Scope.values()) {
      callers
          .computeIfAbsent(Caller.ADMIN, c -> new EnumMap<>(Scope.class))
          .put(s, keys.create(OWN, Role.ADMIN, s.keyPrefix()));
      callers
          .computeIfAbsent(Caller.READ_WRITE, c -> new EnumMap<>(Scope.class))
          .put(s, keys.create(OWN, Role.READ_WRITE, s.keyPrefix()));
      callers
          .computeIfAbsent(Caller.READ_ONLY, c -> new EnumMap<>(Scope.class))
          .put(s, keys.create(OWN, Role.READ_ONLY, s.keyPrefix()));
      String revoked = keys.create(OWN, Role.ADMIN, s.keyPrefix());
      assertThat(keys.revoke(ApiKeys.idOf(revoked))).isTrue();
      callers.computeIfAbsent(Caller.REVOKED_KEY, c -> new EnumMap<>(Scope.class)).put(s, revoked);
      callers
          .computeIfAbsent(Caller.MALFORMED_KEY, c -> new EnumMap<>(Scope.class))
          .put(s, malformed.get(s.ordinal()));
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static List<Cell> cells() {
    List<Cell> out = new ArrayList<>();
    for (Endpoint e : Endpoint.values()) {
      for (Caller c : Caller.values()) {
        for (Scope s : Scope.values()) {
          for (Tenant t : Tenant.values()) {
            out.add(new Cell(out.size(), e, c, s, t));
          }
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyCell_answersAsTheRuleTableSays() {
    List<Cell> cells = cells();
    // 32 endpoints × 6 callers × 5 scopes × 2 tenants: a generator bug must not shrink the matrix.
    assertThat(cells).hasSize(32 * 6 * 5 * 2).hasSize(1920);
    assertThat(cells.stream().map(AuthorizationMatrixTest::rule).distinct()).hasSize(RULES.size());
    return cells.stream()
        .map(
            c -> {
              Rule r = rule(c);
              String name =
                  String.format(
                      "%03d %s · %s · %s · %s → %d (%s)",
                      c.index(),
                      c.endpoint().label,
                      c.caller(),
                      c.scope(),
                      c.tenant(),
                      r.status().applyAsInt(c),
                      r.why());
              return DynamicTest.dynamicTest(name, () -> check(c, r));
            });
  }

  /**
   * The matrix's endpoints are derived, not remembered: every operation the served document lists
   * with a key is an endpoint here, and every route of the server's route table that needs a key is
   * one of them. A new surface (the dashboard, {@code /mcp}) cannot be added without its cells.
   */
  @Test
  void theMatrix_coversEveryOperationAndRouteThatNeedsAKey() throws Exception {
    JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                client.call(server.port(), "GET", "/api/v1/openapi.json", null, null, null).body());
    java.util.Set<String> documented = new java.util.TreeSet<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (!Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
          continue; // path-level parameters, servers, descriptions
        }
        boolean open = op.getValue().has("security") && op.getValue().get("security").isEmpty();
        if (!open) {
          documented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    java.util.Set<String> covered = new java.util.TreeSet<>();
    for (Endpoint e : Endpoint.values()) {
      covered.add(e.operation());
    }
    assertThat(covered)
        .as("endpoints of the matrix vs operations documented with a key")
        .isEqualTo(documented);
    for (Route r : server.routeTable()) {
      if (r.access() == Route.Access.PUBLIC) {
        continue;
      }
      if (r.path().equals(McpRoutes.PATH)) {
        // Its refusals are tool results inside 200 answers, not statuses: McpHttpTest.Matrix has
        // its cells.
        assertThat(McpHttpTest.Matrix.class).isNotNull();
        continue;
      }
      String prefix =
          r.path().endsWith("*") ? r.path().substring(0, r.path().length() - 1) : r.path();
      assertThat(covered)
          .as("cells for route %s", r.label())
          .anyMatch(
              op -> {
                String[] mp = op.split(" ", 2);
                return mp[0].equals(r.method().name())
                    && (r.path().endsWith("*") ? mp[1].startsWith(prefix) : mp[1].equals(prefix));
              });
    }
  }

  /**
   * The one cell family the server first got wrong: it answered 404 outside the prefix but 403
   * inside.
   */
  @Test
  void readOnlyKey_deleteRestoreDestroyOutsideItsPrefix_is403LikeInside() {
    String ro = callers.get(Caller.READ_ONLY).get(Scope.NAME_OUTSIDE_PREFIX);
    for (String name : List.of("other/never-created", PREFIX + "never-created")) {
      assertThat(
              client
                  .call(server.port(), "DELETE", "/api/v1/secrets/" + name, ro, null, null)
                  .status())
          .isEqualTo(403);
      for (String action : List.of(":restore", ":destroy")) {
        assertThat(
                client
                    .call(server.port(), "POST", "/api/v1/secrets/" + name + action, ro, null, null)
                    .status())
            .isEqualTo(403);
      }
    }
  }

  void check(Cell c, Rule r) {
    String target = setUp(c);
    TenantKeyManager.KeysetStatus keysetBefore =
        KEYSETS.contains(c.endpoint()) ? keyset(c.owner()) : null;
    String key = c.caller() == Caller.NO_KEY ? null : callers.get(c.caller()).get(c.scope());
    Reply reply = send(c.endpoint(), c, key, c.name(), target);
    int expected = r.status().applyAsInt(c);
    assertThat(reply.status()).as("%s\n%s", rule(c).why(), reply.body()).isEqualTo(expected);
    if (expected >= 400) {
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().get("status").asInt()).isEqualTo(expected);
      assertThat(reply.body()).doesNotContain("v-" + OWN).doesNotContain("v-" + FOREIGN);
    }
    if (expected == 401) {
      assertThat(reply.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    if (r.hidden()) {
      assertThat(reply.body())
          .as("a hidden secret or key must answer exactly like a missing one")
          .isEqualTo(missingBody(c, key));
    }
    if (expected == 200) {
      visibilityOfListings(c, reply, target);
    }
    if (c.endpoint() == Endpoint.BATCH_GET && expected == 200) {
      batchResult(c, key, reply);
    }
    if (c.tenant() == Tenant.FOREIGN_TENANT
        && (NAMED.contains(c.endpoint())
            || c.endpoint() == Endpoint.IMPORT
            || c.endpoint() == Endpoint.BATCH_GET)) {
      foreignSecretUntouched(c);
    }
    if (KEYSETS.contains(c.endpoint())) {
      assertThat(keyset(c.owner()))
          .as("a refused keyset request changes nothing of %s", c.owner())
          .isEqualTo(keysetBefore);
      assertThat(keysetBefore.destroyed()).isFalse();
    }
  }

  /**
   * A batch read's one name: its value where the key may see it in its own tenant, else a per-name
   * error identical (but for {@code key}) to the one of a name nobody created.
   */
  void batchResult(Cell c, String key, Reply reply) {
    JsonNode body = reply.json();
    if (!c.scope().outside() && c.tenant() == Tenant.OWN_TENANT) {
      assertThat(body.get("errors")).isEmpty();
      assertThat(body.get("secrets")).hasSize(1);
      assertThat(body.get("secrets").get(0).get("key").asText()).isEqualTo(c.name());
      assertThat(body.get("secrets").get(0).get("value").asText()).isEqualTo("v-" + OWN);
      return;
    }
    assertThat(reply.body()).doesNotContain("v-" + OWN).doesNotContain("v-" + FOREIGN);
    assertThat(body.get("secrets")).isEmpty();
    assertThat(body.get("errors")).hasSize(1);
    com.fasterxml.jackson.databind.node.ObjectNode hidden =
        (com.fasterxml.jackson.databind.node.ObjectNode) body.get("errors").get(0);
    assertThat(hidden.remove("key").asText()).isEqualTo(c.name());
    Reply missing = send(Endpoint.BATCH_GET, c, key, c.missingName(), null);
    com.fasterxml.jackson.databind.node.ObjectNode absent =
        (com.fasterxml.jackson.databind.node.ObjectNode) missing.json().get("errors").get(0);
    assertThat(absent.remove("key").asText()).isEqualTo(c.missingName());
    assertThat(hidden).as("a hidden name must answer exactly like a missing one").isEqualTo(absent);
    assertThat(hidden.get("status").asInt()).isEqualTo(404);
  }

  TenantKeyManager.KeysetStatus keyset(String tenant) {
    return new TenantKeyManager(server.recordStore(), server.keyring()).status(tenant);
  }

  /**
   * Creates what the cell needs; returns the key id to revoke for {@code :revoke} and KEY_LIST
   * cells.
   */
  String setUp(Cell c) {
    switch (c.endpoint()) {
      case WRITE,
          READ,
          READ_VERSION,
          REVEAL,
          LIST,
          VERSIONS,
          METADATA,
          ATTRIBUTES,
          DELETE,
          RESTORE,
          DESTROY,
          IMPORT,
          EXPORT,
          BATCH_GET -> {
        String admin = setupAdmin.get(c.owner());
        Reply put =
            client.call(
                server.port(),
                "POST",
                "/api/v1/secrets",
                admin,
                "application/json",
                "{\"key\":\"" + c.name() + "\",\"value\":\"v-" + c.owner() + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        if (c.endpoint() == Endpoint.RESTORE) {
          assertThat(
                  client
                      .call(
                          server.port(), "DELETE", "/api/v1/secrets/" + c.name(), admin, null, null)
                      .status())
              .isEqualTo(204);
        }
        return null;
      }
      case KEY_REVOKE, KEY_LIST -> {
        return ApiKeys.idOf(server.apiKeys().create(c.owner(), Role.READ_ONLY, ""));
      }
      case KEYSET_LIST,
          KEYSET_READ,
          KEYSET_ROTATE,
          KEYSET_DESTROY,
          KEYSET_REPROVISION,
          KEYSET_RESEAL,
          KEYSET_RETIRE,
          MASTER_KEYS -> {
        // A live keyset of the tenant with a record under it: what a refused request must leave as
        // it is.
        Reply put =
            client.call(
                server.port(),
                "POST",
                "/api/v1/secrets",
                setupAdmin.get(c.owner()),
                "application/json",
                "{\"key\":\"" + c.name() + "\",\"value\":\"v-" + c.owner() + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  Reply send(Endpoint e, Cell c, String key, String name, String keyId) {
    int port = server.port();
    String secret = "/api/v1/secrets/" + name;
    return switch (e) {
      case WRITE ->
          client.call(
              port,
              "POST",
              "/api/v1/secrets",
              key,
              "application/json",
              "{\"key\":\"" + name + "\",\"value\":\"v-" + OWN + "-written\"}");
      case READ -> client.call(port, "GET", secret, key, null, null);
      case REVEAL -> client.call(port, "POST", secret + ":reveal", key, "application/json", "{}");
      // The version the caller's own tenant holds: 1 where the cell's secret is its own, 0 where it
      // is only the other's.
      case IMPORT ->
          client.call(
              port,
              "POST",
              "/api/v1/secrets:import",
              key,
              "application/json",
              "{\"entries\":[{\"key\":\""
                  + name
                  + "\",\"value\":\"v-"
                  + OWN
                  + "-imported\",\"expectedVersion\":"
                  + (c.tenant() == Tenant.OWN_TENANT ? 1 : 0)
                  + "}]}");
      case EXPORT ->
          client.call(
              port,
              "POST",
              "/api/v1/secrets:export",
              key,
              "application/json",
              "{\"prefix\":\"" + name + "\"}");
      case BATCH_GET ->
          client.call(
              port,
              "POST",
              "/api/v1/secrets:batchGet",
              key,
              "application/json",
              "{\"names\":[\"" + name + "\"]}");
      case SESSION_CREATE -> client.call(port, "POST", "/api/v1/session", key, null, null);
      case SESSION_READ -> client.call(port, "GET", "/api/v1/session", key, null, null);
      case SESSION_DELETE -> client.call(port, "DELETE", "/api/v1/session", key, null, null);
      case READ_VERSION -> client.call(port, "GET", secret + "?version=1", key, null, null);
      case LIST ->
          client.call(port, "GET", "/api/v1/secrets?limit=1000&prefix=" + name, key, null, null);
      case VERSIONS -> client.call(port, "GET", secret + ":versions", key, null, null);
      case METADATA -> client.call(port, "GET", secret + ":metadata", key, null, null);
      case ATTRIBUTES ->
          client.call(
              port,
              "POST",
              secret + ":attributes",
              key,
              "application/json",
              "{\"description\":\"by " + OWN + "\"}");
      case DELETE -> client.call(port, "DELETE", secret, key, null, null);
      case RESTORE -> client.call(port, "POST", secret + ":restore", key, null, null);
      case DESTROY -> client.call(port, "POST", secret + ":destroy", key, null, null);
      case KEY_CREATE ->
          client.call(
              port,
              "POST",
              "/api/v1/keys",
              key,
              "application/json",
              "{\"tenant\":\""
                  + c.owner()
                  + "\",\"role\":\"READ_ONLY\",\"prefix\":\""
                  + c.scope().dir()
                  + "\"}");
      case KEY_LIST -> client.call(port, "GET", "/api/v1/keys", key, null, null);
      case KEY_REVOKE ->
          client.call(port, "POST", "/api/v1/keys/" + keyId + ":revoke", key, null, null);
      case AUDIT -> client.call(port, "GET", "/api/v1/audit", key, null, null);
      case AUDIT_VERIFY -> client.call(port, "GET", "/api/v1/audit/verify", key, null, null);
      case AUDIT_CHECKPOINT ->
          client.call(port, "GET", "/api/v1/audit/checkpoint", key, null, null);
      case WHOAMI -> client.call(port, "GET", "/api/v1/whoami", key, null, null);
      case KEYSET_LIST -> client.call(port, "GET", "/api/v1/keysets", key, null, null);
      case KEYSET_READ -> client.call(port, "GET", "/api/v1/keysets/" + c.owner(), key, null, null);
      case KEYSET_ROTATE ->
          client.call(port, "POST", "/api/v1/keysets/" + c.owner() + ":rotate", key, null, null);
      case KEYSET_DESTROY ->
          client.call(
              port,
              "POST",
              "/api/v1/keysets/" + c.owner() + ":destroy",
              key,
              "application/json",
              "{\"confirm\":\"" + c.owner() + "\"}");
      case KEYSET_REPROVISION ->
          client.call(
              port, "POST", "/api/v1/keysets/" + c.owner() + ":reprovision", key, null, null);
      case KEYSET_RESEAL ->
          client.call(port, "POST", "/api/v1/keysets/" + c.owner() + ":reseal", key, null, null);
      case KEYSET_RETIRE ->
          client.call(
              port, "POST", "/api/v1/keysets/" + c.owner() + "/keys/1:retire", key, null, null);
      case MASTER_KEYS -> client.call(port, "GET", "/api/v1/master-keys", key, null, null);
    };
  }

  /**
   * The same caller's 404 for a secret (or key id) that was never created, asked once per caller.
   */
  String missingBody(Cell c, String key) {
    boolean keyId = c.endpoint() == Endpoint.KEY_REVOKE;
    return missingBodies.computeIfAbsent(
        (keyId ? "key:" : "secret:") + key,
        k -> {
          Reply missing =
              keyId
                  ? client.call(
                      server.port(),
                      "POST",
                      "/api/v1/keys/" + MISSING_KEY_ID + ":revoke",
                      key,
                      null,
                      null)
                  : client.call(
                      server.port(), "GET", "/api/v1/secrets/" + c.missingName(), key, null, null);
          assertThat(missing.status()).as(missing.body()).isEqualTo(404);
          return missing.body();
        });
  }

  /** A listing shows the cell's secret (or key) exactly when the caller may see it. */
  void visibilityOfListings(Cell c, Reply reply, String createdKeyId) {
    boolean ownTenant = c.tenant() == Tenant.OWN_TENANT;
    switch (c.endpoint()) {
      case EXPORT -> {
        List<String> names = new ArrayList<>();
        reply.json().get("items").forEach(i -> names.add(i.get("key").asText()));
        if (ownTenant && !c.scope().outside()) {
          assertThat(names).containsExactly(c.name());
          assertThat(reply.json().get("items").get(0).get("value").asText()).isEqualTo("v-" + OWN);
        } else {
          assertThat(names).isEmpty();
        }
      }
      case LIST -> {
        List<String> names = new ArrayList<>();
        reply.json().get("items").forEach(i -> names.add(i.get("key").asText()));
        if (ownTenant && !c.scope().outside()) {
          assertThat(names).containsExactly(c.name());
        } else {
          assertThat(names).isEmpty();
        }
      }
      case KEY_LIST -> {
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode i : reply.json().get("items")) {
          tenants.add(i.get("tenant").asText());
          ids.add(i.get("id").asText());
        }
        assertThat(tenants).containsOnly(OWN);
        if (ownTenant) {
          assertThat(ids).contains(createdKeyId);
        } else {
          assertThat(ids).doesNotContain(createdKeyId);
        }
      }
      case AUDIT -> {
        for (JsonNode i : reply.json().get("items")) {
          assertThat(i.get("tenant").asText()).isEqualTo(OWN);
        }
      }
      case WHOAMI -> {
        JsonNode me = reply.json();
        assertThat(me.get("tenant").asText()).isEqualTo(OWN);
        assertThat(me.get("role").asText()).isEqualTo(c.caller().name());
        assertThat(me.get("prefix").asText()).isEqualTo(c.scope().keyPrefix());
      }
      default -> {}
    }
  }

  /**
   * Whatever the caller did, the foreign tenant's secret of the same name is still there,
   * unchanged.
   */
  void foreignSecretUntouched(Cell c) {
    String admin = setupAdmin.get(FOREIGN);
    if (c.endpoint() == Endpoint.RESTORE) {
      // Still soft-deleted (the caller's restore did not reach it): restoring it now works.
      assertThat(
              client
                  .call(
                      server.port(),
                      "POST",
                      "/api/v1/secrets/" + c.name() + ":restore",
                      admin,
                      null,
                      null)
                  .status())
          .isEqualTo(204);
    }
    Reply read =
        client.call(server.port(), "GET", "/api/v1/secrets/" + c.name(), admin, null, null);
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().get("value").asText()).isEqualTo("v-" + FOREIGN);
    assertThat(read.json().get("version").asLong()).isEqualTo(1);
  }
}
