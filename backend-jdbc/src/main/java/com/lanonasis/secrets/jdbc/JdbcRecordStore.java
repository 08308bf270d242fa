package com.lanonasis.secrets.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.RecordStore;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;

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
 * transaction-local setting {@code lanonasis.tenant}, which each transaction sets first with
 * {@code set_config(..., true)}; it vanishes at commit or rollback, so a pooled connection never
 * carries one tenant's context into another's work, and with no tenant set no row matches. The
 * application must connect as a role that does not own the tables and has neither superuser nor
 * {@code BYPASSRLS}; run migrations as the owner ({@link Builder#migrationDataSource}). H2 and
 * MariaDB have no row-level security: there the {@code WHERE} clause is the only guard.
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
 * database's one write lock before their first statement and check-and-set holds across threads
 * and processes the same way (see {@link JdbcDatabase}).
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
  private final Connection bound;
  private final DatabaseKind kind;
  private final Sql sql;
  private final String tablePrefix;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcRecordStore(JdbcDatabase database, boolean ownsDatabase, Connection bound, Sql sql, String tablePrefix,
      Clock clock) {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.bound = bound;
    this.kind = database.kind();
    this.sql = sql;
    this.tablePrefix = tablePrefix;
    this.clock = clock;
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
        throw new IllegalStateException("bindTo needs a connection inside a transaction: call setAutoCommit(false) first");
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
    return List.of(tablePrefix + "tenants", tablePrefix + "tenant_keysets", tablePrefix + "secret_heads",
        tablePrefix + "secret_versions");
  }

  // ---- secrets -------------------------------------------------------------------------------

  @Override
  public Optional<SecretHead> head(String tenant, SecretName name) {
    return read(tenant, "read a secret head", c -> {
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
  public boolean append(String tenant, SealedRecord record, Optional<SecretAttributes> attributes) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(attributes, "attributes");
    return write(tenant, "write a secret version", c -> {
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
            return false;
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
          return false;
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
      return true;
    });
  }

  @Override
  public Optional<StoredRecord> readLatest(String tenant, SecretName name) {
    return read(tenant, "read a secret", c -> {
      try (JdbcDatabase.Prepared p = prepare(c, sql.readLatest)) {
        PreparedStatement ps = p.statement();
        ps.setString(1, tenant);
        ps.setString(2, name.value());
        return stored(ps, name);
      }
    });
  }

  @Override
  public Optional<StoredRecord> readVersion(String tenant, SecretName name, long version) {
    return read(tenant, "read a secret version", c -> {
      try (JdbcDatabase.Prepared p = prepare(c, sql.readVersion)) {
        PreparedStatement ps = p.statement();
        ps.setString(1, tenant);
        ps.setString(2, name.value());
        ps.setLong(3, version);
        return stored(ps, name);
      }
    });
  }

  @Override
  public List<VersionInfo> versions(String tenant, SecretName name) {
    return read(tenant, "list versions", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.versions)) {
        ps.setString(1, tenant);
        ps.setString(2, name.value());
        List<VersionInfo> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new VersionInfo(name, rs.getLong(1), instant(rs.getLong(2)), rs.getInt(3) == 1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<SecretHead> list(String tenant, String prefix, Optional<SecretName> after, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    // Keyset paging on the primary key: name >= prefix AND name < prefix + U+007F (every name
    // character sorts below it), AND name > cursor. Cost follows the page, not the offset.
    String lower = after.isPresent() && after.get().value().compareTo(prefix) >= 0 ? after.get().value() : prefix;
    boolean exclusive = after.isPresent() && after.get().value().compareTo(prefix) >= 0;
    return read(tenant, "list secrets", c -> {
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
  public boolean updateAttributes(String tenant, SecretName name, SecretAttributes attributes, Instant now) {
    Objects.requireNonNull(attributes, "attributes");
    return write(tenant, "update attributes", c -> {
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
  public boolean setDeleted(String tenant, SecretName name, boolean deleted, Instant now) {
    return write(tenant, deleted ? "delete a secret" : "restore a secret", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.setState)) {
        ps.setString(1, deleted ? "D" : "A");
        ps.setLong(2, micros(now));
        ps.setString(3, tenant);
        ps.setString(4, name.value());
        ps.setString(5, deleted ? "A" : "D");
        return updateCount(ps) == 1;
      }
    });
  }

  @Override
  public boolean destroyVersion(String tenant, SecretName name, long version) {
    return write(tenant, "destroy a secret version", c -> {
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
    return write(tenant, "destroy a secret", c -> {
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

  // ---- tenant keysets ------------------------------------------------------------------------

  @Override
  public Optional<WrappedKeyset> tenantKeyset(String tenant) {
    return read(tenant, "read a tenant keyset", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.keyset)) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new WrappedKeyset(rs.getBytes(1), rs.getLong(2))) : Optional.<WrappedKeyset>empty();
        }
      }
    });
  }

  @Override
  public boolean putTenantKeyset(String tenant, WrappedKeyset next, long expectedGeneration) {
    Objects.requireNonNull(next, "next");
    if (next.generation() != expectedGeneration + 1) {
      throw new IllegalArgumentException("next generation must be " + (expectedGeneration + 1) + ": " + next.generation());
    }
    return write(tenant, "store a tenant keyset", c -> {
      if (expectedGeneration == 0) {
        try (PreparedStatement ps = c.prepareStatement(sql.insertTenant)) {
          ps.setString(1, tenant);
          ps.setLong(2, micros(clock.instant()));
          insertedOne(ps);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertKeyset)) {
          ps.setString(1, tenant);
          ps.setBytes(2, next.ciphertext());
          ps.setLong(3, next.generation());
          return insertedOne(ps);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.replaceKeyset)) {
        ps.setBytes(1, next.ciphertext());
        ps.setLong(2, next.generation());
        ps.setString(3, tenant);
        ps.setLong(4, expectedGeneration);
        return updateCount(ps) == 1;
      }
    });
  }

  @Override
  public boolean deleteTenantKeyset(String tenant) {
    return write(tenant, "delete a tenant keyset", c -> {
      int n;
      try (PreparedStatement ps = c.prepareStatement(sql.deleteKeyset)) {
        ps.setString(1, tenant);
        n = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(sql.deleteTenant)) {
        ps.setString(1, tenant);
        ps.executeUpdate();
      }
      return n == 1;
    });
  }

  @Override
  public List<String> tenants(Optional<String> after, int limit) {
    Objects.requireNonNull(after, "after");
    return read(null, "list tenants", c -> {
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
    return "JdbcRecordStore[" + database.describe() + (bound != null ? ", bound to a caller's transaction" : "") + "]";
  }

  // ---- transactions ----------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String tenant, String what, Work<T> work) {
    return transaction(tenant, what, true, work);
  }

  private <T> T write(String tenant, String what, Work<T> work) {
    return transaction(tenant, what, false, work);
  }

  private <T> T transaction(String tenant, String what, boolean read, Work<T> work) {
    if (closed.get()) {
      throw new IllegalStateException("JDBC record store is closed");
    }
    if (bound != null) {
      try {
        setTenant(bound, tenant);
        return work.run(bound);
      } catch (SQLException e) {
        throw database.unavailable(what, e);
      }
    }
    JdbcDatabase.Work<T> inTenant = c -> {
      setTenant(c, tenant);
      return work.run(c);
    };
    return read ? database.read(what, inTenant) : database.write(what, inTenant);
  }

  /** A statement for a hot read, kept prepared where the driver does not (see {@link JdbcDatabase#prepare}). */
  private JdbcDatabase.Prepared prepare(Connection c, String statement) throws SQLException {
    // A caller's own connection (bindTo) is not ours to keep statements on.
    return bound != null ? JdbcDatabase.Prepared.once(c, statement) : database.prepare(c, statement);
  }

  private void setTenant(Connection c, String tenant) throws SQLException {
    if (tenant != null && kind.hasRowLevelSecurity()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lanonasis.tenant', ?, true)")) {
        ps.setString(1, tenant);
        ps.execute();
      }
    }
  }

  private boolean insertedOne(PreparedStatement ps) throws SQLException {
    try {
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (SqlFailures.isDuplicateKey(e) && kind != DatabaseKind.POSTGRESQL && kind != DatabaseKind.SQLITE) {
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
    SecretHead.State state = switch (rs.getString("state")) {
      case "A" -> SecretHead.State.ACTIVE;
      case "D" -> SecretHead.State.DELETED;
      case "X" -> SecretHead.State.DESTROYED;
      default -> throw new IntegrityException("secret '" + name + "' has an unknown state in the database");
    };
    long expires = rs.getLong("expires_us");
    Optional<Instant> expiresAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(expires));
    SecretAttributes attrs = new SecretAttributes(rs.getString("description"), labels(rs.getString("labels"), name), expiresAt);
    return new SecretHead(name, rs.getLong("current_version"), state, instant(rs.getLong("created_us")),
        instant(rs.getLong("updated_us")), attrs);
  }

  private static Optional<StoredRecord> stored(PreparedStatement ps, SecretName name) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      long expires = rs.getLong(5);
      Optional<Instant> expiresAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(expires));
      SealedRecord r = new SealedRecord(name, rs.getLong(1), rs.getInt(2), rs.getBytes(3), instant(rs.getLong(4)));
      return Optional.of(new StoredRecord(r, expiresAt));
    }
  }

  private static void setAttributes(PreparedStatement ps, int at, SecretAttributes a) throws SQLException {
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
      throw new IntegrityException("labels of secret '" + name + "' are not valid JSON in the database");
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
   * Configures a {@link JdbcRecordStore}. One of {@link #url} (the store makes and owns its
   * {@link JdbcDatabase}), {@link #dataSource} (the application's own pool; never closed by the
   * store) or {@link #database} (a database shared with other users, such as the server's tables;
   * never closed by the store).
   *
   * <p>Defaults: migrations run at {@link #build()}; no table prefix; pool of at most 10
   * connections; 10 seconds to get a connection.
   */
  public static final class Builder {
    private final JdbcDatabase.Builder databaseBuilder = JdbcDatabase.builder();
    private boolean url;
    private boolean dataSource;
    private boolean migrationDataSource;
    private JdbcDatabase database;
    private String tablePrefix = "";
    private String appRole = "";
    private boolean migrate = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * A JDBC URL: {@code jdbc:sqlite:./data/secrets.db}, {@code jdbc:postgresql://host:5432/db},
     * {@code jdbc:h2:file:./data/secrets}, {@code jdbc:h2:mem:name}, {@code jdbc:mariadb://host:3306/db}.
     * {@code user} and {@code password} parameters are moved out of the URL into the pool's
     * properties. Embedded databases get durable settings (see {@link JdbcDatabase}).
     */
    public Builder url(String url) {
      databaseBuilder.url(url);
      this.url = true;
      return this;
    }

    public Builder username(String username) {
      databaseBuilder.username(username);
      return this;
    }

    /** The password; the array is copied. */
    public Builder password(char[] password) {
      databaseBuilder.password(password);
      return this;
    }

    /** The application's own pool instead of a URL. The store never closes it. */
    public Builder dataSource(DataSource dataSource) {
      databaseBuilder.dataSource(dataSource);
      this.dataSource = true;
      return this;
    }

    /** A database shared with other tables (the server's, say); the store never closes it. */
    public Builder database(JdbcDatabase database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /**
     * Where migrations run, if not on the store's own connections: on PostgreSQL, the owner role
     * of the tables, so that the application role is not their owner. With {@link #database}, set
     * it on the database's builder instead.
     */
    public Builder migrationDataSource(DataSource migrationDataSource) {
      databaseBuilder.migrationDataSource(migrationDataSource);
      this.migrationDataSource = true;
      return this;
    }

    /** A prefix for every table name: {@code [a-z][a-z0-9_]{0,31}}, or empty (the default). */
    public Builder tablePrefix(String tablePrefix) {
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!PREFIX.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException("table prefix must match [a-z][a-z0-9_]{0,31}: '" + tablePrefix + "'");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /** PostgreSQL: the role that the first migration grants schema usage and DML to. */
    public Builder appRole(String appRole) {
      Objects.requireNonNull(appRole, "appRole");
      if (!ROLE.matcher(appRole).matches()) {
        throw new IllegalArgumentException("app role must match [a-z_][a-z0-9_]{0,62}: '" + appRole + "'");
      }
      this.appRole = appRole;
      return this;
    }

    /** Whether {@link #build()} creates or upgrades the schema (default true). Off: it only checks it is current. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    public Builder maximumPoolSize(int maximumPoolSize) {
      databaseBuilder.maximumPoolSize(maximumPoolSize);
      return this;
    }

    /** How long to wait for a connection, at start and per call. 250 ms to 5 minutes; default 10 s. */
    public Builder connectionTimeout(Duration connectionTimeout) {
      databaseBuilder.connectionTimeout(connectionTimeout);
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
      int sources = (url ? 1 : 0) + (dataSource ? 1 : 0) + (database != null ? 1 : 0);
      if (sources != 1) {
        throw new IllegalStateException("set exactly one of url(...), dataSource(...) and database(...)");
      }
      if (database != null && migrationDataSource) {
        throw new IllegalStateException("with database(...), set the migration data source on the database's builder");
      }
      boolean owns = database == null;
      JdbcDatabase db = owns ? databaseBuilder.build() : database;
      try {
        Map<String, String> placeholders = Map.of("prefix", tablePrefix, "appRole", appRole);
        if (migrate) {
          db.migrate(JdbcRecordStore.class, MIGRATIONS, tablePrefix + "schema_history", placeholders);
        } else {
          db.validate(JdbcRecordStore.class, MIGRATIONS, tablePrefix + "schema_history", placeholders);
        }
        return new JdbcRecordStore(db, owns, null, new Sql(db.kind(), tablePrefix), tablePrefix, clock);
      } catch (RuntimeException e) {
        if (owns) {
          db.close();
        }
        throw e;
      }
    }
  }
}
