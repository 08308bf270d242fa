package com.lanonasis.secrets.server;

import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit link of the chain: it owns the audited action (from the route table, or the {@link
 * Reply} when the handler knows it better) and the outcome (from {@link Problems}), and writes the
 * entry before the reply is sent: the handler returns its {@link Reply} to this link, which hands
 * it to the chain to send only once the entry is written. When the entry cannot be written the
 * reply (a value, for a read) is replaced by a 503 and never sent: fail closed.
 *
 * <p>Refused authentications (no key, a bad key, throttled) name no caller, so nothing but the
 * client's address ties them together, and a client could grow the log by one row per request. They
 * are aggregated per address and outcome: the first refusal of a window (one minute) is written at
 * once, the ones after it only counted, and the count is written as one entry with {@code repeated}
 * set when the window ends (at the next refusal after it, or by {@link #flush}).
 */
final class AuditFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
  static final String AUTHENTICATE = "authenticate";

  /**
   * Addresses whose refusal windows are tracked at once; beyond it the oldest window is written
   * out.
   */
  static final int MAX_WINDOWS = 10_000;

  private final AuditLog log;
  private final Problems problems;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Window> windows = new LinkedHashMap<>();

  AuditFilter(
      AuditLog log, Problems problems, ServerMetrics metrics, Clock clock, Duration window) {
    this.log = log;
    this.problems = problems;
    this.metrics = metrics;
    this.clock = clock;
    this.window = window;
  }

  /**
   * Runs an audited route's handler and records its entry, whatever the outcome; the reply is
   * returned to the chain to send only once the entry is written.
   */
  Reply run(Call call) throws Exception {
    Reply reply;
    try {
      reply = call.route().handler().handle(call);
    } catch (Exception e) {
      record(
          call, call.route().action(call), call.subject(), problems.of(e).outcome(), call.more());
      throw e;
    }
    record(
        call,
        reply.action().orElseGet(() -> call.route().action(call)),
        reply.auditSubject().or(call::subject),
        reply.outcome().orElse("ok"),
        call.more());
    return reply;
  }

  /**
   * Records a refusal made by the chain before the handler: an authentication refusal (aggregated
   * per address), or, for an authenticated request to an audited route, the route's action.
   */
  void refused(Call call, Problem refusal) {
    if (call.principalIfAny().isEmpty()) {
      refusedAuthentication(call.http().req().getRemoteAddr(), refusal.outcome());
    } else if (call.route().access() == Route.Access.AUDITED) {
      record(call, call.route().action(call), call.subject(), refusal.outcome(), call.more());
    }
  }

  /**
   * Writes a request's entries (its own, or the ones it named with {@link Call#each}, then those of
   * {@link Call#also}) in one transaction: they are committed together or not at all.
   */
  private void record(
      Call call, String action, Optional<String> subject, String outcome, List<Call.Entry> more) {
    ApiKey key = call.principalIfAny().orElse(null);
    String tenant = key == null ? null : key.tenant();
    String keyId = key == null ? null : key.id();
    String address = call.http().req().getRemoteAddr();
    List<AuditLog.Draft> drafts = new ArrayList<>(1 + more.size());
    if (call.each().isEmpty()) {
      drafts.add(
          new AuditLog.Draft(
              tenant,
              keyId,
              action,
              subject.map(Authenticator::redact).orElse(null),
              outcome,
              address));
    }
    List<Call.Entry> entries = new ArrayList<>(call.each());
    entries.addAll(more);
    for (Call.Entry entry : entries) {
      drafts.add(
          new AuditLog.Draft(
              tenant,
              keyId,
              entry.action(),
              Authenticator.redact(entry.subject()),
              entry.outcome(),
              address));
    }
    failClosed(() -> log.appendAll(drafts));
  }

  private void append(
      @Nullable String tenant,
      @Nullable String keyId,
      String action,
      @Nullable String subject,
      String outcome,
      String address,
      long repeated) {
    failClosed(() -> log.append(tenant, keyId, action, subject, outcome, address, repeated));
  }

  /** Runs a write to the log; when it fails, the answer becomes a 503 (or 500) problem. */
  private void failClosed(Runnable write) {
    try {
      write.run();
    } catch (SecretsException e) {
      metrics.auditFailure();
      if (!e.isRetryable()) {
        // A damaged database, say: "try again" would be a lie.
        LOG.error("audit entry not written, request answered 500: {}", e.getMessage());
        throw new Problem(
            500,
            "Internal Server Error",
            "the audit log could not be written (the store reported a "
                + "permanent fault; see the server log), so the result is withheld; a write may already have taken effect");
      }
      LOG.error("audit entry not written, request answered 503: {}", e.getMessage());
      throw new Problem(
          503,
          "Service Unavailable",
          "the audit log could not be written, so the result is "
              + "withheld; a write may already have taken effect");
    } catch (IllegalStateException e) {
      LOG.error("audit entry not written, request answered 503: {}", e.getMessage());
      metrics.auditFailure();
      throw new Problem(
          503,
          "Service Unavailable",
          "the audit log could not be written, so the result is "
              + "withheld; a write may already have taken effect");
    }
  }

  /** One address's refusals of one outcome in the current window. */
  private static final class Window {
    final String address;
    final String outcome;
    final Instant start;
    long suppressed;

    Window(String address, String outcome, Instant start) {
      this.address = address;
      this.outcome = outcome;
      this.start = start;
    }
  }

  private void refusedAuthentication(String address, String outcome) {
    Instant now = clock.instant();
    List<Window> due = new ArrayList<>();
    boolean first;
    synchronized (windows) {
      String k = outcome + " " + address;
      Window w = windows.get(k);
      if (w != null && now.isBefore(w.start.plus(window))) {
        w.suppressed++;
        first = false;
      } else {
        if (w != null) {
          windows.remove(k);
          due.add(w);
        }
        if (windows.size() >= MAX_WINDOWS) {
          Iterator<Window> oldest = windows.values().iterator();
          due.add(oldest.next());
          oldest.remove();
        }
        windows.put(k, new Window(address, outcome, now));
        first = true;
      }
    }
    writeSummaries(due);
    if (first) {
      append(null, null, AUTHENTICATE, null, outcome, address, 0);
    }
  }

  /** Writes the counts of every window that has ended (all of them with {@code all}). */
  void flush(boolean all) {
    Instant now = clock.instant();
    List<Window> due = new ArrayList<>();
    synchronized (windows) {
      for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
        Window w = it.next();
        if (all || !now.isBefore(w.start.plus(window))) {
          due.add(w);
          it.remove();
        }
      }
    }
    try {
      writeSummaries(due);
    } catch (Problem unwritten) {
      // logged and counted in append(); no request waits for a summary
    }
  }

  private void writeSummaries(List<Window> due) {
    for (Window w : due) {
      if (w.suppressed > 0) {
        append(null, null, AUTHENTICATE, null, w.outcome, w.address, w.suppressed);
      }
    }
  }
}
