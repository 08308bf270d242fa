package com.lanonasis.secrets.mcp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short keyed fingerprint of a value: the first 6 bytes of HMAC-SHA256 under a key drawn at
 * random when the MCP server starts and never shown. Equal values give equal fingerprints within
 * one server process, so an agent can tell "these two secrets hold the same value" or "the value
 * changed" without seeing it; and since the key is secret, nobody can test a guess against a
 * fingerprint (a plain hash of a short password would give it away to a dictionary).
 */
final class Fingerprints {
  private static final int BYTES = 6;
  private final SecretKeySpec key;

  Fingerprints() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  String of(byte[] value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] full = mac.doFinal(value);
      return "hmac-sha256:" + HexFormat.of().formatHex(full, 0, BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
