package com.lanonasis.secrets.http;

import com.lanonasis.secrets.wire.ApiKeyFormat;
import java.util.Objects;

/**
 * A key just created by {@link ApiKeyAdminClient#create}: its {@link #info()} and the key itself,
 * which the server shows this once and never again. Not a record, so that {@link #toString()},
 * {@code equals} and {@code hashCode} never involve the key: it prints as {@code
 * NewApiKey[lns_<id>_***, ...]}.
 *
 * @since 0.1
 */
public final class NewApiKey {
  private final ApiKeyInfo info;
  private final String key;

  NewApiKey(ApiKeyInfo info, String key) {
    this.info = Objects.requireNonNull(info, "info");
    this.key = Objects.requireNonNull(key, "key");
    if (!key.startsWith(ApiKeyFormat.PREFIX + info.id() + "_")) {
      throw new IllegalArgumentException("the key does not carry the id " + info.id());
    }
  }

  /** Id, tenant, role, prefix and creation time. */
  public ApiKeyInfo info() {
    return info;
  }

  /** The key itself ({@code lns_<id>_<secret>}): hand it to its holder and keep no copy. */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return "NewApiKey[lns_"
        + info.id()
        + "_***, tenant="
        + info.tenant()
        + ", role="
        + info.role()
        + ", prefix="
        + info.prefix()
        + "]";
  }
}
