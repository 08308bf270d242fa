package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretsException;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections and transactions of one {@link JdbcDatabase}: which pool a read or a write takes,
 * how a transaction is begun and ended on each kind of database, what a lost connection does to the
 * pool, the statements kept prepared on SQLite, and how an {@link SQLException} becomes one of
 * ours.
 */
final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  private final DatabaseKind kind;
  private final String described;
  private final DataSource readers;
  private final DataSource writers;
  private final List<HikariDataSource> owned;

  /** SQLite file: the free space it keeps; null for every other database. */
  private final @Nullable DiskReserve reserve;

  /**
   * SQLite: statements kept prepared per physical connection of our own pools (see {@link
   * #prepare}).
   */
  private final Map<Connection, Map<String, PreparedStatement>> prepared =
      new ConcurrentHashMap<>();

  Transactions(
      DatabaseKind kind,
      String described,
      DataSource readers,
      DataSource writers,
      List<HikariDataSource> owned,
      @Nullable DiskReserve reserve) {
    this.kind = kind;
    this.described = described;
    this.readers = readers;
    this.writers = writers;
    this.owned = List.copyOf(owned);
    this.reserve = reserve;
  }

  /** The pool reads take: for a plain connection outside {@link #run} (an online backup). */
  DataSource readers() {
    return readers;
  }

  void checkWritable() {
    if (reserve != null) {
      reserve.check("write");
    }
  }

  /** How {@link #run} runs a work. */
  enum Mode {
    /**
     * A read transaction (on SQLite: statements in auto-commit, see {@link #sqliteTransaction}).
     */
    READ,
    /**
     * One read statement in auto-commit, on every database ({@link JdbcDatabase#readStatement}).
     */
    STATEMENT,
    /** A write transaction. */
    WRITE
  }

  <T> T run(String what, Mode mode, JdbcDatabase.Work<T> work) {
    boolean read = mode != Mode.WRITE;
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
        if (mode == Mode.STATEMENT && kind != DatabaseKind.SQLITE) {
          return autoCommitted(c, work);
        }
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
        // A read is repeated once on a fresh connection; a write is not: its outcome may be
        // unknown.
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
    if (ds instanceof HikariDataSource pool
        && owned.contains(pool)
        && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  /** Runs a one-statement read in auto-commit, restoring the connection's mode afterwards. */
  private static <T> T autoCommitted(Connection c, JdbcDatabase.Work<T> work) throws SQLException {
    boolean restoreManual = !c.getAutoCommit();
    if (restoreManual) {
      c.setAutoCommit(true);
    }
    try {
      return work.run(c);
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

  private static <T> T transaction(Connection c, JdbcDatabase.Work<T> work) throws SQLException {
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
   * its statements in auto-commit, each on a consistent snapshot of its own: every read of the
   * store and the server is one statement, and skipping BEGIN and COMMIT saves two round trips
   * through the driver per read. {@link TableCopy} begins its own read transaction for its several
   * statements.
   */
  private static <T> T sqliteTransaction(
      DataSource ds, Connection c, boolean read, JdbcDatabase.Work<T> work) throws SQLException {
    if (read) {
      return autoCommitted(c, work);
    }
    return autoCommitted(
        c,
        connection -> {
          try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
              T result = work.run(connection);
              s.execute("COMMIT");
              return result;
            } catch (SQLException | RuntimeException e) {
              try {
                s.execute("ROLLBACK");
              } catch (SQLException rollbackFailed) {
                // SQLite may have rolled back already (after I/O errors, a full disk); if not,
                // this connection could still hold the write lock: never give it back to the pool.
                if (ds instanceof HikariDataSource pool) {
                  pool.evictConnection(connection);
                }
              }
              throw e;
            }
          }
        });
  }

  /** See {@link JdbcDatabase#prepare}. */
  JdbcDatabase.Prepared prepare(Connection connection, String sql) throws SQLException {
    if (kind != DatabaseKind.SQLITE || owned.isEmpty()) {
      return JdbcDatabase.Prepared.once(connection, sql);
    }
    Connection physical = connection.unwrap(Connection.class);
    Map<String, PreparedStatement> statements = prepared.get(physical);
    if (statements == null) {
      // A connection the pool replaced is closed with its statements: forget it.
      prepared
          .keySet()
          .removeIf(
              known -> {
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
    return JdbcDatabase.Prepared.kept(ps);
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

  /** See {@link JdbcDatabase#unavailable}. */
  SecretsException unavailable(String what, SQLException e) {
    if (kind == DatabaseKind.SQLITE && SqliteFileFaults.isDamaged(e)) {
      return SqliteFileFaults.damaged(what, described, e);
    }
    if (SqlFailures.isDataCorrupted(e)) {
      return new IntegrityException(
          "could not "
              + what
              + " on "
              + described
              + ": the database reports damaged data "
              + "(SQLState "
              + e.getSQLState()
              + "); restore it from a backup",
          e);
    }
    return new BackendUnavailableException(
        "could not "
            + what
            + " on "
            + described
            + " (SQLState "
            + e.getSQLState()
            + (e.getSQLState() == null && kind == DatabaseKind.SQLITE
                ? ", SQLite code " + e.getErrorCode()
                : "")
            + (SqlFailures.isConnectionLoss(e) ? ", connection lost" : "")
            + ")",
        e);
  }

  /** Closes the pools this database made (never an application's data source). */
  void close() {
    prepared.clear();
    for (HikariDataSource pool : owned) {
      if (pool.getDataSource() instanceof RedialingDataSource redialing) {
        redialing.stop();
      }
      pool.close();
    }
  }
}
