package com.lanonasis.secrets.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.TenantKeyManager.DataKeyStatus;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealPosition;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.http.WireFormat.BadResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON of the keyset administration answers, read strictly: a missing member is a {@link
 * BadResponse}.
 */
final class KeysetWire {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KeysetWire() {}

  /**
   * A page of {@code GET /api/v1/keysets}: its statuses and the tenant to continue after, if any.
   */
  record KeysetPage(List<KeysetStatus> items, Optional<String> next) {}

  static KeysetStatus status(byte[] body) {
    return status(WireFormat.tree(body));
  }

  static KeysetPage page(byte[] body) {
    JsonNode n = WireFormat.tree(body);
    List<KeysetStatus> items = new ArrayList<>();
    for (JsonNode item : array(n, "items")) {
      items.add(status(object(item)));
    }
    JsonNode next = n.get("next");
    return new KeysetPage(
        List.copyOf(items),
        next == null || next.isNull() ? Optional.empty() : Optional.of(WireFormat.text(n, "next")));
  }

  static MasterKeyUsage masterKeys(byte[] body) {
    JsonNode n = WireFormat.tree(body);
    Map<Integer, Long> keysets = new LinkedHashMap<>();
    for (JsonNode item : array(n, "items")) {
      keysets.put(keyId(object(item), "id"), count(item, "keysets"));
    }
    return new MasterKeyUsage(keyId(n, "primaryKeyId"), keysets, count(n, "unopenableKeysets"));
  }

  static boolean destroyed(byte[] body) {
    JsonNode v = WireFormat.tree(body).get("wasLive");
    if (v == null || !v.isBoolean()) {
      throw new BadResponse("'wasLive' is missing or not a boolean");
    }
    return v.booleanValue();
  }

  static ResealReport reseal(byte[] body) {
    JsonNode n = WireFormat.tree(body);
    Map<Integer, Long> from = new LinkedHashMap<>();
    JsonNode f = n.get("fromKeyIds");
    if (f == null || !f.isObject()) {
      throw new BadResponse("'fromKeyIds' is missing or not an object");
    }
    for (Map.Entry<String, JsonNode> e : f.properties()) {
      int id;
      try {
        id = Integer.parseUnsignedInt(e.getKey());
      } catch (NumberFormatException x) {
        throw new BadResponse("a key of 'fromKeyIds' is not a key id");
      }
      if (!e.getValue().canConvertToLong()
          || !e.getValue().isIntegralNumber()
          || e.getValue().asLong() < 0) {
        throw new BadResponse("a count of 'fromKeyIds' is not a count");
      }
      from.put(id, e.getValue().asLong());
    }
    JsonNode r = n.get("resumeAfter");
    Optional<ResealPosition> resume = Optional.empty();
    if (r != null && !r.isNull()) {
      object(r);
      String name = WireFormat.text(r, "name");
      if (!SecretName.isValid(name)) {
        throw new BadResponse("'resumeAfter.name' is not a secret name");
      }
      long version = count(r, "version");
      if (version < 1) {
        throw new BadResponse("'resumeAfter.version' is not a version");
      }
      resume =
          Optional.of(new ResealPosition(keyId(r, "primaryKeyId"), SecretName.of(name), version));
    }
    return new ResealReport(
        WireFormat.text(n, "tenant"),
        keyId(n, "primaryKeyId"),
        count(n, "resealed"),
        count(n, "skipped"),
        count(n, "unreadable"),
        Map.copyOf(from),
        bool(n, "done"),
        resume);
  }

  /** {@code {batchSize, dryRun, resumeAfter?}} of a re-seal request. */
  static byte[] resealRequest(int batchSize, boolean dryRun, Optional<ResealPosition> resumeAfter) {
    ObjectNode body = MAPPER.createObjectNode().put("batchSize", batchSize).put("dryRun", dryRun);
    resumeAfter.ifPresent(
        p ->
            body.putObject("resumeAfter")
                .put("primaryKeyId", Integer.toUnsignedLong(p.primaryKeyId()))
                .put("name", p.name().value())
                .put("version", p.version()));
    return bytes(body);
  }

  /** {@code {confirm: tenant}} of a destroy request. */
  static byte[] destroyRequest(String tenant) {
    return bytes(MAPPER.createObjectNode().put("confirm", tenant));
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON into memory", e);
    }
  }

  private static KeysetStatus status(JsonNode n) {
    List<DataKeyStatus> keys = new ArrayList<>();
    for (JsonNode k : array(n, "keys")) {
      keys.add(new DataKeyStatus(keyId(object(k), "id"), bool(k, "primary"), count(k, "records")));
    }
    JsonNode since = n.get("primarySince");
    Optional<Instant> primarySince =
        since == null || since.isNull()
            ? Optional.empty()
            : Optional.of(
                WireFormat.instant(since.isTextual() ? since.textValue() : null, "primarySince"));
    JsonNode master = n.get("masterKeyId");
    OptionalInt masterKeyId =
        master == null || master.isNull()
            ? OptionalInt.empty()
            : OptionalInt.of(keyId(n, "masterKeyId"));
    return new KeysetStatus(
        WireFormat.text(n, "tenant"),
        count(n, "generation"),
        bool(n, "destroyed"),
        List.copyOf(keys),
        count(n, "unknownKeyRecords"),
        count(n, "primarySealed"),
        primarySince,
        masterKeyId);
  }

  private static JsonNode array(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new BadResponse("'" + field + "' is missing or not an array");
    }
    return v;
  }

  private static JsonNode object(JsonNode n) {
    if (!n.isObject()) {
      throw new BadResponse("an item is not an object");
    }
    return n;
  }

  /** A Tink key id: an unsigned 32-bit number. */
  private static int keyId(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null
        || !v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.asLong() < 0
        || v.asLong() > 0xFFFF_FFFFL) {
      throw new BadResponse("'" + field + "' is missing or not a key id");
    }
    return (int) v.asLong();
  }

  private static long count(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new BadResponse("'" + field + "' is missing or not a count");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new BadResponse("'" + field + "' is missing or not a boolean");
    }
    return v.booleanValue();
  }
}
