package com.lanonasis.secrets.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the server's audit log: who ({@code tenant}, {@code keyId} — the API key's id, never
 * the key), did what ({@code action} on {@code secretName}, or the prefix for a list), with which
 * {@code outcome}, from which client address, and the chain hashes. Never a secret value.
 *
 * @param seq position in the whole log: unique and increasing (see {@link AuditLog} for gaps and
 *     commit order)
 * @param time when the server recorded it (microsecond precision)
 * @param outcome one of {@code ok}, {@code denied}, {@code not_found}, {@code conflict}, {@code
 *     invalid}, {@code error}
 * @param prevHash the previous entry's {@code hash} (32 zero bytes for the first entry)
 * @param hash SHA-256 over this entry's canonical encoding, see {@link AuditLog}
 * @param repeated 0 for one event; otherwise how many refused authentications from the address, of
 *     this outcome, this entry stands for (they are aggregated, see {@code AuditFilter})
 * @param chain the hash chain the entry belongs to: its writer's, or empty for the legacy chain
 *     (entries written before chains existed)
 * @param chainSeq position in its chain, 1, 2, 3 ... without gaps (for the legacy chain, {@code
 *     seq})
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
    long repeated,
    String chain,
    long chainSeq) {
  public AuditEntry {
    Objects.requireNonNull(chain, "chain");
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

  /** An entry of the legacy chain, whose place in it is {@code seq}. */
  public AuditEntry(
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
    this(
        seq,
        time,
        tenant,
        keyId,
        action,
        secretName,
        outcome,
        clientAddress,
        prevHash,
        hash,
        repeated,
        "",
        seq);
  }

  /** This entry with {@code hash} as its hash. */
  AuditEntry withHash(byte[] hash) {
    return new AuditEntry(
        seq,
        time,
        tenant,
        keyId,
        action,
        secretName,
        outcome,
        clientAddress,
        prevHash,
        hash,
        repeated,
        chain,
        chainSeq);
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
        && e.repeated == repeated
        && e.chain.equals(chain)
        && e.chainSeq == chainSeq
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
        + ", chain="
        + (chain.isEmpty() ? "legacy" : chain)
        + ", chainSeq="
        + chainSeq
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
