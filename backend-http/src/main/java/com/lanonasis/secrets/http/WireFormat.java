package com.lanonasis.secrets.http;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.wire.ApiKeyBody;
import com.lanonasis.secrets.wire.ApiKeyCreate;
import com.lanonasis.secrets.wire.ApiKeyCreated;
import com.lanonasis.secrets.wire.ApiKeyList;
import com.lanonasis.secrets.wire.Role;
import com.lanonasis.secrets.wire.SecretList;
import com.lanonasis.secrets.wire.SecretMetadataBody;
import com.lanonasis.secrets.wire.SecretVersions;
import com.lanonasis.secrets.wire.SecretWritten;
import com.lanonasis.secrets.wire.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of REST API v1, both ways. Values travel as base64 ({@code valueBase64}, {@code
 * ?encoding=base64}) so every byte survives; they are written and read with Jackson's streaming API
 * straight between byte arrays, never through a {@code String}, and the buffers are wiped after
 * use. (Jackson's and Okio's internal buffers are recycled, not wiped: best effort.)
 *
 * <p>A response that is not what the API sends throws {@link BadResponse}, which the client turns
 * into a {@link com.lanonasis.secrets.BackendUnavailableException} naming the operation.
 */
final class WireFormat {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  /**
   * The answers' records are read with the shared wire mapper, lenient only about members it does
   * not know.
   */
  private static final ObjectMapper RESPONSES = WireJson.responseMapper();

  private WireFormat() {}

