package com.lanonasis.secrets.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.ResealedRecord;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordStore} over JDBC: SQLite (the embedded default), PostgreSQL (with row-level
 * security), H2 and MariaDB, pooled by HikariCP through a {@link JdbcDatabase}, its schema created
 * and upgraded by Flyway.
 *
 * <pre>{@code
 * JdbcRecordStore records = JdbcRecordStore.builder()
 *     .url("jdbc:postgresql://db.internal/app")
 *     .username("lanonasis_app").password(System.getenv("DB_PASSWORD").toCharArray())
 *     .migrationDataSource(ownerDataSource)   // migrations as the owner role
 *     .build();
 * SecretStore store = SecretStores.builder().recordStore(records).keyring(keyring).open();
 * }</pre>
 *
 * <h2>Tenant isolation</h2>
 *
 * Every statement names its tenant in its {@code WHERE} clause. On PostgreSQL the database enforces
 * it too: the tables have {@code ENABLE} and {@code FORCE ROW LEVEL SECURITY} and a policy on the
 * transaction-local setting {@code lanonasis.tenant}, which each transaction sets first with {@code
 * set_config(..., true)}; it vanishes at commit or rollback, so a pooled connection never carries
 * one tenant's context into another's work, and with no tenant set no row matches. The application
 * must connect as a role that does not own the tables and has neither superuser nor {@code
 * BYPASSRLS}; run migrations as the owner ({@link JdbcDatabase.Builder#migrationDataSource}). H2
 * and MariaDB have no row-level security: there the {@code WHERE} clause is the only guard.
 *
 * <h2>Check-and-set across processes</h2>
 *
 * Each name has a head row holding its version counter. Appending version {@code n} is one
 * transaction: a conditional {@code UPDATE ... SET current_version = n WHERE current_version = n-1
 * AND state <> 'D'} (or, for {@code n = 1}, an insert of the head that a duplicate key refuses),
 * then the insert of the version row. The row lock taken by the update serialises writers of one
 * name on every host: a second writer waits, re-reads the committed counter, matches no row and
 * loses. The primary key {@code (tenant, name, version)} is a second guard against a duplicate
 * version. No serializable isolation, no retry loop in SQL; the common layer decides whether to
 * retry (plain put) or report a conflict (check-and-set).
 *
 * <p>On SQLite every write transaction begins with {@code BEGIN IMMEDIATE}, so writers take the
 * database's one write lock before their first statement and check-and-set holds across threads and
 * processes the same way (see {@link JdbcDatabase}).
 *
 * <h2>Keyset generations</h2>
 *
 * An append (and a re-seal) first reads the tenant keyset's generation with a shared row lock
 * ({@code FOR SHARE} on PostgreSQL, {@code LOCK IN SHARE MODE} on MariaDB, {@code FOR UPDATE} on
 * H2, the database lock on SQLite) and writes nothing unless it is the one the record was sealed
 * under; a keyset change is an {@code UPDATE} of that row, which waits for the appends holding the
 * lock, and they for it. Reads join the keyset row, so a record comes with the generation of the
 * same snapshot. A destroyed keyset is a row whose {@code wrapped} is {@code NULL}.
 *
 * <h2>Failures</h2>
 *
 * SQL errors become {@link BackendUnavailableException} with the {@code SQLException} as cause and
 * a message naming the operation and SQLState only (driver messages can quote values). Reads that
 * fail because the connection died are retried once on a fresh connection; writes are not retried
 * (the transaction was rolled back, or its outcome is unknown if the connection died at commit).
 *
 * <h2>Timestamps</h2>
 *
 * Stored as microseconds since the epoch in {@code BIGINT} columns, the same on every database.
 *
 * <p>Thread-safe. {@link #close()} closes the pool it created, never a caller's {@code DataSource}.
 *
 * @since 0.1
 */
public final class JdbcRecordStore implements RecordStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {};
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,31}|");
  private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}|");

  /** Where the migrations are, under the classpath, one folder per {@link DatabaseKind#id()}. */
  private static final String MIGRATIONS = "com/lanonasis/secrets/jdbc/migration";

  private final JdbcDatabase database;
  private final boolean ownsDatabase;
  private final @Nullable Connection bound;

  /** Row-level security's tenant, for the rest of the transaction (PostgreSQL). */
  private static final String SET_TENANT = "SELECT set_config('lanonasis.tenant', ?, true)";

  private final DatabaseKind kind;
  private final Sql sql;
  private final String tablePrefix;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * SQLite only (and not for a view bound to a caller's transaction): the latest version of
   * recently read secrets, sealed as stored, each with the store's change count read in the same
   * statement. A read first reads the count alone (one row on one page, where a secret's read joins
   * three tables); while it has not moved, nothing a read returns has changed, in this process or
   * any other, and the kept record is returned. No plaintext is kept: the value is opened on every
   * read, under the keyset of the moment, so a destroyed keyset (which moves the count too) leaves
   * nothing readable here.
   */
  private final @Nullable Map<LatestKey, Latest> latest;

  /** Past this many kept records the cache starts again empty. */
  private static final int LATEST_CAPACITY = 10_000;

  private record LatestKey(String tenant, String name) {}

  private record Latest(StoredRecord record, long changes) {}

  private JdbcRecordStore(
      JdbcDatabase database,
      boolean ownsDatabase,
      @Nullable Connection bound,
      Sql sql,
      String tablePrefix,
      Clock clock) {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.bound = bound;
    this.kind = database.kind();
    this.sql = sql;
    this.tablePrefix = tablePrefix;
    this.clock = clock;
    this.latest = kind == DatabaseKind.SQLITE && bound == null ? new ConcurrentHashMap<>() : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A view of this store that runs every statement on {@code connection}, inside the caller's
   * transaction: it neither commits nor rolls back, so secrets written through it commit or roll
   * back together with the application's own rows. The connection must have auto-commit off.
   * Closing the view does not close the connection.
   *
   * <pre>{@code
   * try (Connection c = appDataSource.getConnection()) {
   *   c.setAutoCommit(false);
   *   insertCustomer(c, customer);
   *   SecretStore tx = SecretStores.builder().recordStore(records.bindTo(c)).keyring(keyring).open();
   *   tx.put("customers/" + id + "/api-key", key);
   *   c.commit();   // or c.rollback(): neither the customer nor the secret remains
   * }
   * }</pre>
   *
   * <p>On PostgreSQL the tenant context set by the view stays in force until the caller's
   * transaction ends.
   */
  public RecordStore bindTo(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    try {
      if (connection.getAutoCommit()) {
        throw new IllegalStateException(
            "bindTo needs a connection inside a transaction: call setAutoCommit(false) first");
      }
    } catch (SQLException e) {
      throw database.unavailable("bind to a connection", e);
    }
    return new JdbcRecordStore(database, false, connection, sql, tablePrefix, clock);
  }

  /** The database kind. */
  public DatabaseKind databaseKind() {
    return kind;
  }

  /**
   * The store's tables, parents before children: what {@link JdbcDatabase#copyTo} copies to move a
   * store to another database.
   */
  public List<String> tableNames() {
    return List.of(
        tablePrefix + "tenants",
        tablePrefix + "tenant_keysets",
        tablePrefix + "secret_heads",
        tablePrefix + "secret_versions");
  }

  // ---- secrets -------------------------------------------------------------------------------

  @Override
  public Optional<SecretHead> head(String tenant, SecretName name) {
    return read(
        tenant,
        "read a secret head",
        c -> {
          try (JdbcDatabase.Prepared p = prepare(c, sql.head)) {
            PreparedStatement ps = p.statement();
            ps.setString(1, tenant);
            ps.setString(2, name.value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(head(rs, name)) : Optional.<SecretHead>empty();
            }
          }
        });
  }

  @Override
  public AppendResult append(
      String tenant,
      SealedRecord record,
      Optional<SecretAttributes> attributes,
      long keysetGeneration) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(attributes, "attributes");
    return write(
        tenant,
        "write a secret version",
        c -> {
          if (!keysetLiveAt(c, tenant, keysetGeneration)) {
            return AppendResult.KEYSET_CHANGED;
          }
          long now = micros(record.createdAt());
          if (record.version() == 1) {
            SecretAttributes a = attributes.orElse(SecretAttributes.none());
            try (PreparedStatement ps = c.prepareStatement(sql.insertHead)) {
              ps.setString(1, tenant);
              ps.setString(2, record.name().value());
              ps.setLong(3, now);
              ps.setLong(4, now);
              setAttributes(ps, 5, a);
              if (!insertedOne(ps)) {
                return AppendResult.VERSION_TAKEN;
              }
            }
          } else {
            int updated;
            if (attributes.isPresent()) {
              try (PreparedStatement ps = c.prepareStatement(sql.advanceHeadWithAttributes)) {
                ps.setLong(1, now);
                ps.setLong(2, record.version());
                ps.setLong(3, now);
                setAttributes(ps, 4, attributes.get());
                ps.setString(7, tenant);
                ps.setString(8, record.name().value());
                ps.setLong(9, record.version() - 1);
                updated = updateCount(ps);
              }
            } else {
              try (PreparedStatement ps = c.prepareStatement(sql.advanceHead)) {
                ps.setLong(1, now);
                ps.setLong(2, record.version());
                ps.setLong(3, now);
                ps.setString(4, tenant);
                ps.setString(5, record.name().value());
                ps.setLong(6, record.version() - 1);
                updated = updateCount(ps);
              }
            }
            if (updated != 1) {
              return AppendResult.VERSION_TAKEN;
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.insertVersion)) {
            ps.setString(1, tenant);
            ps.setString(2, record.name().value());
            ps.setLong(3, record.version());
            ps.setInt(4, record.keyId());
            ps.setBytes(5, record.ciphertext());
            ps.setLong(6, now);
            ps.executeUpdate();
          }
          return AppendResult.APPENDED;
        });
  }

  /**
   * Whether the tenant's keyset is live at {@code generation}, holding a shared lock on its row
   * until the transaction ends.
   */
  private boolean keysetLiveAt(Connection c, String tenant, long generation) throws SQLException {
    try (JdbcDatabase.Prepared p = prepare(c, sql.lockKeyset)) {
      PreparedStatement ps = p.statement();
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) == generation;
      }
    }
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    Map<LatestKey, Latest> kept = latest;
    if (kept == null) {
      return readOne(tenant, name, "read a secret", sql.readLatest, OptionalLong.empty());
    }
    if (closed.get()) {
      throw new StoreClosedException("the JDBC record store is closed");
    }
    LatestKey key = new LatestKey(tenant, name.value());
    return database.readStatement(
        "read a secret",
        c -> {
          Latest hit = kept.get(key);
          if (hit != null) {
            try (JdbcDatabase.Prepared p = prepare(c, sql.storeChanges);
                ResultSet rs = p.statement().executeQuery()) {
              if (rs.next() && rs.getLong(1) == hit.changes()) {
                return Optional.of(hit.record());
              }
            }
          }
          try (JdbcDatabase.Prepared p = prepare(c, sql.readLatestCounted)) {
            PreparedStatement ps = p.statement();
            ps.setString(1, tenant);
            ps.setString(2, name.value());
            try (ResultSet rs = ps.executeQuery()) {
              Optional<StoredRecord> found = stored(rs, name);
              if (found.isEmpty()) {
                kept.remove(key);
                return found;
              }
              long changes = rs.getLong(7);
              if (kept.size() >= LATEST_CAPACITY) {
                kept.clear();
              }
              kept.put(key, new Latest(found.get(), changes));
              return found;
            }
          }
        });
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    return readOne(
        tenant, name, "read a secret version", sql.readVersion, OptionalLong.of(version));
  }

  /**
   * A read of one version: one statement, in auto-commit ({@link JdbcDatabase#readStatement}). On
   * PostgreSQL the tenant's {@code set_config} for row-level security travels in the same
   * statement, ahead of the query, so the read is one round trip instead of three (BEGIN with the
   * setting, the query, COMMIT); the setting stays transaction-local to that one implicit
   * transaction.
   */
  private Optional<StoredRecord> readOne(
      String tenant, SecretName name, String what, String query, OptionalLong version) {
    if (bound != null) {
      return read(tenant, what, c -> queryOne(c, query, 0, tenant, name, version));
    }
    if (closed.get()) {
      throw new StoreClosedException("the JDBC record store is closed");
    }
    boolean inline = kind.hasRowLevelSecurity();
    String statement = inline ? SET_TENANT + "; " + query : query;
    return database.readStatement(
        what, c -> queryOne(c, statement, inline ? 1 : 0, tenant, name, version));
  }

  private Optional<StoredRecord> queryOne(
      Connection c,
      String statement,
      int settings,
      String tenant,
      SecretName name,
      OptionalLong version)
      throws SQLException {
    try (JdbcDatabase.Prepared p = prepare(c, statement)) {
      PreparedStatement ps = p.statement();
      int i = 1;
      if (settings == 1) {
        ps.setString(i++, tenant);
      }
      ps.setString(i++, tenant);
      ps.setString(i++, name.value());
      if (version.isPresent()) {
        ps.setLong(i, version.getAsLong());
      }
      if (settings == 0) {
        return stored(ps, name);
      }
      // The set_config's own result first, then the query's.
      ps.execute();
      if (!ps.getMoreResults()) {
        throw new SQLException("the read returned no result set", "XX000");
      }
      try (ResultSet rs = ps.getResultSet()) {
        return stored(rs, name);
      }
    }
  }

  @Override
  public List<VersionInfo> versions(String tenant, SecretName name) {
    return read(
        tenant,
        "list versions",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.versions)) {
            ps.setString(1, tenant);
            ps.setString(2, name.value());
            List<VersionInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new VersionInfo(
                        name, rs.getLong(1), instant(rs.getLong(2)), rs.getInt(3) == 1));
              }
            }
            return out;
          }
        });
  }

  @Override
  public List<SecretHead> list(
      String tenant, String prefix, Optional<SecretName> after, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    // Keyset paging on the primary key: name >= prefix AND name < prefix + U+007F (every name
    // character sorts below it), AND name > cursor. Cost follows the page, not the offset.
    String lower =
        after.isPresent() && after.get().value().compareTo(prefix) >= 0
            ? after.get().value()
            : prefix;
    boolean exclusive = after.isPresent() && after.get().value().compareTo(prefix) >= 0;
    return read(
        tenant,
        "list secrets",
        c -> {
          String q = exclusive ? sql.listAfter : sql.listFrom;
          if (!prefix.isEmpty()) {
            q = q.replace("/*upper*/", " AND name < ?");
          }
          try (PreparedStatement ps = c.prepareStatement(q)) {
            int i = 1;
            ps.setString(i++, tenant);
            ps.setString(i++, lower);
            if (!prefix.isEmpty()) {
              ps.setString(i++, prefix + '\u007f');
            }
            ps.setInt(i, limit);
            List<SecretHead> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(head(rs, SecretName.of(rs.getString("name"))));
              }
            }
            return out;
          }
        });
  }

  @Override
  public boolean updateAttributes(
      String tenant, SecretName name, SecretAttributes attributes, Instant now) {
    Objects.requireNonNull(attributes, "attributes");
    return write(
        tenant,
        "update attributes",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.updateAttributes)) {
            setAttributes(ps, 1, attributes);
            ps.setLong(4, micros(now));
            ps.setString(5, tenant);
            ps.setString(6, name.value());
            return updateCount(ps) == 1;
          }
        });
  }

  @Override
  public boolean markDeleted(String tenant, SecretName name, Instant now) {
    return moveState(tenant, name, "delete a secret", "A", "D", now);
  }

  @Override
  public boolean restoreDeleted(String tenant, SecretName name, Instant now) {
    return moveState(tenant, name, "restore a secret", "D", "A", now);
  }

  private boolean moveState(
      String tenant, SecretName name, String what, String from, String to, Instant now) {
    return write(
        tenant,
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.setState)) {
            ps.setString(1, to);
            ps.setLong(2, micros(now));
            ps.setString(3, tenant);
            ps.setString(4, name.value());
            ps.setString(5, from);
            return updateCount(ps) == 1;
          }
        });
  }

  @Override
  public boolean destroyVersion(String tenant, SecretName name, long version) {
    return write(
        tenant,
        "destroy a secret version",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.destroyVersion)) {
            ps.setString(1, tenant);
            ps.setString(2, name.value());
            ps.setLong(3, version);
            return updateCount(ps) == 1;
          }
        });
  }

  @Override
  public boolean destroyAll(String tenant, SecretName name, Instant now) {
    return write(
        tenant,
        "destroy a secret",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.tombstoneHead)) {
            ps.setLong(1, micros(now));
            ps.setString(2, tenant);
            ps.setString(3, name.value());
            if (updateCount(ps) != 1) {
              return false;
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.deleteVersions)) {
            ps.setString(1, tenant);
            ps.setString(2, name.value());
            ps.executeUpdate();
          }
          return true;
        });
  }

  // ---- re-sealing -------------------------------------------------------------------------------

  @Override
  public List<SealedRecord> sealedRecords(
      String tenant, int notKeyId, Optional<SealedRecord> after, int limit) {
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    return read(
        tenant,
        "list records to re-seal",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(after.isPresent() ? sql.sealedAfter : sql.sealedFrom)) {
            int i = 1;
            ps.setString(i++, tenant);
            ps.setInt(i++, notKeyId);
            if (after.isPresent()) {
              ps.setString(i++, after.get().name().value());
              ps.setString(i++, after.get().name().value());
              ps.setLong(i++, after.get().version());
            }
            ps.setInt(i, limit);
            List<SealedRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new SealedRecord(
                        SecretName.of(rs.getString(1)),
                        rs.getLong(2),
                        rs.getInt(3),
                        rs.getBytes(4),
                        instant(rs.getLong(5))));
              }
            }
            return out;
          }
        });
  }

  @Override
  public OptionalInt reseal(String tenant, long keysetGeneration, List<ResealedRecord> batch) {
    Objects.requireNonNull(batch, "batch");
    return write(
        tenant,
        "re-seal records",
        c -> {
          if (!keysetLiveAt(c, tenant, keysetGeneration)) {
            return OptionalInt.empty();
          }
          int replaced = 0;
          try (PreparedStatement ps = c.prepareStatement(sql.reseal)) {
            for (ResealedRecord r : batch) {
              ps.setBytes(1, r.ciphertext());
              ps.setInt(2, r.toKeyId());
              ps.setString(3, tenant);
              ps.setString(4, r.name().value());
              ps.setLong(5, r.version());
              ps.setInt(6, r.fromKeyId());
              if (kind == DatabaseKind.MARIADB) {
                replaced += ps.executeUpdate(); // its batches may answer "success, count unknown"
              } else {
                ps.addBatch();
              }
            }
            if (kind != DatabaseKind.MARIADB) {
              for (int n : ps.executeBatch()) {
                if (n < 0) {
                  throw new SQLException(
                      "the driver did not report how many rows a re-seal replaced", "XX000");
                }
                replaced += n;
              }
            }
          }
          return OptionalInt.of(replaced);
        });
  }

  @Override
  public Map<Integer, Long> sealedCountsByKeyId(String tenant) {
    return read(
        tenant,
        "count records by key",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.countsByKeyId)) {
            ps.setString(1, tenant);
            Map<Integer, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
              }
            }
            return out;
          }
        });
  }

  // ---- tenant keysets ------------------------------------------------------------------------

  @Override
  public Optional<WrappedKeyset> tenantKeyset(String tenant) {
    return read(
        tenant,
        "read a tenant keyset",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.keyset)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.<WrappedKeyset>empty();
              }
              byte[] wrapped = rs.getBytes(1);
              long generation = rs.getLong(2);
              Instant since = instant(rs.getLong(4));
              return Optional.of(
                  wrapped == null
                      ? WrappedKeyset.destroyed(generation, since)
                      : new WrappedKeyset(wrapped, generation, rs.getLong(3), since));
            }
          }
        });
  }

  @Override
  public boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration) {
    Objects.requireNonNull(next, "next");
    if (next.generation() != expectedGeneration + 1) {
      throw new IllegalArgumentException(
          "next generation must be " + (expectedGeneration + 1) + ": " + next.generation());
    }
    return write(
        tenant,
        "store a tenant keyset",
        c -> {
          if (expectedGeneration == 0) {
            try (PreparedStatement ps = c.prepareStatement(sql.insertTenant)) {
              ps.setString(1, tenant);
              ps.setLong(2, micros(clock.instant()));
              insertedOne(ps);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insertKeyset)) {
              ps.setString(1, tenant);
              setWrapped(ps, 2, next);
              ps.setLong(3, next.generation());
              ps.setLong(4, next.primarySealed());
              ps.setLong(5, micros(next.primarySince()));
              return insertedOne(ps);
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.replaceKeyset)) {
            setWrapped(ps, 1, next);
            ps.setLong(2, next.generation());
            ps.setLong(3, next.primarySealed());
            ps.setLong(4, micros(next.primarySince()));
            ps.setString(5, tenant);
            ps.setLong(6, expectedGeneration);
            return updateCount(ps) == 1;
          }
        });
  }

  private static void setWrapped(PreparedStatement ps, int at, WrappedKeyset w)
      throws SQLException {
    if (w.isDestroyed()) {
      ps.setNull(at, Types.VARBINARY);
    } else {
      ps.setBytes(at, w.ciphertext());
    }
  }

  @Override
  public OptionalLong reserveSeals(String tenant, long generation, long count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: " + count);
    }
    return write(
        tenant,
        "reserve seals",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.reserveSeals)) {
            ps.setLong(1, count);
            ps.setString(2, tenant);
            ps.setLong(3, generation);
            if (updateCount(ps) != 1) {
              return OptionalLong.empty();
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.sealedCount)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return OptionalLong.of(rs.getLong(1));
            }
          }
        });
  }

  @Override
  public List<String> tenants(Optional<String> after, int limit) {
    Objects.requireNonNull(after, "after");
    return read(
        null,
        "list tenants",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.tenants)) {
            ps.setString(1, after.orElse(""));
            ps.setInt(2, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsDatabase) {
      database.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcRecordStore["
        + database.describe()
        + (bound != null ? ", bound to a caller's transaction" : "")
        + "]";
  }

  // ---- transactions ----------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(@Nullable String tenant, String what, Work<T> work) {
    return transaction(tenant, what, true, work);
  }

  private <T> T write(String tenant, String what, Work<T> work) {
    return transaction(tenant, what, false, work);
  }

  private <T> T transaction(@Nullable String tenant, String what, boolean read, Work<T> work) {
    if (closed.get()) {
      throw new StoreClosedException("the JDBC record store is closed");
    }
    if (bound != null) {
      try {
        setTenant(bound, tenant);
        return work.run(bound);
      } catch (SQLException e) {
        throw database.unavailable(what, e);
      }
    }
    JdbcDatabase.Work<T> inTenant =
        c -> {
          setTenant(c, tenant);
          return work.run(c);
        };
    return read ? database.read(what, inTenant) : database.write(what, inTenant);
  }

  /**
   * A statement for a hot read, kept prepared where the driver does not (see {@link
   * JdbcDatabase#prepare}).
   */
  private JdbcDatabase.Prepared prepare(Connection c, String statement) throws SQLException {
    // A caller's own connection (bindTo) is not ours to keep statements on.
    return bound != null
        ? JdbcDatabase.Prepared.once(c, statement)
        : database.prepare(c, statement);
  }

  private void setTenant(Connection c, @Nullable String tenant) throws SQLException {
    if (tenant != null && kind.hasRowLevelSecurity()) {
      try (PreparedStatement ps = c.prepareStatement(SET_TENANT)) {
        ps.setString(1, tenant);
        ps.execute();
      }
    }
  }

  private boolean insertedOne(PreparedStatement ps) throws SQLException {
    try {
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (SqlFailures.isDuplicateKey(e)
          && kind != DatabaseKind.POSTGRESQL
          && kind != DatabaseKind.SQLITE) {
        return false;
      }
      throw e;
    }
  }

  private int updateCount(PreparedStatement ps) throws SQLException {
    try {
      return ps.executeUpdate();
    } catch (SQLException e) {
      if (SqlFailures.isLostRace(e)) {
        // Deadlock victim or H2's concurrent-update error: the statement did nothing; report the
        // write as lost so the caller re-reads and decides.
        return 0;
      }
      throw e;
    }
  }

  // ---- row mapping -----------------------------------------------------------------------------

  private static SecretHead head(ResultSet rs, SecretName name) throws SQLException {
    SecretHead.State state =
        switch (rs.getString("state")) {
          case "A" -> SecretHead.State.ACTIVE;
          case "D" -> SecretHead.State.DELETED;
          case "X" -> SecretHead.State.DESTROYED;
          default ->
              throw new IntegrityException(
                  "secret '" + name + "' has an unknown state in the database");
        };
    long expires = rs.getLong("expires_us");
    Optional<Instant> expiresAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(expires));
    SecretAttributes attrs =
        new SecretAttributes(
            rs.getString("description"), labels(rs.getString("labels"), name), expiresAt);
    return new SecretHead(
        name,
        rs.getLong("current_version"),
        state,
        instant(rs.getLong("created_us")),
        instant(rs.getLong("updated_us")),
        attrs);
  }

  private static Optional<StoredRecord> stored(PreparedStatement ps, SecretName name)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return stored(rs, name);
    }
  }

  private static Optional<StoredRecord> stored(ResultSet rs, SecretName name) throws SQLException {
    if (!rs.next()) {
      return Optional.empty();
    }
    long expires = rs.getLong(5);
    Optional<Instant> expiresAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(expires));
    long generation = rs.getLong(6); // 0 when the tenant has no keyset row (NULL)
    SealedRecord r =
        new SealedRecord(name, rs.getLong(1), rs.getInt(2), rs.getBytes(3), instant(rs.getLong(4)));
    return Optional.of(new StoredRecord(r, expiresAt, generation));
  }

  private static void setAttributes(PreparedStatement ps, int at, SecretAttributes a)
      throws SQLException {
    ps.setString(at, a.description());
    try {
      ps.setString(at + 1, JSON.writeValueAsString(new TreeMap<>(a.labels())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels could not be written as JSON", e);
    }
    if (a.expiresAt().isPresent()) {
      ps.setLong(at + 2, micros(a.expiresAt().get()));
    } else {
      ps.setNull(at + 2, Types.BIGINT);
    }
  }

  private static Map<String, String> labels(String json, SecretName name) {
    try {
      return JSON.readValue(json, LABELS);
    } catch (JsonProcessingException e) {
      throw new IntegrityException(
          "labels of secret '" + name + "' are not valid JSON in the database");
    }
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  // ---- building --------------------------------------------------------------------------------

  /**
   * Configures a {@link JdbcRecordStore} on one database, given as exactly one of: a built {@link
   * #database(JdbcDatabase) JdbcDatabase} shared with other users, such as the server's tables
   * (never closed by the store); a {@link #database(JdbcDatabase.Builder) JdbcDatabase.Builder}
   * with the connection settings (built by {@link #build()}, closed with the store); or, as
   * shorthands for the latter, a {@link #url} or the application's {@link #dataSource} (never
   * closed by the store). Connection settings (credentials, pool size, timeouts, an owner role for
   * migrations) live on {@link JdbcDatabase.Builder} only.
   *
   * <p>Defaults: migrations run at {@link #build()}; no table prefix; the defaults of {@link
   * JdbcDatabase.Builder}.
   */
  public static final class Builder {
    private JdbcDatabase.@Nullable Builder databaseBuilder;
    private @Nullable JdbcDatabase database;
    private int sources;
    private String tablePrefix = "";
    private String appRole = "";
    private boolean validateOnly;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * A JDBC URL: {@code jdbc:sqlite:./data/secrets.db}, {@code jdbc:postgresql://host:5432/db},
     * {@code jdbc:h2:file:./data/secrets}, {@code jdbc:h2:mem:name}, {@code
     * jdbc:mariadb://host:3306/db}; short for {@code database(JdbcDatabase.builder().url(url))}.
     * {@code user} and {@code password} parameters are moved out of the URL into the pool's
     * properties. Embedded databases get durable settings (see {@link JdbcDatabase}).
     */
    public Builder url(String url) {
      return database(JdbcDatabase.builder().url(url));
    }

    /**
     * The application's own pool; short for {@code
     * database(JdbcDatabase.builder().dataSource(ds))}. The store never closes it.
     */
    public Builder dataSource(DataSource dataSource) {
      return database(JdbcDatabase.builder().dataSource(dataSource));
    }

    /**
     * The connection settings of a database of the store's own: built at {@link #build()} and
     * closed when the store is.
     */
    public Builder database(JdbcDatabase.Builder database) {
      this.databaseBuilder = Objects.requireNonNull(database, "database");
      sources++;
      return this;
    }

    /** A database shared with other tables (the server's, say); the store never closes it. */
    public Builder database(JdbcDatabase database) {
      this.database = Objects.requireNonNull(database, "database");
      sources++;
      return this;
    }

    /** A prefix for every table name: {@code [a-z][a-z0-9_]{0,31}}, or empty (the default). */
    public Builder tablePrefix(String tablePrefix) {
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!PREFIX.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException(
            "table prefix must match [a-z][a-z0-9_]{0,31}: '" + tablePrefix + "'");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /** PostgreSQL: the role that the first migration grants schema usage and DML to. */
    public Builder appRole(String appRole) {
      Objects.requireNonNull(appRole, "appRole");
      if (!ROLE.matcher(appRole).matches()) {
        throw new IllegalArgumentException(
            "app role must match [a-z_][a-z0-9_]{0,62}: '" + appRole + "'");
      }
      this.appRole = appRole;
      return this;
    }

    /**
     * {@link #build()} only checks that the schema is present and current, and changes nothing
     * (default: it creates or upgrades the schema): for a role that owns no tables, or the source
     * of a copy.
     */
    public Builder validateSchemaOnly() {
      this.validateOnly = true;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Connects, checks the database kind, and migrates (or validates) the schema. Fails fast with
     * {@link BackendUnavailableException} naming the database (never the password) if it cannot
     * connect, and with {@link ConfigurationException} if the schema is not usable.
     */
    public JdbcRecordStore build() {
      if (sources != 1) {
        throw new IllegalStateException(
            "set exactly one of url(...), dataSource(...) and database(...)");
      }
      boolean owns = database == null;
      JdbcDatabase db =
          database != null
              ? database
              : Objects.requireNonNull(databaseBuilder, "databaseBuilder").build();
      try {
        Map<String, String> placeholders = Map.of("prefix", tablePrefix, "appRole", appRole);
        if (!validateOnly) {
          db.migrate(
              JdbcRecordStore.class, MIGRATIONS, tablePrefix + "schema_history", placeholders);
        } else {
          db.validate(
              JdbcRecordStore.class, MIGRATIONS, tablePrefix + "schema_history", placeholders);
        }
        return new JdbcRecordStore(
            db, owns, null, new Sql(db.kind(), tablePrefix), tablePrefix, clock);
      } catch (RuntimeException e) {
        if (owns) {
          db.close();
        }
        throw e;
      }
    }
  }
}
