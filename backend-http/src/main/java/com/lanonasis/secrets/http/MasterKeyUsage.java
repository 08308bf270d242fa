package com.lanonasis.secrets.http;

import java.util.Map;

/**
 * The server's master keyring and what it wraps, from {@code GET /api/v1/master-keys}.
 *
 * @param primaryKeyId the master key new tenant keysets are wrapped with
 * @param keysets for every master key id of the server's keyring (in its order), how many live
 *     tenant keysets it wraps; a key whose count is 0 may leave the keyring
 * @param unopenable live tenant keysets no master key of the server's keyring opens
 * @since 0.1
 */
public record MasterKeyUsage(int primaryKeyId, Map<Integer, Long> keysets, long unopenable) {
  public MasterKeyUsage {
    keysets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keysets));
  }
}
