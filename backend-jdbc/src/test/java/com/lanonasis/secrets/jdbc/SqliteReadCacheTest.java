package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.spi.StoredRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store's read cache (kept sealed records checked against the change count that triggers
 * keep): every change reaches the next read, whoever made it — this store, another store with its
 * own pool on the same file (another process, as far as SQLite can tell) or plain SQL that bypasses
 * the library altogether.
 */
@DisplayName("SQLite read cache: every change is seen by the next read")
class SqliteReadCacheTest {
  @TempDir Path dir;
  private final MasterKeyring keyring = MasterKeyring.generate();
  private JdbcRecordStore recordsA;
  private JdbcRecordStore recordsB;
  private SecretStore a;
  private SecretStore b;
  private String url;

  @BeforeEach
  void open() {
    url = "jdbc:sqlite:" + dir.resolve("secrets.db");
    recordsA = JdbcRecordStore.builder().url(url).build();
    recordsB = JdbcRecordStore.builder().url(url).build();
    a = SecretStores.builder().recordStore(recordsA).keyring(keyring).tenant("t").open();
    b = SecretStores.builder().recordStore(recordsB).keyring(keyring).tenant("t").open();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private static String read(SecretStore s, String name) {
    try (Secret secret = s.get(name)) {
      return secret.value().asUtf8();
    }
  }

  @Test
  @DisplayName("a repeated read is served from the kept record: the same record, not re-read")
  void repeatedRead_returnsTheKeptRecord() {
    a.put("db/password", SecretValue.ofUtf8("one"));
    SecretName name = SecretName.of("db/password");
    Optional<StoredRecord> first = recordsA.readLatest("t", name);
    Optional<StoredRecord> second = recordsA.readLatest("t", name);
    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(second.get()).as("kept, not read again").isSameAs(first.get());
  }

  @Test
  @DisplayName("a new version written through another store on the same file is read at once")
  void writeByAnotherStore_isSeenByTheNextRead() {
    a.put("db/password", SecretValue.ofUtf8("one"));
    assertThat(read(a, "db/password")).isEqualTo("one");
    assertThat(read(a, "db/password")).isEqualTo("one");
    b.put("db/password", SecretValue.ofUtf8("two"));
    assertThat(read(a, "db/password")).isEqualTo("two");
    b.delete("db/password");
    assertThatThrownBy(() -> a.get("db/password")).isInstanceOf(SecretNotFoundException.class);
    b.restore("db/password");
    assertThat(read(a, "db/password")).isEqualTo("two");
  }

  @Test
  @DisplayName("a change made with plain SQL, bypassing the library, is read at once")
  void changeByPlainSql_isSeenByTheNextRead() throws Exception {
    a.put("db/password", SecretValue.ofUtf8("one"));
    a.put("db/password", SecretValue.ofUtf8("two"));
    assertThat(read(a, "db/password")).isEqualTo("two");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      // Back to version 1 the way an operator's UPDATE (or a partial restore) would do it.
      s.executeUpdate(
          "DELETE FROM secret_versions WHERE tenant = 't' AND name = 'db/password' AND version = 2");
      s.executeUpdate(
          "UPDATE secret_heads SET current_version = 1 WHERE tenant = 't' AND name = 'db/password'");
    }
    assertThat(read(a, "db/password")).isEqualTo("one");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE secret_heads SET state = 'D' WHERE tenant = 't'");
    }
    assertThatThrownBy(() -> a.get("db/password")).isInstanceOf(SecretNotFoundException.class);
  }

  @Test
  @DisplayName("a keyset destroyed through another store leaves nothing readable from the cache")
  void keysetShreddedElsewhere_nothingReadable() {
    a.put("db/password", SecretValue.ofUtf8("one"));
    assertThat(read(a, "db/password")).isEqualTo("one");
    assertThat(new TenantKeyManager(recordsB, keyring).destroyDataKeyset("t")).isTrue();
    assertThatThrownBy(() -> a.get("db/password")).isInstanceOf(KeysetDestroyedException.class);
  }

  @Test
  @DisplayName("every kind of write moves the change count")
  void everyWrite_movesTheCount() throws Exception {
    long before = changes();
    a.put("x", SecretValue.ofUtf8("1"));
    long afterPut = changes();
    assertThat(afterPut).isGreaterThan(before);
    a.updateAttributes("x", a.metadata("x").attributes().withDescription("described"));
    long afterAttributes = changes();
    assertThat(afterAttributes).isGreaterThan(afterPut);
    a.destroy("x", 1);
    assertThat(changes()).isGreaterThan(afterAttributes);
  }

  private long changes() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM store_changes")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
