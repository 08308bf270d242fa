package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.memory.MemoryRecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Fills a JDBC store with many properly sealed secrets fast: they are written through the library
 * into a memory store with the same master keyring and tenant (microseconds each), then its keyset
 * and rows are copied into the database in batched inserts. What the database holds is exactly what
 * the library would have written; only the round trips are saved.
 */
final class BulkSeed {
  private BulkSeed() {}

  /** The value of seeded secret {@code i}: its name and a fixed tail, so a reader can check it. */
  static String value(int i) {
    return "seeded-value-" + i + "-" + "x".repeat(40);
  }

  static String name(int i) {
    return String.format("seed/%06d", i);
  }

  /** Seeds {@code count} secrets (one version each) of {@code tenant} into an empty store. */
  static void seed(
      TestDatabases.Target target,
      JdbcRecordStore records,
      MasterKeyring keyring,
      String tenant,
      int count)
      throws SQLException {
    try (MemoryRecordStore memory = new MemoryRecordStore()) {
      // Not closed: closing it would close the memory store, which the outer try does.
      SecretStore staging =
          SecretStores.builder().recordStore(memory).keyring(keyring).tenant(tenant).open();
      for (int i = 0; i < count; i++) {
        staging.put(name(i), SecretValue.ofUtf8(value(i)));
      }
      WrappedKeyset keyset = memory.tenantKeyset(tenant).orElseThrow();
      if (!records.putTenantKeyset(
          tenant,
          new WrappedKeyset(keyset.ciphertext(), 1, keyset.primarySealed(), keyset.primarySince()),
          0)) {
        throw new IllegalStateException("the target store already has a keyset for " + tenant);
      }
      int primary = new TenantKeyManager(memory, keyring).dataKeyIds(tenant).get(0);
      List<SealedRecord> all =
          memory.sealedRecords(tenant, primary + 1, Optional.empty(), Integer.MAX_VALUE);
      try (HikariDataSource app = target.appDataSource(1);
          Connection c = app.getConnection()) {
        boolean sqlite = target.kind() == TestDatabases.Kind.SQLITE;
        if (sqlite) {
          try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
          }
        } else {
          c.setAutoCommit(false);
        }
        if (target.kind() == TestDatabases.Kind.POSTGRESQL) {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT set_config('lanonasis.tenant', ?, true)")) {
            ps.setString(1, tenant);
            ps.execute();
          }
        }
        try (PreparedStatement heads =
                c.prepareStatement(
                    "INSERT INTO secret_heads (tenant, name, current_version,"
                        + " state, created_us, updated_us, description, labels, expires_us) VALUES (?, ?, 1, 'A', ?, ?, '', '{}', NULL)");
            PreparedStatement versions =
                c.prepareStatement(
                    "INSERT INTO secret_versions (tenant, name, version, key_id,"
                        + " ciphertext, created_us) VALUES (?, ?, ?, ?, ?, ?)")) {
          int n = 0;
          for (SealedRecord r : all) {
            long us = JdbcRecordStore.micros(r.createdAt());
            heads.setString(1, tenant);
            heads.setString(2, r.name().value());
            heads.setLong(3, us);
            heads.setLong(4, us);
            heads.addBatch();
            versions.setString(1, tenant);
            versions.setString(2, r.name().value());
            versions.setLong(3, r.version());
            versions.setInt(4, r.keyId());
            versions.setBytes(5, r.ciphertext());
            versions.setLong(6, us);
            versions.addBatch();
            if (++n % 2000 == 0) {
              heads.executeBatch();
              versions.executeBatch();
            }
          }
          heads.executeBatch();
          versions.executeBatch();
        }
        if (sqlite) {
          try (Statement s = c.createStatement()) {
            s.execute("COMMIT");
          }
        } else {
          c.commit();
        }
      }
      if (records.head(tenant, SecretName.of(name(count - 1))).isEmpty()) {
        throw new IllegalStateException("seeding did not reach the store");
      }
    }
  }
}
