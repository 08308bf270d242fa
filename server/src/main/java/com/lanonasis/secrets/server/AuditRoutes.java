package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/audit} (entries, oldest first, paged by {@code after} = the last seq seen) and
 * {@code GET /api/v1/audit/verify} (the chain check), for ADMIN keys only. An admin of the
 * bootstrap tenant {@code default} (the operator) reads every entry; an admin of another tenant
 * reads only that tenant's entries, so one tenant never sees another's secret names.
 */
final class AuditRoutes {
  static final String BASE = "/api/v1/audit";
  static final String OPERATOR_TENANT = "default";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final ObjectMapper json;
  private final AuditLog log;

  AuditRoutes(ObjectMapper json, AuditLog log) {
    this.json = json;
    this.log = log;
  }

  void verify(Context ctx) throws IOException {
    Requests.requireUnscopedAdmin(ctx, "the audit log");
    AuditVerification v = log.verify();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entries", v.entries());
    out.put("intact", v.intact());
    v.firstBrokenSeq().ifPresent(seq -> out.put("firstBrokenSeq", seq));
    send(ctx, out);
  }

  void read(Context ctx) throws IOException {
    ApiKey key = Requests.requireUnscopedAdmin(ctx, "the audit log");
    int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
    Optional<String> tenant = key.tenant().equals(OPERATOR_TENANT) ? Optional.empty() : Optional.of(key.tenant());
    List<AuditEntry> entries = log.read(after, limit, tenant);
    List<Map<String, Object>> items = new ArrayList<>();
    for (AuditEntry e : entries) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("seq", e.seq());
      item.put("time", e.time().toString());
      item.put("tenant", e.tenant().orElse(null));
      item.put("keyId", e.keyId().orElse(null));
      item.put("action", e.action());
      item.put("secretName", e.secretName().orElse(null));
      item.put("outcome", e.outcome());
      item.put("clientAddress", e.clientAddress().orElse(null));
      item.put("prevHash", HexFormat.of().formatHex(e.prevHash()));
      item.put("hash", HexFormat.of().formatHex(e.hash()));
      items.add(item);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    if (entries.size() == limit) {
      out.put("nextAfter", entries.get(entries.size() - 1).seq());
    }
    send(ctx, out);
  }

  private static long number(Context ctx, String param, long dflt, long min, long max) {
    String raw = ctx.queryParam(param);
    if (raw == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(raw);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Problem.badRequest(param + " must be an integer from " + min + " to " + max);
  }

  private void send(Context ctx, Object body) throws IOException {
    ctx.status(200).contentType("application/json").result(json.writeValueAsBytes(body));
  }
}
