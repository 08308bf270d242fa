package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings that make embedded databases durable, read back from the databases themselves. */
class EmbeddedSettingsTest {
  @TempDir Path dir;

  static String pragma(JdbcDatabase db, String name) {
    return db.read(
        "read " + name,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  @Nested
  @DisplayName("SQLite")
  class Sqlite {
    @Test
    @DisplayName(
        "WAL, synchronous=FULL, foreign keys and a busy timeout on every connection; file 0600, directory 0700")
    void url_getsDurableSettings_andPrivateFiles() throws Exception {
      Path file = dir.resolve("new/dir/secrets.db");
      try (JdbcDatabase db = JdbcDatabase.builder().url("jdbc:sqlite:" + file).build()) {
        assertThat(db.kind()).isEqualTo(DatabaseKind.SQLITE);
        assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(db, "synchronous")).isEqualTo("2"); // FULL
        assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(db, "busy_timeout")).isEqualTo("10000");
        String onWriter =
            db.write(
                "write",
                c -> {
                  try (Statement s = c.createStatement();
                      ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getString(1);
                  }
                });
        assertThat(onWriter).as("the writer connection too").isEqualTo("2");
        assertThat(db.file()).contains(file);
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(file.getParent().getParent())))
          .isEqualTo("rwx------");
    }

