package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a schema of the OpenAPI document, for the keywords that document
 * uses: {@code $ref} (local), {@code allOf}, {@code type} (one or a list), {@code enum}, {@code
 * required}, {@code properties}, {@code additionalProperties}, {@code items}, {@code pattern},
 * {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength}, {@code minItems}/{@code
 * maxItems}. Annotations ({@code format}, {@code description}, {@code default}, {@code examples},
 * {@code contentEncoding}) are not checked; any other keyword is an error, so the document cannot
 * quietly outgrow this checker.
 */
final class JsonSchemaSubset {
  private static final Set<String> CHECKED =
      Set.of(
          "$ref",
          "allOf",
          "type",
          "enum",
          "required",
          "properties",
          "additionalProperties",
          "items",
          "pattern",
          "minimum",
          "maximum",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems");
  private static final Set<String> ANNOTATIONS =
      Set.of("format", "description", "default", "examples", "contentEncoding");

  private final JsonNode document;

  JsonSchemaSubset(JsonNode document) {
    this.document = document;
  }

  /**
   * Every way {@code value} breaks {@code schema}, each with its JSON path; empty when it conforms.
   */
  List<String> errors(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "$", out);
    return out;
  }

  private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String keyword = it.next();
      if (!CHECKED.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
        out.add(at + ": the schema uses '" + keyword + "', which this checker does not know");
      }
    }
    if (schema.has("$ref")) {
      JsonNode target = document.at(schema.get("$ref").asText().substring(1));
      if (target.isMissingNode()) {
        out.add(at + ": unresolved " + schema.get("$ref").asText());
        return;
      }
      check(target, value, at, out);
    }
    for (JsonNode part : schema.path("allOf")) {
      check(part, value, at, out);
    }
    if (schema.has("type") && !hasType(schema.get("type"), value)) {
      out.add(at + ": expected " + schema.get("type") + ", got " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        out.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (value.isTextual()) {
      String s = value.textValue();
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
        out.add(at + ": '" + s + "' does not match " + schema.get("pattern").asText());
      }
      if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
        out.add(at + ": shorter than " + schema.get("minLength"));
      }
      if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
        out.add(at + ": longer than " + schema.get("maxLength"));
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum")
          && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
        out.add(at + ": " + value + " is below " + schema.get("minimum"));
      }
      if (schema.has("maximum")
          && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
        out.add(at + ": " + value + " is above " + schema.get("maximum"));
      }
    }
    if (value.isObject()) {
      for (JsonNode name : schema.path("required")) {
        if (!value.has(name.asText())) {
          out.add(at + ": missing required '" + name.asText() + "'");
        }
      }
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String path = at + "." + field.getKey();
        if (properties.has(field.getKey())) {
          check(properties.get(field.getKey()), field.getValue(), path, out);
        } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
          out.add(path + ": not allowed (additionalProperties is false)");
        } else if (additional != null && additional.isObject()) {
          check(additional, field.getValue(), path, out);
        }
      }
    }
    if (value.isArray()
        && schema.has("minItems")
        && value.size() < schema.get("minItems").asInt()) {
      out.add(at + ": fewer than " + schema.get("minItems") + " items");
    }
    if (value.isArray()
        && schema.has("maxItems")
        && value.size() > schema.get("maxItems").asInt()) {
      out.add(at + ": more than " + schema.get("maxItems") + " items");
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
      }
    }
  }

  private static boolean hasType(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (hasType(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }
}
