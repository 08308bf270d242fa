package com.lanonasis.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The associated data that binds a value's ciphertext to (tenant, name, version): {@code
 * "lanonasis/secret/v1" | len(tenant) tenant | len(name) name | version}, lengths and version
 * big-endian. The label-and-tenant prefix is built once per tenant; names are ASCII by
 * construction.
 */
final class RecordAad {
  private static final byte[] LABEL = "lanonasis/secret/v1".getBytes(StandardCharsets.UTF_8);

  private final byte[] prefix;

  RecordAad(String tenant) {
    byte[] tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
    this.prefix =
        ByteBuffer.allocate(LABEL.length + 4 + tenantBytes.length)
            .put(LABEL)
            .putInt(tenantBytes.length)
            .put(tenantBytes)
            .array();
  }

  byte[] of(SecretName n, long version) {
    String name = n.value();
    int at = prefix.length;
    byte[] aad = new byte[at + 4 + name.length() + 8];
    System.arraycopy(prefix, 0, aad, 0, at);
    at = putInt(aad, at, name.length());
    for (int i = 0; i < name.length(); i++) {
      aad[at++] = (byte) name.charAt(i);
    }
    putInt(aad, at, (int) (version >>> 32));
    putInt(aad, at + 4, (int) version);
    return aad;
  }

  private static int putInt(byte[] a, int at, int v) {
    a[at] = (byte) (v >>> 24);
    a[at + 1] = (byte) (v >>> 16);
    a[at + 2] = (byte) (v >>> 8);
    a[at + 3] = (byte) v;
    return at + 4;
  }
}
