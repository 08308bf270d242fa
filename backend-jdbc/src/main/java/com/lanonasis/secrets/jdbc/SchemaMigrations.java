package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flyway migrations of one {@link JdbcDatabase}: where they run (a data source, or connections
 * of their own to the URL, possibly as the tables' owner role), baselining a schema that holds
 * other tables, retrying a concurrent first start, and serialising embedded databases in this JVM.
 */
final class SchemaMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  /**
   * H2 commits at every DDL statement and SQLite has no lock Flyway can take, so two stores
   * migrating one embedded database at once could both run V1. Embedded means one process: a lock
   * in this JVM serialises them.
   */
  private static final Object EMBEDDED_MIGRATION_LOCK = new Object();

  /** What Flyway connects with: a data source, or its own connections to a URL. */
  record Source(
      @Nullable DataSource dataSource,
      @Nullable String url,
      @Nullable String user,
      @Nullable String password) {
    static Source of(DataSource dataSource) {
      return new Source(dataSource, null, null, null);
    }

    static Source of(String url, @Nullable String user, @Nullable String password) {
      return new Source(null, url, user, password);
    }

    @Override
    public String toString() {
      return "SchemaMigrations.Source[" + (dataSource != null ? "data source" : "url") + "]";
    }
  }

  private final DatabaseKind kind;
  private final String described;
  private final Source source;

  SchemaMigrations(DatabaseKind kind, String described, Source source) {
    this.kind = kind;
    this.described = described;
    this.source = source;
  }

  /** See {@link JdbcDatabase#migrate}. */
  void migrate(
      Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    Flyway flyway = flyway(owner, location, historyTable, placeholders);
    if (kind.embedded()) {
      synchronized (EMBEDDED_MIGRATION_LOCK) {
        migrate(flyway);
      }
    } else {
      migrate(flyway);
    }
  }

  /** See {@link JdbcDatabase#validate}. */
  void validate(
      Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    try {
      flyway(owner, location, historyTable, placeholders).validate();
    } catch (FlywayException e) {
      throw new ConfigurationException(
          "the schema of "
              + described
              + " is missing or not current; "
              + "run migrations as the owner role: "
              + firstLine(e.getMessage()),
          e);
    }
  }

  private Flyway flyway(
      Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    FluentConfiguration cfg =
        Flyway.configure(owner.getClassLoader())
            .locations("classpath:" + location + "/" + kind.id())
            .table(historyTable)
            .placeholders(placeholders)
            .baselineVersion("0")
            .failOnMissingLocations(true);
    // Flyway may hold two connections at once: it gets its own, not the store's pool (a pool of one
    // would deadlock). A caller's own DataSource is used as given.
    cfg =
        source.dataSource() != null
            ? cfg.dataSource(source.dataSource())
            : cfg.dataSource(source.url(), source.user(), source.password());
    return cfg.baselineOnMigrate(foreignTablesOnly(cfg.getDataSource(), historyTable)).load();
  }

  private boolean foreignTablesOnly(DataSource ds, String historyTable) {
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
      boolean anyTable = false;
      boolean history = false;
      while (rs.next()) {
        anyTable = true;
        history |= rs.getString("TABLE_NAME").equalsIgnoreCase(historyTable);
      }
      return anyTable && !history;
    } catch (SQLException e) {
      LOG.debug(
          "could not list tables before migrating (SQLState {}); Flyway will report it",
          e.getSQLState());
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
        boolean deterministic =
            sqle != null && sqle.getSQLState() != null && sqle.getSQLState().startsWith("42");
        if (attempt < 6 && !deterministic) {
          LOG.debug(
              "migration attempt {} on {} failed ({}); retrying",
              attempt,
              described,
              firstLine(e.getMessage()));
          sleep(100L << attempt);
          continue;
        }
        throw new ConfigurationException(
            "could not migrate the schema of "
                + described
                + (sqle != null ? " (SQLState " + sqle.getSQLState() + ")" : "")
                + ": "
                + firstLine(e.getMessage()),
            e);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting to retry a migration", e);
    }
  }

  static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
