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

/**
 * The JSON of REST API v1, both ways. Values travel as base64 ({@code valueBase64},
 * {@code ?encoding=base64}) so every byte survives; they are written and read with Jackson's
 * streaming API straight between byte arrays, never through a {@code String}, and the buffers are
 * wiped after use. (Jackson's and Okio's internal buffers are recycled, not wiped: best effort.)
 *
 * <p>A response that is not what the API sends throws {@link BadResponse}, which the client turns
 * into a {@link com.lanonasis.secrets.BackendUnavailableException} naming the operation.
 */
final class WireFormat {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private WireFormat() {}

  /** The server answered something API v1 never sends. The message says what, never quoting the body. */
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
    public void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        byte[] old = buf;
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
        Arrays.fill(old, (byte) 0);
      }
      super.write(b, off, len);
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    Transport.Body body(boolean oneShot) {
      return new Transport.Body(buf, count, oneShot);
    }
  }

  // ---- requests ------------------------------------------------------------------------------------

  /** {@code POST /api/v1/secrets}: key, valueBase64, expectedVersion and attributes when given. */
  static Transport.Body writeRequest(SecretName name, SecretValue value, PutOptions options, boolean oneShot) {
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
  static Transport.Body keyRequest(Optional<String> tenant, ApiKeyRole role, String prefix) {
    Buffer out = new Buffer(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (tenant.isPresent()) {
        g.writeStringField("tenant", tenant.get());
      }
      g.writeStringField("role", role.name());
      g.writeStringField("prefix", prefix);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    }
    return out.body(true);
  }

  /** Always description and labels, so the server replaces the attributes (and clears an absent expiry). */
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

  // ---- responses -------------------------------------------------------------------------------------

  /** A read value: {@code {key, valueBase64, version, createdAt}}. */
  record ReadValue(String key, long version, byte[] value, Instant createdAt) {}

  static ReadValue secret(byte[] body) {
    String key = null;
    Long version = null;
    byte[] value = null;
    Instant createdAt = null;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadResponse("not a JSON object");
      }
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
            value = p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      wipe(value);
      throw new BadResponse("the body is not valid JSON or 'valueBase64' is not base64");
    } catch (BadResponse e) {
      wipe(value);
      throw e;
    }
    if (key == null || version == null || value == null || createdAt == null) {
      wipe(value);
      throw new BadResponse("a value answer lacks key, valueBase64, version or createdAt");
    }
    return new ReadValue(key, version, value, createdAt);
  }

  /** {@code {key, version, createdAt}} of a write. */
  static VersionInfo written(byte[] body) {
    JsonNode n = tree(body);
    return new VersionInfo(name(n, "key"), positive(n, "version"), instant(text(n, "createdAt"), "createdAt"), false);
  }

  static SecretMetadata metadata(byte[] body) {
    return metadata(tree(body));
  }

  private static SecretMetadata metadata(JsonNode n) {
    Map<String, String> labels = new TreeMap<>();
    JsonNode l = n.get("labels");
    if (l == null || !l.isObject()) {
      throw new BadResponse("metadata lacks 'labels'");
    }
    for (Map.Entry<String, JsonNode> e : l.properties()) {
      if (!e.getValue().isTextual()) {
        throw new BadResponse("a label is not a string");
      }
      labels.put(e.getKey(), e.getValue().textValue());
    }
    JsonNode expires = n.get("expiresAt");
    Optional<Instant> expiry = expires == null || expires.isNull() ? Optional.empty()
        : Optional.of(instant(expires.asText(), "expiresAt"));
    SecretAttributes attributes;
    try {
      attributes = new SecretAttributes(text(n, "description"), labels, expiry);
    } catch (RuntimeException e) {
      throw new BadResponse("the attributes break the library's limits");
    }
    return new SecretMetadata(name(n, "key"), positive(n, "version"), instant(text(n, "createdAt"), "createdAt"),
        instant(text(n, "updatedAt"), "updatedAt"), attributes);
  }

  static Page<SecretMetadata> page(byte[] body) {
    JsonNode n = tree(body);
    JsonNode items = n.get("items");
    if (items == null || !items.isArray()) {
      throw new BadResponse("a page lacks 'items'");
    }
    List<SecretMetadata> out = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      out.add(metadata(item));
    }
    JsonNode next = n.get("nextCursor");
    return new Page<>(out, next == null || next.isNull() ? Optional.empty() : Optional.of(next.asText()));
  }

  static List<VersionInfo> versions(byte[] body, SecretName expected) {
    JsonNode n = tree(body);
    JsonNode versions = n.get("versions");
    if (!name(n, "key").equals(expected) || versions == null || !versions.isArray()) {
      throw new BadResponse("a versions answer lacks 'versions' or names another secret");
    }
    List<VersionInfo> out = new ArrayList<>(versions.size());
    for (JsonNode v : versions) {
      JsonNode destroyed = v.get("destroyed");
      if (destroyed == null || !destroyed.isBoolean()) {
        throw new BadResponse("a version lacks 'destroyed'");
      }
      out.add(new VersionInfo(expected, positive(v, "version"), instant(text(v, "createdAt"), "createdAt"),
          destroyed.booleanValue()));
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
    JsonNode n = tree(body);
    ApiKeyInfo info = keyInfo(n);
    try {
      return new NewApiKey(info, text(n, "key"));
    } catch (IllegalArgumentException e) {
      throw new BadResponse("'key' does not carry the id the answer names");
    }
  }

  /** {@code 200 {items:[{id, tenant, role, prefix, createdAt, revokedAt?}]}}. */
  static List<ApiKeyInfo> keys(byte[] body) {
    JsonNode items = tree(body).get("items");
    if (items == null || !items.isArray()) {
      throw new BadResponse("a key list lacks 'items'");
    }
    List<ApiKeyInfo> out = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw new BadResponse("a key list item is not an object");
      }
      out.add(keyInfo(item));
    }
    return List.copyOf(out);
  }

  private static ApiKeyInfo keyInfo(JsonNode n) {
    String id = text(n, "id");
    if (!ApiKeyAdminClient.isKeyId(id)) {
      throw new BadResponse("'id' is not a key id");
    }
    ApiKeyRole role;
    try {
      role = ApiKeyRole.valueOf(text(n, "role"));
    } catch (IllegalArgumentException e) {
      throw new BadResponse("'role' is not ADMIN, READ_WRITE or READ_ONLY");
    }
    JsonNode revoked = n.get("revokedAt");
    Optional<Instant> revokedAt = revoked == null || revoked.isNull() ? Optional.empty()
        : Optional.of(instant(revoked.isTextual() ? revoked.textValue() : null, "revokedAt"));
    return new ApiKeyInfo(id, text(n, "tenant"), role, text(n, "prefix"), instant(text(n, "createdAt"), "createdAt"),
        revokedAt);
  }

  /** The members of an RFC 9457 problem the client reads; all optional. */
  record Problem(Optional<String> code, Optional<String> detail, Optional<Long> currentVersion,
      Optional<Integer> size, Optional<Integer> limit, Optional<Instant> expiresAt, Optional<String> tenant) {
    static final Problem NONE = new Problem(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
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
    return new Problem(optionalText(n, "code"), optionalText(n, "detail"),
        Optional.ofNullable(n.get("currentVersion")).filter(JsonNode::canConvertToLong).map(JsonNode::asLong),
        Optional.ofNullable(n.get("size")).filter(JsonNode::canConvertToInt).map(JsonNode::asInt),
        Optional.ofNullable(n.get("limit")).filter(JsonNode::canConvertToInt).map(JsonNode::asInt),
        expiresAt, optionalText(n, "tenant").filter(TenantId::isValid));
  }

  // ---- helpers ---------------------------------------------------------------------------------------

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

  private static long positive(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw new BadResponse("'" + field + "' is missing or not a positive integer");
    }
    return v.asLong();
  }

  private static SecretName name(JsonNode n, String field) {
    String raw = text(n, field);
    if (!SecretName.isValid(raw)) {
      throw new BadResponse("'" + field + "' is not a valid secret name");
    }
    return SecretName.of(raw);
  }

  static Instant instant(String raw, String field) {
    if (raw == null) {
      throw new BadResponse("'" + field + "' is missing");
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw new BadResponse("'" + field + "' is not an ISO-8601 instant");
    }
  }

  private static void wipe(byte[] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
