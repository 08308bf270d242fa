package com.lanonasis.secrets.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code /api/v1/secrets} handlers. Names travel in the path unencoded ({@code /} included);
 * sub-resources and actions follow the name after a colon ({@code prod/db:versions}), which cannot
 * clash with a name because {@code :} is not a name character.
 */
final class SecretRoutes {
  static final String BASE = "/api/v1/secrets";
  /** The request attribute naming the secret (or the list prefix) for the audit entry; set once it is validated. */
  static final String AUDIT_NAME = "lanonasis.auditName";
  private static final Set<String> BODY_FIELDS = Set.of("key", "value", "expectedVersion", "description", "labels");

  private final ObjectMapper json;
  private final Function<String, SecretStore> stores;

  SecretRoutes(ObjectMapper json, Function<String, SecretStore> stores) {
    this.json = json;
    this.stores = stores;
  }

  static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  // ---- POST /api/v1/secrets ----------------------------------------------------------------------

  void put(Context ctx) throws IOException {
    ApiKey key = SecretsServer.principal(ctx);
    requireWrite(key);
    requireJson(ctx);
    JsonNode body = parse(utf8Body(ctx));
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!BODY_FIELDS.contains(field)) {
        // Not named: a detail never quotes the request.
        throw Problem.badRequest("unknown field; expected key, value, expectedVersion, description, labels");
      }
    }
    String name = text(body, "key", true);
    String value = text(body, "value", true);
    checkName(name);
    ctx.attribute(AUDIT_NAME, name);
    visible(key, name);
    PutOptions options = PutOptions.upsert();
    JsonNode expected = body.get("expectedVersion");
    if (expected != null && !expected.isNull()) {
      if (!expected.isIntegralNumber() || !expected.canConvertToLong() || expected.asLong() < 0) {
        throw Problem.badRequest("expectedVersion must be an integer >= 0 (0: must not exist yet)");
      }
      options = options.expectVersion(expected.asLong());
    }
    String description = text(body, "description", false);
    Map<String, String> labels = labels(body.get("labels"));
    if (description != null || labels != null) {
      SecretAttributes attributes;
      try {
        attributes = new SecretAttributes(description == null ? "" : description, labels == null ? Map.of() : labels,
            Optional.empty());
      } catch (InvalidInputException e) {
        // The api's message quotes a bad label key; a detail never quotes the request.
        throw Problem.badRequest("description: at most " + SecretAttributes.MAX_DESCRIPTION + " characters; labels: "
            + "at most " + SecretAttributes.MAX_LABELS + ", keys [a-z0-9][a-z0-9._-]{0,62}, values at most "
            + SecretAttributes.MAX_LABEL_VALUE + " characters; no control characters in either");
      }
      options = options.withAttributes(attributes);
    }
    VersionInfo written;
    try (SecretValue v = SecretValue.ofUtf8(value)) {
      written = stores.apply(key.tenant()).put(name, v, options);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", written.name().value());
    out.put("version", written.version());
    out.put("createdAt", time(written.createdAt()));
    send(ctx, written.version() == 1 ? 201 : 200, out);
  }

  // ---- GET /api/v1/secrets -----------------------------------------------------------------------

  void list(Context ctx) throws IOException {
    ApiKey key = SecretsServer.principal(ctx);
    String requested = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
    if (requested.length() > SecretName.MAX_LENGTH || !requested.matches("[A-Za-z0-9._/-]*")) {
      // ListOptions would refuse it too, quoting it; a detail never quotes the request.
      throw Problem.badRequest("prefix must be at most " + SecretName.MAX_LENGTH + " characters of [A-Za-z0-9._/-]");
    }
    ctx.attribute(AUDIT_NAME, requested);
    int limit = ListOptions.DEFAULT_LIMIT;
    String rawLimit = ctx.queryParam("limit");
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > ListOptions.MAX_LIMIT) {
        throw Problem.badRequest("limit must be an integer from 1 to " + ListOptions.MAX_LIMIT);
      }
    }
    String prefix;
    if (requested.startsWith(key.namePrefix())) {
      prefix = requested;
    } else if (key.namePrefix().startsWith(requested)) {
      prefix = key.namePrefix();
    } else {
      prefix = null;
    }
    ListOptions options = new ListOptions(prefix == null ? requested : prefix, limit, Optional.empty());
    String cursor = ctx.queryParam("cursor");
    if (cursor != null) {
      options = options.after(cursor);
    }
    Page<SecretMetadata> page = prefix == null ? new Page<>(List.of(), Optional.empty())
        : stores.apply(key.tenant()).list(options);
    List<Map<String, Object>> items = new ArrayList<>();
    for (SecretMetadata m : page.items()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("key", m.name().value());
      item.put("version", m.currentVersion());
      item.put("createdAt", time(m.createdAt()));
      item.put("updatedAt", time(m.updatedAt()));
      item.put("description", m.attributes().description());
      item.put("labels", m.attributes().labels());
      m.attributes().expiresAt().ifPresent(e -> item.put("expiresAt", time(e)));
      items.add(item);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    page.nextCursor().ifPresent(c -> out.put("nextCursor", c));
    send(ctx, 200, out);
  }

  // ---- /api/v1/secrets/{key}[:action] ------------------------------------------------------------

  void get(Context ctx) throws IOException {
    Target t = target(ctx, false);
    if (t.action.equals("versions")) {
      List<Map<String, Object>> versions = new ArrayList<>();
      for (VersionInfo v : stores.apply(t.key.tenant()).versions(t.name)) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("version", v.version());
        item.put("createdAt", time(v.createdAt()));
        item.put("destroyed", v.destroyed());
        versions.add(item);
      }
      send(ctx, 200, Map.of("key", t.name, "versions", versions));
      return;
    }
    noAction(t);
    SecretStore store = stores.apply(t.key.tenant());
    String version = ctx.queryParam("version");
    try (Secret s = version == null ? store.get(t.name) : store.get(t.name, version(version))) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("key", s.name().value());
      out.put("value", s.value().asUtf8());
      out.put("version", s.version());
      out.put("createdAt", time(s.createdAt()));
      send(ctx, 200, out);
    }
  }

  void delete(Context ctx) {
    Target t = target(ctx, true);
    noAction(t);
    stores.apply(t.key.tenant()).delete(t.name);
    ctx.status(204);
  }

  void post(Context ctx) {
    Target t = target(ctx, true);
    SecretStore store = stores.apply(t.key.tenant());
    switch (t.action) {
      case "restore" -> store.restore(t.name);
      case "destroy" -> {
        String version = ctx.queryParam("version");
        if (version == null) {
          store.destroy(t.name);
        } else {
          store.destroy(t.name, version(version));
        }
      }
      default -> throw new Problem(405, "Method Not Allowed",
          "POST takes " + BASE + " (write) or " + BASE + "/{key}:restore or :destroy");
    }
    ctx.status(204);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private record Target(ApiKey key, String name, String action) {}

  private Target target(Context ctx, boolean write) {
    ApiKey key = SecretsServer.principal(ctx);
    String rest = ctx.path().substring(BASE.length() + 1);
    if (rest.indexOf('%') >= 0) {
      throw Problem.badRequest("percent-encoded characters are not allowed in a secret name");
    }
    String action = "";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      action = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!Set.of("versions", "restore", "destroy").contains(action)) {
        throw Problem.badRequest("unknown action; expected :versions, :restore or :destroy");
      }
    }
    checkName(rest);
    ctx.attribute(AUDIT_NAME, rest);
    if (write) {
      // Before visibility, as for POST /secrets: a read-only key gets 403 inside and outside its
      // prefix alike, so a name outside still answers exactly like a missing one inside.
      requireWrite(key);
    }
    visible(key, rest);
    return new Target(key, rest, action);
  }

  private static void noAction(Target t) {
    if (!t.action.isEmpty()) {
      throw new Problem(405, "Method Not Allowed", "wrong method for :" + t.action);
    }
  }

  private static void checkName(String name) {
    if (!SecretName.isValid(name)) {
      throw Problem.badRequest("invalid secret name: segments of [A-Za-z0-9._-] joined by '/', 1 to "
          + SecretName.MAX_LENGTH + " characters, no empty, '.' or '..' segment");
    }
  }

  /** Outside the key's prefix reads exactly like a missing secret, so existence does not leak. */
  private static void visible(ApiKey key, String name) {
    if (!key.allows(name)) {
      throw Problem.notFound();
    }
  }

  private static void requireWrite(ApiKey key) {
    if (!key.role().canWrite()) {
      throw new Problem(403, "Forbidden", "this API key is read-only");
    }
  }

  private static void requireJson(Context ctx) {
    String type = ctx.contentType();
    String base = type == null ? "" : type.split(";", 2)[0].trim();
    if (!base.equalsIgnoreCase("application/json")) {
      throw new Problem(415, "Unsupported Media Type", "the body must be application/json");
    }
  }

  /**
   * The body as strict UTF-8, the only encoding of JSON (RFC 8259): Jackson alone would decode
   * overlong forms and guess UTF-16 or UTF-32 from the first bytes. A body Jetty cannot read (a
   * broken chunked encoding) is the client's error, not the server's.
   */
  static String utf8Body(Context ctx) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(ctx.bodyAsBytes())).toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("the body is not valid UTF-8");
    } catch (IOException e) {
      throw Problem.badRequest("the body could not be read");
    }
  }

  private JsonNode parse(String body) {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input, which may hold the value: say nothing of it.
      throw Problem.badRequest("the body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw Problem.badRequest("'" + field + "' is required");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw Problem.badRequest("'" + field + "' must be a string");
    }
    return n.textValue();
  }

  private static Map<String, String> labels(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw Problem.badRequest("'labels' must be an object of strings");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw Problem.badRequest("'labels' must be an object of strings");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static long version(String raw) {
    try {
      long v = Long.parseLong(raw);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Problem.badRequest("version must be an integer >= 1");
  }

  /** Microseconds, as the record stores keep them, so a write and a later read show the same instant. */
  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private void send(Context ctx, int status, Object body) throws IOException {
    ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
  }
}
