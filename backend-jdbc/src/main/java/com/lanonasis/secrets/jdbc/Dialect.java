package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.ConfigurationException;
import java.util.Locale;

/** The databases we speak, and the little SQL that differs between them. */
enum Dialect {
  POSTGRESQL("postgresql"),
  H2("h2"),
  MARIADB("mariadb");

  /** Folder of this dialect's migrations under {@code com/lanonasis/secrets/jdbc/migration}. */
  final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  static Dialect fromProductName(String product) {
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MARIADB;
    }
    throw new ConfigurationException("unsupported database '" + product + "': use PostgreSQL, H2 or MariaDB");
  }

  /** Whether tenant isolation is enforced by the database (row-level security) as well. */
  boolean hasRowLevelSecurity() {
    return this == POSTGRESQL;
  }

  /** Inserts a row unless its key exists, answering 0 rows instead of failing the transaction. */
  String insertIfAbsent(String table, String columns, String placeholders) {
    if (this == POSTGRESQL) {
      return "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ") ON CONFLICT DO NOTHING";
    }
    // H2 and MariaDB roll back only the failing statement, so a duplicate key is caught instead.
    return "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ")";
  }
}
