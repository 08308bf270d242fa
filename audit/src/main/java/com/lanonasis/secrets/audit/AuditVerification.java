package com.lanonasis.secrets.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link AuditLog#verify()}: how many entries the log holds and, if the chain is
 * broken, the {@code seq} of the first entry that does not check out (its hash does not match its
 * fields, its {@code prev_hash} does not match the entry before it, or its {@code seq} does not
 * follow the one before it — a deleted row shows up as the entry after the gap).
 *
 * @since 0.1
 */
public record AuditVerification(long entries, Optional<Long> firstBrokenSeq) {
  public AuditVerification {
    Objects.requireNonNull(firstBrokenSeq, "firstBrokenSeq");
  }

  public boolean intact() {
    return firstBrokenSeq.isEmpty();
  }
}
