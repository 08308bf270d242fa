package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation enforced by PostgreSQL itself, proven with hand-written SQL on the application
 * role's own connections: what the library would do if it had a bug, or what an attacker with a SQL
 * injection in the application could try.
 */
@DisplayName("PostgreSQL row-level security")
class PostgresRowLevelSecurityTest {
  private static final List<String> RLS_TABLES =
      List.of("tenant_keysets", "secret_heads", "secret_versions");
  private TestDatabases.Target target;
  private HikariDataSource single;
  private JdbcRecordStore records;

  @BeforeEach
  void setUp() {
    target = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, null);
    records = target.open(); // migrated as the owner; the store connects as the app role
    // One physical connection, as the app role, for the hand-written SQL below.
    single = target.appDataSource(1);
    MasterKeyring keyring = MasterKeyring.generate();
    SecretStore a =
        SecretStores.builder().recordStore(records).keyring(keyring).tenant("tenant-a").open();
    SecretStore b =
        SecretStores.builder().recordStore(records).keyring(keyring).tenant("tenant-b").open();
    for (int i = 0; i < 3; i++) {
      a.put("shared/name-" + i, SecretValue.ofUtf8("a" + i));
      b.put("shared/name-" + i, SecretValue.ofUtf8("b" + i));
    }
    b.put("only-b", SecretValue.ofUtf8("b"));
  }

  @AfterEach
  void tearDown() {
    records.close();
    single.close();
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void setTenant(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT set_config('lanonasis.tenant', ?, true)")) {
      ps.setString(1, tenant);
      ps.execute();
    }
  }

  @Test
  @DisplayName("in tenant A's transaction, even a query naming tenant B returns none of B's rows")
  void query_otherTenant_returnsNothing() throws SQLException {
    try (Connection c = single.getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, "tenant-a");
      for (String table : RLS_TABLES) {
        assertThat(count(c, "SELECT count(*) FROM " + table + " WHERE tenant = 'tenant-b'"))
            .as(table)
            .isZero();
        assertThat(count(c, "SELECT count(*) FROM " + table + " WHERE tenant <> 'tenant-a'"))
            .as(table)
            .isZero();
      }
      assertThat(count(c, "SELECT count(*) FROM secret_heads")).isEqualTo(3);
      assertThat(count(c, "SELECT count(*) FROM secret_versions WHERE name = 'only-b'")).isZero();
      try (Statement s = c.createStatement()) {
        assertThat(
                s.executeUpdate(
                    "UPDATE secret_heads SET description = 'pwned' WHERE tenant = 'tenant-b'"))
            .isZero();
        assertThat(s.executeUpdate("DELETE FROM secret_versions WHERE tenant = 'tenant-b'"))
            .isZero();
      }
      c.rollback();
    }
  }

  @Test
  @DisplayName(
      "with no tenant set the policy matches nothing, also on a connection the store just used")
  void query_noTenant_returnsNothing() throws SQLException {
    try (Connection c = single.getConnection()) {
      c.setAutoCommit(true); // every statement its own transaction: no context survives
      for (String table : RLS_TABLES) {
        assertThat(count(c, "SELECT count(*) FROM " + table)).as(table).isZero();
      }
      c.setAutoCommit(false);
      setTenant(c, "tenant-b");
      assertThat(count(c, "SELECT count(*) FROM secret_heads")).isEqualTo(4);
      c.commit();
      // The setting was transaction-local: gone after commit, on the same physical connection.
      assertThat(count(c, "SELECT count(*) FROM secret_heads")).isZero();
      c.commit();
    }
  }

  @Test
  @DisplayName("writing a row for another tenant is refused by the policy's check")
  void insert_otherTenant_refused() throws SQLException {
    try (Connection c = single.getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, "tenant-a");
      assertThatThrownBy(
              () -> {
                try (Statement s = c.createStatement()) {
                  s.executeUpdate(
                      "INSERT INTO secret_heads (tenant, name, current_version, state, created_us, updated_us,"
                          + " description, labels) VALUES ('tenant-b', 'planted', 1, 'A', 0, 0, '', '{}')");
                }
              })
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("row-level security");
      c.rollback();
    }
  }

  @Test
  @DisplayName("catalog lint: every table holding tenant data has row security enabled and forced")
  void catalog_rowSecurityForcedEverywhere() throws SQLException {
    try (HikariDataSource owner = target.ownerDataSource();
        Connection c = owner.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant' AND NOT a.attisdropped"
                    + " WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname")) {
      ps.setString(1, target.schema());
      List<String> tenantTables = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(1);
          tenantTables.add(table);
          assertThat(rs.getString(4)).as("owner of %s", table).isEqualTo(TestDatabases.PG_OWNER);
          if (table.equals("tenants")) {
            continue; // ids only, checked below
          }
          assertThat(rs.getBoolean(2)).as("%s row security enabled", table).isTrue();
          assertThat(rs.getBoolean(3)).as("%s row security forced", table).isTrue();
        }
      }
      assertThat(tenantTables)
          .containsExactlyInAnyOrder(
              "tenants", "tenant_keysets", "secret_heads", "secret_versions");
      // The one table without row security may hold tenant ids and nothing else.
      try (PreparedStatement cols =
          c.prepareStatement(
              "SELECT column_name FROM information_schema.columns"
                  + " WHERE table_schema = ? AND table_name = 'tenants' ORDER BY column_name")) {
        cols.setString(1, target.schema());
        List<String> names = new ArrayList<>();
        try (ResultSet rs = cols.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        assertThat(names).containsExactly("created_us", "tenant");
      }
      // Every policy reads the transaction-local setting.
      try (PreparedStatement pol =
          c.prepareStatement(
              "SELECT tablename, qual, with_check FROM pg_policies WHERE schemaname = ?")) {
        pol.setString(1, target.schema());
        int policies = 0;
        try (ResultSet rs = pol.executeQuery()) {
          while (rs.next()) {
            policies++;
            assertThat(rs.getString(2)).contains("current_setting('lanonasis.tenant'::text, true)");
            assertThat(rs.getString(3)).contains("current_setting('lanonasis.tenant'::text, true)");
          }
        }
        assertThat(policies).isEqualTo(RLS_TABLES.size());
      }
    }
  }

  @Test
  @DisplayName(
      "catalog lint: the application role owns nothing and is neither superuser nor BYPASSRLS")
  void catalog_appRoleIsPlain() throws SQLException {
    try (Connection c = single.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT current_user, r.rolsuper, r.rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
                    + " FROM pg_roles r WHERE r.rolname = current_user")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(TestDatabases.PG_APP);
        assertThat(rs.getBoolean(2)).as("superuser").isFalse();
        assertThat(rs.getBoolean(3)).as("bypassrls").isFalse();
        assertThat(rs.getLong(4)).as("relations owned").isZero();
      }
    }
  }
}
