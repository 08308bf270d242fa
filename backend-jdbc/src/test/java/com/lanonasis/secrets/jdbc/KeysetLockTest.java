package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
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
 * destroy, here — cannot slip in between the append's check of the generation and its commit.
 * The append is held open inside a caller's transaction ({@code bindTo}) to make the window as
 * wide as the test wants.
 */
@DisplayName("a keyset change waits for the appends sealed under the old generation")
class KeysetLockTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = TestDatabases.Kind.class, names = {"POSTGRESQL", "MARIADB", "H2_FILE", "SQLITE"})
  @DisplayName("destroy waits for an append in flight; after it, appends under the old generation are refused")
  void destroy_waitsForAppendInFlight(TestDatabases.Kind kind) throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (JdbcRecordStore records = target.open(); HikariDataSource app = target.appDataSource(2)) {
      assertThat(records.putTenantKeyset("acme", new WrappedKeyset(new byte[] {1, 2, 3}, 1, 0, NOW), 0)).isTrue();
      Future<Boolean> destroy;
      try (Connection c = app.getConnection()) {
        c.setAutoCommit(false);
        RecordStore inFlight = records.bindTo(c);
        assertThat(inFlight.append("acme", record("held", 1), Optional.empty(), 1)).isEqualTo(AppendResult.APPENDED);

        destroy = other.submit(() -> records.putTenantKeyset("acme", WrappedKeyset.destroyed(2, NOW), 1));
        // Without the lock the destroy would be done in milliseconds; with it, it waits for our commit.
        Thread.sleep(300);
        assertThat(destroy.isDone()).as("the destroy waited for the append in flight").isFalse();
        c.commit();
      }
      assertThat(destroy.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(records.head("acme", SecretName.of("held"))).isPresent();
      assertThat(records.append("acme", record("late", 1), Optional.empty(), 1)).isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.head("acme", SecretName.of("late"))).isEmpty();
    } finally {
      other.shutdownNow();
    }
  }

  private static SealedRecord record(String name, long version) {
    return new SealedRecord(SecretName.of(name), version, 7, new byte[] {9}, NOW);
  }
}
