package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("several instances starting at once against an empty schema")
class MigrationRaceTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  @DisplayName("all start, and the schema is migrated exactly once")
  void build_concurrentlyOnEmptySchema_migratesOnce(TestDatabases.Kind kind) throws Exception {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    int instances = 6;
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    List<JdbcRecordStore> opened = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JdbcRecordStore>> fs = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        fs.add(
            pool.submit(
                () -> {
                  go.await();
                  return target.open();
                }));
      }
      go.countDown();
      for (Future<JdbcRecordStore> f : fs) {
        opened.add(f.get(2, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(opened).hasSize(instances);
    try (HikariDataSource owner = target.ownerDataSource();
        Connection c = owner.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                kind == TestDatabases.Kind.MARIADB
                    ? "SELECT count(*) FROM schema_history WHERE version = '1' AND success = 1"
                    : "SELECT count(*) FROM \"schema_history\" WHERE \"version\" = '1' AND \"success\"")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    opened.forEach(JdbcRecordStore::close);
  }
}
