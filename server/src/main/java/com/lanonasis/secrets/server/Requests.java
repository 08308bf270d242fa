package com.lanonasis.secrets.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.TenantId;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * What every route does with a request before its own work: read a JSON object body strictly,
 * take string fields from it, and check the caller may administer keys and the audit log. One
 * copy, so the secret, key and audit routes cannot drift apart on what they accept.
 */
final class Requests {
  private Requests() {}

  /** The server's one mapper: a duplicate field or trailing tokens make a body invalid, not ambiguous. */
  static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * The body as a JSON object: {@code Content-Type: application/json} (else 415), strict UTF-8,
   * valid JSON (with {@code json}'s strictness: no duplicate fields, no trailing tokens).
   */
  static JsonNode jsonObject(Context ctx, ObjectMapper json) {
    String type = ctx.contentType();
    String base = type == null ? "" : type.split(";", 2)[0].trim();
    if (!base.equalsIgnoreCase("application/json")) {
      throw new Problem(415, "Unsupported Media Type", "the body must be application/json");
    }
    JsonNode node;
    try {
      node = json.readTree(utf8Body(ctx));
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input, which may hold the value: say nothing of it.
      throw Problem.badRequest("the body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return node;
  }

  /**
   * The body as strict UTF-8, the only encoding of JSON (RFC 8259): Jackson alone would decode
   * overlong forms and guess UTF-16 or UTF-32 from the first bytes. A body Jetty cannot read (a
   * broken chunked encoding) is the client's error, not the server's.
   */
  private static String utf8Body(Context ctx) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(ctx.bodyAsBytes())).toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("the body is not valid UTF-8");
    } catch (IOException e) {
      throw Problem.badRequest("the body could not be read");
    }
  }

  /** A string field; absent or null is {@code null} unless {@code required}. */
  static String text(JsonNode body, String field, boolean required) {
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

  /** A boolean field; absent or null is false. */
  static boolean bool(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw Problem.badRequest("'" + field + "' must be true or false");
    }
    return n.booleanValue();
  }

  /** An integer field within [min, max]; {@code absent} when it is missing or null. */
  static long integer(JsonNode body, String field, long min, long max, long absent) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return absent;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
      throw Problem.badRequest("'" + field + "' must be an integer from " + min + " to " + max);
    }
    return n.asLong();
  }

  /**
   * The caller's key, if it may use {@code what} (key management, the audit log): an ADMIN key
   * without a name prefix. A scoped admin could otherwise mint an unscoped key, or read names
   * outside its prefix.
   */
  static ApiKey requireUnscopedAdmin(Context ctx, String what) {
    ApiKey key = Authenticator.principal(ctx);
    if (key.role() != Role.ADMIN) {
      throw new Problem(403, "Forbidden", what + " is for ADMIN keys only");
    }
    if (!key.namePrefix().isEmpty()) {
      throw new Problem(403, "Forbidden", what + " needs an ADMIN key without a name prefix");
    }
    return key;
  }

  static boolean isTenant(String s) {
    return TenantId.isValid(s);
  }

  /** A tenant id from a request ({@code what} names where it came from); 400 if it is not one. */
  static String checkTenant(String tenant, String what) {
    if (!TenantId.isValid(tenant)) {
      throw Problem.badRequest(what + " must be a tenant: 1 to 64 characters of [A-Za-z0-9._-]");
    }
    return tenant;
  }

  /** The tenant of the server's operator: its unscoped ADMIN keys act on every tenant. */
  static final String OPERATOR_TENANT = TenantId.DEFAULT;

  static boolean isOperator(ApiKey key) {
    return key.tenant().equals(OPERATOR_TENANT);
  }

  /**
   * The caller's key, if it is the operator's: an ADMIN key of tenant {@value #OPERATOR_TENANT}
   * without a name prefix. For what covers every tenant ({@code why} says how).
   */
  static ApiKey requireOperator(Context ctx, String what, String why) {
    ApiKey key = requireUnscopedAdmin(ctx, what);
    if (!isOperator(key)) {
      throw new Problem(403, "Forbidden", what + " " + why + ": it is for ADMIN keys of tenant '" + OPERATOR_TENANT
          + "' (the operator)");
    }
    return key;
  }
}
