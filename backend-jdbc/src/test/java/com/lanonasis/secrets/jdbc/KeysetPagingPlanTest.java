package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Listing is keyset-paged: PostgreSQL serves a page from the primary key, not by scanning or
 * sorting.
 */
@DisplayName("list pages come from an index")
class KeysetPagingPlanTest {
  @Test
  @DisplayName(
      "PostgreSQL plans a page after a cursor as a range scan of the primary key, with no sort")
  void listAfter_usesPrimaryKeyRange() throws SQLException {
    TestDatabases.Target target = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, null);
    target.open().close();
    try (HikariDataSource owner = target.ownerDataSource();
        Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      // 20,000 heads over 4 tenants, loaded as the owner (row security is forced, so name the
      // tenant).
      for (String tenant : new String[] {"t1", "t2", "t3", "t4"}) {
        s.execute("SELECT set_config('lanonasis.tenant', '" + tenant + "', false)");
        s.execute(
            "INSERT INTO secret_heads (tenant, name, current_version, state, created_us, updated_us,"
                + " description, labels) SELECT '"
                + tenant
                + "', 'app/key-' || lpad(g::text, 6, '0'), 1, 'A', 0, 0, '', '{}'"
                + " FROM generate_series(1, 5000) g");
      }
      s.execute("ANALYZE secret_heads");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
    Sql sql = new Sql(DatabaseKind.POSTGRESQL, "");
    String query = sql.listAfter.replace("/*upper*/", " AND name < ?");
    StringBuilder plan = new StringBuilder();
    try (HikariDataSource app = target.appDataSource(1);
        Connection c = app.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT set_config('lanonasis.tenant', 't3', true)")) {
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
        ps.setString(1, "t3");
        ps.setString(2, "app/key-004000");
        ps.setString(3, "app/\u007f");
        ps.setInt(4, 100);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      c.rollback();
    }
    assertThat(plan.toString())
        .contains("Index Scan using secret_heads_pkey")
        .doesNotContain("Sort")
        .doesNotContain("Seq Scan");
  }
}
