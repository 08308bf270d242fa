package com.lanonasis.secrets.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Classifies SQL errors by SQLState and vendor code, across PostgreSQL, H2 and MariaDB. */
final class SqlFailures {
  /** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now. */
  private static final Set<String> PG_SERVER_GONE = Set.of("57P01", "57P02", "57P03");

  private static final int MARIADB_DUPLICATE_ENTRY = 1062;

  /** H2's "concurrent update" error: another transaction changed the row first. */
  private static final String H2_CONCURRENT_UPDATE = "90131";

  private SqlFailures() {}

  static boolean isConnectionLoss(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || PG_SERVER_GONE.contains(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState()) || e.getErrorCode() == MARIADB_DUPLICATE_ENTRY;
  }

  /**
   * Serialization failure, deadlock victim, or H2's concurrent update: the statement lost a race.
   */
  static boolean isLostRace(SQLException e) {
    String s = e.getSQLState();
    return "40001".equals(s) || "40P01".equals(s) || H2_CONCURRENT_UPDATE.equals(s);
  }

  /**
   * PostgreSQL's data_corrupted and index_corrupted: the database itself says its data is damaged.
   */
  static boolean isDataCorrupted(SQLException e) {
    return "XX001".equals(e.getSQLState()) || "XX002".equals(e.getSQLState());
  }

  static @Nullable SQLException findSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
