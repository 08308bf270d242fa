package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.StoreClosedException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database that the record store (and the server's own tables) live in: its connection pools,
 * its {@link DatabaseKind}, transactions, schema migrations, and the online backup of an embedded
 * file.
 *
 * <pre>{@code
 * try (JdbcDatabase db = JdbcDatabase.builder().url("jdbc:sqlite:./data/secrets.db").build()) {
 *   JdbcRecordStore records = JdbcRecordStore.builder().database(db).build();
 *   long n = db.read("count tenants", c -> { ... });
 * }
 * }</pre>
 *
 * <h2>Durability of the embedded databases</h2>
 *
 * A commit that returned has been handed to the operating system, so it survives a killed
 * process: SQLite runs with a write-ahead log and {@code synchronous=FULL} (the log is flushed to the
 * disk at each commit, so power loss keeps it too; {@code ?synchronous=NORMAL} in the URL trades
 * that for speed), H2 with {@code WRITE_DELAY=0} (H2 does not flush to the disk at commit: power
 * loss can lose recent commits). See {@code EmbeddedSettings}.
 *
 * <h2>SQLite: one writer</h2>
 *
 * SQLite lets one transaction write at a time. Built from a URL, a SQLite database gets two pools:
 * readers (up to the pool size) and a single writer connection, so writers in this process queue in
 * the pool instead of spinning on SQLite's lock. Every write transaction starts with {@code BEGIN
 * IMMEDIATE}, which takes the write lock before its first read: a transaction that reads and then
 * writes can never fail half-way because another writer came first. Writers in other processes are
 * waited for up to the {@code busy_timeout} (the connection timeout unless the URL sets it).
 *
 * <h2>SQLite: a reserve of free space</h2>
 *
 * A write is refused ({@link BackendUnavailableException}) while the file system holding the
 * database file has less than 8 MiB free, and the write-ahead log is then checkpointed into the
 * database and truncated at once. So the store never fills its disk itself:
 * the reserve keeps room to fold the log into the database when the last connection closes, and to
 * create the log and its shared-memory file at the next start. Without it, a log checkpointed at
 * stop into space just freed took that space again, and the restarted store could not commit.
 * {@link #checkWritable()} asks the same question without writing.
 *
 * <h2>A database server that went away</h2>
 *
 * A call waits at most the connection timeout (default 2 s) for a connection, and is not retried
 * after that wait. A connection found dead evicts every pooled connection (they died with the
 * server), so no request after the server is back fails on a stale one, and the pool dials the
 * server again every 250 ms while it is down ({@code RedialingDataSource}), so the first connection
 * is there as soon as the server is.
 *
 * <p>Thread-safe. {@link #close()} closes the pools it made, never a caller's {@code DataSource}.
 *
 * @since 0.1
 */
public final class JdbcDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcDatabase.class);
  /**
   * H2 commits at every DDL statement and SQLite has no lock Flyway can take, so two stores
   * migrating one embedded database at once could both run V1. Embedded means one process: a lock in
   * this JVM serialises them.
   */
  private static final Object EMBEDDED_MIGRATION_LOCK = new Object();
  private static final int COPY_BATCH = 500;

  private final DatabaseKind kind;
  private final DataSource readers;
  private final DataSource writers;
  private final List<HikariDataSource> owned;
  private final String described;
  private final FlywaySource flywaySource;
  private final Optional<Path> file;
  private final Optional<String> user;
  /** SQLite file: the free space it keeps; null for every other database. */
  private final DiskReserve reserve;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** SQLite: statements kept prepared per physical connection of our own pools (see {@link #prepare}). */
  private final Map<Connection, Map<String, PreparedStatement>> prepared = new ConcurrentHashMap<>();

  /** What Flyway connects with: a data source, or its own connections to a URL. */
  private record FlywaySource(DataSource dataSource, String url, String user, String password) {}

  private JdbcDatabase(DatabaseKind kind, DataSource readers, DataSource writers, List<HikariDataSource> owned,
      String described, FlywaySource flywaySource, Optional<Path> file, Optional<String> user, DiskReserve reserve) {
    this.user = user;
    this.reserve = reserve;
    this.kind = kind;
    this.readers = readers;
    this.writers = writers;
    this.owned = List.copyOf(owned);
    this.described = described;
    this.flywaySource = flywaySource;
    this.file = file;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What kind of database this is. */
  public DatabaseKind kind() {
    return kind;
  }

  /** The database for messages: its kind, host and name or file, never a credential. */
  public String describe() {
    return described;
  }

  /**
   * Fails as a write would before it begins, without writing: on SQLite, while the file system has
   * less free space than the reserve. Does nothing on other databases.
   *
   * @throws BackendUnavailableException naming the database and the free space
   */
  public void checkWritable() {
    if (reserve != null) {
      reserve.check("write");
    }
  }

  /** Work done with a connection inside a transaction that {@link JdbcDatabase} begins and ends. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} as a read and returns its result. Each statement sees committed data; on
   * SQLite each statement is its own snapshot (several statements do not share one). A read whose
   * connection died is retried once on a fresh one; waiting for a connection is not (see the
   * builder's connection timeout).
   *
   * @throws BackendUnavailableException naming {@code what} and the SQLState, with the
   *     {@code SQLException} as cause (never its message, which may quote parameters)
   */
  public <T> T read(String what, Work<T> work) {
    return run(what, true, work);
  }

  /**
   * Runs {@code work} in a write transaction: committed if it returns, rolled back if it throws.
   * Not retried: a write whose connection died during commit has an unknown outcome. On SQLite a
   * write is refused while the file system has less free space than the reserve (see the class
   * comment).
   *
   * @throws BackendUnavailableException as for {@link #read}
   */
  public <T> T write(String what, Work<T> work) {
    return run(what, false, work);
  }

  private <T> T run(String what, boolean read, Work<T> work) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(work, "work");
    if (closed.get()) {
      throw new StoreClosedException("the database " + described + " is closed");
    }
    if (!read && reserve != null) {
      reserve.check(what);
    }
    DataSource ds = read ? readers : writers;
    for (int attempt = 0; ; attempt++) {
      Connection c;
      try {
        c = ds.getConnection();
      } catch (SQLException e) {
        // The pool waited its whole connection timeout: trying again would only double the wait.
        throw unavailable(what, e);
      }
      try (c) {
        if (kind != DatabaseKind.SQLITE) {
          return transaction(c, work);
        }
        try {
          return sqliteTransaction(ds, c, read, work);
        } catch (SQLException | RuntimeException e) {
          forgetStatements(c);
          throw e;
        }
      } catch (SQLException e) {
        if (!SqlFailures.isConnectionLoss(e)) {
          throw unavailable(what, e);
        }
        // One dead connection means the server went away: every pooled one of its generation is
        // dead too, and each would fail a request of its own after the database is back.
        evictPooledConnections(ds);
        // A read is repeated once on a fresh connection; a write is not: its outcome may be unknown.
        if (read && attempt == 0) {
          LOG.debug("connection lost while trying to {} on {}; retrying once", what, described);
          continue;
        }
        throw unavailable(what, e);
      }
    }
  }

  /** Our own pools only: an application's data source is its own to manage. */
  private void evictPooledConnections(DataSource ds) {
    if (ds instanceof HikariDataSource pool && owned.contains(pool) && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
    boolean restoreAutoCommit = c.getAutoCommit();
    if (restoreAutoCommit) {
      c.setAutoCommit(false);
    }
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the pool drops it
      }
      throw e;
    } finally {
      if (restoreAutoCommit) {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // as above
        }
      }
    }
  }

  /**
   * SQLite's driver begins its own DEFERRED transaction when auto-commit is off (and, in IMMEDIATE
   * mode, begins the next one at once after each commit, holding the write lock while idle). So the
   * connection stays in auto-commit and a write transaction is begun and ended here. A read runs
   * its statements in auto-commit, each on a consistent snapshot of its own: every read of the store
   * and the server is one statement, and skipping BEGIN and COMMIT saves two round trips through
   * the driver per read. {@link #copyTo} begins its own read transaction for its several statements.
   */
  private static <T> T sqliteTransaction(DataSource ds, Connection c, boolean read, Work<T> work) throws SQLException {
    boolean restoreManual = !c.getAutoCommit();
    if (restoreManual) {
      c.setAutoCommit(true);
    }
    try {
      if (read) {
        return work.run(c);
      }
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        try {
          T result = work.run(c);
          s.execute("COMMIT");
          return result;
        } catch (SQLException | RuntimeException e) {
          try {
            s.execute("ROLLBACK");
          } catch (SQLException rollbackFailed) {
            // SQLite may have rolled back already (after I/O errors, a full disk); if not, this
            // connection could still hold the write lock: never give it back to the pool.
            if (ds instanceof HikariDataSource pool) {
              pool.evictConnection(c);
            }
          }
          throw e;
        }
      }
    } finally {
      if (restoreManual) {
        try {
          c.setAutoCommit(false);
        } catch (SQLException ignored) {
          // the connection is broken; the pool drops it
        }
      }
    }
  }

  /**
   * A statement prepared for one use inside a {@link Work}: close it as usual (try-with-resources).
   * On SQLite, whose driver has no statement cache, a statement prepared on a connection of this
   * database's own pools is kept for the next use of the same SQL on the same connection (closing
   * only clears its parameters): compiling a query costs several times running it. Other drivers
   * cache on their own (PostgreSQL's server-prepared statements, H2's query cache), so there
   * {@code close()} closes.
   */
  public static final class Prepared implements AutoCloseable {
    private final PreparedStatement statement;
    private final boolean kept;

    private Prepared(PreparedStatement statement, boolean kept) {
      this.statement = statement;
      this.kept = kept;
    }

    /** A statement prepared on {@code connection} and closed by {@link #close()}, kept nowhere. */
    public static Prepared once(Connection connection, String sql) throws SQLException {
      return new Prepared(connection.prepareStatement(sql), false);
    }

    public PreparedStatement statement() {
      return statement;
    }

    @Override
    public void close() throws SQLException {
      if (kept) {
        statement.clearParameters();
      } else {
        statement.close();
      }
    }
  }

  /**
   * Prepares {@code sql} on {@code connection}, a connection this database handed to a
   * {@link Work}; see {@link Prepared}. ResultSets must be closed before the work returns.
   */
  public Prepared prepare(Connection connection, String sql) throws SQLException {
    if (kind != DatabaseKind.SQLITE || owned.isEmpty()) {
      return new Prepared(connection.prepareStatement(sql), false);
    }
    Connection physical = connection.unwrap(Connection.class);
    Map<String, PreparedStatement> statements = prepared.get(physical);
    if (statements == null) {
      // A connection the pool replaced is closed with its statements: forget it.
      prepared.keySet().removeIf(known -> {
        try {
          return known.isClosed();
        } catch (SQLException e) {
          return true;
        }
      });
      statements = prepared.computeIfAbsent(physical, k -> new ConcurrentHashMap<>());
    }
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = physical.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return new Prepared(ps, true);
  }

  /**
   * After a failure on a connection, its kept statements are closed and forgotten: one may be what
   * failed (prepared against a table since changed, say), and the next use prepares afresh.
   */
  private void forgetStatements(Connection c) {
    try {
      Map<String, PreparedStatement> statements = prepared.remove(c.unwrap(Connection.class));
      if (statements != null) {
        for (PreparedStatement ps : statements.values()) {
          ps.close();
        }
      }
    } catch (SQLException ignored) {
      // the connection is broken: its statements go with it
    }
  }

  /**
   * The failure of {@code what} on this database, by SQLState only: driver messages can quote values.
   * Damaged data (SQLite's {@code SQLITE_CORRUPT} and {@code SQLITE_NOTADB}, PostgreSQL's
   * {@code XX001}/{@code XX002}) is an {@link IntegrityException}: permanent, to be restored from a
   * backup, never answered as "try again". Every other failure is {@link BackendUnavailableException}.
   */
  SecretsException unavailable(String what, SQLException e) {
    if (kind == DatabaseKind.SQLITE && SqliteFileFaults.isDamaged(e)) {
      return SqliteFileFaults.damaged(what, described, e);
    }
    if (SqlFailures.isDataCorrupted(e)) {
      return new IntegrityException("could not " + what + " on " + described + ": the database reports damaged data "
          + "(SQLState " + e.getSQLState() + "); restore it from a backup", e);
    }
    return new BackendUnavailableException("could not " + what + " on " + described + " (SQLState "
        + e.getSQLState() + (e.getSQLState() == null && kind == DatabaseKind.SQLITE ? ", SQLite code " + e.getErrorCode() : "")
        + (SqlFailures.isConnectionLoss(e) ? ", connection lost" : "") + ")", e);
  }

  // ---- schema ----------------------------------------------------------------------------------

  /**
   * Creates or upgrades tables with the Flyway migrations found at
   * {@code classpath:<location>/<kind id>} (loaded by {@code owner}'s class loader), recording them in
   * {@code historyTable}. A schema that holds other tables but no history of these is baselined at
   * version 0, so V1 still runs; an empty schema is not, which keeps concurrent first starts on
   * Flyway's locked path. Migrations that fail for a passing reason (a concurrent first start) are
   * retried; errors of the SQL itself are not.
   *
   * @throws ConfigurationException when the migrations cannot be applied
   */
  public void migrate(Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    Flyway flyway = flyway(owner, location, historyTable, placeholders);
    if (kind.embedded()) {
      synchronized (EMBEDDED_MIGRATION_LOCK) {
        migrate(flyway);
      }
    } else {
      migrate(flyway);
    }
  }

  /**
   * Checks that the tables of {@link #migrate} are present and current, changing nothing.
   *
   * @throws ConfigurationException when they are missing or not current
   */
  public void validate(Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    try {
      flyway(owner, location, historyTable, placeholders).validate();
    } catch (FlywayException e) {
      throw new ConfigurationException("the schema of " + described + " is missing or not current; "
          + "run migrations as the owner role: " + firstLine(e.getMessage()), e);
    }
  }

  private Flyway flyway(Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    FluentConfiguration cfg = Flyway.configure(owner.getClassLoader())
        .locations("classpath:" + location + "/" + kind.id())
        .table(historyTable)
        .placeholders(placeholders)
        .baselineVersion("0")
        .failOnMissingLocations(true);
    // Flyway may hold two connections at once: it gets its own, not the store's pool (a pool of one
    // would deadlock). A caller's own DataSource is used as given.
    cfg = flywaySource.dataSource() != null ? cfg.dataSource(flywaySource.dataSource())
        : cfg.dataSource(flywaySource.url(), flywaySource.user(), flywaySource.password());
    return cfg.baselineOnMigrate(foreignTablesOnly(cfg.getDataSource(), historyTable)).load();
  }

  private boolean foreignTablesOnly(DataSource ds, String historyTable) {
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
      boolean anyTable = false;
      boolean history = false;
      while (rs.next()) {
        anyTable = true;
        history |= rs.getString("TABLE_NAME").equalsIgnoreCase(historyTable);
      }
      return anyTable && !history;
    } catch (SQLException e) {
      LOG.debug("could not list tables before migrating (SQLState {}); Flyway will report it", e.getSQLState());
      return false;
    }
  }

  private void migrate(Flyway flyway) {
    // Flyway takes a database lock around applying migrations, so instances starting at once
    // apply V1 exactly once. One race remains before that lock in a shared schema: an instance
    // that decided to baseline finds the history table just created (still empty) by another,
    // and refuses. Waiting for the other to finish and trying again resolves it; errors from the
    // SQL itself (class 42: permissions, syntax) are not retried, they will not go away.
    for (int attempt = 1; ; attempt++) {
      try {
        flyway.migrate();
        return;
      } catch (FlywayException e) {
        SQLException sqle = SqlFailures.findSqlException(e);
        if (sqle != null && kind == DatabaseKind.SQLITE && SqliteFileFaults.isDamaged(sqle)) {
          throw SqliteFileFaults.damaged("migrate the schema", described, sqle);
        }
        boolean deterministic = sqle != null && sqle.getSQLState() != null && sqle.getSQLState().startsWith("42");
        if (attempt < 6 && !deterministic) {
          LOG.debug("migration attempt {} on {} failed ({}); retrying", attempt, described, firstLine(e.getMessage()));
          sleep(100L << attempt);
          continue;
        }
        throw new ConfigurationException("could not migrate the schema of " + described
            + (sqle != null ? " (SQLState " + sqle.getSQLState() + ")" : "") + ": " + firstLine(e.getMessage()), e);
      }
    }
  }

  /** Whether a table of this name exists in the schema the database connects to (case-insensitive). */
  public boolean hasTable(String table) {
    return read("look for table " + table, c -> {
      try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
            return true;
          }
        }
        return false;
      }
    });
  }

  // ---- backup and copy -------------------------------------------------------------------------

  /**
   * Writes a consistent copy of an embedded database to {@code target} while it stays in use:
   * SQLite with {@code VACUUM INTO} (the copy is itself a SQLite database: restore it by putting it
   * in place of the store's file while nothing has it open), H2 with {@code BACKUP TO} (a zip of the
   * database file: unzip it in place). The file is created with mode 0600, must not exist yet, and is
   * flushed to the disk before this returns.
   *
   * @throws ConfigurationException for PostgreSQL and MariaDB (use {@code pg_dump} or
   *     {@code mariadb-dump}), or when {@code target} exists or cannot be created
   */
  public void backupTo(Path target) {
    Objects.requireNonNull(target, "target");
    if (!kind.embedded()) {
      throw new ConfigurationException("online backup here is for the embedded databases; back up " + kind.id()
          + " with its own tools (" + (kind == DatabaseKind.POSTGRESQL ? "pg_dump" : "mariadb-dump") + ")");
    }
    try {
      Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException("the backup file " + target + " exists already; choose a new name", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot create the backup file " + target + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    String statement = kind == DatabaseKind.SQLITE ? "VACUUM INTO ?" : "BACKUP TO ?";
    boolean done = false;
    try {
      // VACUUM cannot run inside a transaction: a plain connection in auto-commit, not read().
      try (Connection c = readers.getConnection()) {
        boolean manual = !c.getAutoCommit();
        if (manual) {
          c.setAutoCommit(true);
        }
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.setString(1, target.toAbsolutePath().toString());
          ps.execute();
        } finally {
          if (manual) {
            c.setAutoCommit(false);
          }
        }
      } catch (SQLException e) {
        throw unavailable("back up to " + target, e);
      }
      try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
        ch.force(true);
      } catch (IOException e) {
        throw new BackendUnavailableException("the backup " + target + " was written but could not be flushed to "
            + "the disk (" + e.getClass().getSimpleName() + ")", e);
      }
      done = true;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(target);
        } catch (IOException ignored) {
          // the caller is told the backup failed; a partial file is named in no message
        }
      }
    }
  }

  /**
   * Copies every row of {@code tables} (in that order: parents before children) from this database to
   * {@code target}, as stored: sealed values stay sealed, nothing is decrypted. Reads in one
   * transaction here, writes in one transaction there, so the copy is all or nothing. The tables
   * must exist on both sides (migrate the target first) and be empty on the target.
   *
   * @return the number of rows copied per table, in order
   * @throws ConfigurationException when a target table already holds rows
   */
  public Map<String, Long> copyTo(JdbcDatabase target, List<String> tables) {
    Objects.requireNonNull(target, "target");
    List<String> names = List.copyOf(tables);
    return read("read tables to copy", from -> {
      boolean snapshot = kind == DatabaseKind.SQLITE;
      if (snapshot) {
        try (Statement s = from.createStatement()) {
          s.execute("BEGIN DEFERRED"); // one snapshot for every table
        }
      }
      try {
        return target.write("write copied tables", to -> copyTables(from, to, target, names));
      } finally {
        if (snapshot) {
          try (Statement s = from.createStatement()) {
            s.execute("ROLLBACK"); // nothing was written: ending the read is all it does
          }
        }
      }
    });
  }

  private static Map<String, Long> copyTables(Connection from, Connection to, JdbcDatabase target, List<String> names)
      throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : names) {
      try (Statement s = to.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new ConfigurationException("the table " + table + " of " + target.describe() + " already holds "
              + rs.getLong(1) + " rows: copy into an empty store only");
        }
      }
    }
    for (String table : names) {
      counts.put(table, copyTable(from, to, table));
    }
    return counts;
  }

  private static long copyTable(Connection from, Connection to, String table) throws SQLException {
    long rows = 0;
    try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      int[] types = new int[n];
      for (int i = 1; i <= n; i++) {
        columns.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
        types[i - 1] = meta.getColumnType(i);
      }
      String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
      try (PreparedStatement ps = to.prepareStatement(insert)) {
        int batched = 0;
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            copyValue(rs, ps, i, types[i - 1]);
          }
          ps.addBatch();
          rows++;
          if (++batched == COPY_BATCH) {
            ps.executeBatch();
            batched = 0;
          }
        }
        if (batched > 0) {
          ps.executeBatch();
        }
      }
    }
    return rows;
  }

  private static void copyValue(ResultSet rs, PreparedStatement ps, int i, int type) throws SQLException {
    switch (type) {
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ps.setBytes(i, rs.getBytes(i));
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NCHAR, Types.NVARCHAR, Types.NCLOB ->
          ps.setString(i, rs.getString(i));
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
        long v = rs.getLong(i);
        if (rs.wasNull()) {
          ps.setNull(i, Types.BIGINT);
        } else {
          ps.setLong(i, v);
        }
      }
      default -> {
        Object v = rs.getObject(i);
        if (v == null) {
          ps.setNull(i, type);
        } else {
          ps.setObject(i, v);
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      prepared.clear();
      for (HikariDataSource pool : owned) {
        if (pool.getDataSource() instanceof RedialingDataSource redialing) {
          redialing.stop();
        }
        pool.close();
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcDatabase[" + described + "]";
  }

  /**
   * {@code url} with any password in it replaced by {@code ***}: user info ({@code //user:pw@}),
   * Oracle's {@code user/pw@}, and every parameter named like a password ({@code password=},
   * {@code ;PASSWORD=}, {@code sslpassword=}, {@code FILE_PASSWORD=}, {@code pwd=}...). For printing
   * a configuration; messages name a database by {@link #describe()} instead.
   */
  public static String redactedUrl(String url) {
    return JdbcUrl.redact(Objects.requireNonNull(url, "url"));
  }

  /** Whether {@code url} holds a password (a non-empty one, in user info or a password parameter). */
  public static boolean urlHoldsPassword(String url) {
    return JdbcUrl.holdsPassword(Objects.requireNonNull(url, "url"));
  }

  /** The user the pools connect as, when it was given (in the URL or to the builder). */
  public Optional<String> user() {
    return user;
  }

  /** The SQLite or H2 file this database is in, when it is one. */
  public Optional<Path> file() {
    return file;
  }

  /**
   * The file a JDBC URL names without opening it: a SQLite database file, or H2's {@code .mv.db};
   * empty for in-memory and server databases.
   */
  public static Optional<Path> fileOf(String url) {
    return EmbeddedSettings.file(JdbcUrl.parse(Objects.requireNonNull(url, "url")).urlWithoutCredentials());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting to retry a migration", e);
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---- building --------------------------------------------------------------------------------

  /**
   * Configures a {@link JdbcDatabase}: either {@link #url} (it makes and owns its pools) or
   * {@link #dataSource} (the application's own; never closed).
   *
   * <p>Defaults: a pool of at most 10 connections (for SQLite: 10 readers and one writer); 2 seconds
   * to get a connection from a database server, 10 seconds for an embedded one (and, for SQLite, to
   * wait for another process's write).
   */
  public static final class Builder {
    private String url;
    private String username;
    private char[] password;
    private DataSource dataSource;
    private DataSource migrationDataSource;
    private String migrationUser;
    private char[] migrationPassword;
    private int maximumPoolSize = 10;
    /** Null: the default of the database's kind (see {@link #connectionTimeout(Duration)}). */
    private Duration connectionTimeout;
    private String poolName;
    private Object metricRegistry;
    private boolean readOnly;

    private Builder() {}

    /**
     * A JDBC URL: {@code jdbc:sqlite:./data/secrets.db}, {@code jdbc:postgresql://host:5432/db},
     * {@code jdbc:h2:file:./data/secrets}, {@code jdbc:h2:mem:name}, {@code jdbc:mariadb://host/db}.
     * {@code user} and {@code password} parameters are moved out of the URL into the pool's
     * properties; embedded databases get durable settings (see the class comment).
     */
    public Builder url(String url) {
      JdbcUrl parsed = JdbcUrl.parse(Objects.requireNonNull(url, "url"));
      this.url = url;
      parsed.user().ifPresent(u -> this.username = u);
      parsed.password().ifPresent(p -> this.password = p.toCharArray());
      return this;
    }

    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** The password; the array is copied. */
    public Builder password(char[] password) {
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** The application's own pool instead of a URL. Never closed by the database. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Where migrations run, if not on connections of their own to the URL: on PostgreSQL, the owner
     * role of the tables, so that the application role is not their owner.
     */
    public Builder migrationDataSource(DataSource migrationDataSource) {
      this.migrationDataSource = Objects.requireNonNull(migrationDataSource, "migrationDataSource");
      return this;
    }

    /**
     * Run migrations on connections of their own to the same URL as another role: on PostgreSQL, the
     * owner of the tables, so that the role the pool connects as owns nothing. The array is copied.
     */
    public Builder migrationCredentials(String username, char[] password) {
      this.migrationUser = Objects.requireNonNull(username, "username");
      this.migrationPassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    public Builder maximumPoolSize(int maximumPoolSize) {
      if (maximumPoolSize < 1 || maximumPoolSize > 1000) {
        throw new IllegalArgumentException("maximumPoolSize out of range (1..1000): " + maximumPoolSize);
      }
      this.maximumPoolSize = maximumPoolSize;
      return this;
    }

    /**
     * How long a call waits for a connection, 250 ms to 5 minutes. Default: 2 s for a database
     * server (PostgreSQL, MariaDB), so that a call fails fast, and is answered "unavailable", while the
     * server cannot be reached; 10 s for SQLite, where it is also how long a write waits for another
     * process's write lock ({@code busy_timeout}), and H2.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      if (connectionTimeout.toMillis() < 250 || connectionTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("connectionTimeout out of range (250ms..5m): " + connectionTimeout);
      }
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /** The pool's name in metrics and thread names; default {@code lanonasis-<hash>}. */
    public Builder poolName(String poolName) {
      this.poolName = Objects.requireNonNull(poolName, "poolName");
      return this;
    }

    /**
     * Opens the database to read it only, as the source of a copy: an embedded file must exist and
     * is not changed (SQLite {@code SQLITE_OPEN_READONLY}, H2 {@code ACCESS_MODE_DATA=r}).
     */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /** A Micrometer {@code MeterRegistry} the pools report to (HikariCP's own metrics). */
    public Builder metricRegistry(Object metricRegistry) {
      this.metricRegistry = Objects.requireNonNull(metricRegistry, "metricRegistry");
      return this;
    }

    /**
     * Connects and checks the database kind. Fails fast with {@link BackendUnavailableException}
     * naming the database (never the password) if it cannot connect.
     */
    public JdbcDatabase build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalStateException("set exactly one of url(...) and dataSource(...)");
      }
      if (dataSource != null) {
        DatabaseKind kind = detect(dataSource, "the application's data source");
        return new JdbcDatabase(kind, dataSource, dataSource, List.of(), "the application's data source",
            new FlywaySource(migrationDataSource != null ? migrationDataSource : dataSource, null, null, null),
            Optional.empty(), Optional.empty(), null);
      }
      JdbcUrl parsed = JdbcUrl.parse(url);
      String described = parsed.describe();
      String target = parsed.urlWithoutCredentials();
      Optional<Path> file = Optional.empty();
      boolean h2Created = false;
      boolean sqlite = target.startsWith("jdbc:sqlite:");
      java.sql.Driver driver = driverFor(target, described);
      if (sqlite) {
        EmbeddedSettings.SqliteFile f = EmbeddedSettings.sqlite(target, connectionTimeout(true), readOnly,
            EmbeddedSettings.sqliteParameters(driver, target));
        target = f.url();
        file = Optional.of(f.file());
        if (!readOnly && f.synchronous().equals("NORMAL")) {
          LOG.info("SQLite synchronous=NORMAL on {}: commits survive a killed process, but power loss may lose "
              + "the last of them", described);
        }
      } else if (target.startsWith("jdbc:h2:")) {
        file = EmbeddedSettings.file(target);
        target = EmbeddedSettings.h2(target, readOnly);
        h2Created = file.isPresent() && !java.nio.file.Files.exists(file.get());
      }
      String name = poolName != null ? poolName : "lanonasis-" + Integer.toHexString(System.identityHashCode(this));
      List<HikariDataSource> pools = new ArrayList<>();
      try {
        HikariDataSource readers = pool(target, name + (sqlite ? "-read" : ""), maximumPoolSize, sqlite, described,
            file);
        pools.add(readers);
        HikariDataSource writers = readers;
        if (sqlite && !readOnly) {
          writers = pool(target, name + "-write", 1, true, described, file);
          pools.add(writers);
        }
        DatabaseKind kind = detect(readers, described);
        if (h2Created && file.isPresent()) {
          EmbeddedSettings.restrictNewFile(file.get());
        }
        String pw = password == null ? null : new String(password);
        FlywaySource fs = migrationDataSource != null ? new FlywaySource(migrationDataSource, null, null, null)
            : migrationUser != null ? new FlywaySource(null, target, migrationUser, new String(migrationPassword))
            : new FlywaySource(null, target, username, pw);
        DiskReserve reserve = sqlite && !readOnly ? DiskReserve.of(file.get(), described, writers) : null;
        return new JdbcDatabase(kind, readers, writers, pools, described, fs, file, Optional.ofNullable(username),
            reserve);
      } catch (RuntimeException e) {
        pools.forEach(HikariDataSource::close);
        throw e;
      }
    }

    /**
     * The JDBC driver that takes {@code url}; none is a configuration error that lists the drivers
     * on the class path (not a connection failure: no database was asked anything).
     */
    private static java.sql.Driver driverFor(String url, String described) {
      try {
        return java.sql.DriverManager.getDriver(url);
      } catch (SQLException e) {
        String scheme = url.split(":", 3).length > 1 ? "jdbc:" + url.split(":", 3)[1] + ":" : url;
        List<String> drivers = java.sql.DriverManager.drivers().map(d -> d.getClass().getName()).sorted().toList();
        throw new ConfigurationException("no JDBC driver on the class path takes " + scheme + " URLs (for the "
            + described + "); drivers found: " + (drivers.isEmpty() ? "none" : String.join(", ", drivers))
            + ". Add the driver's jar, or use one of these databases", e);
      }
    }

    private Duration connectionTimeout(boolean embedded) {
      return connectionTimeout != null ? connectionTimeout : Duration.ofSeconds(embedded ? 10 : 2);
    }

    private HikariDataSource pool(String jdbcUrl, String name, int size, boolean sqlite, String described,
        Optional<Path> file) {
      HikariConfig cfg = new HikariConfig();
      boolean embedded = sqlite || jdbcUrl.startsWith("jdbc:h2:");
      RedialingDataSource redialing = null;
      if (embedded) {
        cfg.setJdbcUrl(jdbcUrl);
        if (username != null) {
          cfg.setUsername(username);
        }
        if (password != null) {
          cfg.setPassword(new String(password));
        }
      }
      cfg.setMaximumPoolSize(size);
      long timeout = connectionTimeout(embedded).toMillis();
      cfg.setConnectionTimeout(timeout);
      cfg.setInitializationFailTimeout(1);
      if (!embedded) {
        // A pooled connection idle for more than 500 ms is validated before it is handed out: within
        // a second, so that a dead server does not use up the caller's connection timeout on one check.
        cfg.setValidationTimeout(Math.min(1000, timeout));
        // Idle connections are tested in the background too (HikariCP's minimum), so one that died
        // with its server while the pool was idle is mostly gone before a request borrows it.
        cfg.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
      }
      if (sqlite) {
        // Transactions are begun explicitly (see sqliteTransaction); SQLite is serializable anyway.
        cfg.setAutoCommit(true);
      } else {
        cfg.setAutoCommit(false);
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      }
      cfg.setPoolName(name);
      // Also what SQLite's driver expects: a connection opened read-only refuses to be set otherwise.
      cfg.setReadOnly(readOnly);
      if (metricRegistry != null) {
        cfg.setMetricRegistry(metricRegistry);
      }
      try {
        if (!embedded) {
          // What HikariCP builds from a URL itself, wrapped so that an outage ends without its backoff.
          redialing = new RedialingDataSource(new DriverDataSource(jdbcUrl, null, new Properties(), username,
              password == null ? null : new String(password)));
          cfg.setDataSource(redialing);
        }
        HikariDataSource pool = new HikariDataSource(cfg);
        if (redialing != null) {
          redialing.redial();
        }
        return pool;
      } catch (RuntimeException e) {
        SQLException sqle = SqlFailures.findSqlException(e);
        if (sqlite && sqle != null && file.isPresent()) {
          SqliteFileFaults.openFailure(described, file.get(), sqle).ifPresent(fault -> {
            throw fault;
          });
        }
        throw new BackendUnavailableException("cannot connect to " + described
            + (sqle != null ? " (SQLState " + sqle.getSQLState() + ")" : "") + ": check that it is running and reachable, "
            + "and the user name and password", sqle != null ? sqle : e);
      }
    }

    private static DatabaseKind detect(DataSource ds, String described) {
      try (Connection c = ds.getConnection()) {
        return DatabaseKind.fromProductName(c.getMetaData().getDatabaseProductName());
      } catch (SQLException e) {
        throw new BackendUnavailableException("cannot connect to " + described + " (SQLState " + e.getSQLState() + ")", e);
      }
    }
  }
}
