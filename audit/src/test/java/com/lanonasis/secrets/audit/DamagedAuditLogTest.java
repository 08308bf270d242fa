package com.lanonasis.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit log whose table is damaged on disk: the append fails as a permanent integrity fault,
 * which the audit filter answers 500, not as "unavailable, try again" (503).
 */
class DamagedAuditLogTest {
  @Test
  void append_toADamagedTable_isANonRetryableIntegrityFault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secrets.db");
    String url = "jdbc:sqlite:" + file;
    try (JdbcDatabase db = JdbcDatabase.builder().url(url).build()) {
      ServerTables.migrate(db, "");
      AuditLog log = new AuditLog(db, Clock.systemUTC());
      for (int i = 0; i < 50; i++) {
        log.append("default", null, "read", "app/secret-" + i, "ok", "127.0.0.1");
      }
      log.close();
    }
    int pageSize;
    int rootPage;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getInt(1);
      }
      try (ResultSet rs =
          s.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'server_audit_log'")) {
        assertThat(rs.next()).isTrue();
        rootPage = rs.getInt(1);
      }
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] garbage = new byte[pageSize];
      Arrays.fill(garbage, (byte) 0x5a);
      raf.seek((long) (rootPage - 1) * pageSize);
      raf.write(garbage);
    }

    try (JdbcDatabase db = JdbcDatabase.builder().url(url).build()) {
      AuditLog log = new AuditLog(db, Clock.systemUTC());
      Throwable e =
          catchThrowable(() -> log.append("default", null, "read", "app/x", "ok", "127.0.0.1"));
      log.close();
      assertThat(e)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("SQLITE_CORRUPT")
          .hasMessageContaining("restore it from a backup");
      assertThat(((SecretsException) e).isRetryable()).isFalse();
    }
  }
}
