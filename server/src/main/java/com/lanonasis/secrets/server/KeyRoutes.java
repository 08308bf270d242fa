package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.wire.ApiKeyBody;
import com.lanonasis.secrets.wire.ApiKeyCreate;
import com.lanonasis.secrets.wire.ApiKeyCreated;
import com.lanonasis.secrets.wire.ApiKeyList;
import com.lanonasis.secrets.wire.Role;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /api/v1/keys}: create, list and revoke API keys, for ADMIN keys only. An admin of the
 * operator tenant {@code default} manages every tenant's keys; an admin of another tenant only its
 * own, and another tenant's key id reads exactly like an unknown one. The full key appears only in
 * the body of the create response; the audit entry carries its id.
 */
final class KeyRoutes {
  static final String BASE = "/api/v1/keys";

  private final ObjectMapper json;
  private final ApiKeys keys;

  KeyRoutes(ObjectMapper json, ApiKeys keys) {
    this.json = json;
    this.keys = keys;
  }

  Reply create(Call call) throws IOException {
    Context ctx = call.http();
    ApiKey admin = Requests.requireUnscopedAdmin(call, "key management");
    ApiKeyCreate body = Requests.body(ctx, json, ApiKeyCreate.class, "tenant, role, prefix");
    String tenant = Optional.ofNullable(body.tenant()).orElse(admin.tenant());
    Requests.checkTenant(tenant, "tenant");
    String roleName = body.role();
    if (roleName == null) {
      throw Problem.badRequest("'role' is required: ADMIN, READ_WRITE or READ_ONLY");
    }
    Role role;
    try {
      role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("'role' must be ADMIN, READ_WRITE or READ_ONLY");
    }
    String prefix = Optional.ofNullable(body.prefix()).orElse("");
    if (!operator(admin) && !tenant.equals(admin.tenant())) {
      throw new Problem(403, "Forbidden", "an ADMIN key may create keys for its own tenant only");
    }
    String created;
    try {
      created = keys.create(tenant, role, prefix);
    } catch (IllegalArgumentException e) {
      // ApiKeys' message quotes the prefix; ours does not.
      throw Problem.badRequest(
          "prefix must be empty or a valid secret name, optionally followed by '/'");
    }
    String id = ApiKeys.idOf(created);
    call.about(id);
    ApiKeys.StoredKey stored =
        keys.find(id).orElseThrow(() -> new IllegalStateException("a key just created is missing"));
    return Reply.json(
        201,
        new ApiKeyCreated(
            id,
            created,
            stored.tenant(),
            stored.role(),
            stored.namePrefix(),
            stored.createdAt().truncatedTo(ChronoUnit.MICROS).toString()));
  }

  Reply list(Call call) throws IOException {
    ApiKey admin = Requests.requireUnscopedAdmin(call, "key management");
    List<ApiKeyBody> items = new ArrayList<>();
    for (ApiKeys.StoredKey k :
        keys.list(operator(admin) ? Optional.empty() : Optional.of(admin.tenant()))) {
      items.add(
          new ApiKeyBody(
              k.id(),
              k.tenant(),
              k.role(),
              k.namePrefix(),
              k.createdAt().toString(),
              k.revokedAt().map(Object::toString).orElse(null)));
    }
    return Reply.json(200, new ApiKeyList(items));
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
    ApiKeys.StoredKey k =
        keys.find(id)
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