  /**
   * The server answered something API v1 never sends. The message says what, never quoting the
   * body.
   */
  static final class BadResponse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadResponse(String message) {
      super(message, null, false, false);
    }
  }

  /** A byte buffer whose backing array can be handed over and wiped. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        byte[] old = buf;
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
        Arrays.fill(old, (byte) 0);
      }
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    Transport.Body body(boolean oneShot) {
      return new Transport.Body(buf, count, oneShot);
    }
  }

  // ---- requests
  // ------------------------------------------------------------------------------------

  /** {@code POST /api/v1/secrets}: key, valueBase64, expectedVersion and attributes when given. */
  static Transport.Body writeRequest(
      SecretName name, SecretValue value, PutOptions options, boolean oneShot) {
    Buffer out = new Buffer(value.length() * 4 / 3 + 512);
    byte[] bytes = value.bytes();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("key", name.value());
      g.writeFieldName("valueBase64");
      g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
      if (options.expectedVersion().isPresent()) {
        g.writeNumberField("expectedVersion", options.expectedVersion().getAsLong());
      }
      if (options.attributes().isPresent()) {
        attributeFields(g, options.attributes().get());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return out.body(oneShot);
  }

  /** {@code POST {key}:attributes}: all three fields, so all three are replaced. */
  static Transport.Body attributesRequest(SecretAttributes attributes) {
    Buffer out = new Buffer(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      attributeFields(g, attributes);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    }
    return out.body(true);
  }

  /** {@code POST /api/v1/keys}: role and prefix, tenant when given. */
  static Transport.Body keyRequest(Optional<String> tenant, Role role, String prefix) {
    Buffer out = new Buffer(256);
    try {
      RESPONSES.writeValue(out, new ApiKeyCreate(tenant.orElse(null), role.name(), prefix));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    }
    return out.body(true);
  }

  /**
   * Always description and labels, so the server replaces the attributes (and clears an absent
   * expiry).
   */
  private static void attributeFields(JsonGenerator g, SecretAttributes a) throws IOException {
    g.writeStringField("description", a.description());
    g.writeObjectFieldStart("labels");
    for (Map.Entry<String, String> e : a.labels().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    if (a.expiresAt().isPresent()) {
      g.writeStringField("expiresAt", a.expiresAt().get().toString());
    }
  }

  // ---- responses
  // -------------------------------------------------------------------------------------

  /** A read value: {@code {key, valueBase64, version, createdAt}}. */
  // The value is an array so that the caller can wipe it; never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record ReadValue(String key, long version, byte[] value, Instant createdAt) {}

  static ReadValue secret(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadResponse("not a JSON object");
      }
      return secret(p);
    } catch (IOException e) {
      throw new BadResponse("the body is not valid JSON or 'valueBase64' is not base64");
    }
  }

  /** One value answer, the parser on its START_OBJECT; it is left on the matching END_OBJECT. */
  private static ReadValue secret(JsonParser p) throws IOException {
    String key = null;
    Long version = null;
    byte[] value = null;
    Instant createdAt = null;
    try {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "key" -> key = p.getValueAsString();
          case "version" -> version = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
          case "createdAt" -> createdAt = instant(p.getValueAsString(), "createdAt");
          case "valueBase64" -> {
            if (t != JsonToken.VALUE_STRING) {
              throw new BadResponse("'valueBase64' is not a string");
            }
            wipe(value);
            value = p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | BadResponse e) {
      wipe(value);
      throw e;
    }
    if (key == null || version == null || value == null || createdAt == null) {
      wipe(value);
      throw new BadResponse("a value answer lacks key, valueBase64, version or createdAt");
    }
    return new ReadValue(key, version, value, createdAt);
  }

  /** {@code POST /api/v1/secrets:batchGet}: {@code {"names": [...]}}. */
  static Transport.Body batchGetRequest(List<String> names) {
    Buffer out = new Buffer(64 + names.size() * 32);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("names");
      for (String name : names) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    }
    return out.body(false);
  }

  /**
   * One name a batch read could not read: its name, status, and the problem as the single read
   * would have answered it (no value in it), for {@link ErrorMapping}.
   */
  // The problem is an array for Transport.Reply; never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record BatchError(String key, int status, byte[] problem) {}

  /** A batch read's answer: the values read and the names not read, each in the request's order. */
  record Batch(List<ReadValue> secrets, List<BatchError> errors) {
    void wipe() {
      secrets.forEach(s -> Arrays.fill(s.value(), (byte) 0));
    }
  }

  /** {@code {"secrets": [value answers], "errors": [problems with key]}}. */
  static Batch batch(byte[] body) {
    List<ReadValue> secrets = new ArrayList<>();
    List<BatchError> errors = new ArrayList<>();
    boolean sawSecrets = false;
    boolean sawErrors = false;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadResponse("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("secrets") || field.equals("errors")) {
          if (t != JsonToken.START_ARRAY) {
            throw new BadResponse("'" + field + "' is not an array");
          }
          boolean values = field.equals("secrets");
          sawSecrets |= values;
          sawErrors |= !values;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            if (values) {
              secrets.add(secret(p));
            } else {
              errors.add(batchError(p.readValueAsTree()));
            }
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadResponse("'" + field + "' holds something other than objects");
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      secrets.forEach(s -> Arrays.fill(s.value(), (byte) 0));
      throw new BadResponse("the body is not valid JSON or a 'valueBase64' is not base64");
    } catch (BadResponse e) {
      secrets.forEach(s -> Arrays.fill(s.value(), (byte) 0));
      throw e;
    }
    if (!sawSecrets || !sawErrors) {
      secrets.forEach(s -> Arrays.fill(s.value(), (byte) 0));
      throw new BadResponse("a batch answer lacks 'secrets' or 'errors'");
    }
    return new Batch(List.copyOf(secrets), List.copyOf(errors));
  }

  private static BatchError batchError(@Nullable JsonNode n) throws IOException {
    if (n == null
        || !n.isObject()
        || !n.path("key").isTextual()
        || !n.path("status").canConvertToInt()) {
      throw new BadResponse("a batch error lacks 'key' or 'status'");
    }
    int status = n.get("status").asInt();
    if (status < 400 || status > 599) {
      throw new BadResponse("a batch error's status is not an error");
    }
    return new BatchError(n.get("key").asText(), status, MAPPER.writeValueAsBytes(n));
  }

  /** {@code {key, version, createdAt}} of a write. */
  static VersionInfo written(byte[] body) {
    SecretWritten w = bind(body, SecretWritten.class);
    return new VersionInfo(
        name(w.key(), "key"),
        positive(w.version(), "version"),
        instant(w.createdAt(), "createdAt"),
        false);
  }

  static SecretMetadata metadata(byte[] body) {
    return metadata(bind(body, SecretMetadataBody.class));
  }

  private static SecretMetadata metadata(SecretMetadataBody n) {
    if (n == null) {
      throw new BadResponse("a page item is null");
    }
    if (n.labels() == null || n.labels().containsValue(null)) {
      throw new BadResponse("metadata lacks 'labels'");
    }
    Optional<Instant> expiry =
        n.expiresAt() == null ? Optional.empty() : Optional.of(instant(n.expiresAt(), "expiresAt"));
    SecretAttributes attributes;
    try {
      attributes =
          new SecretAttributes(
              required(n.description(), "description"), new TreeMap<>(n.labels()), expiry);
    } catch (RuntimeException e) {
      throw new BadResponse("the attributes break the library's limits");
    }
    return new SecretMetadata(
        name(n.key(), "key"),
        positive(n.version(), "version"),
        instant(n.createdAt(), "createdAt"),
        instant(n.updatedAt(), "updatedAt"),
        attributes);
  }

  static Page<SecretMetadata> page(byte[] body) {
    SecretList n = bind(body, SecretList.class);
    if (n.items() == null) {
      throw new BadResponse("a page lacks 'items'");
    }
    List<SecretMetadata> out = new ArrayList<>(n.items().size());
    for (SecretMetadataBody item : n.items()) {
      out.add(metadata(item));
    }
    return new Page<>(out, Optional.ofNullable(n.nextCursor()));
  }

  static List<VersionInfo> versions(byte[] body, SecretName expected) {
    SecretVersions n = bind(body, SecretVersions.class);
    if (!name(n.key(), "key").equals(expected) || n.versions() == null) {
      throw new BadResponse("a versions answer lacks 'versions' or names another secret");
    }
    List<VersionInfo> out = new ArrayList<>(n.versions().size());
    for (SecretVersions.Version v : n.versions()) {
      if (v == null) {
        throw new BadResponse("a version is null");
      }
      out.add(
          new VersionInfo(
              expected,
              positive(v.version(), "version"),
              instant(v.createdAt(), "createdAt"),
              v.destroyed()));
    }
    return List.copyOf(out);
  }

  /** {@code GET /api/v1/whoami}. */
  record Whoami(String keyId, String tenant, String role, String prefix) {}

  static Whoami whoami(byte[] body) {
    JsonNode n = tree(body);
    return new Whoami(text(n, "keyId"), text(n, "tenant"), text(n, "role"), text(n, "prefix"));
  }

  /** {@code 201 {id, key, tenant, role, prefix, createdAt}} of a key creation. */
  static NewApiKey newKey(byte[] body) {
    ApiKeyCreated n = bind(body, ApiKeyCreated.class);
    ApiKeyInfo info =
        keyInfo(new ApiKeyBody(n.id(), n.tenant(), n.role(), n.prefix(), n.createdAt(), null));
    try {
      return new NewApiKey(info, required(n.key(), "key"));
    } catch (IllegalArgumentException e) {
      throw new BadResponse("'key' does not carry the id the answer names");
    }
  }

  /** {@code 200 {items:[{id, tenant, role, prefix, createdAt, revokedAt?}]}}. */
  static List<ApiKeyInfo> keys(byte[] body) {
    ApiKeyList list = bind(body, ApiKeyList.class);
    if (list.items() == null) {
      throw new BadResponse("a key list lacks 'items'");
    }
    List<ApiKeyInfo> out = new ArrayList<>(list.items().size());
    for (ApiKeyBody item : list.items()) {
      if (item == null) {
        throw new BadResponse("a key list item is not an object");
      }
      out.add(keyInfo(item));
    }
    return List.copyOf(out);
  }

  private static ApiKeyInfo keyInfo(ApiKeyBody n) {
    String id = required(n.id(), "id");
    if (!ApiKeyAdminClient.isKeyId(id)) {
      throw new BadResponse("'id' is not a key id");
    }
    if (n.role() == null) {
      throw new BadResponse("'role' is not ADMIN, READ_WRITE or READ_ONLY");
    }
    Optional<Instant> revokedAt =
        n.revokedAt() == null ? Optional.empty() : Optional.of(instant(n.revokedAt(), "revokedAt"));
    return new ApiKeyInfo(
        id,
        required(n.tenant(), "tenant"),
        n.role(),
        required(n.prefix(), "prefix"),
        instant(n.createdAt(), "createdAt"),
        revokedAt);
  }

  /** The members of an RFC 9457 problem the client reads; all optional. */
  record Problem(
      Optional<String> code,
      Optional<String> detail,
      Optional<Long> currentVersion,
      Optional<Integer> size,
      Optional<Integer> limit,
      Optional<Instant> expiresAt,
      Optional<String> tenant) {
    static final Problem NONE =
        new Problem(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
  }

  /** The problem in a body, or {@link Problem#NONE} when it is not a readable problem. */
  static Problem problem(byte[] body) {
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (IOException e) {
      return Problem.NONE;
    }
    if (n == null || !n.isObject()) {
      return Problem.NONE;
    }
    Optional<Instant> expiresAt;
    try {
      expiresAt = optionalText(n, "expiresAt").map(Instant::parse);
    } catch (DateTimeParseException e) {
      expiresAt = Optional.empty();
    }
    return new Problem(
        optionalText(n, "code"),
        optionalText(n, "detail"),
        Optional.ofNullable(n.get("currentVersion"))
            .filter(JsonNode::canConvertToLong)
            .map(JsonNode::asLong),
        Optional.ofNullable(n.get("size")).filter(JsonNode::canConvertToInt).map(JsonNode::asInt),
        Optional.ofNullable(n.get("limit")).filter(JsonNode::canConvertToInt).map(JsonNode::asInt),
        expiresAt,
        optionalText(n, "tenant").filter(TenantId::isValid));
  }

  // ---- helpers
  // ---------------------------------------------------------------------------------------

  static JsonNode tree(byte[] body) {
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadResponse("the body is not valid JSON");
    }
    if (n == null || !n.isObject()) {
      throw new BadResponse("the body is not a JSON object");
    }
    return n;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new BadResponse("'" + field + "' is missing or not a string");
    }
    return v.textValue();
  }

  private static Optional<String> optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
  }

  /**
   * An answer bound to its wire record with {@link WireJson#responseMapper()}: members this client
   * does not know are ignored (a newer server may add some); a member of the wrong type, a
   * duplicate or trailing tokens make it malformed.
   */
  private static <T> T bind(byte[] body, Class<T> type) {
    T value;
    try {
      value = RESPONSES.readValue(body, type);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      throw new BadResponse("the body is not a JSON object of the documented members");
    } catch (IOException e) {
      throw new BadResponse("the body is not valid JSON");
    }
    if (value == null) {
      throw new BadResponse("the body is not a JSON object");
    }
    return value;
  }

  private static String required(String v, String field) {
    if (v == null) {
      throw new BadResponse("'" + field + "' is missing or not a string");
    }
    return v;
  }

  private static long positive(long v, String field) {
    if (v < 1) {
      throw new BadResponse("'" + field + "' is missing or not a positive integer");
    }
    return v;
  }

  private static SecretName name(String raw, String field) {
    required(raw, field);
    if (!SecretName.isValid(raw)) {
      throw new BadResponse("'" + field + "' is not a valid secret name");
    }
    return SecretName.of(raw);
  }

  static Instant instant(@Nullable String raw, String field) {
    if (raw == null) {
      throw new BadResponse("'" + field + "' is missing");
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw new BadResponse("'" + field + "' is not an ISO-8601 instant");
    }
  }

  private static void wipe(byte @Nullable [] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
