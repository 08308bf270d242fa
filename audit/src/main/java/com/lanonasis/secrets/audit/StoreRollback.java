package com.lanonasis.secrets.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The start-up check that the store is still the one the audit checkpoints were signed on. The
 * checkpoints live outside the database ({@link AuditCheckpoints}), and the log only ever grows: so
 * a store where a chain ({@link AuditLog}) ends before its newest checkpoint's entry, or holds
 * another entry at its place, was emptied, replaced or rolled back to an older copy since — a
 * 0-byte {@code secrets.db}, a backup put back, another installation's file. Such a store is
 * refused (a fresh empty one would otherwise start and print a new admin key) unless the operator
 * acknowledges the restore; the acknowledgement is then audited and a new checkpoint signed, so
 * that the next start checks against the restored store. Each chain the checkpoint file names is
 * checked (one per server process that wrote checkpoints to it): one read of one entry each.
 */
public final class StoreRollback {
  public static final String AUDIT_ACTION = "store.rollback";

  private StoreRollback() {}

  /**
   * Compares the store's audit log with the newest checkpoint of each chain in {@code
   * checkpointFile}.
   *
   * @return what was found, when {@code accept} let a rolled-back store start; empty when the store
   *     holds every chain's newest checkpointed entry, or there is no checkpoint yet (a first
   *     start)
   * @throws IntegrityException when the store was rolled back or replaced and {@code accept} is
   *     false
   */
  public static Optional<String> check(
      JdbcDatabase database, AuditLog log, Path checkpointFile, ObjectMapper json, boolean accept) {
    Optional<String> finding = Optional.empty();
    for (AuditCheckpoints.Checkpoint c :
        AuditCheckpoints.newestPerChainIn(checkpointFile, json).values()) {
      finding = finding(database, checkpointFile, c);
      if (finding.isPresent()) {
        break;
      }
    }
    if (finding.isEmpty()) {
      return Optional.empty();
    }
    if (!accept) {
      throw new IntegrityException(
          finding.get()
              + ". Nothing was migrated or written to the store. If you restored the store from a backup on "
              + "purpose, start once with --accept-store-rollback ("
              + "LANONASIS_ACCEPT_STORE_ROLLBACK"
              + "=true; acceptStoreRollback() when embedded): the acceptance is written to the audit log. Otherwise "
              + "put back the store the checkpoint was signed on");
    }
    return finding;
  }

  private static Optional<String> finding(
      JdbcDatabase database, Path checkpointFile, AuditCheckpoints.Checkpoint c) {
    String signed =
        "the newest signed audit checkpoint ("
            + checkpointFile
            + ", entry "
            + c.seq()
            + (c.chain().isEmpty() ? "" : " of chain " + c.chain())
            + " at "
            + c.time()
            + ")";
    if (!c.verify()) {
      return Optional.of(
          signed + " does not verify against the key it names: the checkpoint file was altered");
    }
    boolean table = database.hasTable("server_audit_log");
    Optional<Placed> there = table ? placed(database, c.chain(), c.chainSeq()) : Optional.empty();
    if (there.isEmpty()) {
      long end = table ? end(database) : 0L;
      return Optional.of(
          "the store's audit log ends at entry "
              + end
              + ", before "
              + signed
              + ": the store was emptied, "
              + "replaced or rolled back to an older copy since");
    }
    if (!MessageDigest.isEqual(there.get().hash(), c.hash()) || there.get().seq() != c.seq()) {
      return Optional.of(
          "the store's audit log holds another entry "
              + c.seq()
              + " than "
              + signed
              + ": the store was "
              + "replaced by another one, or its log rewritten");
    }
    return Optional.empty();
  }

  /** Where an entry sits in the whole log, and its hash. */
  // Read once and compared, never kept or compared with another Placed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Placed(long seq, byte[] hash) {}

  /**
   * The entry at {@code chainSeq} of {@code chain}. This runs before the migrations, so on a table
   * that has no chains yet (migrated by an older version, or restored from an older backup) only
   * the legacy chain exists.
   */
  private static Optional<Placed> placed(JdbcDatabase database, String chain, long chainSeq) {
    return database.read(
        "read an audit entry",
        c -> {
          boolean chains;
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT * FROM server_audit_log WHERE 1 = 0");
              ResultSet rs = ps.executeQuery()) {
            chains = false;
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              chains |= rs.getMetaData().getColumnName(i).equalsIgnoreCase("chain_seq");
            }
          }
          String sql;
          if (chain.isEmpty()) {
            sql =
                chains
                    ? "SELECT seq, hash FROM server_audit_log WHERE seq = ? AND chain = ''"
                    : "SELECT seq, hash FROM server_audit_log WHERE seq = ?";
          } else if (chains) {
            sql = "SELECT seq, hash FROM server_audit_log WHERE chain_seq = ? AND chain = ?";
          } else {
            return Optional.<Placed>empty();
          }
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, chainSeq);
            if (!chain.isEmpty()) {
              ps.setString(2, chain);
            }
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Placed(rs.getLong(1), rs.getBytes(2)))
                  : Optional.<Placed>empty();
            }
          }
        });
  }

  private static long end(JdbcDatabase database) {
    return database.read(
        "read the newest audit entry",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM server_audit_log");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }
}