    @Test
    @DisplayName("?synchronous=NORMAL and ?busy_timeout= are the user's to choose")
    void url_normalAndBusyTimeout_kept() {
      try (JdbcDatabase db =
          JdbcDatabase.builder()
              .url("jdbc:sqlite:" + dir.resolve("n.db") + "?synchronous=normal&busy_timeout=2500")
              .build()) {
        assertThat(pragma(db, "synchronous")).isEqualTo("1");
        assertThat(pragma(db, "busy_timeout")).isEqualTo("2500");
        assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "?synchronous=OFF",
          "?synchronous=0",
          "?journal_mode=DELETE",
          "?journal_mode=MEMORY",
          "?foreign_keys=false",
          "?transaction_mode=EXCLUSIVE"
        })
    @DisplayName("settings that would lose writes or break the store are refused, with the reason")
    void url_unsafeSetting_refused(String query) {
      assertThatThrownBy(
              () ->
                  JdbcDatabase.builder().url("jdbc:sqlite:" + dir.resolve("u.db") + query).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageMatching("(?s).*(loses acknowledged writes|set by the store itself).*");
      assertThat(dir.resolve("u.db")).as("nothing created").doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "jdbc:sqlite::memory:",
          "jdbc:sqlite:",
          "jdbc:sqlite:file::memory:?cache=shared",
          "jdbc:sqlite:file:x.db?mode=memory"
        })
    @DisplayName(
        "an in-memory SQLite database (one per connection) is refused, naming memory: instead")
    void url_inMemory_refused(String url) {
      assertThatThrownBy(() -> JdbcDatabase.builder().url(url).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("memory");
    }

    @Test
    @DisplayName("through SecretStores.open too: the provider opens the same durable store")
    void provider_opensSqlite() {
      String url = "jdbc:sqlite:" + dir.resolve("p.db");
      try (var store = SecretStores.builder().uri(url).keyring(MasterKeyring.generate()).open()) {
        store.put("a/b", com.lanonasis.secrets.SecretValue.ofUtf8("v"));
        assertThat(store.versions("a/b")).hasSize(1);
      }
    }

    @Test
    @DisplayName(
        "read-only: nothing created for a missing file, and an existing one is not changed")
    void readOnly_neverCreatesOrChanges() throws Exception {
      assertThatThrownBy(
              () ->
                  JdbcDatabase.builder()
                      .url("jdbc:sqlite:" + dir.resolve("none.db"))
                      .readOnly()
                      .build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no SQLite database");
      assertThat(dir.resolve("none.db")).doesNotExist();
      Path file = dir.resolve("ro.db");
      JdbcRecordStore.builder().url("jdbc:sqlite:" + file).build().close();
      byte[] before = Files.readAllBytes(file);
      try (JdbcDatabase db = JdbcDatabase.builder().url("jdbc:sqlite:" + file).readOnly().build()) {
        assertThat(db.hasTable("secret_heads")).isTrue();
        assertThatThrownBy(
                () ->
                    db.write(
                        "write",
                        c -> {
                          try (Statement s = c.createStatement()) {
                            return s.executeUpdate("DELETE FROM tenants");
                          }
                        }))
            .hasMessageContaining("could not write");
      }
      assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    @DisplayName("a statement kept prepared answers like a fresh one, use after use")
    void prepare_keptStatement_reusedWithFreshParameters() {
      try (JdbcDatabase db =
          JdbcDatabase.builder().url("jdbc:sqlite:" + dir.resolve("k.db")).build()) {
        for (int i = 0; i < 50; i++) {
          int n = i;
          String echoed =
              db.read(
                  "echo",
                  c -> {
                    try (JdbcDatabase.Prepared p = db.prepare(c, "SELECT ? || 'x'")) {
                      p.statement().setString(1, "v" + n);
                      try (ResultSet rs = p.statement().executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                      }
                    }
                  });
          assertThat(echoed).isEqualTo("v" + i + "x");
        }
      }
    }
  }

  @Nested
  @DisplayName("H2")
  class H2 {
    static String writeDelay(JdbcDatabase db) {
      return db.read(
          "read WRITE_DELAY",
          c -> {
            try (Statement s = c.createStatement();
                ResultSet rs =
                    s.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
              rs.next();
              return rs.getString(1);
            }
          });
    }

    @Test
    @DisplayName("a file URL gets WRITE_DELAY=0: a commit is written before it is acknowledged")
    void fileUrl_getsWriteDelayZero() {
      try (JdbcDatabase db =
          JdbcDatabase.builder().url("jdbc:h2:file:" + dir.resolve("h")).build()) {
        assertThat(writeDelay(db)).isEqualTo("0");
        assertThat(db.file()).contains(dir.resolve("h.mv.db"));
      }
    }

    @Test
    @DisplayName("a new H2 file is the owner's alone (0600), in a directory made 0700")
    void newFile_isPrivate() throws Exception {
      Path file = dir.resolve("made/h.mv.db");
      try (JdbcDatabase db =
          JdbcDatabase.builder().url("jdbc:h2:file:" + dir.resolve("made/h")).build()) {
        assertThat(db.kind()).isEqualTo(DatabaseKind.H2);
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
    }

    @Test
    @DisplayName("a URL that sets WRITE_DELAY keeps it (and the store warns)")
    void explicitWriteDelay_kept() {
      try (JdbcDatabase db =
          JdbcDatabase.builder()
              .url("jdbc:h2:file:" + dir.resolve("d") + ";WRITE_DELAY=300")
              .build()) {
        assertThat(writeDelay(db)).isEqualTo("300");
      }
    }
  }

  @Test
  @DisplayName(
      "fileOf names the file of an embedded URL without opening it, and nothing for servers")
  void fileOf_embeddedOnly() {
    assertThat(JdbcDatabase.fileOf("jdbc:sqlite:./data/secrets.db"))
        .contains(Path.of("./data/secrets.db"));
    assertThat(JdbcDatabase.fileOf("jdbc:sqlite:file:/x/y.db?synchronous=NORMAL"))
        .contains(Path.of("/x/y.db"));
    assertThat(JdbcDatabase.fileOf("jdbc:h2:file:./data/secrets;WRITE_DELAY=0"))
        .contains(Path.of("./data/secrets.mv.db"));
    assertThat(JdbcDatabase.fileOf("jdbc:h2:mem:x")).isEmpty();
    assertThat(JdbcDatabase.fileOf("jdbc:postgresql://127.0.0.1:5432/test?user=u")).isEmpty();
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("backup: refused for a server database and for an existing file")
  void backup_refusals() throws Exception {
    TestDatabases.Target pg = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    try (JdbcDatabase db = JdbcDatabase.builder().url(pg.appUrl()).build()) {
      assertThatThrownBy(() -> db.backupTo(dir.resolve("pg.bak")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("pg_dump");
    }
    Path exists = Files.writeString(dir.resolve("exists.db"), "keep");
    try (JdbcDatabase db =
        JdbcDatabase.builder().url("jdbc:sqlite:" + dir.resolve("b.db")).build()) {
      assertThatThrownBy(() -> db.backupTo(exists))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("exists already");
      assertThat(Files.readString(exists)).isEqualTo("keep");
      db.backupTo(dir.resolve("fresh.db"));
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fresh.db"))))
          .isEqualTo("rw-------");
    }
  }
}
