package com.lanonasis.secrets.audit;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.jdbc.DatabaseKind;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The server's tamper-evident audit log, in the {@code server_audit_log} table of the store's own
 * database. The server only ever INSERTs and SELECTs it.
 *
 * <p>Each entry's {@code hash} is SHA-256 over this canonical encoding (all integers big-endian):
 *
 * <pre>
 *   "lanonasis-audit-v1"                                    (ASCII domain tag, 18 bytes)
 *   seq (8 bytes) · time_us (8 bytes)
 *   tenant · key_id · action · secret_name · outcome · client_address, each as
 *       0x00                                         when absent, or
 *       0x01 · length (4 bytes) · UTF-8 bytes        when present
 *   prev_hash (32 bytes)
 *   and, only for an entry that stands for repeated refusals (repeated &gt; 0):
 *   0x01 · repeated (8 bytes)
 * </pre>
 *
 * Every variable field is length-prefixed and absent differs from empty, so no two different
 * entries share an encoding; {@code prev_hash} has a fixed length, so the optional trailer cannot
 * be confused with it, and entries without it hash as they always did. The first entry's {@code
 * prev_hash} is 32 zero bytes.
 *
 * <p>Appends are grouped: concurrent requests' entries are written together, one transaction per
 * group, by one writer thread (see {@link #append}), which serialises the appends of this process.
 * Across processes: on PostgreSQL, where several server instances may share the database, each
 * group's transaction first takes a transaction-scoped advisory lock (a row lock could not do it:
 * on an empty table there is no row, and {@code FOR UPDATE} would need the UPDATE privilege the
 * server's role must not have); on SQLite the write transaction itself ({@code BEGIN IMMEDIATE})
 * excludes every other writer; H2 is one process. {@code seq} is the primary key, so even a writer
 * that bypassed all of them could not fork the chain — its insert would fail, and is retried on the
 * new last entry.
 *
 * <p>Thread-safe. Failures are {@link BackendUnavailableException} with the SQLState only.
 *
 * @since 0.1
 */
public final class AuditLog {
  public static final List<String> OUTCOMES =
      List.of("ok", "denied", "not_found", "conflict", "invalid", "throttled", "error");
  private static final byte[] DOMAIN = "lanonasis-audit-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GENESIS = new byte[32];
  private static final String COLUMNS =
      "seq, time_us, tenant, key_id, action, secret_name, outcome, client_address, prev_hash, hash, repeated";
  private static final String INSERT =
      "INSERT INTO server_audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int RETRIES = 3;
  private static final int MAX_BATCH = 256;

  /**
   * The advisory lock key of audit appends on PostgreSQL: "lnsaudit" in ASCII, an arbitrary
   * constant.
   */
  private static final long ADVISORY_LOCK = 0x6c6e736175646974L;

  private final JdbcDatabase database;
  private final Clock clock;

  /** How long a request waits for its entry's commit before it is answered 503. */
  private static final long COMMIT_WAIT_SECONDS = 30;

  /**
   * Groups of entries waiting for the writer: one {@link #append}'s single entry, or one {@link
   * #appendAll}'s drafts, which are never split across transactions.
   */
  private final BlockingQueue<List<Pending>> queue = new LinkedBlockingQueue<>();

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * Whether the writer's last transaction failed: until one commits again, the log is not
   * committable.
   */
  private volatile boolean lastCommitFailed;

  private @Nullable Thread writer;

  /**
   * A statement that serialises appenders across processes, or null where one process is all there
   * is.
   */
  private final @Nullable String serialise;

  private final String last;

  public AuditLog(JdbcDatabase database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    DatabaseKind kind = database.kind();
    // Several instances on one PostgreSQL: the in-process lock does not reach across them, and on
    // an empty table FOR UPDATE locks nothing, so the transaction first takes an advisory lock.
    this.serialise =
        kind == DatabaseKind.POSTGRESQL
            ? "SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")"
            : null;
    this.last =
        "SELECT seq, hash FROM server_audit_log WHERE seq = (SELECT MAX(seq) FROM server_audit_log)";
  }

  /**
   * Appends one entry and returns it once it is committed.
   *
   * <p>Group commit: the entry joins a queue; one writer thread takes everything queued (up to
   * {@value #MAX_BATCH} entries), writes it in one transaction, in queue order, and then releases
   * the requests of that batch. A caller returns only after the transaction holding its own entry
   * has committed, and fails if that transaction failed — so fail-closed holds per request while
   * concurrent requests share one commit. Callers wait on their own entry, never on a lock: while a
   * batch commits, the next one gathers, and a committed batch releases all its callers at once.
   *
   * @throws BackendUnavailableException when the entry could not be written (or not within 30 s)
   * @throws IntegrityException when the database is damaged (not retryable)
   * @throws IllegalStateException after {@link #close()}
   */
  public AuditEntry append(
      @Nullable String tenant,
      @Nullable String keyId,
      String action,
      @Nullable String secretName,
      String outcome,
      @Nullable String clientAddress) {
    return append(tenant, keyId, action, secretName, outcome, clientAddress, 0);
  }

  /**
   * As {@link #append(String, String, String, String, String, String)}, for an entry standing for
   * {@code repeated} events.
   */
  public AuditEntry append(
      @Nullable String tenant,
      @Nullable String keyId,
      String action,
      @Nullable String secretName,
      String outcome,
      @Nullable String clientAddress,
      long repeated) {
    Pending mine = new Pending(tenant, keyId, action, secretName, outcome, clientAddress, repeated);
    return commit(List.of(mine)).get(0);
  }

  /**
   * One entry to be appended by {@link #appendAll}: the fields of {@link #append(String, String,
   * String, String, String, String)}.
   */
  public record Draft(
      @Nullable String tenant,
      @Nullable String keyId,
      String action,
      @Nullable String secretName,
      String outcome,
      @Nullable String clientAddress) {
    public Draft {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * Appends several entries in one transaction, in order, and returns them once it has committed:
   * for one request about several names (a batch read), whose entries must stand or fall together.
   * They are written as one group of the writer (never split across transactions, though other
   * requests' entries may share it) and fail together, as {@link #append} fails.
   *
   * @throws IllegalArgumentException if {@code drafts} is empty or an outcome is unknown
   * @throws BackendUnavailableException when the entries could not be written (or not within 30 s)
   * @throws IntegrityException when the database is damaged (not retryable)
   * @throws IllegalStateException after {@link #close()}
   */
  public List<AuditEntry> appendAll(List<AuditLog.Draft> drafts) {
    if (drafts.isEmpty()) {
      throw new IllegalArgumentException("no audit entries to append");
    }
    List<Pending> group = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      group.add(
          new Pending(
              d.tenant(),
              d.keyId(),
              d.action(),
              d.secretName(),
              d.outcome(),
              d.clientAddress(),
              0));
    }
    return commit(List.copyOf(group));
  }

  /** Queues one group and waits until the transaction holding it has committed or failed. */
  private List<AuditEntry> commit(List<Pending> group) {
    for (Pending p : group) {
      Objects.requireNonNull(p.action, "action");
      if (!OUTCOMES.contains(p.outcome)) {
        throw new IllegalArgumentException("unknown audit outcome: " + p.outcome);
      }
    }
    if (closed) {
      throw new IllegalStateException("the audit log is closed");
    }
    startWriter();
    queue.add(group);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMIT_WAIT_SECONDS);
    List<AuditEntry> out = new ArrayList<>(group.size());
    for (Pending mine : group) {
      try {
        if (!mine.committed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          throw new BackendUnavailableException(
              "the audit log did not commit within " + COMMIT_WAIT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendUnavailableException("interrupted while waiting for the audit log", e);
      }
      AuditEntry entry = mine.entry;
      if (entry == null) {
        // A fresh exception per caller: one instance thrown on many threads would share its trace.
        if (mine.damaged != null) {
          throw new IntegrityException(mine.damaged);
        }
        throw new BackendUnavailableException(
            "could not write the audit log (SQLState " + mine.sqlState + ")");
      }
      out.add(entry);
    }
    return List.copyOf(out);
  }

  private void startWriter() {
    if (started.compareAndSet(false, true)) {
      writer = new Thread(this::writeBatches, "lanonasis-audit-writer");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /**
   * The writer thread: batch after batch, until closed and drained. Never dies of a failed batch.
   */
  private void writeBatches() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        List<Pending> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.addAll(first);
        // Whole groups only: a group that would overflow the batch waits for the next one (a
        // group larger than the batch is written alone).
        for (List<Pending> next;
            (next = queue.peek()) != null && batch.size() + next.size() <= MAX_BATCH; ) {
          batch.addAll(queue.remove());
        }
        write(batch);
      } catch (InterruptedException e) {
        if (closed && queue.isEmpty()) {
          return;
        }
      } catch (RuntimeException | Error e) {
        lastCommitFailed = true;
        for (Pending p : batch) {
          p.fail("?");
        }
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Writes what is queued, then stops the writer thread: call after the last request that may
   * append has finished. Appends after this fail.
   */
  public void close() {
    closed = true;
    Thread w = writer;
    if (w != null) {
      try {
        w.join(TimeUnit.SECONDS.toMillis(COMMIT_WAIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (List<Pending> group; (group = queue.poll()) != null; ) {
      group.forEach(p -> p.fail("closed"));
    }
  }

  /**
   * Writes a batch and marks each of its entries done (with its entry, or the failure's SQLState).
   */
  private void write(List<Pending> batch) {
    String sqlState = "?";
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      try {
        List<AuditEntry> written =
            database.write("append to the audit log", c -> appendOnce(c, batch));
        lastCommitFailed = false;
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).succeed(written.get(i));
        }
        return;
      } catch (BackendUnavailableException e) {
        sqlState =
            e.getCause() instanceof SQLException sqle ? String.valueOf(sqle.getSQLState()) : "?";
        // 23505: another writer took this seq (another instance); read the new last entry again.
        if (!"23505".equals(sqlState)) {
          break;
        }
      } catch (IntegrityException e) {
        // A damaged database: permanent, and said so to every caller of the batch.
        for (Pending p : batch) {
          p.damaged = e.getMessage();
          p.fail("damaged");
        }
        return;
      } catch (RuntimeException e) {
        break;
      }
    }
    lastCommitFailed = true;
    for (Pending p : batch) {
      p.fail(sqlState);
    }
  }

  /**
   * Whether the last group of entries failed to commit (a full disk, a database gone): while so,
   * every request that must be audited is refused. Cleared by the next commit that succeeds.
   */
  public boolean lastCommitFailed() {
    return lastCommitFailed;
  }

  private List<AuditEntry> appendOnce(java.sql.Connection c, List<Pending> batch)
      throws SQLException {
    if (serialise != null) {
      try (PreparedStatement ps = c.prepareStatement(serialise)) {
        ps.execute();
      }
    }
    long seq = 1;
    byte[] prev = GENESIS;
    try (JdbcDatabase.Prepared newest = database.prepare(c, last);
        ResultSet rs = newest.statement().executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getBytes(2);
      }
    }
    List<AuditEntry> written = new ArrayList<>(batch.size());
    try (JdbcDatabase.Prepared insert = database.prepare(c, INSERT)) {
      PreparedStatement ps = insert.statement();
      for (Pending p : batch) {
        Instant time = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AuditEntry draft =
            new AuditEntry(
                seq,
                time,
                Optional.ofNullable(p.tenant),
                Optional.ofNullable(p.keyId),
                p.action,
                Optional.ofNullable(p.secretName),
                p.outcome,
                Optional.ofNullable(p.clientAddress),
                prev,
                GENESIS,
                p.repeated);
        byte[] hash = hash(draft);
        ps.setLong(1, seq);
        ps.setLong(2, micros(time));
        ps.setString(3, p.tenant);
        ps.setString(4, p.keyId);
        ps.setString(5, p.action);
        ps.setString(6, p.secretName);
        ps.setString(7, p.outcome);
        ps.setString(8, p.clientAddress);
        ps.setBytes(9, prev);
        ps.setBytes(10, hash);
        if (p.repeated > 0) {
          ps.setLong(11, p.repeated);
        } else {
          ps.setNull(11, java.sql.Types.BIGINT);
        }
        ps.addBatch();
        written.add(
            new AuditEntry(
                seq,
                time,
                draft.tenant(),
                draft.keyId(),
                p.action,
                draft.secretName(),
                p.outcome,
                draft.clientAddress(),
                prev,
                hash,
                p.repeated));
        prev = hash;
        seq++;
      }
      ps.executeBatch();
    }
    return written;
  }

  /**
   * One entry waiting to be written. The writer thread sets the result, then counts the latch down;
   * the caller reads it after the latch opened (which orders the two).
   */
  private static final class Pending {
    final @Nullable String tenant;
    final @Nullable String keyId;
    final String action;
    final @Nullable String secretName;
    final String outcome;
    final @Nullable String clientAddress;
    final long repeated;
    final CountDownLatch committed = new CountDownLatch(1);
    @Nullable AuditEntry entry;
    @Nullable String sqlState;
    @Nullable String damaged;

    Pending(
        @Nullable String tenant,
        @Nullable String keyId,
        String action,
        @Nullable String secretName,
        String outcome,
        @Nullable String clientAddress,
        long repeated) {
      this.repeated = repeated;
      this.tenant = tenant;
      this.keyId = keyId;
      this.action = action;
      this.secretName = secretName;
      this.outcome = outcome;
      this.clientAddress = clientAddress;
    }

    void succeed(AuditEntry written) {
      entry = written;
      committed.countDown();
    }

    void fail(String state) {
      if (committed.getCount() > 0) {
        sqlState = state;
        committed.countDown();
      }
    }
  }

  /**
   * Entries with {@code seq > after}, oldest first, at most {@code limit}; only those of {@code
   * tenant} when given (entries without a tenant, such as failed authentication, then not).
   */
  public List<AuditEntry> read(long after, int limit, Optional<String> tenant) {
    return read(
        new Query(
            tenant,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        after,
        Order.OLDEST_FIRST,
        limit);
  }

  /**
   * Which entries to read: each present field narrows the result. {@code namePrefix} matches the
   * start of the subject (a name, or a list's prefix); times are inclusive-exclusive.
   */
  public record Query(
      Optional<String> tenant,
      Optional<String> keyId,
      Optional<String> action,
      Optional<String> namePrefix,
      Optional<String> outcome,
      Optional<Instant> from,
      Optional<Instant> until,
      List<String> exceptActions) {
    public Query(
        Optional<String> tenant,
        Optional<String> keyId,
        Optional<String> action,
        Optional<String> namePrefix,
        Optional<String> outcome,
        Optional<Instant> from,
        Optional<Instant> until) {
      this(tenant, keyId, action, namePrefix, outcome, from, until, List.of());
    }
  }

  /** Which way {@link #read(Query, long, Order, int)} pages. */
  public enum Order {
    /** After the cursor's seq, oldest first. */
    OLDEST_FIRST,
    /** Before the cursor's seq, newest first; a cursor of 0 starts at the newest. */
    NEWEST_FIRST
  }

  /** Entries matching {@code q}, at most {@code limit}, from {@code cursor} in {@code order}. */
  public List<AuditEntry> read(Query q, long cursor, Order order, int limit) {
    boolean newestFirst = order == Order.NEWEST_FIRST;
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM server_audit_log WHERE ");
    List<Object> args = new ArrayList<>();
    if (newestFirst) {
      sql.append(cursor > 0 ? "seq < ?" : "seq > ?");
      args.add(cursor > 0 ? cursor : 0L);
    } else {
      sql.append("seq > ?");
      args.add(cursor);
    }
    where(sql, args, " AND tenant = ?", q.tenant());
    where(sql, args, " AND key_id = ?", q.keyId());
    where(sql, args, " AND action = ?", q.action());
    where(sql, args, " AND outcome = ?", q.outcome());
    if (!q.exceptActions().isEmpty()) {
      sql.append(" AND action NOT IN (")
          .append(String.join(", ", java.util.Collections.nCopies(q.exceptActions().size(), "?")))
          .append(')');
      args.addAll(q.exceptActions());
    }
    if (q.namePrefix().isPresent()) {
      // SUBSTR, not LIKE: '_' is a name character and a LIKE wildcard.
      sql.append(" AND SUBSTR(secret_name, 1, ?) = ?");
      args.add(q.namePrefix().get().length());
      args.add(q.namePrefix().get());
    }
    where(sql, args, " AND time_us >= ?", q.from().map(AuditLog::micros));
    where(sql, args, " AND time_us < ?", q.until().map(AuditLog::micros));
    sql.append(newestFirst ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?");
    args.add(limit);
    return database.read(
        "read the audit log",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof String str) {
                ps.setString(i + 1, str);
              } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
              } else {
                ps.setLong(i + 1, (Long) a);
              }
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(row(rs));
              }
            }
            return out;
          }
        });
  }

  private static void where(
      StringBuilder sql, List<Object> args, String clause, Optional<?> value) {
    if (value.isPresent()) {
      sql.append(clause);
      args.add(value.get());
    }
  }

  /** The newest entry, if the log holds any. */
  public Optional<AuditEntry> newest() {
    return database.read(
        "read the newest audit entry",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM server_audit_log WHERE seq = "
                          + "(SELECT MAX(seq) FROM server_audit_log)");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.<AuditEntry>empty();
          }
        });
  }

  /** The entry at {@code seq}, if there is one. */
  public Optional<AuditEntry> at(long seq) {
    return database.read(
        "read an audit entry",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM server_audit_log WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(row(rs)) : Optional.<AuditEntry>empty();
            }
          }
        });
  }

  /**
   * Recomputes the whole chain, oldest first, and reports the first entry that does not check out:
   * a hash that does not match the entry's fields, a {@code prev_hash} that is not the previous
   * entry's hash, or a {@code seq} that does not follow the previous one (a deleted row).
   */
  public AuditVerification verify() {
    return database.read(
        "verify the audit log",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT " + COLUMNS + " FROM server_audit_log ORDER BY seq");
              ResultSet rs = ps.executeQuery()) {
            long entries = 0;
            long expectedSeq = 1;
            byte[] expectedPrev = GENESIS;
            Optional<Long> broken = Optional.empty();
            while (rs.next()) {
              entries++;
              if (broken.isPresent()) {
                continue;
              }
              AuditEntry e = row(rs);
              if (e.seq() != expectedSeq
                  || !MessageDigest.isEqual(e.prevHash(), expectedPrev)
                  || !MessageDigest.isEqual(e.hash(), hash(e))) {
                broken = Optional.of(e.seq());
              }
              expectedSeq = e.seq() + 1;
              expectedPrev = e.hash();
            }
            return new AuditVerification(entries, broken);
          }
        });
  }

  /**
   * SHA-256 over the canonical encoding described in the class comment; the entry's own hash is not
   * part of it.
   */
  public static byte[] hash(AuditEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(DOMAIN);
    out.writeBytes(ByteBuffer.allocate(16).putLong(e.seq()).putLong(micros(e.time())).array());
    field(out, e.tenant());
    field(out, e.keyId());
    field(out, Optional.of(e.action()));
    field(out, e.secretName());
    field(out, Optional.of(e.outcome()));
    field(out, e.clientAddress());
    out.writeBytes(e.prevHash());
    if (e.repeated() > 0) {
      out.write(1);
      out.writeBytes(ByteBuffer.allocate(8).putLong(e.repeated()).array());
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("the JDK has no SHA-256", ex);
    }
  }

  private static void field(ByteArrayOutputStream out, Optional<String> value) {
    if (value.isEmpty()) {
      out.write(0);
      return;
    }
    byte[] bytes = value.get().getBytes(StandardCharsets.UTF_8);
    out.write(1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static AuditEntry row(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getLong(1),
        Instant.EPOCH.plus(rs.getLong(2), ChronoUnit.MICROS),
        Optional.ofNullable(rs.getString(3)),
        Optional.ofNullable(rs.getString(4)),
        rs.getString(5),
        Optional.ofNullable(rs.getString(6)),
        rs.getString(7),
        Optional.ofNullable(rs.getString(8)),
        nonNull(rs.getBytes(9)),
        nonNull(rs.getBytes(10)),
        rs.getLong(11));
  }

  private static byte[] nonNull(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  @Override
  public String toString() {
    return "AuditLog[server_audit_log]";
  }
}
