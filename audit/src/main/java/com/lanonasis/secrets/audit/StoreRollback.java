package com.lanonasis.secrets.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The start-up check that the store is still the one the audit checkpoints were signed on. The
 * checkpoints live outside the database ({@link AuditCheckpoints}), and the log only ever grows: so
 * a store whose log ends before the newest checkpoint's entry, or holds another entry at its seq,
 * was emptied, replaced or rolled back to an older copy since — a 0-byte {@code secrets.db}, a
 * backup put back, another installation's file. Such a store is refused (a fresh empty one would
 * otherwise start and print a new admin key) unless the operator acknowledges the restore; the
 * acknowledgement is then audited and a new checkpoint signed, so that the next start checks
 * against the restored store. Costs one read of one entry.
 */
public final class StoreRollback {
  public static final String AUDIT_ACTION = "store.rollback";

  private StoreRollback() {}

  /**
   * Compares the store's audit log with the newest checkpoint in {@code checkpointFile}.
   *
   * @return what was found, when {@code accept} let a rolled-back store start; empty when the store
   *     holds the newest checkpoint's entry, or there is no checkpoint yet (a first start)
   * @throws IntegrityException when the store was rolled back or replaced and {@code accept} is
   *     false
   */
  public static Optional<String> check(
      JdbcDatabase database, AuditLog log, Path checkpointFile, ObjectMapper json, boolean accept) {
    Optional<AuditCheckpoints.Checkpoint> newest = AuditCheckpoints.newestIn(checkpointFile, json);
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    AuditCheckpoints.Checkpoint c = newest.get();
    String signed =
        "the newest signed audit checkpoint ("
            + checkpointFile
            + ", entry "
            + c.seq()
            + " at "
            + c.time()
            + ")";
    String finding;
    if (!c.verify()) {
      finding =
          signed + " does not verify against the key it names: the checkpoint file was altered";
    } else {
      Optional<AuditEntry> there =
          database.hasTable("server_audit_log") ? log.at(c.seq()) : Optional.empty();
      if (there.isEmpty()) {
        long end =
            database.hasTable("server_audit_log")
                ? log.newest().map(AuditEntry::seq).orElse(0L)
                : 0L;
        finding =
            "the store's audit log ends at entry "
                + end
                + ", before "
                + signed
                + ": the store was emptied, "
                + "replaced or rolled back to an older copy since";
      } else if (!MessageDigest.isEqual(there.get().hash(), c.hash())) {
        finding =
            "the store's audit log holds another entry "
                + c.seq()
                + " than "
                + signed
                + ": the store was "
                + "replaced by another one, or its log rewritten";
      } else {
        return Optional.empty();
      }
    }
    if (!accept) {
      throw new IntegrityException(
          finding
              + ". Nothing was migrated or written to the store. If you restored the store from a backup on "
              + "purpose, start once with --accept-store-rollback ("
              + "LANONASIS_ACCEPT_STORE_ROLLBACK"
              + "=true; acceptStoreRollback() when embedded): the acceptance is written to the audit log. Otherwise "
              + "put back the store the checkpoint was signed on");
    }
    return Optional.of(finding);
  }
}
