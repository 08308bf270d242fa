package com.lanonasis.secrets.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Proves, outside the server, that an audit log still holds a checkpointed entry and every entry
 * before it, unchanged: the checkpoint's Ed25519 signature is checked (against a pinned public key
 * when one is given), then the entries are read from seq 1, each hash recomputed from its fields
 * with the documented encoding ({@link AuditLog}) and linked to the one before, up to the
 * checkpoint's seq, whose hash must be the checkpoint's. It trusts nothing the log says about
 * itself: not its own hashes, not the server's verification. What {@code lanonasis audit verify
 * --checkpoint FILE} runs, on entries read over the API or from the database.
 *
 * <p>What it detects: any entry at or before the checkpoint deleted, changed, reordered or
 * replaced, the whole chain rewritten consistently, entries deleted from the tail below the
 * checkpoint, and their sequence numbers reused. What it cannot: changes to entries after the
 * newest checkpoint you kept (keep one often), or anything done by someone who also holds the
 * signing key (keep the key off the database's host and backups).
 *
 * @since 0.1
 */
public final class AuditCheckpointVerifier {
  private AuditCheckpointVerifier() {}

  /** The outcome of one verification, with a sentence saying why when it fails. */
  public record Result(
      boolean holds, long checkpointSeq, String keyId, long entriesChecked, String explanation) {
    public Result {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(explanation, "explanation");
    }
  }

  /**
   * Verifies {@code checkpoint} (its JSON, as the API serves and the checkpoint file holds it)
   * against the entries {@code fromFirst} yields, oldest first from seq 1.
   *
   * @param pinnedPublicKey the public key the checkpoint must be signed with (X.509, as in a
   *     checkpoint's {@code publicKey}); empty to accept the key the checkpoint names
   * @throws IllegalArgumentException when {@code checkpoint} is not a checkpoint
   */
  public static Result verify(
      JsonNode checkpoint, Optional<byte[]> pinnedPublicKey, Iterator<AuditEntry> fromFirst) {
    AuditCheckpoints.Checkpoint c = AuditCheckpoints.Checkpoint.fromJson(checkpoint);
    if (!c.verify()) {
      return new Result(
          false,
          c.seq(),
          c.keyId(),
          0,
          "the checkpoint's signature does not verify: it is not one " + "the key it names signed");
    }
    if (pinnedPublicKey.isPresent()
        && !MessageDigest.isEqual(pinnedPublicKey.get(), c.publicKey())) {
      return new Result(
          false,
          c.seq(),
          c.keyId(),
          0,
          "the checkpoint is signed by key "
              + c.keyId()
              + ", not by the key it must be signed with ("
              + AuditCheckpoints.keyId(pinnedPublicKey.get())
              + ")");
    }
    byte[] prev = new byte[32];
    long expected = 1;
    while (expected <= c.seq()) {
      if (!fromFirst.hasNext()) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            expected - 1,
            "the log ends at entry "
                + (expected - 1)
                + ", before the checkpoint's entry "
                + c.seq()
                + ": entries were deleted from its tail");
      }
      AuditEntry e = fromFirst.next();
      if (e.seq() != expected) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            expected - 1,
            "entry " + expected + " is missing (the next " + "one is " + e.seq() + ")");
      }
      if (!MessageDigest.isEqual(e.prevHash(), prev)
          || !MessageDigest.isEqual(e.hash(), AuditLog.hash(e))) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            expected - 1,
            "entry "
                + expected
                + " does not check: its "
                + "fields or its link to the entry before it were changed");
      }
      prev = e.hash();
      expected++;
    }
    if (!MessageDigest.isEqual(prev, c.hash())) {
      return new Result(
          false,
          c.seq(),
          c.keyId(),
          c.seq(),
          "entry "
              + c.seq()
              + " is not the one the checkpoint "
              + "signed: the chain up to it was rewritten, or its sequence numbers reused");
    }
    return new Result(
        true,
        c.seq(),
        c.keyId(),
        c.seq(),
        "the log holds entry " + c.seq() + " as signed, and every entry before it, unchanged");
  }
}
