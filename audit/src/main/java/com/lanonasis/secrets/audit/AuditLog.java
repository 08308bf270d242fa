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
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * <p><b>Chains.</b> The log is a set of hash chains. On PostgreSQL, where several server instances
 * may share the database, each {@code AuditLog} (one per server process) starts a chain of its own,
 * named by 16 random hex digits ({@link #chain()}), and is the only one to append to it; on SQLite
 * and H2, where one process writes at a time, every writer appends to the chain {@value
 * #LOCAL_CHAIN}. An entry names its {@code chain} and its place in it, {@code chain_seq} (1, 2, 3
 * ... without gaps), and its {@code prev_hash} is the hash of the entry before it in the same
 * chain. {@code seq} is the log's global order and the paging cursor: unique, increasing in the
 * order entries were assigned, but on PostgreSQL not gapless (a failed append leaves its numbers
 * unused) and not in commit order across instances (see {@link #read(long, int, Optional)}).
 * Entries written before chains existed form the legacy chain: {@code chain} empty, {@code
 * chain_seq} NULL, their place being {@code seq}; they hash with the v1 encoding, as they always
 * did.
 *
 * <p>Each entry's {@code hash} is SHA-256 over this canonical encoding (all integers big-endian):
 *
 * <pre>
 *   "lanonasis-audit-v2"                                    (ASCII domain tag, 18 bytes)
 *   length of chain (4 bytes) · chain (UTF-8)
 *   chain_seq (8 bytes) · seq (8 bytes) · time_us (8 bytes)
 *   tenant · key_id · action · secret_name · outcome · client_address, each as
 *       0x00                                         when absent, or
 *       0x01 · length (4 bytes) · UTF-8 bytes        when present
 *   prev_hash (32 bytes)
 *   and, only for an entry that stands for repeated refusals (repeated &gt; 0):
 *   0x01 · repeated (8 bytes)
 * </pre>
 *
 * and, for an entry of the legacy chain, the v1 encoding: {@code "lanonasis-audit-v1"} · seq ·
 * time_us · the same six fields · prev_hash · the same trailer. Every variable field is
 * length-prefixed and absent differs from empty, so no two different entries share an encoding;
 * {@code prev_hash} has a fixed length, so the optional trailer cannot be confused with it, and
 * entries without it hash as they always did. The first entry of a chain has a {@code prev_hash} of
 * 32 zero bytes.
 *
 * <p><b>Appends</b> are grouped: concurrent requests' entries are written together, one transaction
 * per group, by one writer thread (see {@link #append}). On PostgreSQL the writer keeps its chain's
 * head (chain_seq, hash) in memory, so a group is: take its {@code seq} numbers from the sequence
 * {@code server_audit_log_seq}, insert, commit — no lock held to commit and no read of the last
 * entry; across instances only {@code nextval} is serialised, for microseconds, and it is never
 * rolled back. On SQLite the write transaction ({@code BEGIN IMMEDIATE}) excludes every other
 * writer: it reads the head of {@value #LOCAL_CHAIN} and {@code MAX(seq)}, so there {@code seq} has
 * no gaps; H2 is one process. {@code seq} is the primary key and {@code (chain, chain_seq)} unique,
 * so even a writer that bypassed all of this could not fork a chain: its insert would fail, and the
 * writer reads its chain's head from the database again and retries.
 *
 * <p>Thread-safe. Failures are {@link BackendUnavailableException} with the SQLState only.
 *
 * @since 0.1
 */
public final class AuditLog {
  public static final List<String> OUTCOMES =
      List.of("ok", "denied", "not_found", "conflict", "invalid", "throttled", "error");

  /** The chain of the entries written before chains existed. */
  public static final String LEGACY_CHAIN = "";

  /**
   * The chain every writer on SQLite or H2 appends to: there one process writes at a time, so one
   * chain costs nothing, and the head is read in each write transaction.
   */
  public static final String LOCAL_CHAIN = "local";

  private static final byte[] DOMAIN_V1 = "lanonasis-audit-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOMAIN_V2 = "lanonasis-audit-v2".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GENESIS = new byte[32];
  private static final String COLUMNS =
      "seq, time_us, tenant, key_id, action, secret_name, outcome, client_address, prev_hash, hash, "
          + "repeated, chain, chain_seq";
  private static final String INSERT =
      "INSERT INTO server_audit_log ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String HEAD =
      "SELECT chain_seq, hash FROM server_audit_log WHERE chain = ? ORDER BY chain_seq DESC LIMIT 1";
  private static final int RETRIES = 3;
  private static final int MAX_BATCH = 256;

  private final JdbcDatabase database;
  private final Clock clock;
  private final String chain;

  /** How long a request waits for its entry's commit before it is answered 503. */
  private static final long COMMIT_WAIT_SECONDS = 30;

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * Whether the writer's last transaction failed: until one commits again, the log is not
   * committable.
   */
  private volatile boolean lastCommitFailed;

  private @Nullable Thread writer;

  /** Whether this is PostgreSQL, where {@code seq} comes from a sequence. */
  private final boolean sequence;

  // The chain's head, touched by the writer thread only (and read by head() after a commit).
  private long headSeq;
  private byte[] headHash = GENESIS;

  /**
   * False after a transaction whose outcome is unknown (a commit that failed may have committed):
   * the next one reads the head from the database.
   */
  private boolean headKnown = true;

  private volatile @Nullable AuditEntry newestOwn;

  /** An entry to append: what {@link #appendAll} takes. */
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

  /** One row to write: a draft and how many events it stands for. */
  private record Row(Draft draft, long repeated) {}

  /**
   * A writer: on PostgreSQL with a chain of its own, named by 16 random hex digits; on SQLite and
   * H2 appending to the chain {@value #LOCAL_CHAIN}.
   */
  public AuditLog(JdbcDatabase database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sequence = database.kind() == DatabaseKind.POSTGRESQL;
    if (sequence) {
      byte[] id = new byte[8];
      RANDOM.nextBytes(id);
      this.chain = HexFormat.of().formatHex(id);
    } else {
      this.chain = LOCAL_CHAIN;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The chain this writer appends to. */
  public String chain() {
    return chain;
  }

  /**
   * The head of this writer's chain: on PostgreSQL the newest entry this writer committed, if it
   * wrote any; on SQLite and H2 the newest entry of {@value #LOCAL_CHAIN}, whoever wrote it.
   */
  public Optional<AuditEntry> head() {
    if (sequence) {
      return Optional.ofNullable(newestOwn);
    }
    return database.read(
        "read the head of the audit chain",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM server_audit_log WHERE chain = ? ORDER BY chain_seq DESC LIMIT 1")) {
            ps.setString(1, chain);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(row(rs)) : Optional.<AuditEntry>empty();
            }
          }
        });
  }

  /**
   * Appends one entry and returns it once it is committed.
   *
   * <p>Group commit: the entry joins a queue; one writer thread takes everything queued (up to
   * {@value #MAX_BATCH} requests), writes it in one transaction, in queue order, and then releases
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
    Objects.requireNonNull(action, "action");
    return enqueue(
            List.of(
                new Row(
                    new Draft(tenant, keyId, action, secretName, outcome, clientAddress),
                    repeated)))
        .get(0);
  }

  /**
   * Appends all {@code drafts} in one transaction and returns their entries, in order, once it has
   * committed; they fail together (as {@link #append(String, String, String, String, String,
   * String)} fails).
   */
  public List<AuditEntry> appendAll(List<AuditLog.Draft> drafts) {
    Objects.requireNonNull(drafts, "drafts");
    if (drafts.isEmpty()) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      rows.add(new Row(Objects.requireNonNull(d, "draft"), 0));
    }
    return enqueue(rows);
  }

  private List<AuditEntry> enqueue(List<Row> rows) {
    for (Row r : rows) {
      if (!OUTCOMES.contains(r.draft().outcome())) {
        throw new IllegalArgumentException("unknown audit outcome: " + r.draft().outcome());
      }
      if (r.repeated() < 0) {
        throw new IllegalArgumentException("repeated must be >= 0: " + r.repeated());
      }
    }
    if (closed) {
      throw new IllegalStateException("the audit log is closed");
    }
    startWriter();
    Pending mine = new Pending(rows);
    queue.add(mine);
    try {
      if (!mine.committed.await(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new BackendUnavailableException(
            "the audit log did not commit within " + COMMIT_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting for the audit log", e);
    }
    List<AuditEntry> entries = mine.entries;
    if (entries == null) {
      // A fresh exception per caller: one instance thrown on many threads would share its trace.
      if (mine.damaged != null) {
        throw new IntegrityException(mine.damaged);
      }
      throw new BackendUnavailableException(
          "could not write the audit log (SQLState " + mine.sqlState + ")");
    }
    return entries;
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
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        if (closed && queue.isEmpty()) {
          return;
        }
      } catch (RuntimeException | Error e) {
        lastCommitFailed = true;
        headKnown = false;
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
    for (Pending p; (p = queue.poll()) != null; ) {
      p.fail("closed");
    }
  }

  /**
   * Writes a batch and marks each of its entries done (with its entry, or the failure's SQLState).
   */
  private void write(List<Pending> batch) {
    String sqlState = "?";
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      boolean resync = attempt > 0;
      try {
        List<AuditEntry> written =
            database.write("append to the audit log", c -> appendOnce(c, batch, resync));
        AuditEntry newest = written.get(written.size() - 1);
        headSeq = newest.chainSeq();
        headHash = newest.hash();
        headKnown = true;
        newestOwn = newest;
        lastCommitFailed = false;
        int i = 0;
        for (Pending p : batch) {
          p.succeed(written.subList(i, i + p.rows.size()));
          i += p.rows.size();
        }
        return;
      } catch (BackendUnavailableException e) {
        headKnown = false;
        sqlState =
            e.getCause() instanceof SQLException sqle ? String.valueOf(sqle.getSQLState()) : "?";
        // 23505: a seq or a place in this chain is taken (a copied table whose sequence is behind,
        // a commit reported failed that did commit): read the head again and retry.
        if (!"23505".equals(sqlState)) {
          break;
        }
      } catch (IntegrityException e) {
        headKnown = false;
        // A damaged database: permanent, and said so to every caller of the batch.
        for (Pending p : batch) {
          p.damaged = e.getMessage();
          p.fail("damaged");
        }
        return;
      } catch (RuntimeException e) {
        headKnown = false;
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

  /** Takes {@code n} numbers for {@code seq}, ascending. */
  private long[] seqs(java.sql.Connection c, int n, boolean resync) throws SQLException {
    long[] out = new long[n];
    if (!sequence) {
      long max = 0;
      try (JdbcDatabase.Prepared ps = database.prepare(c, "SELECT MAX(seq) FROM server_audit_log");
          ResultSet rs = ps.statement().executeQuery()) {
        if (rs.next()) {
          max = rs.getLong(1);
        }
      }
      for (int i = 0; i < n; i++) {
        out[i] = max + 1 + i;
      }
      return out;
    }
    if (resync) {
      // After a conflict: the sequence may be behind the table (a table copied from another store).
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT setval('server_audit_log_seq', GREATEST(nextval('server_audit_log_seq'),"
                      + " (SELECT COALESCE(MAX(seq), 0) + 1 FROM server_audit_log)))");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    }
    try (JdbcDatabase.Prepared ps =
        database.prepare(c, "SELECT nextval('server_audit_log_seq') FROM generate_series(1, ?)")) {
      ps.statement().setInt(1, n);
      try (ResultSet rs = ps.statement().executeQuery()) {
        for (int i = 0; i < n; i++) {
          if (!rs.next()) {
            throw new IllegalStateException("the sequence gave fewer numbers than asked");
          }
          out[i] = rs.getLong(1);
        }
      }
    }
    java.util.Arrays.sort(out);
    return out;
  }

  private List<AuditEntry> appendOnce(java.sql.Connection c, List<Pending> batch, boolean resync)
      throws SQLException {
    long chainSeq = headSeq;
    byte[] prev = headHash;
    // On SQLite and H2 the chain is shared by whichever process holds the write lock now.
    if (!sequence || !headKnown || resync) {
      chainSeq = 0;
      prev = GENESIS;
      try (JdbcDatabase.Prepared head = database.prepare(c, HEAD)) {
        head.statement().setString(1, chain);
        try (ResultSet rs = head.statement().executeQuery()) {
          if (rs.next()) {
            chainSeq = rs.getLong(1);
            prev = nonNull(rs.getBytes(2));
          }
        }
      }
    }
    int n = 0;
    for (Pending p : batch) {
      n += p.rows.size();
    }
    long[] seqs = seqs(c, n, resync);
    List<AuditEntry> written = new ArrayList<>(n);
    try (JdbcDatabase.Prepared insert = database.prepare(c, INSERT)) {
      PreparedStatement ps = insert.statement();
      int k = 0;
      for (Pending p : batch) {
        for (Row r : p.rows) {
          Draft d = r.draft();
          chainSeq++;
          long seq = seqs[k++];
          Instant time = clock.instant().truncatedTo(ChronoUnit.MICROS);
          AuditEntry draft =
              new AuditEntry(
                  seq,
                  time,
                  Optional.ofNullable(d.tenant()),
                  Optional.ofNullable(d.keyId()),
                  d.action(),
                  Optional.ofNullable(d.secretName()),
                  d.outcome(),
                  Optional.ofNullable(d.clientAddress()),
                  prev,
                  GENESIS,
                  r.repeated(),
                  chain,
                  chainSeq);
          byte[] hash = hash(draft);
          ps.setLong(1, seq);
          ps.setLong(2, micros(time));
          ps.setString(3, d.tenant());
          ps.setString(4, d.keyId());
          ps.setString(5, d.action());
          ps.setString(6, d.secretName());
          ps.setString(7, d.outcome());
          ps.setString(8, d.clientAddress());
          ps.setBytes(9, prev);
          ps.setBytes(10, hash);
          if (r.repeated() > 0) {
            ps.setLong(11, r.repeated());
          } else {
            ps.setNull(11, java.sql.Types.BIGINT);
          }
          ps.setString(12, chain);
          ps.setLong(13, chainSeq);
          ps.addBatch();
          written.add(draft.withHash(hash));
          prev = hash;
        }
      }
      ps.executeBatch();
    }
    return written;
  }

  /**
   * One request's rows waiting to be written. The writer thread sets the result, then counts the
   * latch down; the caller reads it after the latch opened (which orders the two).
   */
  private static final class Pending {
    final List<Row> rows;
    final CountDownLatch committed = new CountDownLatch(1);
    @Nullable List<AuditEntry> entries;
    @Nullable String sqlState;
    @Nullable String damaged;

    Pending(List<Row> rows) {
      this.rows = List.copyOf(rows);
    }

    void succeed(List<AuditEntry> written) {
      entries = List.copyOf(written);
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
   *
   * <p>A follower that pages with {@code after} = the last {@code seq} it saw: with one writer,
   * entries become visible in {@code seq} order. With several server instances on one PostgreSQL,
   * {@code seq} is the order numbers were taken, not the order of commits: instance A may take 10,
   * instance B 11, and B commit first, so a page can show 11 while 10 is still being written — and
   * appear later, behind the cursor. Such an entry is at most one group commit late (the writer
   * answers no request before its group committed, and gives up after 30 s); a follower that must
   * see every entry re-reads from {@code after} = its cursor minus a margin, or checks each chain's
   * {@code chain_seq} for gaps (per chain there are none, and a chain's entries commit in order).
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
   * The entry at {@code chainSeq} of {@code chain}, if there is one; for the legacy chain {@code
   * chainSeq} is the entry's {@code seq}.
   */
  public Optional<AuditEntry> at(String chain, long chainSeq) {
    Objects.requireNonNull(chain, "chain");
    if (chain.equals(LEGACY_CHAIN)) {
      return at(chainSeq).filter(e -> e.chain().equals(LEGACY_CHAIN));
    }
    return database.read(
        "read an audit entry",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM server_audit_log WHERE chain = ? AND chain_seq = ?")) {
            ps.setString(1, chain);
            ps.setLong(2, chainSeq);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(row(rs)) : Optional.<AuditEntry>empty();
            }
          }
        });
  }

  /**
   * Recomputes every chain, oldest first, and reports the first entry (lowest {@code seq}) that
   * does not check out: a hash that does not match the entry's fields, a {@code prev_hash} that is
   * not the hash of the entry before it in its chain, or a place in the chain that does not follow
   * the one before it (a deleted row). On SQLite and H2, where {@code seq} has no gaps, a missing
   * {@code seq} also counts: the entry after the gap is reported (a chain's tail deleted while
   * another chain went on).
   */
  public AuditVerification verify() {
    return database.read(
        "verify the audit log",
        c -> {
          long entries = 0;
          long maxSeq = 0;
          Optional<Long> broken = Optional.empty();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM server_audit_log ORDER BY chain, chain_seq, seq");
              ResultSet rs = ps.executeQuery()) {
            String chainNow = null;
            boolean chainBroken = false;
            long expected = 1;
            byte[] expectedPrev = GENESIS;
            while (rs.next()) {
              entries++;
              AuditEntry e = row(rs);
              maxSeq = Math.max(maxSeq, e.seq());
              if (!e.chain().equals(chainNow)) {
                chainNow = e.chain();
                chainBroken = false;
                expected = 1;
                expectedPrev = GENESIS;
              }
              if (chainBroken) {
                continue;
              }
              if (e.chainSeq() != expected
                  || !MessageDigest.isEqual(e.prevHash(), expectedPrev)
                  || !MessageDigest.isEqual(e.hash(), hash(e))) {
                chainBroken = true;
                if (broken.isEmpty() || e.seq() < broken.get()) {
                  broken = Optional.of(e.seq());
                }
              }
              expected = e.chainSeq() + 1;
              expectedPrev = e.hash();
            }
          }
          if (!sequence && entries != maxSeq) {
            // seq is gapless here: the first entry after a missing one.
            try (PreparedStatement ps =
                    c.prepareStatement(
                        "SELECT MIN(seq) FROM server_audit_log a WHERE a.seq > 1 AND NOT EXISTS "
                            + "(SELECT 1 FROM server_audit_log b WHERE b.seq = a.seq - 1)");
                ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                long after = rs.getLong(1);
                if (!rs.wasNull() && (broken.isEmpty() || after < broken.get())) {
                  broken = Optional.of(after);
                }
              }
            }
            if (broken.isEmpty()) {
              // The gap is before the first entry: seq 1 is missing.
              try (PreparedStatement ps =
                      c.prepareStatement("SELECT MIN(seq) FROM server_audit_log");
                  ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  broken = Optional.of(rs.getLong(1));
                }
              }
            }
          }
          return new AuditVerification(entries, broken);
        });
  }

  /**
   * SHA-256 over the canonical encoding described in the class comment (v1 for an entry of the
   * legacy chain, v2 otherwise); the entry's own hash is not part of it.
   */
  public static byte[] hash(AuditEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    if (e.chain().equals(LEGACY_CHAIN)) {
      out.writeBytes(DOMAIN_V1);
    } else {
      byte[] chainBytes = e.chain().getBytes(StandardCharsets.UTF_8);
      out.writeBytes(DOMAIN_V2);
      out.writeBytes(ByteBuffer.allocate(4).putInt(chainBytes.length).array());
      out.writeBytes(chainBytes);
      out.writeBytes(ByteBuffer.allocate(8).putLong(e.chainSeq()).array());
    }
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
    long seq = rs.getLong(1);
    String chain = rs.getString(12);
    long chainSeq = rs.getLong(13);
    boolean legacy = chain == null || chain.isEmpty();
    return new AuditEntry(
        seq,
        Instant.EPOCH.plus(rs.getLong(2), ChronoUnit.MICROS),
        Optional.ofNullable(rs.getString(3)),
        Optional.ofNullable(rs.getString(4)),
        rs.getString(5),
        Optional.ofNullable(rs.getString(6)),
        rs.getString(7),
        Optional.ofNullable(rs.getString(8)),
        nonNull(rs.getBytes(9)),
        nonNull(rs.getBytes(10)),
        rs.getLong(11),
        legacy ? LEGACY_CHAIN : chain,
        legacy ? seq : chainSeq);
  }

  private static byte[] nonNull(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  @Override
  public String toString() {
    return "AuditLog[server_audit_log, chain " + chain + "]";
  }
}
