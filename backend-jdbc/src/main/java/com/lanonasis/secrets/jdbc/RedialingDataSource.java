package com.lanonasis.secrets.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What a database server's pool makes its connections with: the driver, dialled again every {@value
 * #REDIAL_MILLIS} ms while the server cannot be reached, for up to a minute, instead of failing at
 * once.
 *
 * <p>Why: HikariCP's connection adder backs off after each failed attempt, doubling up to 5 s, so
 * after an outage of a few seconds the pool could go 5 s more without a connection after the
 * database was back, and every request meanwhile waited its connection timeout and was answered
 * 503. Redialled here, the first connection is made within a quarter of a second of the database
 * accepting connections again. Only the adder's thread waits in here (requests wait in the pool,
 * for at most their connection timeout); failures other than an unreachable server (a wrong
 * password, an unknown database) fail at once, and so does everything before {@link #redial()} is
 * called (the pool's first connection at start: fail fast) and after {@link #stop()}.
 */
final class RedialingDataSource implements DataSource {
  static final long REDIAL_MILLIS = 250;
  private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final DataSource driver;
  private volatile boolean redial;

  RedialingDataSource(DataSource driver) {
    this.driver = driver;
  }

  /** From now on, an unreachable server is dialled again. */
  void redial() {
    redial = true;
  }

  /** The pool is closing: fail at once again. */
  void stop() {
    redial = false;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long start = System.nanoTime();
    while (true) {
      try {
        return driver.getConnection();
      } catch (SQLException e) {
        if (!redial
            || !SqlFailures.isConnectionLoss(e)
            || System.nanoTime() - start > GIVE_UP_NANOS) {
          throw e;
        }
        try {
          Thread.sleep(REDIAL_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the credentials are the driver data source's");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return driver.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    driver.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    driver.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return driver.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return driver.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || driver.isWrapperFor(type);
  }
}
