package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.StoreClosedException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a library user is told when the store's URL or file is wrong: each failure a {@link
 * SecretsException} that says what is wrong, from SQLite's own result codes where it is the file,
 * never "check that it is running and reachable, and the user name and password".
 */
@DisplayName("store faults: URLs, damaged files, closed stores")
class StoreFaultMessagesTest {
  private static final String RUNNING = "check that it is running";
  private final MasterKeyring keyring = MasterKeyring.generate();
  @TempDir Path dir;

  private Throwable open(String uri) {
    return catchThrowable(() -> SecretStores.builder().uri(uri).keyring(keyring).open().close());
  }

  @Nested
  @DisplayName("URLs")
  class Urls {
    @Test
    void open_nulInSqlitePath_isConfigurationException() {
      Throwable e = open("jdbc:sqlite:" + dir + "/a\0b.db");
      assertThat(e)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("not a valid path");
    }

    @Test
    void open_unknownSqliteParameter_isRefusedNamingItAndTheKnownOnes() {
      Throwable e = open("jdbc:sqlite:" + dir.resolve("s.db") + "?bogus=1");
      assertThat(e)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("unknown SQLite URL parameter 'bogus'")
          .hasMessageContaining("busy_timeout")
          .hasMessageContaining("synchronous");
      assertThat(
              open("jdbc:sqlite:" + dir.resolve("t.db") + "?busy_timeout=2000&synchronous=NORMAL"))
          .as("the driver's own parameters still pass")
          .isNull();
    }

    @Test
    void open_urlOfADriverNotOnTheClassPath_namesTheDriversThatAre() {
      Throwable e = open("jdbc:oracle:thin:@db.internal:1521/app");
      assertThat(e)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no JDBC driver on the class path takes jdbc:oracle: URLs")
          .hasMessageContaining("org.sqlite.JDBC")
          .hasMessageContaining("org.postgresql.Driver")
          .hasMessageNotContaining("user name and password");
    }
  }

  @Nested
  @DisplayName("damaged files")
  class DamagedFiles {
    @Test
    void open_garbledFile_saysItIsNotADatabase_andHowToRestore() throws Exception {
      Path file = dir.resolve("garbled.db");
      Files.writeString(
          file, "this is a note someone saved over the store, not a database at all ".repeat(20));
      Throwable e = open("jdbc:sqlite:" + file);
      assertThat(e)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("is not a SQLite database (SQLITE_NOTADB)")
          .hasMessageContaining("restore it from a backup")
          .hasMessageNotContaining(RUNNING);
      assertThat(((SecretsException) e).isRetryable()).isFalse();
    }

    @Test
    void open_truncatedFile_saysItIsDamaged() throws Exception {
      Path file = filledStore("full.db");
      byte[] all = Files.readAllBytes(file);
      Path truncated = dir.resolve("truncated.db");
      Files.write(truncated, Arrays.copyOf(all, all.length / 3));
      Throwable e = open("jdbc:sqlite:" + truncated);
      assertThat(e)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("is damaged (SQLITE_CORRUPT")
          .hasMessageContaining("restore it from a backup")
          .hasMessageNotContaining(RUNNING);
    }

    @Test
    void read_ofATableWhosePagesAreDamaged_isAPermanentIntegrityFault_notTryAgain()
        throws Exception {
      Path file = filledStore("mid.db");
      int pageSize;
      int rootPage;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
          rs.next();
          pageSize = rs.getInt(1);
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' "
                    + "AND name LIKE '%secret_versions'")) {
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
      try (SecretStore store =
          SecretStores.builder().uri("jdbc:sqlite:" + file).keyring(keyring).open()) {
        Throwable e = catchThrowable(() -> store.get("app/secret-7"));
        assertThat(e)
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("SQLITE_CORRUPT")
            .hasMessageContaining("restore it from a backup");
        assertThat(((SecretsException) e).isRetryable())
            .as("damage does not pass by retrying")
            .isFalse();
      }
    }

    private Path filledStore(String name) throws java.sql.SQLException {
      Path file = dir.resolve(name);
      try (SecretStore store =
          SecretStores.builder().uri("jdbc:sqlite:" + file).keyring(keyring).open()) {
        for (int i = 0; i < 200; i++) {
          store.put("app/secret-" + i, SecretValue.ofUtf8("value-" + i + "-" + "x".repeat(500)));
        }
      }
      // One file: the write-ahead log folded into it, as after a clean stop.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return file;
    }
  }

  @Nested
  @DisplayName("closed stores")
  class Closed {
    @Test
    void anyCall_afterClose_isStoreClosedException() {
      SecretStore store =
          SecretStores.builder().uri("jdbc:sqlite:" + dir.resolve("c.db")).keyring(keyring).open();
      store.put("app/x", SecretValue.ofUtf8("v"));
      store.close();
      Throwable e = catchThrowable(() -> store.get("app/x"));
      assertThat(e).isInstanceOf(StoreClosedException.class).hasMessageContaining("closed");
      assertThat(((SecretsException) e).isRetryable()).isFalse();

      JdbcRecordStore records =
          JdbcRecordStore.builder().url("jdbc:sqlite:" + dir.resolve("r.db")).build();
      records.close();
      assertThat(catchThrowable(() -> records.tenants(java.util.Optional.empty(), 1)))
          .isInstanceOf(StoreClosedException.class);
    }
  }
}
