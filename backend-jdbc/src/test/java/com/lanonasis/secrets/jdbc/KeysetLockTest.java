package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An append holds the tenant keyset's row (shared) until it commits, so a keyset change — a
 * destroy, here — cannot slip in between the append's check of the generation and its commit. The
 * append is held open inside a caller's transaction ({@code bindTo}) to make the window as wide as
 * the test wants; the destroy is seen waiting for that transaction's lock, by the database's own
 * report of lock waits (SQLite has none: there a destroy that may not wait is refused), not guessed
 * from a sleep.
 */
@DisplayName("a keyset change waits for the appends sealed under the old generation")
class KeysetLockTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"POSTGRESQL", "MARIADB", "H2_FILE", "SQLITE"})
  @DisplayName(
      "destroy waits for an append in flight; after it, appends under the old generation are refused")
  void destroy_waitsForAppendInFlight(TestDatabases.Kind kind) throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (JdbcRecordStore records = target.open();
        HikariDataSource app = target.appDataSource(2)) {
      assertThat(
              records.putTenantKeyset(
                  "acme", new WrappedKeyset(new byte[] {1, 2, 3}, 1, 0, NOW), 0))
          .isTrue();
      Future<Boolean> destroy;
      try (Connection c = app.getConnection()) {
        c.setAutoCommit(false);
        RecordStore inFlight = records.bindTo(c);
        assertThat(inFlight.append("acme", record("held", 1), Optional.empty(), 1))
            .isEqualTo(AppendResult.APPENDED);

        if (kind == TestDatabases.Kind.SQLITE) {
          // SQLite shows no lock waits, but a destroy that may not wait at all is refused while the
          // append holds
          // the write lock, and changes nothing.
          try (JdbcRecordStore noWait =
              JdbcRecordStore.builder().url(target.appUrl() + "?busy_timeout=0").build()) {
            assertThatThrownBy(
                    () -> noWait.putTenantKeyset("acme", WrappedKeyset.destroyed(2, NOW), 1))
                .isInstanceOf(SecretsException.class);
          }
        }
        destroy =
            other.submit(() -> records.putTenantKeyset("acme", WrappedKeyset.destroyed(2, NOW), 1));
        if (kind != TestDatabases.Kind.SQLITE) {
          // Seen from the database: the destroy's session waits for a lock that our session holds.
          LockWaits waits = new LockWaits(kind, c);
          try (Connection observer = app.getConnection()) {
            // A bound only so that a destroy stuck elsewhere fails the test instead of hanging it.
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean waiting = false;
            while (!destroy.isDone()
                && !(waiting = waits.anyWaitingFor(observer))
                && System.nanoTime() < giveUp) {
              Thread.onSpinWait();
            }
            assertThat(destroy.isDone())
                .as("the destroy was done before it waited for the append in flight")
                .isFalse();
            assertThat(waiting).as("the destroy waits for the lock our append holds").isTrue();
          }
        }
        assertThat(records.tenantKeyset("acme"))
            .map(WrappedKeyset::generation)
            .as("nothing destroyed yet")
            .hasValue(1L);
        c.commit();
      }
      assertThat(destroy.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(records.head("acme", SecretName.of("held"))).isPresent();
      assertThat(records.append("acme", record("late", 1), Optional.empty(), 1))
          .isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.head("acme", SecretName.of("late"))).isEmpty();
    } finally {
      other.shutdownNow();
    }
  }

  /**
   * The sessions waiting for a lock that one session holds, as the database itself reports them.
   */
  private static final class LockWaits {
    private final String query;
    private final long holder;

    LockWaits(TestDatabases.Kind kind, Connection holding) throws SQLException {
      String self;
      switch (kind) {
        case POSTGRESQL -> {
          self = "SELECT pg_backend_pid()";
          query = "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))";
        }
        case MARIADB -> {
          self = "SELECT connection_id()";
          query =
              "SELECT count(*) FROM information_schema.innodb_lock_waits w JOIN information_schema.innodb_trx t "
                  + "ON t.trx_id = w.blocking_trx_id WHERE t.trx_mysql_thread_id = ?";
        }
        case H2_FILE, H2_MEM -> {
          self = "SELECT SESSION_ID()";
          query = "SELECT count(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID = ?";
        }
        default -> throw new IllegalArgumentException(kind + " reports no lock waits");
      }
      try (Statement s = holding.createStatement();
          ResultSet r = s.executeQuery(self)) {
        r.next();
        holder = r.getLong(1);
      }
    }

    boolean anyWaitingFor(Connection observer) throws SQLException {
      try (PreparedStatement ps = observer.prepareStatement(query)) {
        ps.setLong(1, holder);
        try (ResultSet r = ps.executeQuery()) {
          r.next();
          return r.getLong(1) > 0;
        }
      }
    }
  }

  private static SealedRecord record(String name, long version) {
    return new SealedRecord(SecretName.of(name), version, 7, new byte[] {9}, NOW);
  }
}
