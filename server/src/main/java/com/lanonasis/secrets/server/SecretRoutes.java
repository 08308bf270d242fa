package com.lanonasis.secrets.server;

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
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import com.lanonasis.secrets.wire.SecretAttributesWrite;
import com.lanonasis.secrets.wire.SecretList;
import com.lanonasis.secrets.wire.SecretMetadataBody;
import com.lanonasis.secrets.wire.SecretReveal;
import com.lanonasis.secrets.wire.SecretValueBody;
import com.lanonasis.secrets.wire.SecretVersions;
import com.lanonasis.secrets.wire.SecretWrite;
import com.lanonasis.secrets.wire.SecretWritten;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /api/v1/secrets} handlers. Names travel in the path as they are ({@code /} included)
 * or percent-encoded once (see {@link SecretPath}); sub-resources and actions follow the name after
 * a colon ({@code prod/db:versions}), which cannot clash with a name because {@code :} is not a
 * name character. Authentication, audit and problems are the chain's (see {@link SecretsServer});
 * these handlers only read the principal and name the audited subject.
 */
final class SecretRoutes {
  static final String BASE = "/api/v1/secrets";
  private static final Set<String> ACTIONS =
      Set.of("versions", "metadata", "attributes", "restore", "destroy", "reveal");
  private static final byte[] ETAG_LABEL = "lanonasis-etag-v1".getBytes(StandardCharsets.US_ASCII);

  /** The most names one {@code :batchGet} may ask for. */
  static final int MAX_BATCH = 100;

  static final String BATCH_GET = BASE + ":batchGet";

  /** The body of a batch read (the OpenAPI document's {@code BatchGetRequest}). */
  record BatchGetRequest(@Nullable List<String> names) {}

  /**
   * The answer to a batch read: the values read and the names that could not be, each in the
   * request's order. An error is the problem the single read of that name would have answered, with
   * the name added as {@code key}.
   */
  record BatchGetReply(List<SecretValueBody> secrets, List<Map<String, Object>> errors) {
    @Override
    public String toString() {
      return "BatchGetReply[" + secrets.size() + " values redacted, " + errors.size() + " errors]";
    }
  }

  private final ObjectMapper json;
  private final Function<String, SecretStore> stores;

  SecretRoutes(ObjectMapper json, Function<String, SecretStore> stores) {
    this.json = json;
    this.stores = stores;
  }

  // ---- POST /api/v1/secrets
  // ----------------------------------------------------------------------

  Reply put(Call call) {
    KeyScopedStore store = store(call);
    store.requireWritable();
    SecretWrite body =
        Requests.body(
            call.http(),
            json,
            SecretWrite.class,
            "key, value or valueBase64, " + "expectedVersion, description, labels, expiresAt");
    String name = body.key();
    if (name == null) {
      throw Problem.badRequest("'key' is required");
    }
    if ((body.value() == null) == (body.valueBase64() == null)) {
      throw Problem.badRequest("exactly one of 'value' and 'valueBase64' is required");
    }
    checkName(call, name);
    call.about(name);
    PutOptions options = PutOptions.upsert();
    if (body.expectedVersion() != null) {
      if (body.expectedVersion() < 0) {
        throw Problem.badRequest("expectedVersion must be an integer >= 0 (0: must not exist yet)");
      }
      options = options.expectVersion(body.expectedVersion());
    }
    Optional<SecretAttributes> attributes =
        attributes(body.description(), body.labels(), body.expiresAt());
    if (attributes.isPresent()) {
      options = options.withAttributes(attributes.get());
    }
    VersionInfo written;
    try (SecretValue v =
        body.value() != null
            ? SecretValue.ofUtf8(body.value())
            : decodeBase64(body.valueBase64())) {
      written = store.put(name, v, options);
    }
    return Reply.json(
        written.version() == 1 ? 201 : 200,
        new SecretWritten(written.name().value(), written.version(), time(written.createdAt())));
  }

  // ---- GET /api/v1/secrets
  // -----------------------------------------------------------------------

