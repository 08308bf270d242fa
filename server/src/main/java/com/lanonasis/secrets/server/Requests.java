package com.lanonasis.secrets.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.wire.Role;
import com.lanonasis.secrets.wire.WireJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What every route does with a request before its own work: bind a JSON body to its record strictly
 * ({@link #body}), and check the caller may administer keys and the audit log. One copy, so the
 * secret, key and audit routes cannot drift apart on what they accept.
 */
final class Requests {
  private Requests() {}

  /**
   * The server's one mapper, shared with the clients ({@link WireJson#mapper()}): an unknown
   * property, a duplicate field, trailing tokens or a value of the wrong type make a body invalid,
   * not ambiguous.
   */
  static ObjectMapper mapper() {
    return WireJson.mapper();
  }

  /**
   * The body bound to a wire record of {@code type}, with the checks of {@link #jsonObject}; 400
   * when a property is unknown ({@code expected} lists the known ones) or of the wrong type. A
   * detail never quotes the request: an unknown property is not named, a mistyped one is (it is one
   * of ours).
   */
  static <T extends Record> T body(Context ctx, ObjectMapper json, Class<T> type, String expected) {
    String text = utf8Body(requireJson(ctx));
    T value;
    try {
      value = json.readValue(text, type);
    } catch (UnrecognizedPropertyException e) {
      // Nested (in an import's entry, a reseal's position): named by where it is, never by itself.
      throw Problem.badRequest(
          e.getPath().size() > 1 && e.getPath().get(0).getFieldName() != null
              ? "unknown field in '"
                  + e.getPath().get(0).getFieldName()
                  + "'; see the API description"
              : "unknown field; expected " + expected);
    } catch (MismatchedInputException e) {
      List<JsonMappingException.Reference> path = e.getPath();
      if (path.isEmpty() || path.get(0).getFieldName() == null) {
        throw Problem.badRequest(
            e.getMessage() != null && e.getMessage().startsWith("Trailing token")
                ? "the body is not valid JSON"
                : "the body must be a JSON object");
      }
      String field = path.get(0).getFieldName();
      throw Problem.badRequest("'" + field + "' must be " + kind(type, field));
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input, which may hold the value: say nothing of it.
      throw Problem.badRequest("the body is not valid JSON");
    }
    if (value == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return value;
  }

  /** What a record component of this type holds, in the words of a 400's detail. */
  private static String kind(Class<? extends Record> type, String field) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(field)) {
        Class<?> t = c.getType();
        if (t == String.class) {
          return "a string";
        }
        if (t == Long.class || t == long.class || t == Integer.class || t == int.class) {
          return "an integer";
        }
        if (t == Boolean.class || t == boolean.class) {
          return "true or false";
        }
        if (Map.class.isAssignableFrom(t)) {
          return "an object of strings";
        }
        if (List.class.isAssignableFrom(t)) {
          return "an array";
        }
        return "an object";
      }
    }
    return "of the documented type";
  }

  private static Context requireJson(Context ctx) {
    String type = ctx.contentType();
    String base = type == null ? "" : type.split(";", 2)[0].trim();
    if (!base.equalsIgnoreCase("application/json")) {
      throw new Problem(415, "Unsupported Media Type", "the body must be application/json");
    }
    return ctx;
  }

  /**
   * The body as a JSON object: {@code Content-Type: application/json} (else 415), strict UTF-8,
   * valid JSON (with {@code json}'s strictness: no duplicate fields, no trailing tokens).
   */
  static JsonNode jsonObject(Context ctx, ObjectMapper json) {
    JsonNode node;
    try {
      node = json.readTree(utf8Body(requireJson(ctx)));
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
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(ctx.bodyAsBytes()))
          .toString();
    } catch (IOException e) {
      // One catch, because javac sees only the decoder's CharacterCodingException here: Javalin
      // (Kotlin) throws Jetty's IOException for a broken body without declaring it.
      throw e instanceof CharacterCodingException
          ? Problem.badRequest("the body is not valid UTF-8")
          : Problem.badRequest("the body could not be read");
    }
  }

  /**
   * The caller's key, if it may use {@code what} (key management, the audit log): an ADMIN key
   * without a name prefix. A scoped admin could otherwise mint an unscoped key, or read names
   * outside its prefix.
   */
  static ApiKey requireUnscopedAdmin(Call call, String what) {
    ApiKey key = call.principal();
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
  static ApiKey requireOperator(Call call, String what, String why) {
    ApiKey key = requireUnscopedAdmin(call, what);
    if (!isOperator(key)) {
      throw new Problem(
          403,
          "Forbidden",
          what
              + " "
              + why
              + ": it is for ADMIN keys of tenant '"
              + OPERATOR_TENANT
              + "' (the operator)");
    }
    return key;
  }
}
