package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.slf4j.LoggerFactory;

@DisplayName("failures: unreachable databases, killed connections")
class FailureBehaviourTest {
  private static final String PASSWORD = "S3NTINEL-db-password-51c0";

  private static List<String> messages(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.add(String.valueOf(t.getMessage()));
    }
    return out;
  }

  @Test
  @DisplayName(
      "an unreachable database fails at open, naming host and database but never the password")
  void open_unreachable_clearErrorWithoutPassword() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root =
        ((LoggerContext) LoggerFactory.getILoggerFactory())
            .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level old = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    try {
      for (String url :
          List.of(
              "jdbc:postgresql://127.0.0.1:1/nowhere?user=app&password=" + PASSWORD,
              "jdbc:mariadb://127.0.0.1:1/nowhere?user=app&password=" + PASSWORD)) {
        BackendUnavailableException e =
            catchThrowableOfType(
                BackendUnavailableException.class,
                () ->
                    JdbcRecordStore.builder()
                        .database(
                            JdbcDatabase.builder()
                                .url(url)
                                .connectionTimeout(Duration.ofSeconds(1)))
                        .build());
        assertThat(e.getMessage())
            .contains("127.0.0.1:1")
            .contains("'nowhere'")
            .contains("cannot connect");
        assertThat(e.isRetryable()).isTrue();
        assertThat(messages(e)).allSatisfy(m -> assertThat(m).doesNotContain(PASSWORD));
        assertThat(e.toString()).doesNotContain(PASSWORD);
      }
      // Wrong password on a real server: the same care.
      BackendUnavailableException wrong =
          catchThrowableOfType(
              BackendUnavailableException.class,
              () ->
                  SecretStores.builder()
                      .keyring(MasterKeyring.generate())
                      .uri(
                          "jdbc:mariadb://"
                              + TestDatabases.MARIADB_HOST
                              + "/test?user=nobody_here&password="
                              + PASSWORD)
                      .open());
      assertThat(wrong.getMessage()).contains("mariadb database 'test'");
      assertThat(messages(wrong)).allSatisfy(m -> assertThat(m).doesNotContain(PASSWORD));
    } finally {
      root.detachAppender(logs);
      root.setLevel(old);
    }
    assertThat(logs.list)
        .allSatisfy(
            ev -> {
              assertThat(ev.getFormattedMessage()).doesNotContain(PASSWORD);
              if (ev.getThrowableProxy() != null) {
                assertThat(String.valueOf(ev.getThrowableProxy().getMessage()))
                    .doesNotContain(PASSWORD);
              }
            });
  }

  @Test
  @DisplayName(
      "a write whose connection is killed mid-statement fails as unavailable, leaves no half version, and the pool recovers")
  void put_connectionKilledMidWrite_noHalfVersionAndPoolRecovers() throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, null);
    target.open().close(); // migrated by the owner
    try (JdbcRecordStore records = target.builder().validateSchemaOnly().build();
        SecretStore store =
            SecretStores.builder()
                .recordStore(records)
                .keyring(MasterKeyring.generate())
                .tenant("victim")
                .open()) {
      store.put("db/password", SecretValue.ofUtf8("v1"));

      // Hold the head row's lock as the superuser, so the store's next write blocks inside its
      // UPDATE.
      try (Connection blocker =
          DriverManager.getConnection(
              "jdbc:postgresql://"
                  + TestDatabases.PG_HOST
                  + "/"
                  + TestDatabases.PG_DB
                  + "?user=postgres")) {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
          s.execute(
              "SELECT 1 FROM "
                  + target.schema()
                  + ".secret_heads WHERE tenant = 'victim' FOR UPDATE");
        }
        CompletableFuture<Object> write =
            CompletableFuture.supplyAsync(() -> store.put("db/password", SecretValue.ofUtf8("v2")));
        int pid = waitForBlockedBackend(blocker);
        try (Statement s = blocker.createStatement()) {
          s.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
        Throwable failure =
            catchThrowableOfType(
                    java.util.concurrent.ExecutionException.class,
                    () -> write.get(1, TimeUnit.MINUTES))
                .getCause();
        assertThat(failure).isInstanceOf(BackendUnavailableException.class);
        assertThat(failure.getMessage()).contains("connection lost");
        blocker.rollback();
      }

      assertThat(store.versions("db/password")).hasSize(1);
      try (Secret s = store.get("db/password")) {
        assertThat(s.value().asUtf8()).isEqualTo("v1");
      }
      assertThat(store.put("db/password", SecretValue.ofUtf8("v2")).version()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "a read handed a pooled connection that the server killed is retried once, on a fresh one, and succeeds")
  void get_pooledConnectionKilled_readRetriedOnFreshConnection() throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, null);
    target.open().close(); // migrated by the owner
    try (HikariDataSource pool = target.appDataSource(2)) {
      KillingDataSource killing = new KillingDataSource(pool);
      try (JdbcRecordStore records =
              JdbcRecordStore.builder().dataSource(killing).validateSchemaOnly().build();
          SecretStore store =
              SecretStores.builder()
                  .recordStore(records)
                  .keyring(MasterKeyring.generate())
                  .open()) {
        store.put("k", SecretValue.ofUtf8("still here"));

        // The pool checks a connection only when it has been idle for a while, so killing idle
        // connections may or may not reach the store. Killing the very connection the pool hands
        // out makes the read's first attempt fail for certain: only a retry can succeed.
        killing.killNextHandedOut(1);
        int before = killing.acquisitions.get();
        try (Secret s = store.get("k")) {
          assertThat(s.value().asUtf8()).isEqualTo("still here");
        }
        assertThat(killing.killedPids).hasSize(1);
        assertThat(killing.acquisitions.get() - before)
            .as("connections the read took")
            .isEqualTo(2);

        // Once, not more: a read whose retry is killed too fails as unavailable.
        killing.killNextHandedOut(2);
        before = killing.acquisitions.get();
        assertThatThrownBy(() -> store.get("k"))
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("connection lost");
        assertThat(killing.acquisitions.get() - before)
            .as("connections the failed read took")
            .isEqualTo(2);
      }
    }
  }

  /**
   * Hands out the pool's connections and counts them; when armed, it terminates the server side of
   * the next few (and waits until each backend is gone) before handing them out.
   */
  private static final class KillingDataSource implements DataSource {
    private final DataSource pool;
    final AtomicInteger acquisitions = new AtomicInteger();
    final List<Integer> killedPids = new CopyOnWriteArrayList<>();
    private final AtomicInteger toKill = new AtomicInteger();

    KillingDataSource(DataSource pool) {
      this.pool = pool;
    }

    void killNextHandedOut(int connections) {
      toKill.set(connections);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = pool.getConnection();
      acquisitions.incrementAndGet();
      if (toKill.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        int pid = c.unwrap(PGConnection.class).getBackendPID();
        try (Connection admin =
                DriverManager.getConnection(
                    "jdbc:postgresql://"
                        + TestDatabases.PG_HOST
                        + "/"
                        + TestDatabases.PG_DB
                        + "?user=postgres");
            Statement s = admin.createStatement()) {
          s.execute("SELECT pg_terminate_backend(" + pid + ")");
          waitUntilGone(s, pid);
        }
        killedPids.add(pid);
      }
      return c;
    }

    private static void waitUntilGone(Statement s, int pid) throws SQLException {
      for (int i = 0; i < 600; i++) {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_stat_activity WHERE pid = " + pid)) {
          if (!rs.next()) {
            return;
          }
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      throw new AssertionError("backend " + pid + " did not exit after pg_terminate_backend");
    }

    @Override
    public Connection getConnection(String username, String password) {
      throw new UnsupportedOperationException("the store asks for pooled connections only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return pool.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /**
   * The backend waiting for a lock that {@code blocker} holds: only the store's write under test,
   * never another test's connection on the same server.
   */
  private static int waitForBlockedBackend(Connection blocker)
      throws SQLException, InterruptedException {
    int blockerPid = blocker.unwrap(PGConnection.class).getBackendPID();
    for (int i = 0; i < 600; i++) {
      try (Statement s = blocker.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT pid FROM pg_stat_activity WHERE usename = '"
                      + TestDatabases.PG_APP
                      + "' AND "
                      + blockerPid
                      + " = ANY(pg_blocking_pids(pid))")) {
        if (rs.next()) {
          return rs.getInt(1);
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the store's write never blocked on the held lock");
  }
}
