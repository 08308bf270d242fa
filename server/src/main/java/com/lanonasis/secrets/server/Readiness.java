package com.lanonasis.secrets.server;

import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /readyz} answers: whether a read would be answered now. A read needs the store
 * and an audit entry committed before its answer leaves (fail closed), so three checks, in order:
 *
 * <ol>
 *   <li>the store answers a real read (one tenant row, through the record store);
 *   <li>the database would take a write: on SQLite, the file system has its reserve of free space
 *       ({@link JdbcDatabase#checkWritable()}, a {@code statfs});
 *   <li>the audit log commits: its writer's last transaction did not fail. When it did (and no
 *       request has committed since, as on an idle server), the probe itself appends one entry,
 *       {@code audit.recovered}: a failed attempt leaves nothing, so the log gets one entry per
 *       outage, when it ends, and none per probe.
 * </ol>
 *
 * Why not a write that is rolled back: SQLite writes nothing to the disk until a commit, so it
 * would pass on a full disk. Why not an entry per probe: a probe every few seconds would bury the
 * log.
 *
 * <p>The answer is kept for one second: probes are not authenticated, and any number of them cost
 * the database at most one check a second. Checks run one at a time; a probe that arrives while one
 * runs waits for its result. Thread-safe.
 */
final class Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
  static final Duration KEPT = Duration.ofSeconds(1);

  private final JdbcRecordStore records;
  private final JdbcDatabase database;
  private final AuditLog auditLog;

  /** System.nanoTime() of the last check; the server's clock may be a test's fixed one. */
  private long checkedAt;

  private boolean checked;
  private Optional<String> notReady = Optional.empty();

  Readiness(JdbcRecordStore records, JdbcDatabase database, AuditLog auditLog) {
    this.records = records;
    this.database = database;
    this.auditLog = auditLog;
  }

  /** Empty when ready; otherwise what is not, in words fit for an unauthenticated caller. */
  synchronized Optional<String> check() {
    if (checked && System.nanoTime() - checkedAt < KEPT.toNanos()) {
      return notReady;
    }
    notReady = probe();
    checkedAt = System.nanoTime();
    checked = true;
    return notReady;
  }

  private Optional<String> probe() {
    try {
      records.tenants(Optional.empty(), 1);
    } catch (SecretsException e) {
      LOG.warn("not ready: {}", e.getMessage());
      return Optional.of("the store cannot be read");
    }
    try {
      database.checkWritable();
    } catch (SecretsException e) {
      return Optional.of("the store's disk is full");
    }
    if (auditLog.lastCommitFailed()) {
      try {
        auditLog.append(null, null, "audit.recovered", null, "ok", null);
      } catch (SecretsException e) {
        LOG.warn("not ready: {}", e.getMessage());
        return Optional.of("the audit log cannot be written");
      }
    }
    return Optional.empty();
  }
}
