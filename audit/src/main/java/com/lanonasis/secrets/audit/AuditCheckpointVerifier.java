package com.lanonasis.secrets.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Proves, outside the server, that an audit log still holds a checkpointed entry and every entry
 * before it in its chain, unchanged: the checkpoint's Ed25519 signature is checked (against a
 * pinned public key when one is given), then the entries are read oldest first, those of the
 * checkpoint's chain (see {@link AuditLog}) taken from its first, each hash recomputed from its
 * fields with the documented encoding and linked to the one before, up to the checkpoint's place in
 * the chain, whose entry must be the checkpoint's. A v1 checkpoint names the legacy chain. It
 * trusts nothing the log says about itself: not its own hashes, not the server's verification. What
 * {@code lanonasis audit verify --checkpoint FILE} runs, on entries read over the API or from the
 * database.
 *
 * <p>What it detects, in the checkpoint's chain: any entry at or before the checkpoint deleted,
 * changed, reordered or replaced, the whole chain rewritten consistently, entries deleted from the
 * tail below the checkpoint, and their places reused. What it cannot: changes to entries after the
 * newest checkpoint you kept (keep one often), to other chains (verify each chain's newest
 * checkpoint: every server instance signs its own), or anything done by someone who also holds the
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
   * against the entries {@code fromFirst} yields, oldest first (all chains; those of other chains
   * are passed over).
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
    String chain = c.chain();
    String which = chain.isEmpty() ? "entry " : "entry of chain " + chain + " at place ";
    byte[] prev = new byte[32];
    long expected = 1;
    long checked = 0;
    while (expected <= c.chainSeq()) {
      AuditEntry e = null;
      while (fromFirst.hasNext()) {
        AuditEntry next = fromFirst.next();
        if (next.chain().equals(chain)) {
          e = next;
          break;
        }
      }
      if (e == null) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            checked,
            "the chain ends at "
                + which
                + (expected - 1)
                + ", before the checkpoint's "
                + c.chainSeq()
                + ": entries were deleted from its tail");
      }
      if (e.chainSeq() != expected) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            checked,
            which + expected + " is missing (the next " + "one is " + e.chainSeq() + ")");
      }
      if (!MessageDigest.isEqual(e.prevHash(), prev)
          || !MessageDigest.isEqual(e.hash(), AuditLog.hash(e))) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            checked,
            which
                + expected
                + " (seq "
                + e.seq()
                + ") does not check: its "
                + "fields or its link to the entry before it were changed");
      }
      prev = e.hash();
      checked++;
      if (expected == c.chainSeq() && e.seq() != c.seq()) {
        return new Result(
            false,
            c.seq(),
            c.keyId(),
            checked,
            which
                + expected
                + " has seq "
                + e.seq()
                + ", not the checkpoint's "
                + c.seq()
                + ": its sequence numbers were reused");
      }
      expected++;
    }
    if (!MessageDigest.isEqual(prev, c.hash())) {
      return new Result(
          false,
          c.seq(),
          c.keyId(),
          checked,
          "entry "
              + c.seq()
              + " is not the one the checkpoint "
              + "signed: the chain up to it was rewritten, or its sequence numbers reused");
    }
    return new Result(
        true,
        c.seq(),
        c.keyId(),
        checked,
        "the log holds entry "
            + c.seq()
            + " as signed, and every entry before it"
            + (chain.isEmpty() ? "" : " in its chain " + chain)
            + ", unchanged");
  }
}
