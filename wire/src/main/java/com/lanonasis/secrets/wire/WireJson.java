package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON mappers both ends of the API bind bodies with. What a server accepts is strict: unknown
 * properties, duplicate keys and trailing tokens make a request invalid rather than ambiguous. What
 * a client reads is strict about duplicates and trailing tokens too, but ignores properties it does
 * not know, so that a newer server can add a field without breaking older clients.
 *
 * @since 0.1
 */
public final class WireJson {
  private WireJson() {}

  /** A new mapper for requests (mappers are thread-safe once configured: keep one). */
  public static ObjectMapper mapper() {
    return base().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * A new mapper for reading responses: as {@link #mapper()}, but unknown properties are ignored.
   */
  public static ObjectMapper responseMapper() {
    return base().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * No guessing at types either: a number is not a string, {@code "5"} is not a number, {@code 1.5}
   * is not an integer and {@code ""} is not an object, each refused rather than converted.
   */
  private static ObjectMapper base() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    mapper
        .coercionConfigDefaults()
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }
}
