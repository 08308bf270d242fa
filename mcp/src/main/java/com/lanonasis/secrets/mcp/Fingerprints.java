package com.lanonasis.secrets.mcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short keyed fingerprint of a secret's value: the first 6 bytes of HMAC-SHA256, under a key
 * drawn at random when the MCP server starts and never shown, of the secret's name and its value.
 * Within one server process the same value of the same secret gives the same fingerprint, so an
 * agent can tell "the value changed between versions" without seeing it. Since the key is secret,
 * nobody can test a guess against a fingerprint offline (a plain hash of a short password would
 * give it away to a dictionary); and since the name is part of it, an agent that may write secrets
 * cannot test a guess by storing it under a name of its own and comparing. An agent that may write
 * the same name still can (write the guess as a new version, compare with an older version's
 * fingerprint): mcp/README.md says so.
 */
final class Fingerprints {
  private static final int BYTES = 6;
  private final SecretKeySpec key;

  Fingerprints() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  String of(String name, byte[] value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      // The name's length first, so that no (name, value) pair can pose as another.
      mac.update(new byte[] {(byte) (n.length >>> 8), (byte) n.length});
      mac.update(n);
      byte[] full = mac.doFinal(value);
      return "hmac-sha256:" + HexFormat.of().formatHex(full, 0, BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
