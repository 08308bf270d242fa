package com.lanonasis.secrets.server;

import com.lanonasis.secrets.wire.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/keys}: create, list and revoke API keys, for ADMIN keys only. An admin of the
 * operator tenant {@code default} manages every tenant's keys; an admin of another tenant only its
 * own, and another tenant's key id reads exactly like an unknown one. The full key appears only in
 * the body of the create response; the audit entry carries its id.
 */
final class KeyRoutes {
  static final String BASE = "/api/v1/keys";
  private static final Set<String> BODY_FIELDS = Set.of("tenant", "role", "prefix");

  private final ObjectMapper json;
  private final ApiKeys keys;

  KeyRoutes(ObjectMapper json, ApiKeys keys) {
    this.json = json;
    this.keys = keys;
  }

  Reply create(Call call) throws IOException {
    Context ctx = call.http();
    ApiKey admin = Requests.requireUnscopedAdmin(call, "key management");
    JsonNode body = Requests.jsonObject(ctx, json);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      if (!BODY_FIELDS.contains(it.next())) {
        throw Problem.badRequest("unknown field; expected tenant, role, prefix");
      }
    }
    String tenant = Optional.ofNullable(Requests.text(body, "tenant", false)).orElse(admin.tenant());
    Requests.checkTenant(tenant, "tenant");
    String roleName = Requests.text(body, "role", false);
    if (roleName == null) {
      throw Problem.badRequest("'role' is required: ADMIN, READ_WRITE or READ_ONLY");
    }
    Role role;
    try {
      role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("'role' must be ADMIN, READ_WRITE or READ_ONLY");
    }
    String prefix = Optional.ofNullable(Requests.text(body, "prefix", false)).orElse("");
    if (!operator(admin) && !tenant.equals(admin.tenant())) {
      throw new Problem(403, "Forbidden", "an ADMIN key may create keys for its own tenant only");
    }
    String created;
    try {
      created = keys.create(tenant, role, prefix);
    } catch (IllegalArgumentException e) {
      // ApiKeys' message quotes the prefix; ours does not.
      throw Problem.badRequest("prefix must be empty or a valid secret name, optionally followed by '/'");
    }
    String id = ApiKeys.idOf(created);
    call.about(id);
    ApiKeys.StoredKey stored = keys.find(id).orElseThrow(
        () -> new IllegalStateException("a key just created is missing"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("key", created);
    out.put("tenant", stored.tenant());
    out.put("role", stored.role().name());
    out.put("prefix", stored.namePrefix());
    out.put("createdAt", stored.createdAt().truncatedTo(ChronoUnit.MICROS).toString());
    return Reply.json(201, out);
  }

  Reply list(Call call) throws IOException {
    Context ctx = call.http();
    ApiKey admin = Requests.requireUnscopedAdmin(call, "key management");
    List<Map<String, Object>> items = new ArrayList<>();
    for (ApiKeys.StoredKey k : keys.list(operator(admin) ? Optional.empty() : Optional.of(admin.tenant()))) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", k.id());
      item.put("tenant", k.tenant());
      item.put("role", k.role().name());
      item.put("prefix", k.namePrefix());
      item.put("createdAt", k.createdAt().toString());
      k.revokedAt().ifPresent(r -> item.put("revokedAt", r.toString()));
      items.add(item);
    }
    return Reply.json(200, Map.of("items", items));
  }

  /** {@code POST /api/v1/keys/{id}:revoke}: 204; unknown or foreign id 404; already revoked 409. */
  Reply post(Call call) {
    Context ctx = call.http();
    ApiKey admin = Requests.requireUnscopedAdmin(call, "key management");
    String rest = ctx.path().substring(BASE.length() + 1);
    if (!rest.endsWith(":revoke")) {
      throw Problem.badRequest("unknown action; expected " + BASE + "/{id}:revoke");
    }
    String id = rest.substring(0, rest.length() - ":revoke".length());
    if (!id.matches("[0-9a-f]{16}")) {
      throw new Problem(404, "Not Found", "no such key");
    }
    call.about(id);
    ApiKeys.StoredKey k = keys.find(id)
        .filter(s -> operator(admin) || s.tenant().equals(admin.tenant()))
        .orElseThrow(() -> new Problem(404, "Not Found", "no such key"));
    if (k.revokedAt().isPresent() || !keys.revoke(id)) {
      throw new Problem(409, "Conflict", "the key is already revoked");
    }
    return Reply.empty(204);
  }

  private static boolean operator(ApiKey key) {
    return Requests.isOperator(key);
  }

}
