package com.lanonasis.secrets.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the server's audit log: who ({@code tenant}, {@code keyId} — the API key's id, never
 * the key), did what ({@code action} on {@code secretName}, or the prefix for a list), with which
 * {@code outcome}, from which client address, and the chain hashes. Never a secret value.
 *
 * @param seq position in the chain, 1, 2, 3 ... without gaps
 * @param time when the server recorded it (microsecond precision)
 * @param outcome one of {@code ok}, {@code denied}, {@code not_found}, {@code conflict}, {@code
 *     invalid}, {@code error}
 * @param prevHash the previous entry's {@code hash} (32 zero bytes for the first entry)
 * @param hash SHA-256 over this entry's canonical encoding, see {@link AuditLog}
 * @param repeated 0 for one event; otherwise how many refused authentications from the address, of
 *     this outcome, this entry stands for (they are aggregated, see {@code AuditFilter})
 * @since 0.1
 */
// The hashes are arrays: equals and hashCode below compare them by content.
@SuppressWarnings("ArrayRecordComponent")
public record AuditEntry(
    long seq,
    Instant time,
    Optional<String> tenant,
    Optional<String> keyId,
    String action,
    Optional<String> secretName,
    String outcome,
    Optional<String> clientAddress,
    byte[] prevHash,
    byte[] hash,
    long repeated) {
  public AuditEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(clientAddress, "clientAddress");
    prevHash = Objects.requireNonNull(prevHash, "prevHash").clone();
    hash = Objects.requireNonNull(hash, "hash").clone();
    if (repeated < 0) {
      throw new IllegalArgumentException("repeated must be >= 0: " + repeated);
    }
  }

  @Override
  public byte[] prevHash() {
    return prevHash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** Compares the hashes by content: a record would compare the arrays by reference. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AuditEntry e
        && e.seq == seq
        && e.time.equals(time)
        && e.tenant.equals(tenant)
        && e.keyId.equals(keyId)
        && e.action.equals(action)
        && e.secretName.equals(secretName)
        && e.outcome.equals(outcome)
        && e.clientAddress.equals(clientAddress)
        && java.util.Arrays.equals(e.prevHash, prevHash)
        && java.util.Arrays.equals(e.hash, hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seq) * 31 + java.util.Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "AuditEntry[seq="
        + seq
        + ", time="
        + time
        + ", tenant="
        + tenant.orElse("-")
        + ", keyId="
        + keyId.orElse("-")
        + ", action="
        + action
        + ", secret="
        + secretName.orElse("-")
        + ", outcome="
        + outcome
        + ", hash="
        + java.util.HexFormat.of().formatHex(hash)
        + "]";
  }
}
