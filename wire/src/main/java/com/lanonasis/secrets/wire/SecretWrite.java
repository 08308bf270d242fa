package com.lanonasis.secrets.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/secrets}: an upsert. Exactly one of {@code value} (UTF-8 text)
 * and {@code valueBase64} (bytes, RFC 4648 standard alphabet) is given; a component that is absent
 * on the wire is {@code null} here. When any of description, labels and expiresAt is given, all
 * three are replaced.
 *
 * @param key the secret's name
 * @param value the value as text, or {@code null}
 * @param valueBase64 the value as base64, or {@code null}
 * @param expectedVersion check-and-set: the version the secret must be at (0: must not exist yet),
 *     or {@code null}
 * @param description or {@code null}
 * @param labels or {@code null}
 * @param expiresAt an ISO-8601 UTC instant, or {@code null}
 * @since 0.1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretWrite(
    String key,
    @Nullable String value,
    @Nullable String valueBase64,
    @Nullable Long expectedVersion,
    @Nullable String description,
    @Nullable Map<String, String> labels,
    @Nullable String expiresAt) {
  /** Never the value. */
  @Override
  public String toString() {
    return "SecretWrite[" + key + ", value redacted]";
  }
}