  Reply list(Call call) {
    Context ctx = call.http();
    KeyScopedStore store = store(call);
    String requested = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
    if (requested.length() > SecretName.MAX_LENGTH || !requested.matches("[A-Za-z0-9._/-]*")) {
      // ListOptions would refuse it too, quoting it; a detail never quotes the request.
      throw Problem.badRequest(
          "prefix must be at most " + SecretName.MAX_LENGTH + " characters of [A-Za-z0-9._/-]");
    }
    call.about(requested);
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
      page = store.list(options(requested, limit, Optional.ofNullable(ctx.queryParam("cursor"))));
    } else {
      if (!contains.matches("[A-Za-z0-9._/-]{1,256}")) {
        throw Problem.badRequest("contains must be 1 to 256 characters of [A-Za-z0-9._/-]");
      }
      page =
          store.listContaining(
              requested, contains, limit, Optional.ofNullable(ctx.queryParam("cursor")));
    }
    List<SecretMetadataBody> items = new ArrayList<>();
    for (SecretMetadata m : page.items()) {
      items.add(metadata(m));
    }
    return Reply.json(200, new SecretList(items, page.nextCursor().orElse(null)));
  }

  private static ListOptions options(String prefix, int limit, Optional<String> cursor) {
    ListOptions options = new ListOptions(prefix, limit, Optional.empty());
    return cursor.isPresent() ? options.after(cursor.get()) : options;
  }

  // ---- /api/v1/secrets/{key}[:action]
  // ------------------------------------------------------------

  Reply get(Call call) throws IOException {
    Target t = target(call, false);
    Context ctx = call.http();
    if (t.action.equals("versions")) {
      List<SecretVersions.Version> versions = new ArrayList<>();
      for (VersionInfo v : t.store.versions(t.name)) {
        versions.add(new SecretVersions.Version(v.version(), time(v.createdAt()), v.destroyed()));
      }
      return Reply.json(200, new SecretVersions(t.name, versions));
    }
    if (t.action.equals("metadata")) {
      return Reply.json(200, metadata(t.store.metadata(t.name)));
    }
    noAction(t);
    SecretStore store = t.store;
    String version = ctx.queryParam("version");
    boolean base64 = base64Encoding(ctx.queryParam("encoding"));
    // Read first, then compare: a deleted, destroyed or expired secret answers 404, never 304.
    try (Secret s = version == null ? store.get(t.name) : store.get(t.name, version(version))) {
      String etag = etag(s.name(), s.version(), base64);
      Reply reply =
          matches(ctx.header("If-None-Match"), etag) ? Reply.empty(304) : value(s, base64);
      return reply.header("ETag", etag).header("Cache-Control", "no-store");
    }
  }

  /**
   * {@code POST {key}:reveal} with {@code {}} or {@code {"version": N}}: the value, as a read
   * answers it, audited as {@code reveal} — what the dashboard asks when a person clicks Reveal or
   * Copy, so the log tells a deliberate look from a program's read. Never cached (no ETag).
   */
  private Reply reveal(Call call, Target t) throws IOException {
    Context ctx = call.http();
    long version = 0;
    if (ctx.bodyAsBytes().length > 0) {
      SecretReveal body = Requests.body(ctx, json, SecretReveal.class, "version");
      if (body.version() != null) {
        if (body.version() < 1) {
          throw Problem.badRequest("'version' must be a positive integer");
        }
        version = body.version();
      }
    }
    SecretStore store = t.store;
    try (Secret s = version == 0 ? store.get(t.name) : store.get(t.name, version)) {
      return value(s, base64Encoding(ctx.queryParam("encoding")))
          .header("Cache-Control", "no-store");
    }
  }

  /**
   * The value's answer, encoded here rather than by the chain: the copy of the value's bytes that
   * base64 needs is wiped as soon as it is written out.
   */
  private Reply value(Secret s, boolean base64) throws IOException {
    SecretValueBody out = valueBody(s, base64);
    try {
      return Reply.bytes(200, "application/json", json.writeValueAsBytes(out));
    } finally {
      wipe(out);
    }
  }

  /**
   * What a read answers for one secret, the single read and the batch read alike; {@link #wipe} it
   * once written.
   */
  private static SecretValueBody valueBody(Secret s, boolean base64) {
    // Jackson writes a byte[] as standard base64, padded.
    return new SecretValueBody(
        s.name().value(),
        base64 ? null : s.value().asUtf8(),
        base64 ? s.value().bytes() : null,
        s.version(),
        time(s.createdAt()));
  }

  private static void wipe(SecretValueBody written) {
    byte[] raw = written.valueBase64();
    if (raw != null) {
      Arrays.fill(raw, (byte) 0);
    }
  }

  // ---- POST /api/v1/secrets:batchGet
  // -------------------------------------------------------------

  /**
   * {@code {"names": [...]}}, 1 to {@value #MAX_BATCH} distinct valid names: each read as {@code
   * GET {key}} reads it, through the same key-scoped store (a name outside the key's prefix, or not
   * there, is a per-name 404 exactly like a missing one), and audited as that read, one entry per
   * name, all written together before the answer leaves. A name that cannot be read for a reason of
   * its own (not found, deleted, gone, denied) is a per-name error; a failure of the store itself
   * (unavailable, damaged, misconfigured) fails the whole call, as it would the single read. A body
   * that is not such a list is refused whole before anything is read.
   */
  Reply batchGet(Call call) throws IOException {
    KeyScopedStore store = store(call);
    boolean base64 = base64Encoding(call.http().queryParam("encoding"));
    BatchGetRequest body = Requests.body(call.http(), json, BatchGetRequest.class, "names");
    List<String> names = body.names();
    if (names == null || names.isEmpty() || names.size() > MAX_BATCH) {
      throw Problem.badRequest("'names' must be a list of 1 to " + MAX_BATCH + " secret names")
          .code(Problem.INVALID_INPUT);
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null) {
        throw Problem.badRequest("'names' must hold names, not null").code(Problem.INVALID_INPUT);
      }
      checkName(call, name);
      if (!seen.add(name)) {
        throw Problem.badRequest("'names' holds a name twice; ask for each name once")
            .code(Problem.INVALID_INPUT);
      }
    }
    List<SecretValueBody> secrets = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    List<Call.Entry> entries = new ArrayList<>();
    try {
      for (String name : names) {
        try (Secret s = store.get(name)) {
          secrets.add(valueBody(s, base64));
          entries.add(new Call.Entry(READ_ACTION, name, "ok"));
        } catch (SecretsException e) {
          if (!perName(e.kind())) {
            throw e;
          }
          Problem p = Problems.of(e);
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("key", name);
          error.putAll(p.body());
          errors.add(error);
          entries.add(new Call.Entry(READ_ACTION, name, p.outcome()));
        }
      }
      call.each(entries);
      return Reply.bytes(
              200, "application/json", json.writeValueAsBytes(new BatchGetReply(secrets, errors)))
          .header("Cache-Control", "no-store");
    } finally {
      secrets.forEach(SecretRoutes::wipe);
    }
  }

  /** The audited action of a read of a value, single or batched. */
  static final String READ_ACTION = "read";

  /** Whether a read failing so is that name's result in a batch, rather than the whole call's. */
  private static boolean perName(SecretsException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND, CONFLICT, GONE, DENIED -> true;
      case INVALID, UNAUTHENTICATED, UNAVAILABLE, INTEGRITY, CONFIGURATION -> false;
    };
  }

  Reply delete(Call call) {
    Target t = target(call, true);
    noAction(t);
    t.store.delete(t.name);
    return Reply.empty(204);
  }

  Reply post(Call call) throws IOException {
    if (call.secretPath().action().equals("reveal")) {
      return reveal(call, target(call, false));
    }
    Target t = target(call, true);
    SecretStore store = t.store;
    Context ctx = call.http();
    switch (t.action) {
      case "attributes" -> {
        SecretAttributesWrite body =
            Requests.body(ctx, json, SecretAttributesWrite.class, "description, labels, expiresAt");
        SecretAttributes attributes =
            attributes(body.description(), body.labels(), body.expiresAt())
                .orElse(SecretAttributes.none());
        return Reply.json(200, metadata(store.updateAttributes(t.name, attributes)));
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
      default ->
          throw new Problem(
              405,
              "Method Not Allowed",
              "POST takes "
                  + BASE
                  + " (write) or "
                  + BASE
                  + "/{key}:attributes, :restore, :destroy or :reveal");
    }
    return Reply.empty(204);
  }

  // ---- helpers
  // -------------------------------------------------------------------------------------

  private record Target(KeyScopedStore store, String name, String action) {}

  /**
   * The caller's tenant store, as its key may see it: the one place the key's role and prefix
   * apply.
   */
  private KeyScopedStore store(Call call) {
    ApiKey key = call.principal();
    return new KeyScopedStore(stores.apply(key.tenant()), key);
  }

  private Target target(Call call, boolean write) {
    KeyScopedStore store = store(call);
    SecretPath path = call.secretPath();
    if (path.problem().isPresent()) {
      throw path.problem().get();
    }
    if (!path.action().isEmpty() && !ACTIONS.contains(path.action())) {
      throw Problem.badRequest(
          "unknown action; expected :versions, :metadata, :attributes, :restore, :destroy or "
              + ":reveal");
    }
    String name = path.name();
    checkName(call, name);
    call.about(name);
    if (write) {
      // Before the body is read, as for POST /secrets; the store refuses a read-only key before it
      // looks at the prefix, so it gets 403 inside and outside its prefix alike.
      store.requireWritable();
    }
    return new Target(store, name, path.action());
  }

  private static void noAction(Target t) {
    if (!t.action.isEmpty()) {
      throw new Problem(405, "Method Not Allowed", "wrong method for :" + t.action);
    }
  }

  private static void checkName(Call call, String name) {
    if (ApiKeyFormat.contains(name)) {
      // Recorded with the key reduced to its id, so the audit entry says which key to revoke.
      String redacted = Authenticator.redact(name);
      if (redacted.length() <= SecretName.MAX_LENGTH && redacted.matches("[\\x21-\\x7e]+")) {
        call.about(redacted);
      }
      throw Problem.badRequest(
              "the name holds an API key; keys go only in the Authorization header. Treat that "
                  + "key as leaked and revoke it")
          .code(Problem.INVALID_NAME);
    }
    if (!SecretName.isValid(name)) {
      throw Problem.badRequest(
              "invalid secret name: segments of [A-Za-z0-9._-] joined by '/', 1 to "
                  + SecretName.MAX_LENGTH
                  + " characters, no empty, '.' or '..' segment")
          .code(Problem.INVALID_NAME);
    }
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
  private static Optional<SecretAttributes> attributes(
      @Nullable String description,
      @Nullable Map<String, String> labels,
      @Nullable String expiresAt) {
    if (labels != null && labels.containsValue(null)) {
      throw Problem.badRequest("'labels' must be an object of strings");
    }
    if (description == null && labels == null && expiresAt == null) {
      return Optional.empty();
    }
    Optional<Instant> expiry = Optional.empty();
    if (expiresAt != null) {
      try {
        expiry = Optional.of(Instant.parse(expiresAt));
      } catch (DateTimeParseException e) {
        throw Problem.badRequest(
            "'expiresAt' must be an ISO-8601 UTC time such as 2030-01-31T12:00:00Z");
      }
    }
    try {
      return Optional.of(
          new SecretAttributes(
              description == null ? "" : description, labels == null ? Map.of() : labels, expiry));
    } catch (InvalidInputException e) {
      // The api's message quotes a bad label key; a detail never quotes the request.
      throw Problem.badRequest(
              "description: at most "
                  + SecretAttributes.MAX_DESCRIPTION
                  + " characters; labels: "
                  + "at most "
                  + SecretAttributes.MAX_LABELS
                  + ", keys [a-z0-9][a-z0-9._-]{0,62}, values at most "
                  + SecretAttributes.MAX_LABEL_VALUE
                  + " characters; no control characters in either")
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

  private static SecretMetadataBody metadata(SecretMetadata m) {
    return new SecretMetadataBody(
        m.name().value(),
        m.currentVersion(),
        time(m.createdAt()),
        time(m.updatedAt()),
        m.attributes().description(),
        m.attributes().labels(),
        m.attributes().expiresAt().map(SecretRoutes::time).orElse(null));
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
      return '"'
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 18))
          + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * RFC 9110 If-None-Match: {@code *} or a list of entity tags, compared weakly (a W/ prefix is
   * ignored).
   */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",", -1)) {
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

  /**
   * Microseconds, as the record stores keep them, so a write and a later read show the same
   * instant.
   */
  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS).toString();
  }
}
