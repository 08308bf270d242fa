package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.ConfigurationException;
import java.util.Locale;

/**
 * The databases the JDBC backend speaks, and the little SQL that differs between them.
 *
 * <p>{@link #SQLITE} is the embedded default (one file, one host, durable at every commit); H2 is
 * kept for existing stores; PostgreSQL (with row-level security) and MariaDB are servers.
 *
 * @since 0.1
 */
public enum DatabaseKind {
  POSTGRESQL("postgresql"),
  H2("h2"),
  MARIADB("mariadb"),
  SQLITE("sqlite");

  private final String id;

  DatabaseKind(String id) {
    this.id = id;
  }

  /**
   * The lower-case name, as in a JDBC URL ({@code jdbc:<id>:}) and in folder names of migrations.
   */
  public String id() {
    return id;
  }

  /** Whether the database is a library inside this process (one host), not a server. */
  public boolean embedded() {
    return this == H2 || this == SQLITE;
  }

  static DatabaseKind fromProductName(String product) {
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
    if (p.equals("sqlite")) {
      return SQLITE;
    }
    throw new ConfigurationException(
        "unsupported database '" + product + "': use SQLite, PostgreSQL, H2 or MariaDB");
  }

  /** Whether tenant isolation is enforced by the database (row-level security) as well. */
  boolean hasRowLevelSecurity() {
    return this == POSTGRESQL;
  }

  /**
   * The clause that makes a {@code SELECT} of one row take a lock that concurrent readers share and
   * an {@code UPDATE} of the row waits for. H2 has no shared row lock, so it takes an exclusive
   * one; SQLite needs none (a write transaction holds the whole database).
   */
  String sharedRowLock() {
    return switch (this) {
      case POSTGRESQL -> " FOR SHARE";
      case MARIADB -> " LOCK IN SHARE MODE";
      case H2 -> " FOR UPDATE";
      case SQLITE -> "";
    };
  }

  /** Inserts a row unless its key exists, answering 0 rows instead of failing the transaction. */
  String insertIfAbsent(String table, String columns, String placeholders) {
    String insert = "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ")";
    if (this == POSTGRESQL || this == SQLITE) {
      return insert + " ON CONFLICT DO NOTHING";
    }
    // H2 and MariaDB roll back only the failing statement, so a duplicate key is caught instead.
    return insert;
  }
}
