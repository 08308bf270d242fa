package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What no remote secret manager can do: a secret written in the application's own transaction
 * commits or rolls back together with the application's rows.
 */
@DisplayName("secrets inside the application's own JDBC transaction")
class CallerTransactionTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"POSTGRESQL", "MARIADB", "H2_FILE", "SQLITE"})
  @DisplayName("commit keeps both the app's row and the secret; rollback keeps neither")
  void bindTo_commitAndRollback_atomicWithAppRows(TestDatabases.Kind kind) throws SQLException {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    MasterKeyring keyring = MasterKeyring.generate();
    try (JdbcRecordStore records = target.open();
        HikariDataSource owner = target.ownerDataSource();
        HikariDataSource app = target.appDataSource(2)) {
      try (Connection c = owner.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50))");
        if (kind == TestDatabases.Kind.POSTGRESQL) {
          s.execute("GRANT SELECT, INSERT ON customers TO " + TestDatabases.PG_APP);
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
      }
      SecretStore reader =
          SecretStores.builder().recordStore(records).keyring(keyring).tenant("acme").open();
      reader.put(
          "warm-up",
          SecretValue.ofUtf8("creates the tenant's data keyset outside the transactions"));

      try (Connection c = app.getConnection()) {
        c.setAutoCommit(false);
        insertCustomer(c, 1, "kept");
        SecretStore tx =
            SecretStores.builder()
                .recordStore(records.bindTo(c))
                .keyring(keyring)
                .tenant("acme")
                .open();
        tx.put("customers/1/api-key", SecretValue.ofUtf8("key-1"));
        c.commit();
      }
      try (Connection c = app.getConnection()) {
        c.setAutoCommit(false);
        insertCustomer(c, 2, "dropped");
        SecretStore tx =
            SecretStores.builder()
                .recordStore(records.bindTo(c))
                .keyring(keyring)
                .tenant("acme")
                .open();
        tx.put("customers/2/api-key", SecretValue.ofUtf8("key-2"));
        tx.put("customers/1/api-key", SecretValue.ofUtf8("key-1-rotated"));
        try (Secret inside = tx.get("customers/2/api-key")) {
          assertThat(inside.value().asUtf8()).isEqualTo("key-2"); // visible inside the transaction
        }
        c.rollback();
      }

      assertThat(customers(app)).isEqualTo(1);
      try (Secret s = reader.get("customers/1/api-key")) {
        assertThat(s.value().asUtf8()).isEqualTo("key-1");
        assertThat(s.version()).isEqualTo(1);
      }
      assertThatThrownBy(() -> reader.get("customers/2/api-key"))
          .isInstanceOf(SecretNotFoundException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TestDatabases.Kind.class,
      names = {"H2_MEM"})
  @DisplayName("binding to a connection in auto-commit mode is refused")
  void bindTo_autoCommit_refused(TestDatabases.Kind kind) throws SQLException {
    TestDatabases.Target target = TestDatabases.fresh(kind, dir);
    try (JdbcRecordStore records = target.open();
        HikariDataSource app = target.appDataSource(1);
        Connection c = app.getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(() -> records.bindTo(c))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("setAutoCommit(false)");
    }
  }

  private static void insertCustomer(Connection c, int id, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }

  private static int customers(HikariDataSource app) throws SQLException {
    try (Connection c = app.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM customers")) {
      rs.next();
      int n = rs.getInt(1);
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return n;
    }
  }
}
