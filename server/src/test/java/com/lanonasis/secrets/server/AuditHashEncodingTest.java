package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.server.testing.RealServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit hash recomputed from the encoding server/README.md documents, written here from that
 * text and not from {@link AuditLog}: whoever verifies a log outside the server relies on the
 * document, so the server must hash exactly what it says.
 */
class AuditHashEncodingTest {
  @TempDir Path dir;

  @Test
  void everyServedEntry_hashesAsTheReadmeDocuments_includingAnAggregatedOne() throws Exception {
    RealServer started = RealServer.start(dir);
    HttpTestClient client = new HttpTestClient();
    int port = started.server().port();
    try {
      client.call(
          port,
          "POST",
          "/api/v1/secrets",
          started.adminKey(),
          "application/json",
          "{\"key\":\"app/\u00e9t\u00e9\",\"value\":\"v\"}"); // invalid name: secret_name stays
      // absent
      client.call(
          port,
          "POST",
          "/api/v1/secrets",
          started.adminKey(),
          "application/json",
          "{\"key\":\"app/db\",\"value\":\"v\"}");
      client.call(port, "GET", "/api/v1/secrets/app/db", started.adminKey(), null, null);
      for (int i = 0; i < 3; i++) {
        client.call(
            port, "GET", "/api/v1/whoami", "lns_0000000000000000_" + "A".repeat(43), null, null);
      }
      started.server().flushRefusals();
      JsonNode items =
          client
              .call(port, "GET", "/api/v1/audit?limit=1000", started.adminKey(), null, null)
              .json()
              .get("items");
      assertThat(items.size()).isGreaterThanOrEqualTo(5);
      boolean sawRepeated = false;
      byte[] prev = new byte[32];
      for (JsonNode e : items) {
        byte[] expected = documentedHash(e, prev);
        assertThat(e.get("hash").asText())
            .as("entry %s", e.get("seq"))
            .isEqualTo(HexFormat.of().formatHex(expected));
        assertThat(e.get("prevHash").asText()).isEqualTo(HexFormat.of().formatHex(prev));
        sawRepeated |= e.has("repeated");
        prev = expected;
      }
      assertThat(sawRepeated).as("an aggregated entry was among them").isTrue();
    } finally {
      started.server().close();
    }
  }

  /** server/README.md, "The hash chain", byte for byte. */
  static byte[] documentedHash(JsonNode e, byte[] prev) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String chain = e.get("chain").asText();
    if (chain.isEmpty()) {
      out.write("lanonasis-audit-v1".getBytes(StandardCharsets.US_ASCII));
    } else {
      byte[] name = chain.getBytes(StandardCharsets.UTF_8);
      out.write("lanonasis-audit-v2".getBytes(StandardCharsets.US_ASCII));
      out.write(ByteBuffer.allocate(4).putInt(name.length).array());
      out.write(name);
      out.write(ByteBuffer.allocate(8).putLong(e.get("chainSeq").asLong()).array());
    }
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(e.get("time").asText()));
    out.write(ByteBuffer.allocate(16).putLong(e.get("seq").asLong()).putLong(micros).array());
    for (String field :
        new String[] {"tenant", "keyId", "action", "secretName", "outcome", "clientAddress"}) {
      JsonNode v = e.get(field);
      if (v == null || v.isNull()) {
        out.write(0);
      } else {
        byte[] bytes = v.asText().getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.write(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.write(bytes);
      }
    }
    out.write(prev);
    if (e.has("repeated")) {
      out.write(1);
      out.write(ByteBuffer.allocate(8).putLong(e.get("repeated").asLong()).array());
    }
    return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
  }
}
