package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Makes the HikariCP pools of a {@link JdbcDatabase} from the settings its builder holds: which
 * driver takes the URL, how a pool validates connections to a server that may go away, and how a
 * failure to connect is told.
 */
final class ConnectionPools {
  /** SQLite's primary result code for a locked file. */
  private static final int SQLITE_BUSY = 5;

  /**
   * What every pool of one database shares.
   *
   * @param timeout how long to wait for a connection (resolved for the database's kind)
   * @param metricRegistry a Micrometer {@code MeterRegistry}, or null
   */
  // The password is a char[] so that it can be wiped; settings are never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Settings(
      @Nullable String username,
      char @Nullable [] password,
      Duration timeout,
      boolean readOnly,
      @Nullable Object metricRegistry) {
    @Override
    public String toString() {
      return "ConnectionPools.Settings[user="
          + username
          + ", password="
          + (password == null ? "none" : "***")
          + ", timeout="
          + timeout
          + "]";
    }
  }

  private ConnectionPools() {}

  /**
   * The JDBC driver that takes {@code url}; none is a configuration error that lists the drivers on
   * the class path (not a connection failure: no database was asked anything).
   */
  static Driver driverFor(String url, String described) {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException e) {
      String scheme = url.split(":", 3).length > 1 ? "jdbc:" + url.split(":", 3)[1] + ":" : url;
      List<String> drivers =
          DriverManager.drivers().map(d -> d.getClass().getName()).sorted().toList();
      throw new ConfigurationException(
          "no JDBC driver on the class path takes "
              + scheme
              + " URLs (for the "
              + described
              + "); drivers found: "
              + (drivers.isEmpty() ? "none" : String.join(", ", drivers))
              + ". Add the driver's jar, or use one of these databases",
          e);
    }
  }

  static HikariDataSource pool(
      String jdbcUrl,
      String name,
      int size,
      boolean sqlite,
      String described,
      Optional<Path> file,
      Settings settings) {
    HikariConfig cfg = new HikariConfig();
    boolean embedded = sqlite || jdbcUrl.startsWith("jdbc:h2:");
    String password = settings.password() == null ? null : new String(settings.password());
    RedialingDataSource redialing = null;
    if (embedded) {
      cfg.setJdbcUrl(jdbcUrl);
      if (settings.username() != null) {
        cfg.setUsername(settings.username());
      }
      if (password != null) {
        cfg.setPassword(password);
      }
    }
    cfg.setMaximumPoolSize(size);
    long timeout = settings.timeout().toMillis();
    cfg.setConnectionTimeout(timeout);
    cfg.setInitializationFailTimeout(1);
    if (!embedded) {
      // A pooled connection idle for more than 500 ms is validated before it is handed out: within
      // a second, so that a dead server does not use up the caller's connection timeout on one
      // check.
      cfg.setValidationTimeout(Math.min(1000, timeout));
      // Idle connections are tested in the background too (HikariCP's minimum), so one that died
      // with its server while the pool was idle is mostly gone before a request borrows it.
      cfg.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
    }
    if (sqlite) {
      // Transactions are begun explicitly (see Transactions); SQLite is serializable anyway.
      cfg.setAutoCommit(true);
    } else {
      cfg.setAutoCommit(false);
      cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    }
    cfg.setPoolName(name);
    // Also what SQLite's driver expects: a connection opened read-only refuses to be set otherwise.
    cfg.setReadOnly(settings.readOnly());
    if (settings.metricRegistry() != null) {
      cfg.setMetricRegistry(settings.metricRegistry());
    }
    try {
      if (!embedded) {
        // What HikariCP builds from a URL itself, wrapped so that an outage ends without its
        // backoff.
        redialing =
            new RedialingDataSource(
                new DriverDataSource(
                    jdbcUrl, null, new Properties(), settings.username(), password));
        cfg.setDataSource(redialing);
      }
      HikariDataSource pool = open(cfg, sqlite);
      if (redialing != null) {
        redialing.redial();
      }
      return pool;
    } catch (RuntimeException e) {
      SQLException sqle = SqlFailures.findSqlException(e);
      if (sqlite && sqle != null && file.isPresent()) {
        SqliteFileFaults.openFailure(described, file.get(), sqle)
            .ifPresent(
                fault -> {
                  throw fault;
                });
      }
      throw new BackendUnavailableException(
          "cannot connect to "
              + described
              + (sqle != null ? " (SQLState " + sqle.getSQLState() + ")" : "")
              + ": check that it is running and reachable, "
              + "and the user name and password",
          sqle != null ? sqle : e);
    }
  }

  /**
   * The pool, its first connection open. On SQLite a few more tries when that connection found the
   * file busy: several processes opening one new file at once race to switch it to WAL, a lock the
   * busy timeout does not wait for (SQLITE_BUSY at open).
   */
  private static HikariDataSource open(HikariConfig cfg, boolean sqlite) {
    for (int attempt = 1; ; attempt++) {
      try {
        return new HikariDataSource(cfg);
      } catch (RuntimeException e) {
        SQLException sqle = SqlFailures.findSqlException(e);
        if (!sqlite
            || attempt == 5
            || sqle == null
            || (sqle.getErrorCode() & 0xff) != SQLITE_BUSY) {
          throw e;
        }
        try {
          Thread.sleep(50L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static DatabaseKind detect(DataSource ds, String described) {
    try (Connection c = ds.getConnection()) {
      return DatabaseKind.fromProductName(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new BackendUnavailableException(
          "cannot connect to " + described + " (SQLState " + e.getSQLState() + ")", e);
    }
  }
}
