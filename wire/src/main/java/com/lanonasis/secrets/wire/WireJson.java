package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

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

  /** A new mapper for reading responses: as {@link #mapper()}, but unknown properties are ignored. */
  public static ObjectMapper responseMapper() {
    return base().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static ObjectMapper base() {
    return new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
