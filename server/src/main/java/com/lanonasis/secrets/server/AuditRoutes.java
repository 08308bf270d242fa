package com.lanonasis.secrets.server;

import com.lanonasis.secrets.audit.AuditCheckpoints;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.AuditVerification;
import io.javalin.http.Context;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * {@code GET /api/v1/audit} (entries, oldest first, paged by {@code after} = the last seq seen),
 * {@code GET /api/v1/audit/verify} (the chain check, optionally against a checkpoint) and {@code
 * GET /api/v1/audit/checkpoint} (a signed checkpoint of the newest entry), for ADMIN keys without a
 * prefix. An admin of the bootstrap tenant {@code default} (the operator) reads every entry; an
 * admin of another tenant reads only that tenant's entries, so one tenant never sees another's
 * secret names. Verification and checkpoints cover every tenant's entries and their counts show the
 * server's volume: they are the operator's. A verification reads the whole log, so one runs at a
 * time, at most one per {@value #VERIFY_INTERVAL_SECONDS} seconds (429 otherwise). Every request
 * here is audited ({@code audit.read}, {@code audit.verify}, {@code audit.checkpoint}).
 */
final class AuditRoutes {
  static final String BASE = "/api/v1/audit";
  static final String OPERATOR_TENANT = Requests.OPERATOR_TENANT;
  static final long VERIFY_INTERVAL_SECONDS = 10;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  /**
   * The reads that list names, keys, keysets or the log itself and return no value: what a
   * dashboard makes by showing its pages, hidden by {@code hideListings=true}.
   */
  static final List<String> LISTINGS =
      List.of(
          "list",
          "key.list",
          "keyset.list",
          "keyset.master",
          "audit.read",
          "audit.verify",
          "audit.checkpoint");

  private final AuditLog log;
  private final Function<String, Optional<ApiKeys.StoredKey>> keys;
  private final AuditCheckpoints checkpoints;
  private final Clock clock;
  private final ReentrantLock verifying = new ReentrantLock();
  private Instant lastVerify = Instant.MIN;

  AuditRoutes(
      AuditLog log,
      AuditCheckpoints checkpoints,
      Clock clock,
      Function<String, Optional<ApiKeys.StoredKey>> keys) {
    this.log = log;
    this.keys = keys;
    this.checkpoints = checkpoints;
    this.clock = clock;
  }

  Reply verify(Call call) throws IOException {
    Context ctx = call.http();
    requireOperator(call, "verifying the audit log");
    Optional<Long> seq =
        ctx.queryParam("seq") == null
            ? Optional.empty()
            : Optional.of(number(ctx, "seq", 0, 1, Long.MAX_VALUE));
    Optional<byte[]> hash = Optional.ofNullable(ctx.queryParam("hash")).map(AuditRoutes::hash);
    if (seq.isPresent() != hash.isPresent()) {
      throw Problem.badRequest("seq and hash go together: the checkpoint to verify against");
    }
    if (!verifying.tryLock()) {
      throw busy(ctx);
    }
    try {
      Instant now = clock.instant();
      if (now.isBefore(lastVerify.plusSeconds(VERIFY_INTERVAL_SECONDS))) {
        throw busy(ctx);
      }
      lastVerify = now;
      AuditVerification v = log.verify();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("entries", v.entries());
      boolean intact = v.intact();
      v.firstBrokenSeq().ifPresent(s -> out.put("firstBrokenSeq", s));
      if (seq.isPresent()) {
        Optional<AuditEntry> at = log.at(seq.get());
        boolean holds =
            at.isPresent()
                && MessageDigest.isEqual(at.get().hash(), hash.get())
                && v.firstBrokenSeq().map(b -> b > seq.get()).orElse(true);
        out.put("checkpoint", Map.of("seq", seq.get(), "holds", holds));
        intact &= holds;
      }
      out.put("intact", intact);
      return Reply.json(200, out);
    } finally {
      verifying.unlock();
    }
  }

  private static Problem busy(Context ctx) {
    ctx.header("Retry-After", Long.toString(VERIFY_INTERVAL_SECONDS));
    return new Problem(
        429,
        "Too Many Requests",
        "a verification reads the whole log: one at a time, at most one every "
            + VERIFY_INTERVAL_SECONDS
            + " s");
  }

  Reply checkpoint(Call call) throws IOException {
    requireOperator(call, "audit checkpoints");
    // This instance's chain: the only one whose head it knows (it writes no other).
    Optional<AuditEntry> head = log.head();
    if (head.isEmpty()) {
      throw new Problem(409, "Conflict", "this server's audit chain is empty: nothing to sign yet");
    }
    return Reply.json(200, checkpoints.sign(head.get()).json());
  }

  Reply read(Call call) throws IOException {
    Context ctx = call.http();
    ApiKey key = Requests.requireUnscopedAdmin(call, "the audit log");
    int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    boolean newestFirst = ctx.queryParam("before") != null;
    if (newestFirst && ctx.queryParam("after") != null) {
      throw Problem.badRequest("give after (oldest first) or before (newest first), not both");
    }
    long cursor =
        newestFirst
            ? number(ctx, "before", 0, 0, Long.MAX_VALUE)
            : number(ctx, "after", 0, 0, Long.MAX_VALUE);
    Optional<String> tenant =
        key.tenant().equals(OPERATOR_TENANT) ? Optional.empty() : Optional.of(key.tenant());
    AuditLog.Query query =
        new AuditLog.Query(
            tenant,
            filter(ctx, "keyId", "[0-9a-f]{16}", "16 lowercase hex digits"),
            filter(
                ctx,
                "action",
                "[a-z][a-z.]{0,15}",
                "an audited action, e.g. write or keyset.rotate"),
            filter(ctx, "name", "[A-Za-z0-9._/-]{1,256}", "a name or prefix of [A-Za-z0-9._/-]"),
            filter(
                ctx, "outcome", String.join("|", AuditLog.OUTCOMES), "one of " + AuditLog.OUTCOMES),
            instant(ctx, "from"),
            instant(ctx, "until"),
            hideListings(ctx) ? LISTINGS : List.of());
    List<AuditEntry> entries =
        log.read(
            query,
            cursor,
            newestFirst ? AuditLog.Order.NEWEST_FIRST : AuditLog.Order.OLDEST_FIRST,
            limit);
    List<Map<String, Object>> items = new ArrayList<>();
    Map<String, Optional<Map<String, Object>>> described = new HashMap<>();
    for (AuditEntry e : entries) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("seq", e.seq());
      item.put("chain", e.chain());
      item.put("chainSeq", e.chainSeq());
      item.put("time", e.time().toString());
      item.put("tenant", e.tenant().orElse(null));
      item.put("keyId", e.keyId().orElse(null));
      e.keyId()
          .flatMap(id -> described.computeIfAbsent(id, this::describeKey))
          .ifPresent(k -> item.put("key", k));
      item.put("action", e.action());
      item.put("secretName", e.secretName().orElse(null));
      item.put("outcome", e.outcome());
      item.put("clientAddress", e.clientAddress().orElse(null));
      if (e.repeated() > 0) {
        item.put("repeated", e.repeated());
      }
      item.put("prevHash", HexFormat.of().formatHex(e.prevHash()));
      item.put("hash", HexFormat.of().formatHex(e.hash()));
      items.add(item);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    if (entries.size() == limit) {
      out.put(newestFirst ? "nextBefore" : "nextAfter", entries.get(entries.size() - 1).seq());
    }
    return Reply.json(200, out);
  }

  /**
   * What the log's reader may know of the key behind an entry: its role, name prefix and whether it
   * was revoked (keys have no names); empty for a key no longer in the store.
   */
  private Optional<Map<String, Object>> describeKey(String id) {
    return keys.apply(id)
        .map(
            k -> {
              Map<String, Object> d = new LinkedHashMap<>();
              d.put("role", k.role().name());
              d.put("prefix", k.namePrefix());
              d.put("createdAt", k.createdAt().toString());
              d.put("revoked", k.revokedAt().isPresent());
              return d;
            });
  }

  private static boolean hideListings(Context ctx) {
    String v = ctx.queryParam("hideListings");
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw Problem.badRequest("hideListings must be true or false");
  }

  private static void requireOperator(Call call, String what) {
    Requests.requireOperator(
        call, what, "covers every tenant's entries (read your own tenant's with GET " + BASE + ")");
  }

  private static byte[] hash(String hex) {
    try {
      byte[] h = HexFormat.of().parseHex(hex);
      if (h.length == 32) {
        return h;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw Problem.badRequest("hash must be 64 hex digits (a SHA-256)");
  }

  /**
   * A filter parameter, if given; refused unless it matches {@code pattern} (the detail never
   * quotes it).
   */
  private static Optional<String> filter(Context ctx, String param, String pattern, String what) {
    String raw = ctx.queryParam(param);
    if (raw == null) {
      return Optional.empty();
    }
    if (!raw.matches(pattern)) {
      throw Problem.badRequest(param + " must be " + what);
    }
    return Optional.of(raw);
  }

  private static Optional<java.time.Instant> instant(Context ctx, String param) {
    String raw = ctx.queryParam(param);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.Instant.parse(raw));
    } catch (java.time.format.DateTimeParseException e) {
      throw Problem.badRequest(param + " must be an ISO-8601 UTC time, e.g. 2026-01-31T12:00:00Z");
    }
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

  @Override
  public String toString() {
    return "AuditRoutes[verify at most every " + Duration.ofSeconds(VERIFY_INTERVAL_SECONDS) + "]";
  }
}
