package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a read of a value ({@code GET /api/v1/secrets/{key}}, {@code POST …:reveal}):
 * exactly one of {@code value} (UTF-8 text) and {@code valueBase64} ({@code ?encoding=base64};
 * standard base64 on the wire). Not a holder to keep a value in: it exists to be written once (the
 * server wipes its byte array after) and its {@code toString} never shows the value.
 *
 * @param key the name
 * @param value the value as text, or {@code null}
 * @param valueBase64 the value's bytes, or {@code null}
 * @param version the version read
 * @param createdAt when that version was written, ISO-8601 UTC
 * @since 0.1
 */
// The bytes are an array because Jackson writes byte[] as base64; bodies are never compared.
@SuppressWarnings("ArrayRecordComponent")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretValueBody(
    String key,
    @Nullable String value,
    byte @Nullable [] valueBase64,
    long version,
    String createdAt) {
  /** Never the value. */
  @Override
  public String toString() {
    return "SecretValueBody[" + key + ", version " + version + ", value redacted]";
  }
}
