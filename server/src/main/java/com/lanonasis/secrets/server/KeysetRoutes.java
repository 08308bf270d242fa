package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.DataKeyStatus;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.ResealPosition;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.spi.RecordStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/keysets} and {@code /api/v1/master-keys}: the data-key lifecycle of every tenant
 * ({@link TenantKeyManager} over the server's store), for the operator only (an ADMIN key of tenant
 * {@code default} without a name prefix). A tenant's admin cannot shred, re-provision or re-seal,
 * not even its own tenant: these change what every store of the tenant can read.
 *
 * <p>Every request is audited under the operator's key with the tenant (and key id) as subject.
 * Answers carry key ids and counts, never key material. Re-sealing runs in bounded slices ({@link
 * #MAX_RESEAL_RECORDS} versions a request at most), each resuming where the last stopped, so no
 * request outlives a client's timeout.
 */
final class KeysetRoutes {
  static final String BASE = "/api/v1/keysets";
  static final String MASTER_KEYS = "/api/v1/master-keys";
  static final int PAGE = 100;
  static final int DEFAULT_RESEAL_BATCH = 1000;
  static final int DEFAULT_RESEAL_RECORDS = 10_000;
  static final int MAX_RESEAL_RECORDS = 100_000;

  private static final String WHAT = "the data-key lifecycle";
  private static final String WHY = "changes what every store of a tenant can read";
  private static final Pattern ACTION =
      Pattern.compile("(" + TenantId.REGEX + "):(rotate|destroy|reprovision|reseal)");
  private static final Pattern RETIRE =
      Pattern.compile("(" + TenantId.REGEX + ")/keys/([^/:]{1,64}):retire");

  private final ObjectMapper json;
  private final RecordStore records;
  private final TenantKeyManager manager;

  KeysetRoutes(ObjectMapper json, RecordStore records, TenantKeyManager manager) {
    this.json = json;
    this.records = records;
    this.manager = manager;
  }

  /**
   * The audited action of a POST, from its path: {@code keyset.rotate}, {@code keyset.retire}...
   */
  static String postAction(Call call) {
    String rest = rest(call.http());
    Matcher m = ACTION.matcher(rest);
    if (m.matches()) {
      // Audit actions are at most 16 characters: "keyset.reprovision" would not fit.
      return m.group(2).equals("reprovision") ? "keyset.provision" : "keyset." + m.group(2);
    }
    return RETIRE.matcher(rest).matches() ? "keyset.retire" : "keyset.invalid";
  }

  /**
   * {@code GET /api/v1/keysets[?after=TENANT]}: a page of statuses, by tenant name, and {@code
   * next} if more.
   */
  Reply list(Call call) throws IOException {
    Context ctx = call.http();
    Requests.requireOperator(call, WHAT, WHY);
    String after = ctx.queryParam("after");
    if (after != null) {
      Requests.checkTenant(after, "after");
    }
    List<String> tenants = records.tenants(Optional.ofNullable(after), PAGE + 1);
    List<Map<String, Object>> items = new ArrayList<>();
    for (String t : tenants.subList(0, Math.min(PAGE, tenants.size()))) {
      items.add(status(manager.status(t)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    if (tenants.size() > PAGE) {
      out.put("next", tenants.get(PAGE - 1));
    }
    return Reply.json(200, out);
  }

  /**
   * {@code GET /api/v1/keysets/{tenant}}: generation 0 and no keys for a tenant that never had a
   * keyset.
   */
  Reply get(Call call) throws IOException {
    Context ctx = call.http();
    Requests.requireOperator(call, WHAT, WHY);
    String tenant = rest(ctx);
    if (tenant.contains(":")
        && (ACTION.matcher(tenant).matches() || RETIRE.matcher(tenant).matches())) {
      throw methodNotAllowed("POST");
    }
    Requests.checkTenant(tenant, "tenant");
    call.about(tenant);
    return Reply.json(200, status(manager.status(tenant)));
  }

  /**
   * {@code GET /api/v1/master-keys}: the server's master key ids and how many keysets each wraps.
   */
  Reply masterKeys(Call call) throws IOException {
    Requests.requireOperator(call, WHAT, WHY);
    TenantKeyManager.MasterKeyUsage usage = manager.masterKeys();
    List<Map<String, Object>> items = new ArrayList<>();
    usage
        .keysets()
        .forEach(
            (id, n) -> {
              Map<String, Object> item = new LinkedHashMap<>();
              item.put("id", Integer.toUnsignedLong(id));
              item.put("primary", id == usage.primaryKeyId());
              item.put("keysets", n);
              items.add(item);
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("primaryKeyId", Integer.toUnsignedLong(usage.primaryKeyId()));
    out.put("items", items);
    out.put("unopenableKeysets", usage.unopenable());
    return Reply.json(200, out);
  }

  /**
   * {@code POST /api/v1/keysets/{tenant}:rotate|:destroy|:reprovision|:reseal} and {@code
   * .../keys/{id}:retire}.
   */
  Reply post(Call call) throws IOException {
    Context ctx = call.http();
    Requests.requireOperator(call, WHAT, WHY);
    String rest = rest(ctx);
    Matcher retire = RETIRE.matcher(rest);
    if (retire.matches()) {
      return retire(call, retire.group(1), retire.group(2));
    }
    Matcher m = ACTION.matcher(rest);
    if (!m.matches() && Requests.isTenant(rest)) {
      throw methodNotAllowed("GET");
    }
    if (!m.matches()) {
      throw Problem.badRequest(
          "unknown keyset action; expected "
              + BASE
              + "/{tenant}:rotate, :destroy, :reprovision, "
              + ":reseal or "
              + BASE
              + "/{tenant}/keys/{id}:retire");
    }
    String tenant = m.group(1);
    call.about(tenant);
    switch (m.group(2)) {
      case "rotate" -> {
        noBody(ctx);
        manager.rotateDataKey(tenant);
        return Reply.json(200, status(manager.status(tenant)));
      }
      case "destroy" -> {
        return destroy(ctx, tenant);
      }
      case "reprovision" -> {
        noBody(ctx);
        KeysetStatus s = manager.status(tenant);
        if (!s.destroyed()) {
          throw new Problem(
                  409,
                  "Conflict",
                  "tenant '"
                      + tenant
                      + "' has "
                      + (s.generation() == 0 ? "no" : "a live")
                      + " data keyset; only a destroyed one is re-provisioned")
              .code(Problem.KEYSET_NOT_DESTROYED);
        }
        manager.reprovision(tenant);
        return Reply.json(200, status(manager.status(tenant)));
      }
      default -> {
        return reseal(ctx, tenant);
      }
    }
  }

  private Reply destroy(Context ctx, String tenant) throws IOException {
    DestroyRequest body = Requests.body(ctx, json, DestroyRequest.class, "confirm");
    String confirm = body.confirm();
    if (confirm == null) {
      throw Problem.badRequest("'confirm' is required");
    }
    if (!confirm.equals(tenant)) {
      throw Problem.badRequest(
          "'confirm' must repeat the tenant's name: destroying a keyset cannot be undone");
    }
    boolean wasLive = manager.destroyDataKeyset(tenant);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", tenant);
    out.put("wasLive", wasLive);
    out.put("generation", manager.status(tenant).generation());
    return Reply.json(200, out);
  }

  private Reply reseal(Context ctx, String tenant) throws IOException {
    int batch = DEFAULT_RESEAL_BATCH;
    long max = DEFAULT_RESEAL_RECORDS;
    boolean dryRun = false;
    Optional<ResealPosition> resume = Optional.empty();
    if (hasBody(ctx)) {
      ResealRequest body =
          Requests.body(
              ctx, json, ResealRequest.class, "batchSize, dryRun, maxRecords, resumeAfter");
      batch =
          (int) within(body.batchSize(), "batchSize", 1, TenantKeyManager.MAX_RESEAL_BATCH, batch);
      max = within(body.maxRecords(), "maxRecords", 1, MAX_RESEAL_RECORDS, max);
      dryRun = Boolean.TRUE.equals(body.dryRun());
      resume = position(body.resumeAfter());
    }
    TenantKeyManager.ResealMode mode =
        dryRun ? TenantKeyManager.ResealMode.DRY_RUN : TenantKeyManager.ResealMode.RESEAL;
    ResealReport r =
        resume.isPresent()
            ? manager.resealSlice(tenant, mode, batch, max, resume.get(), progress -> {})
            : manager.resealSlice(tenant, mode, batch, max, progress -> {});
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", r.tenant());
    out.put("primaryKeyId", Integer.toUnsignedLong(r.primaryKeyId()));
    out.put("dryRun", dryRun);
    out.put("resealed", r.resealed());
    out.put("skipped", r.skipped());
    out.put("unreadable", r.unreadable());
    Map<String, Long> from = new LinkedHashMap<>();
    r.fromKeyIds().forEach((k, v) -> from.put(Integer.toUnsignedString(k), v));
    out.put("fromKeyIds", from);
    out.put("done", r.done());
    r.resumeAfter()
        .ifPresent(
            p -> {
              Map<String, Object> pos = new LinkedHashMap<>();
              pos.put("primaryKeyId", Integer.toUnsignedLong(p.primaryKeyId()));
              pos.put("name", p.name().value());
              pos.put("version", p.version());
              out.put("resumeAfter", pos);
            });
    return Reply.json(200, out);
  }

  private Reply retire(Call call, String tenant, String rawId) {
    Context ctx = call.http();
    call.about(tenant + "/keys/" + rawId);
    noBody(ctx);
    long id = rawId.matches("[0-9]{1,10}") ? Long.parseLong(rawId) : -1;
    if (id < 0 || id > 0xFFFF_FFFFL) {
      throw new Problem(404, "Not Found", "no such data key in the tenant's keyset")
          .code(Problem.NOT_FOUND);
    }
    KeysetStatus s = manager.status(tenant);
    if (s.destroyed()) {
      throw new KeysetDestroyedException(tenant);
    }
    DataKeyStatus key =
        s.keys().stream()
            .filter(k -> Integer.toUnsignedLong(k.id()) == id)
            .findFirst()
            .orElseThrow(
                () ->
                    new Problem(404, "Not Found", "no such data key in the tenant's keyset")
                        .code(Problem.NOT_FOUND));
    if (key.primary()) {
      throw new Problem(
              409,
              "Conflict",
              "data key "
                  + rawId
                  + " is the tenant's primary key; rotate first, re-seal, "
                  + "then retire it")
          .code(Problem.PRIMARY_KEY);
    }
    if (key.records() > 0) {
      throw new Problem(
              409,
              "Conflict",
              "data key "
                  + rawId
                  + " still seals "
                  + key.records()
                  + " record"
                  + (key.records() == 1 ? "" : "s")
                  + "; re-seal them first")
          .code(Problem.KEY_IN_USE)
          .with("records", key.records());
    }
    manager.retireDataKey(tenant, (int) id); // checks again, against the keyset it changes
    return Reply.empty(204);
  }

  private static Map<String, Object> status(KeysetStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", s.tenant());
    out.put("generation", s.generation());
    out.put("destroyed", s.destroyed());
    List<Map<String, Object>> keys = new ArrayList<>();
    for (DataKeyStatus k : s.keys()) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("id", Integer.toUnsignedLong(k.id()));
      key.put("primary", k.primary());
      key.put("records", k.records());
      keys.add(key);
    }
    out.put("keys", keys);
    out.put("unknownKeyRecords", s.unknownKeyRecords());
    out.put("primarySealed", s.primarySealed());
    s.primarySince().ifPresent(at -> out.put("primarySince", at.toString()));
    s.masterKeyId().ifPresent(id -> out.put("masterKeyId", Integer.toUnsignedLong(id)));
    return out;
  }

  /** The body of {@code :destroy}: the tenant's name again. */
  record DestroyRequest(String confirm) {}

  /** The body of {@code :reseal}, optional; an absent member keeps its default. */
  record ResealRequest(Long batchSize, Long maxRecords, Boolean dryRun, Position resumeAfter) {}

  /** Where a reseal resumes: the {@code resumeAfter} of the last answer. */
  record Position(Long primaryKeyId, String name, Long version) {}

  /** An action that takes no fields: {@code {}}, or no body. */
  record NoFields() {}

  /** {@code value} within [min, max], {@code absent} when it was not given. */
  private static long within(Long value, String field, long min, long max, long absent) {
    if (value == null) {
      return absent;
    }
    if (value < min || value > max) {
      throw Problem.badRequest("'" + field + "' must be an integer from " + min + " to " + max);
    }
    return value;
  }

  private static Optional<ResealPosition> position(Position n) {
    if (n == null) {
      return Optional.empty();
    }
    long primary = within(n.primaryKeyId(), "primaryKeyId", 0, 0xFFFF_FFFFL, -1);
    long version = within(n.version(), "version", 1, Long.MAX_VALUE, -1);
    if (primary < 0 || version < 0 || n.name() == null) {
      throw Problem.badRequest("'resumeAfter' needs primaryKeyId, name and version");
    }
    if (!SecretName.isValid(n.name())) {
      throw Problem.badRequest("'resumeAfter.name' is not a secret name")
          .code(Problem.INVALID_NAME);
    }
    return Optional.of(new ResealPosition((int) primary, SecretName.of(n.name()), version));
  }

  private static boolean hasBody(Context ctx) {
    return ctx.bodyAsBytes().length > 0;
  }

  /** These actions take no parameters: a body is either absent or {@code {}}, never ignored. */
  private void noBody(Context ctx) {
    if (hasBody(ctx)) {
      Requests.body(ctx, json, NoFields.class, "none: this action takes no fields");
    }
  }

  private static Problem methodNotAllowed(String allowed) {
    return new Problem(405, "Method Not Allowed", "this resource answers " + allowed + " only");
  }

  private static String rest(Context ctx) {
    String path = ctx.path();
    return path.length() > BASE.length() + 1 ? path.substring(BASE.length() + 1) : "";
  }
}
