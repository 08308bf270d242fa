package com.lanonasis.secrets.server;

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
import com.lanonasis.secrets.wire.ApiKeyFormat;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code /api/v1/secrets} handlers. Names travel in the path as they are ({@code /} included)
 * or percent-encoded once (see {@link SecretPath}); sub-resources and actions follow the name after
 * a colon ({@code prod/db:versions}), which cannot clash with a name because {@code :} is not a
 * name character. Authentication, audit and problems are the chain's (see {@link SecretsServer});
 * these handlers only read the principal and name the audited subject.
 */
final class SecretRoutes {
  static final String BASE = "/api/v1/secrets";
  private static final Set<String> BODY_FIELDS = Set.of("key", "value", "valueBase64", "expectedVersion",
      "description", "labels", "expiresAt");
  private static final Set<String> ATTRIBUTE_FIELDS = Set.of("description", "labels", "expiresAt");
  private static final Set<String> ACTIONS = Set.of("versions", "metadata", "attributes", "restore", "destroy",
      "reveal");
  private static final byte[] ETAG_LABEL = "lanonasis-etag-v1".getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper json;
  private final Function<String, SecretStore> stores;

  SecretRoutes(ObjectMapper json, Function<String, SecretStore> stores) {
    this.json = json;
    this.stores = stores;
  }

  // ---- POST /api/v1/secrets ----------------------------------------------------------------------

