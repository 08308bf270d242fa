package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Destroyed values are overwritten with NULL", read back from the table itself: the ciphertext of
 * a destroyed version is gone from the row, not merely hidden by the store.
 */
@DisplayName("destroy overwrites the ciphertext with NULL in the database")
class DestroyedValuesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"SQLITE", "H2_FILE", "MARIADB", "POSTGRESQL"})
  void destroyedVersions_haveNullCiphertext_othersKeepTheirs(TestDatabases.Kind kind)
      throws SQLException {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    try (JdbcRecordStore records = target.open();
        SecretStore store =
            SecretStores.builder()
                .recordStore(records)
                .keyring(MasterKeyring.generate())
                .tenant("acme")
                .open()) {
      store.put("app/a", SecretValue.ofUtf8("one"));
      store.put("app/a", SecretValue.ofUtf8("two"));
      store.put("app/a", SecretValue.ofUtf8("three"));
      store.put("app/b", SecretValue.ofUtf8("b"));
      store.destroy("app/a", 2);
      assertThat(ciphertextIsNull(target, "app/a")).containsExactly(false, true, false);
      store.destroy("app/b");
      assertThat(ciphertextIsNull(target, "app/b"))
          .as("destroying every version deletes the rows")
          .isEmpty();
    }
  }

  /** For each version row of {@code name}, oldest first: whether its ciphertext column is NULL. */
  static List<Boolean> ciphertextIsNull(TestDatabases.Target target, String name)
      throws SQLException {
    try (HikariDataSource owner = target.ownerDataSource();
        Connection c = owner.getConnection()) {
      if (target.kind() == TestDatabases.Kind.POSTGRESQL) {
        try (PreparedStatement ps =
            c.prepareStatement("SELECT set_config('lanonasis.tenant', 'acme', false)")) {
          ps.execute(); // row-level security binds the owner too
        }
      }
      List<Boolean> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT ciphertext FROM secret_versions WHERE tenant = 'acme' AND name = ? ORDER BY version")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getBytes(1);
            out.add(rs.wasNull());
          }
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return out;
    }
  }
}
