package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies tables row by row from one database to another, as stored: see {@link
 * JdbcDatabase#copyTo}.
 */
final class TableCopy {
  private static final int BATCH = 500;

  private TableCopy() {}

  static Map<String, Long> copy(JdbcDatabase source, JdbcDatabase target, List<String> tables) {
    List<String> names = List.copyOf(tables);
    return source.read(
        "read tables to copy",
        from -> {
          boolean snapshot = source.kind() == DatabaseKind.SQLITE;
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

  private static Map<String, Long> copyTables(
      Connection from, Connection to, JdbcDatabase target, List<String> names) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : names) {
      try (Statement s = to.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new ConfigurationException(
              "the table "
                  + table
                  + " of "
                  + target.describe()
                  + " already holds "
                  + rs.getLong(1)
                  + " rows: copy into an empty store only");
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
    try (Statement s = from.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      int[] types = new int[n];
      for (int i = 1; i <= n; i++) {
        columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
        types[i - 1] = meta.getColumnType(i);
      }
      String insert =
          "INSERT INTO "
              + table
              + " ("
              + String.join(", ", columns)
              + ") VALUES ("
              + String.join(", ", Collections.nCopies(n, "?"))
              + ")";
      try (PreparedStatement ps = to.prepareStatement(insert)) {
        int batched = 0;
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            copyValue(rs, ps, i, types[i - 1]);
          }
          ps.addBatch();
          rows++;
          if (++batched == BATCH) {
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

  private static void copyValue(ResultSet rs, PreparedStatement ps, int i, int type)
      throws SQLException {
    switch (type) {
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
          ps.setBytes(i, rs.getBytes(i));
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.CLOB,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.NCLOB ->
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
}