  void put(Context ctx) throws IOException {
    ApiKey key = Authenticator.principal(ctx);
    requireWrite(key);
    JsonNode body = Requests.jsonObject(ctx, json);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!BODY_FIELDS.contains(field)) {
        // Not named: a detail never quotes the request.
        throw Problem.badRequest("unknown field; expected key, value or valueBase64, expectedVersion, description, "
            + "labels, expiresAt");
      }
    }
    String name = Requests.text(body, "key", true);
    String value = Requests.text(body, "value", false);
    String valueBase64 = Requests.text(body, "valueBase64", false);
    if ((value == null) == (valueBase64 == null)) {
      throw Problem.badRequest("exactly one of 'value' and 'valueBase64' is required");
    }
    checkName(ctx, name);
    AuditFilter.subject(ctx, name);
    visible(key, name);
    PutOptions options = PutOptions.upsert();
    JsonNode expected = body.get("expectedVersion");
    if (expected != null && !expected.isNull()) {
      if (!expected.isIntegralNumber() || !expected.canConvertToLong() || expected.asLong() < 0) {
        throw Problem.badRequest("expectedVersion must be an integer >= 0 (0: must not exist yet)");
      }
      options = options.expectVersion(expected.asLong());
    }
    Optional<SecretAttributes> attributes = attributes(body);
    if (attributes.isPresent()) {
      options = options.withAttributes(attributes.get());
    }
    VersionInfo written;
    try (SecretValue v = value != null ? SecretValue.ofUtf8(value) : decodeBase64(valueBase64)) {
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
    ApiKey key = Authenticator.principal(ctx);
    String requested = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
    if (requested.length() > SecretName.MAX_LENGTH || !requested.matches("[A-Za-z0-9._/-]*")) {
      // ListOptions would refuse it too, quoting it; a detail never quotes the request.
      throw Problem.badRequest("prefix must be at most " + SecretName.MAX_LENGTH + " characters of [A-Za-z0-9._/-]");
    }
    AuditFilter.subject(ctx, requested);
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
    String contains = ctx.queryParam("contains");
    Page<SecretMetadata> page;
    if (contains == null) {
      page = scopedList(stores.apply(key.tenant()), key.namePrefix(), requested, limit,
          Optional.ofNullable(ctx.queryParam("cursor")));
    } else {
      if (!contains.matches("[A-Za-z0-9._/-]{1,256}")) {
        throw Problem.badRequest("contains must be 1 to 256 characters of [A-Za-z0-9._/-]");
      }
      page = containing(stores.apply(key.tenant()), key.namePrefix(), requested, contains, limit,
          Optional.ofNullable(ctx.queryParam("cursor")));
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (SecretMetadata m : page.items()) {
      items.add(metadata(m));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    page.nextCursor().ifPresent(c -> out.put("nextCursor", c));
    send(ctx, 200, out);
  }

  /**
   * One page of the names under {@code requested} that a key scoped to {@code scope} may see (see
   * {@link ApiKey#allows}): the store is only ever asked for a prefix inside the scope, so neither
   * a page nor its cursor can hold a name outside it, whatever cursor the client sends.
   */
  static Page<SecretMetadata> scopedList(SecretStore store, String scope, String requested, int limit,
      Optional<String> cursor) {
    Page<SecretMetadata> none = new Page<>(List.of(), Optional.empty());
    if (scope.isEmpty() || scope.endsWith("/")) {
      String prefix = requested.startsWith(scope) ? requested : scope.startsWith(requested) ? scope : null;
      return prefix == null ? none : store.list(options(prefix, limit, cursor));
    }
    // A scope without a trailing '/' covers the name itself and the names under it, but not
    // "prod2/x" or "production": the name first (it sorts before "prod/..."), then "prod/...".
    String under = scope + "/";
    if (requested.startsWith(under)) {
      return store.list(options(requested, limit, cursor));
    }
    if (!under.startsWith(requested)) {
      return none;
    }
    if (cursor.isPresent() || requested.equals(under)) {
      return store.list(options(under, limit, cursor));
    }
    Page<SecretMetadata> first = store.list(options(scope, 1, Optional.empty()));
    boolean exists = !first.items().isEmpty() && first.items().get(0).name().value().equals(scope);
    if (!exists) {
      return store.list(options(under, limit, Optional.empty()));
    }
    if (limit == 1) {
      // The store's cursor after the name itself is after it under "prod/" too ("prod" < "prod/...").
      return new Page<>(first.items(), first.nextCursor());
    }
    Page<SecretMetadata> rest = store.list(options(under, limit - 1, Optional.empty()));
    List<SecretMetadata> items = new ArrayList<>(first.items());
    items.addAll(rest.items());
    return new Page<>(items, rest.nextCursor());
  }

  /** Names scanned for {@code contains} per request at most: a page may end with fewer matches and a cursor. */
  static final int CONTAINS_SCAN = 10_000;

  /**
   * The names under {@code requested} the key may see whose name contains {@code needle}
   * (ASCII case-insensitively), at most {@code limit}: the store's pages are read in name order
   * until {@code limit} match or {@link #CONTAINS_SCAN} names were looked at; the cursor then
   * points after the last name looked at, so the next request carries on from there.
   */
  static Page<SecretMetadata> containing(SecretStore store, String scope, String requested, String needle, int limit,
      Optional<String> cursor) {
    String lower = needle.toLowerCase(Locale.ROOT);
    List<SecretMetadata> matched = new ArrayList<>();
    int scanned = 0;
    Optional<String> at = cursor;
    while (true) {
      Page<SecretMetadata> page = scopedList(store, scope, requested, ListOptions.MAX_LIMIT, at);
      for (SecretMetadata m : page.items()) {
        scanned++;
        if (m.name().value().toLowerCase(Locale.ROOT).contains(lower)) {
          matched.add(m);
        }
        boolean last = m == page.items().get(page.items().size() - 1);
        if (matched.size() == limit || scanned >= CONTAINS_SCAN) {
          Optional<String> next = last ? page.nextCursor() : Optional.of(ListOptions.cursorAfter(m.name()));
          return new Page<>(List.copyOf(matched), next);
        }
      }
      if (page.nextCursor().isEmpty()) {
        return new Page<>(List.copyOf(matched), Optional.empty());
      }
      at = page.nextCursor();
    }
  }

  private static ListOptions options(String prefix, int limit, Optional<String> cursor) {
    ListOptions options = new ListOptions(prefix, limit, Optional.empty());
    return cursor.isPresent() ? options.after(cursor.get()) : options;
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
    if (t.action.equals("metadata")) {
      send(ctx, 200, metadata(stores.apply(t.key.tenant()).metadata(t.name)));
      return;
    }
    noAction(t);
    SecretStore store = stores.apply(t.key.tenant());
    String version = ctx.queryParam("version");
    boolean base64 = base64Encoding(ctx.queryParam("encoding"));
    // Read first, then compare: a deleted, destroyed or expired secret answers 404, never 304.
    try (Secret s = version == null ? store.get(t.name) : store.get(t.name, version(version))) {
      String etag = etag(s.name(), s.version(), base64);
      ctx.header("ETag", etag);
      ctx.header("Cache-Control", "no-store");
      if (matches(ctx.header("If-None-Match"), etag)) {
        ctx.status(304);
        return;
      }
      sendValue(ctx, s, base64);
    }
  }

  /**
   * {@code POST {key}:reveal} with {@code {}} or {@code {"version": N}}: the value, as a read
   * answers it, audited as {@code reveal} — what the dashboard asks when a person clicks Reveal or
   * Copy, so the log tells a deliberate look from a program's read. Never cached (no ETag).
   */
  private void reveal(Context ctx, Target t) throws IOException {
    long version = 0;
    if (ctx.bodyAsBytes().length > 0) {
      JsonNode body = Requests.jsonObject(ctx, json);
      for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
        if (!it.next().equals("version")) {
          throw Problem.badRequest("unknown field; expected version");
        }
      }
      JsonNode v = body.get("version");
      if (v != null && !v.isNull()) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
          throw Problem.badRequest("'version' must be a positive integer");
        }
        version = v.asLong();
      }
    }
    SecretStore store = stores.apply(t.key.tenant());
    try (Secret s = version == 0 ? store.get(t.name) : store.get(t.name, version)) {
      ctx.header("Cache-Control", "no-store");
      sendValue(ctx, s, base64Encoding(ctx.queryParam("encoding")));
    }
  }

  private void sendValue(Context ctx, Secret s, boolean base64) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", s.name().value());
    byte[] raw = base64 ? s.value().bytes() : null;
    if (base64) {
      out.put("valueBase64", raw); // Jackson writes a byte[] as standard base64, padded
    } else {
      out.put("value", s.value().asUtf8());
    }
    out.put("version", s.version());
    out.put("createdAt", time(s.createdAt()));
    try {
      send(ctx, 200, out);
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }


  void delete(Context ctx) {
    Target t = target(ctx, true);
    noAction(t);
    stores.apply(t.key.tenant()).delete(t.name);
    ctx.status(204);
  }

  void post(Context ctx) throws IOException {
    if (SecretPath.of(ctx).action().equals("reveal")) {
      reveal(ctx, target(ctx, false));
      return;
    }
    Target t = target(ctx, true);
    SecretStore store = stores.apply(t.key.tenant());
    switch (t.action) {
      case "attributes" -> {
        JsonNode body = Requests.jsonObject(ctx, json);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!ATTRIBUTE_FIELDS.contains(field)) {
            throw Problem.badRequest("unknown field; expected description, labels, expiresAt");
          }
        }
        SecretAttributes attributes = attributes(body).orElse(SecretAttributes.none());
        send(ctx, 200, metadata(store.updateAttributes(t.name, attributes)));
        return;
      }
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
          "POST takes " + BASE + " (write) or " + BASE + "/{key}:attributes, :restore, :destroy or :reveal");
    }
    ctx.status(204);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private record Target(ApiKey key, String name, String action) {}

  private Target target(Context ctx, boolean write) {
    ApiKey key = Authenticator.principal(ctx);
    SecretPath path = SecretPath.of(ctx);
    if (path.problem().isPresent()) {
      throw path.problem().get();
    }
    if (!path.action().isEmpty() && !ACTIONS.contains(path.action())) {
      throw Problem.badRequest("unknown action; expected :versions, :metadata, :attributes, :restore, :destroy or "
          + ":reveal");
    }
    String name = path.name();
    checkName(ctx, name);
    AuditFilter.subject(ctx, name);
    if (write) {
      // Before visibility, as for POST /secrets: a read-only key gets 403 inside and outside its
      // prefix alike, so a name outside still answers exactly like a missing one inside.
      requireWrite(key);
    }
    visible(key, name);
    return new Target(key, name, path.action());
  }

  private static void noAction(Target t) {
    if (!t.action.isEmpty()) {
      throw new Problem(405, "Method Not Allowed", "wrong method for :" + t.action);
    }
  }

  private static void checkName(Context ctx, String name) {
    if (ApiKeyFormat.contains(name)) {
      // Recorded with the key reduced to its id, so the audit entry says which key to revoke.
      String redacted = Authenticator.redact(name);
      if (redacted.length() <= SecretName.MAX_LENGTH && redacted.matches("[\\x21-\\x7e]+")) {
        AuditFilter.subject(ctx, redacted);
      }
      throw Problem.badRequest("the name holds an API key; keys go only in the Authorization header. Treat that "
          + "key as leaked and revoke it").code(Problem.INVALID_NAME);
    }
    if (!SecretName.isValid(name)) {
      throw Problem.badRequest("invalid secret name: segments of [A-Za-z0-9._-] joined by '/', 1 to "
          + SecretName.MAX_LENGTH + " characters, no empty, '.' or '..' segment").code(Problem.INVALID_NAME);
    }
  }

  /** Outside the key's prefix reads exactly like a missing secret, so existence does not leak. */
  private static void visible(ApiKey key, String name) {
    if (!key.allows(name)) {
      throw Problem.notFound();
    }
  }

  static void requireWrite(ApiKey key) {
    if (!key.role().canWrite()) {
      throw new Problem(403, "Forbidden", "this API key is read-only");
    }
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

  /**
   * The attributes a body sets: when any of description, labels and expiresAt is given, all three
   * are replaced (one not given becomes empty, or no expiry); when none is, empty.
   */
  private static Optional<SecretAttributes> attributes(JsonNode body) {
    String description = Requests.text(body, "description", false);
    Map<String, String> labels = labels(body.get("labels"));
    String expiresAt = Requests.text(body, "expiresAt", false);
    if (description == null && labels == null && expiresAt == null) {
      return Optional.empty();
    }
    Optional<Instant> expiry = Optional.empty();
    if (expiresAt != null) {
      try {
        expiry = Optional.of(Instant.parse(expiresAt));
      } catch (DateTimeParseException e) {
        throw Problem.badRequest("'expiresAt' must be an ISO-8601 UTC time such as 2030-01-31T12:00:00Z");
      }
    }
    try {
      return Optional.of(new SecretAttributes(description == null ? "" : description,
          labels == null ? Map.of() : labels, expiry));
    } catch (InvalidInputException e) {
      // The api's message quotes a bad label key; a detail never quotes the request.
      throw Problem.badRequest("description: at most " + SecretAttributes.MAX_DESCRIPTION + " characters; labels: "
          + "at most " + SecretAttributes.MAX_LABELS + ", keys [a-z0-9][a-z0-9._-]{0,62}, values at most "
          + SecretAttributes.MAX_LABEL_VALUE + " characters; no control characters in either")
          .code(Problem.INVALID_INPUT);
    }
  }

  private static SecretValue decodeBase64(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes a character of the value: say nothing of it.
      throw Problem.badRequest("'valueBase64' is not valid base64 (RFC 4648, standard alphabet)");
    }
    try {
      return SecretValue.of(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static Map<String, Object> metadata(SecretMetadata m) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("key", m.name().value());
    item.put("version", m.currentVersion());
    item.put("createdAt", time(m.createdAt()));
    item.put("updatedAt", time(m.updatedAt()));
    item.put("description", m.attributes().description());
    item.put("labels", m.attributes().labels());
    m.attributes().expiresAt().ifPresent(e -> item.put("expiresAt", time(e)));
    return item;
  }

  private static boolean base64Encoding(String encoding) {
    if (encoding == null || encoding.equals("utf8")) {
      return false;
    }
    if (encoding.equals("base64")) {
      return true;
    }
    throw Problem.badRequest("encoding must be utf8 (the default) or base64");
  }

  /**
   * A strong validator of one representation: a version of a secret never changes, so (name,
   * version, encoding) identifies the bytes sent. Hashed, so it says nothing about the value, and
   * tenant-independent, which is safe because a client caches per tenant.
   */
  static String etag(SecretName name, long version, boolean base64) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ETAG_LABEL);
      sha.update((byte) 0);
      sha.update(name.value().getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(Long.toString(version).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update((byte) (base64 ? 'b' : 'u'));
      return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 18)) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** RFC 9110 If-None-Match: {@code *} or a list of entity tags, compared weakly (a W/ prefix is ignored). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** Microseconds, as the record stores keep them, so a write and a later read show the same instant. */
  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private void send(Context ctx, int status, Object body) throws IOException {
    ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
  }
}
