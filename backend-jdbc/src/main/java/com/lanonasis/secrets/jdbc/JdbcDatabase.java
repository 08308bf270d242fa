package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.StoreClosedException;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database that the record store (and the server's own tables) live in, and the one owner of
 * its connection settings (URL, credentials, pool size, timeouts, the embedded databases' durable
 * settings). It answers for its {@link DatabaseKind}, and hands each job to a collaborator of its
 * own: connections and transactions ({@code Transactions}), schema migrations with Flyway ({@code
 * SchemaMigrations}), and copying or backing up a store ({@code TableCopy}, {@code
 * EmbeddedBackup}). Stores and the server take a built database (shared, never closed by them) or
 * its {@link Builder} (built and closed by them) instead of repeating its settings.
 *
 * <pre>{@code
 * try (JdbcDatabase db = JdbcDatabase.builder().url("jdbc:sqlite:./data/secrets.db").build()) {
 *   JdbcRecordStore records = JdbcRecordStore.builder().database(db).build(); // db stays open
 *   long n = db.read("count tenants", c -> { ... });
 * }
 * }</pre>
 *
 * <h2>Durability of the embedded databases</h2>
 *
 * A commit that returned has been handed to the operating system, so it survives a killed process:
 * SQLite runs with a write-ahead log and {@code synchronous=FULL} (the log is flushed to the disk
 * at each commit, so power loss keeps it too; {@code ?synchronous=NORMAL} in the URL trades that
 * for speed), H2 with {@code WRITE_DELAY=0} (H2 does not flush to the disk at commit: power loss
 * can lose recent commits). See {@code EmbeddedSettings}.
 *
 * <h2>SQLite: one writer</h2>
 *
 * SQLite lets one transaction write at a time. Built from a URL, a SQLite database gets two pools:
 * readers (up to the pool size) and a single writer connection, so writers in this process queue in
 * the pool instead of spinning on SQLite's lock. Every write transaction starts with {@code BEGIN
 * IMMEDIATE}, which takes the write lock before its first read: a transaction that reads and then
 * writes can never fail half-way because another writer came first. Writers in other processes are
 * waited for up to the {@code busy_timeout} (the connection timeout unless the URL sets it).
 *
 * <h2>SQLite: a reserve of free space</h2>
 *
 * A write is refused ({@link BackendUnavailableException}) while the file system holding the
 * database file has less than 8 MiB free, and the write-ahead log is then checkpointed into the
 * database and truncated at once. So the store never fills its disk itself: the reserve keeps room
 * to fold the log into the database when the last connection closes, and to create the log and its
 * shared-memory file at the next start. Without it, a log checkpointed at stop into space just
 * freed took that space again, and the restarted store could not commit. {@link #checkWritable()}
 * asks the same question without writing.
 *
 * <h2>A database server that went away</h2>
 *
 * A call waits at most the connection timeout (default 2 s) for a connection, and is not retried
 * after that wait. A connection found dead evicts every pooled connection (they died with the
 * server), so no request after the server is back fails on a stale one, and the pool dials the
 * server again every 250 ms while it is down ({@code RedialingDataSource}), so the first connection
 * is there as soon as the server is.
 *
 * <p>Thread-safe. {@link #close()} closes the pools it made, never a caller's {@code DataSource}.
 *
 * @since 0.1
 */
public final class JdbcDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcDatabase.class);

  private final DatabaseKind kind;
  private final String described;
  private final Transactions transactions;
  private final SchemaMigrations migrations;
  private final Optional<Path> file;
  private final Optional<String> user;
  private final Optional<String> applicationRole;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcDatabase(
      DatabaseKind kind,
      String described,
      Transactions transactions,
      SchemaMigrations migrations,
      Optional<Path> file,
      Optional<String> user,
      Optional<String> applicationRole) {
    this.kind = kind;
    this.described = described;
    this.transactions = transactions;
    this.migrations = migrations;
    this.file = file;
    this.user = user;
    this.applicationRole = applicationRole;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What kind of database this is. */
  public DatabaseKind kind() {
    return kind;
  }

  /** The database for messages: its kind, host and name or file, never a credential. */
  public String describe() {
    return described;
  }

  /**
   * Fails as a write would before it begins, without writing: on SQLite, while the file system has
   * less free space than the reserve. Does nothing on other databases.
   *
   * @throws BackendUnavailableException naming the database and the free space
   */
  public void checkWritable() {
    transactions.checkWritable();
  }

  // ---- connections and transactions (Transactions) ---------------------------------------------

  /** Work done with a connection inside a transaction that {@link JdbcDatabase} begins and ends. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} as a read and returns its result. Each statement sees committed data; on
   * SQLite each statement is its own snapshot (several statements do not share one). A read whose
   * connection died is retried once on a fresh one; waiting for a connection is not (see the
   * builder's connection timeout).
   *
   * @throws BackendUnavailableException naming {@code what} and the SQLState, with the {@code
   *     SQLException} as cause (never its message, which may quote parameters)
   */
  public <T> T read(String what, Work<T> work) {
    return run(what, Transactions.Mode.READ, work);
  }

  /**
   * Runs {@code work}, a read made of exactly one statement, in auto-commit on every database: the
   * statement is its own snapshot, and no {@code BEGIN} or {@code COMMIT} costs a round trip of its
   * own. On PostgreSQL the statement may carry its {@code set_config} before the query ({@code
   * "SELECT set_config(...); SELECT ..."}): the driver sends both in one message sequence, which
   * the server runs as one implicit transaction, so a transaction-local setting (row-level
   * security's tenant) reaches the query, and the read costs one round trip instead of three.
   * Retried as {@link #read}.
   *
   * @since 0.1
   */
  public <T> T readStatement(String what, Work<T> work) {
    return run(what, Transactions.Mode.STATEMENT, work);
  }

  /**
   * Runs {@code work} in a write transaction: committed if it returns, rolled back if it throws.
   * Not retried: a write whose connection died during commit has an unknown outcome. On SQLite a
   * write is refused while the file system has less free space than the reserve (see the class
   * comment).
   *
   * @throws BackendUnavailableException as for {@link #read}
   */
  public <T> T write(String what, Work<T> work) {
    return run(what, Transactions.Mode.WRITE, work);
  }

  private <T> T run(String what, Transactions.Mode mode, Work<T> work) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(work, "work");
    if (closed.get()) {
      throw new StoreClosedException("the database " + described + " is closed");
    }
    return transactions.run(what, mode, work);
  }

  /**
   * A statement prepared for one use inside a {@link Work}: close it as usual (try-with-resources).
   * On SQLite, whose driver has no statement cache, a statement prepared on a connection of this
   * database's own pools is kept for the next use of the same SQL on the same connection (closing
   * only clears its parameters): compiling a query costs several times running it. Other drivers
   * cache on their own (PostgreSQL's server-prepared statements, H2's query cache), so there {@code
   * close()} closes.
   */
  public static final class Prepared implements AutoCloseable {
    private final PreparedStatement statement;
    private final boolean kept;

    private Prepared(PreparedStatement statement, boolean kept) {
      this.statement = statement;
      this.kept = kept;
    }

    /** A statement prepared on {@code connection} and closed by {@link #close()}, kept nowhere. */
    public static Prepared once(Connection connection, String sql) throws SQLException {
      return new Prepared(connection.prepareStatement(sql), false);
    }

    /** A statement kept prepared for the next use: {@link #close()} only clears its parameters. */
    static Prepared kept(PreparedStatement statement) {
      return new Prepared(statement, true);
    }

    public PreparedStatement statement() {
      return statement;
    }

    @Override
    public void close() throws SQLException {
      if (kept) {
        statement.clearParameters();
      } else {
        statement.close();
      }
    }
  }

  /**
   * Prepares {@code sql} on {@code connection}, a connection this database handed to a {@link
   * Work}; see {@link Prepared}. ResultSets must be closed before the work returns.
   */
  public Prepared prepare(Connection connection, String sql) throws SQLException {
    return transactions.prepare(connection, sql);
  }

  /**
   * The failure of {@code what} on this database, by SQLState only: driver messages can quote
   * values. Damaged data (SQLite's {@code SQLITE_CORRUPT} and {@code SQLITE_NOTADB}, PostgreSQL's
   * {@code XX001}/{@code XX002}) is an {@link IntegrityException}: permanent, to be restored from a
   * backup, never answered as "try again". Every other failure is {@link
   * BackendUnavailableException}.
   */
  SecretsException unavailable(String what, SQLException e) {
    return transactions.unavailable(what, e);
  }

  // ---- schema (SchemaMigrations) ---------------------------------------------------------------

  /**
   * Creates or upgrades tables with the Flyway migrations found at {@code
   * classpath:<location>/<kind id>} (loaded by {@code owner}'s class loader), recording them in
   * {@code historyTable}. A schema that holds other tables but no history of these is baselined at
   * version 0, so V1 still runs; an empty schema is not, which keeps concurrent first starts on
   * Flyway's locked path. Migrations that fail for a passing reason (a concurrent first start) are
   * retried; errors of the SQL itself are not. They run where the builder said ({@link
   * Builder#migrationCredentials}, {@link Builder#migrationDataSource}), else as the pools' user on
   * connections of their own.
   *
   * @throws ConfigurationException when the migrations cannot be applied
   */
  public void migrate(
      Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    migrations.migrate(owner, location, historyTable, placeholders);
  }

  /**
   * Checks that the tables of {@link #migrate} are present and current, changing nothing.
   *
   * @throws ConfigurationException when they are missing or not current
   */
  public void validate(
      Class<?> owner, String location, String historyTable, Map<String, String> placeholders) {
    migrations.validate(owner, location, historyTable, placeholders);
  }

  /**
   * Whether a table of this name exists in the schema the database connects to (case-insensitive).
   */
  public boolean hasTable(String table) {
    return read(
        "look for table " + table,
        c -> {
          try (ResultSet rs =
              c.getMetaData()
                  .getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
              if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                return true;
              }
            }
            return false;
          }
        });
  }

  // ---- backup and copy (EmbeddedBackup, TableCopy) ---------------------------------------------

  /**
   * Writes a consistent copy of an embedded database to {@code target} while it stays in use:
   * SQLite with {@code VACUUM INTO} (the copy is itself a SQLite database: restore it by putting it
   * in place of the store's file while nothing has it open), H2 with {@code BACKUP TO} (a zip of
   * the database file: unzip it in place). The file is created with mode 0600, must not exist yet,
   * and is flushed to the disk before this returns.
   *
   * @throws ConfigurationException for PostgreSQL and MariaDB (use {@code pg_dump} or {@code
   *     mariadb-dump}), or when {@code target} exists or cannot be created
   */
  public void backupTo(Path target) {
    Objects.requireNonNull(target, "target");
    EmbeddedBackup.write(kind, transactions, target);
  }

  /**
   * Copies every row of {@code tables} (in that order: parents before children) from this database
   * to {@code target}, as stored: sealed values stay sealed, nothing is decrypted. Reads in one
   * transaction here, writes in one transaction there, so the copy is all or nothing. The tables
   * must exist on both sides (migrate the target first) and be empty on the target.
   *
   * @return the number of rows copied per table, in order
   * @throws ConfigurationException when a target table already holds rows
   */
  public Map<String, Long> copyTo(JdbcDatabase target, List<String> tables) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(tables, "tables");
    return TableCopy.copy(this, target, tables);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      transactions.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcDatabase[" + described + "]";
  }

  /**
   * {@code url} with any password in it replaced by {@code ***}: user info ({@code //user:pw@}),
   * Oracle's {@code user/pw@}, and every parameter named like a password ({@code password=}, {@code
   * ;PASSWORD=}, {@code sslpassword=}, {@code FILE_PASSWORD=}, {@code pwd=}...). For printing a
   * configuration; messages name a database by {@link #describe()} instead.
   */
  public static String redactedUrl(String url) {
    return JdbcUrl.redact(Objects.requireNonNull(url, "url"));
  }

  /**
   * Whether {@code url} holds a password (a non-empty one, in user info or a password parameter).
   */
  public static boolean urlHoldsPassword(String url) {
    return JdbcUrl.holdsPassword(Objects.requireNonNull(url, "url"));
  }

  /** The user the pools connect as, when it was given (in the URL or to the builder). */
  public Optional<String> user() {
    return user;
  }

  /**
   * The role the pools connect as when migrations run as another, the tables' owner ({@link
   * Builder#migrationCredentials}): the role the first migrations grant what it needs. Empty when
   * migrations run as the pools' own user.
   */
  public Optional<String> applicationRole() {
    return applicationRole;
  }

  /** The SQLite or H2 file this database is in, when it is one. */
  public Optional<Path> file() {
    return file;
  }

  /**
   * The file a JDBC URL names without opening it: a SQLite database file, or H2's {@code .mv.db};
   * empty for in-memory and server databases.
   */
  public static Optional<Path> fileOf(String url) {
    return EmbeddedSettings.file(
        JdbcUrl.parse(Objects.requireNonNull(url, "url")).urlWithoutCredentials());
  }

  // ---- building: the connection settings -------------------------------------------------------

  /**
   * Configures a {@link JdbcDatabase}: either {@link #url} (it makes and owns its pools) or {@link
   * #dataSource} (the application's own; never closed). Every connection setting of the backend is
   * here, and only here: a {@code JdbcRecordStore.Builder} or the server's builder takes this
   * builder (or the database built from it) rather than repeating them.
   *
   * <p>Defaults: a pool of at most 10 connections (for SQLite: 10 readers and one writer); 2
   * seconds to get a connection from a database server, 10 seconds for an embedded one (and, for
   * SQLite, to wait for another process's write); migrations as the pools' own user; H2 closed by
   * its own JVM shutdown hook.
   */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable DataSource dataSource;
    private @Nullable DataSource migrationDataSource;
    private @Nullable String migrationUser;
    private char @Nullable [] migrationPassword;
    private int maximumPoolSize = 10;

    /** Null: the default of the database's kind (see {@link #connectionTimeout(Duration)}). */
    private @Nullable Duration connectionTimeout;

    private @Nullable String poolName;
    private @Nullable Object metricRegistry;
    private boolean readOnly;
    private boolean keepH2OpenUntilClose;

    private Builder() {}

    /**
     * A JDBC URL: {@code jdbc:sqlite:./data/secrets.db}, {@code jdbc:postgresql://host:5432/db},
     * {@code jdbc:h2:file:./data/secrets}, {@code jdbc:h2:mem:name}, {@code
     * jdbc:mariadb://host/db}. {@code user} and {@code password} parameters are moved out of the
     * URL into the pool's properties; embedded databases get durable settings (see the class
     * comment).
     */
    public Builder url(String url) {
      JdbcUrl parsed = JdbcUrl.parse(Objects.requireNonNull(url, "url"));
      this.url = url;
      parsed.user().ifPresent(u -> this.username = u);
      parsed.password().ifPresent(p -> this.password = p.toCharArray());
      return this;
    }

    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** The password; the array is copied. */
    public Builder password(char[] password) {
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** The application's own pool instead of a URL. Never closed by the database. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Where migrations run, if not on connections of their own to the URL: on PostgreSQL, the owner
     * role of the tables, so that the application role is not their owner.
     */
    public Builder migrationDataSource(DataSource migrationDataSource) {
      this.migrationDataSource = Objects.requireNonNull(migrationDataSource, "migrationDataSource");
      return this;
    }

    /**
     * Run migrations on connections of their own to the same URL as another role: on PostgreSQL,
     * the owner of the tables, so that the role the pool connects as owns nothing (see {@link
     * JdbcDatabase#applicationRole()}). Needs {@link #url}. The array is copied.
     */
    public Builder migrationCredentials(String username, char[] password) {
      this.migrationUser = Objects.requireNonNull(username, "username");
      this.migrationPassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    public Builder maximumPoolSize(int maximumPoolSize) {
      if (maximumPoolSize < 1 || maximumPoolSize > 1000) {
        throw new IllegalArgumentException(
            "maximumPoolSize out of range (1..1000): " + maximumPoolSize);
      }
      this.maximumPoolSize = maximumPoolSize;
      return this;
    }

    /**
     * How long a call waits for a connection, 250 ms to 5 minutes. Default: 2 s for a database
     * server (PostgreSQL, MariaDB), so that a call fails fast, and is answered "unavailable", while
     * the server cannot be reached; 10 s for SQLite, where it is also how long a write waits for
     * another process's write lock ({@code busy_timeout}), and H2.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      if (connectionTimeout.toMillis() < 250
          || connectionTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "connectionTimeout out of range (250ms..5m): " + connectionTimeout);
      }
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /** The pool's name in metrics and thread names; default {@code lanonasis-<hash>}. */
    public Builder poolName(String poolName) {
      this.poolName = Objects.requireNonNull(poolName, "poolName");
      return this;
    }

    /**
     * Opens the database to read it only, as the source of a copy: an embedded file must exist and
     * is not changed (SQLite {@code SQLITE_OPEN_READONLY}, H2 {@code ACCESS_MODE_DATA=r}).
     */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /**
     * H2: keep the database open until {@link JdbcDatabase#close()}, also while the JVM shuts down
     * ({@code DB_CLOSE_ON_EXIT=FALSE} unless the URL says otherwise). H2 closes its databases in a
     * shutdown hook of its own, which may run before a server's hook has let the requests in flight
     * finish. The owner must then close the database. No effect on other databases.
     */
    public Builder keepH2OpenUntilClose() {
      this.keepH2OpenUntilClose = true;
      return this;
    }

    /** A Micrometer {@code MeterRegistry} the pools report to (HikariCP's own metrics). */
    public Builder metricRegistry(Object metricRegistry) {
      this.metricRegistry = Objects.requireNonNull(metricRegistry, "metricRegistry");
      return this;
    }

    /**
     * Connects and checks the database kind. Fails fast with {@link BackendUnavailableException}
     * naming the database (never the password) if it cannot connect.
     *
     * @throws IllegalStateException unless exactly one of {@link #url} and {@link #dataSource} is
     *     set, or with {@link #migrationCredentials} but no URL
     */
    public JdbcDatabase build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalStateException("set exactly one of url(...) and dataSource(...)");
      }
      if (migrationUser != null && url == null) {
        throw new IllegalStateException(
            "migrationCredentials(...) needs url(...): with dataSource(...), migrate "
                + "beforehand or set migrationDataSource(...)");
      }
      if (migrationUser != null && migrationDataSource != null) {
        throw new IllegalStateException(
            "set at most one of migrationCredentials(...) and migrationDataSource(...)");
      }
      if (dataSource != null) {
        String described = "the application's data source";
        DatabaseKind kind = ConnectionPools.detect(dataSource, described);
        return new JdbcDatabase(
            kind,
            described,
            new Transactions(kind, described, dataSource, dataSource, List.of(), null),
            new SchemaMigrations(
                kind,
                described,
                SchemaMigrations.Source.of(
                    migrationDataSource != null ? migrationDataSource : dataSource)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
      }
      // build() checked that exactly one source, here the url, is set.
      JdbcUrl parsed = JdbcUrl.parse(Objects.requireNonNull(url, "url"));
      String described = parsed.describe();
      String target = parsed.urlWithoutCredentials();
      Optional<Path> file = Optional.empty();
      boolean h2Created = false;
      boolean sqlite = target.startsWith("jdbc:sqlite:");
      Driver driver = ConnectionPools.driverFor(target, described);
      if (sqlite) {
        EmbeddedSettings.SqliteFile f =
            EmbeddedSettings.sqlite(
                target,
                connectionTimeout(true),
                readOnly,
                EmbeddedSettings.sqliteParameters(driver, target));
        target = f.url();
        file = Optional.of(f.file());
        if (!readOnly && f.synchronous().equals("NORMAL")) {
          LOG.info(
              "SQLite synchronous=NORMAL on {}: commits survive a killed process, but power loss may lose "
                  + "the last of them",
              described);
        }
      } else if (target.startsWith("jdbc:h2:")) {
        if (keepH2OpenUntilClose && !target.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
          target = target + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        file = EmbeddedSettings.file(target);
        target = EmbeddedSettings.h2(target, readOnly);
        h2Created = file.isPresent() && !Files.exists(file.get());
      }
      String name =
          poolName != null
              ? poolName
              : "lanonasis-" + Integer.toHexString(System.identityHashCode(this));
      ConnectionPools.Settings settings =
          new ConnectionPools.Settings(
              username,
              password,
              connectionTimeout(sqlite || target.startsWith("jdbc:h2:")),
              readOnly,
              metricRegistry);
      List<HikariDataSource> pools = new ArrayList<>();
      try {
        HikariDataSource readers =
            ConnectionPools.pool(
                target,
                name + (sqlite ? "-read" : ""),
                maximumPoolSize,
                sqlite,
                described,
                file,
                settings);
        pools.add(readers);
        HikariDataSource writers = readers;
        if (sqlite && !readOnly) {
          writers =
              ConnectionPools.pool(target, name + "-write", 1, true, described, file, settings);
          pools.add(writers);
        }
        DatabaseKind kind = ConnectionPools.detect(readers, described);
        if (h2Created && file.isPresent()) {
          EmbeddedSettings.restrictNewFile(file.get());
        }
        String pw = password == null ? null : new String(password);
        SchemaMigrations.Source migrationSource =
            migrationDataSource != null
                ? SchemaMigrations.Source.of(migrationDataSource)
                : migrationUser != null
                    ? SchemaMigrations.Source.of(
                        target, migrationUser, new String(migrationPassword))
                    : SchemaMigrations.Source.of(target, username, pw);
        DiskReserve reserve =
            sqlite && !readOnly ? DiskReserve.of(file.get(), described, writers) : null;
        return new JdbcDatabase(
            kind,
            described,
            new Transactions(kind, described, readers, writers, pools, reserve),
            new SchemaMigrations(kind, described, migrationSource),
            file,
            Optional.ofNullable(username),
            migrationUser != null ? Optional.ofNullable(username) : Optional.empty());
      } catch (RuntimeException e) {
        pools.forEach(HikariDataSource::close);
        throw e;
      }
    }

    private Duration connectionTimeout(boolean embedded) {
      return connectionTimeout != null ? connectionTimeout : Duration.ofSeconds(embedded ? 10 : 2);
    }
  }
}
