package com.lanonasis.secrets.server;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import com.lanonasis.secrets.spi.RecordStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Configures and starts a {@link SecretsServer}: a keyring, a database (see {@link
 * #database(JdbcDatabase.Builder)}; of several database settings the last wins), and the rest as
 * needed. The database's connection settings (credentials, an owner role for migrations, pool size,
 * timeouts) are set on {@link JdbcDatabase.Builder}, never here. Each setter refuses a bad value at
 * once, naming it; {@link #start()} checks the rules that span settings — among them the TLS rule:
 * plain HTTP only on a loopback address unless {@link #insecurePlainHttp()}.
 *
 * @since 0.1
 */
public final class SecretsServerBuilder {
  /** The database the server builds at start and closes at {@link SecretsServer#close()}. */
  JdbcDatabase.@Nullable Builder databaseSettings;

  /** A database of the application's, or null: never closed by the server. */
  @Nullable JdbcDatabase sharedDatabase;

  @Nullable MasterKeyring keyring;

  /**
   * Makes the keyring once the store is open (the server's own configuration; see {@link
   * #keyringFor}).
   */
  @Nullable Function<RecordStore, MasterKeyring> keyringSource;

  boolean acceptStoreRollback;
  String bindAddress = "127.0.0.1";
  int port = 8080;
  @Nullable Path adminKeyFile;
  @Nullable TlsKeyMaterial tls;
  long maxBodyBytes = 256 * 1024;
  Duration drainTimeout = Duration.ofSeconds(10);
  int authFailureBurst = 10;
  Duration authFailureWindow = Duration.ofMinutes(1);
  Clock clock = Clock.systemUTC();
  Duration sessionIdleTimeout = Duration.ofMinutes(15);
  Duration sessionAbsoluteTimeout = Duration.ofHours(8);
  PrintStream out = System.out;
  boolean insecurePlainHttp;
  @Nullable Path signingKey;
  @Nullable Path checkpointFile;
  Duration checkpointInterval = Duration.ofMinutes(1);
  @Nullable SecretsMcpServer mcp;
  List<String> mcpAllowedHosts = List.of();

  SecretsServerBuilder() {}

  /**
   * The MCP tools served at {@code /mcp} and what they allow (reveal, write, commands). The default
   * is {@code SecretsMcpServer.builder().build()}: names and masked previews only.
   */
  public SecretsServerBuilder mcp(SecretsMcpServer tools) {
    this.mcp = Objects.requireNonNull(tools, "tools");
    return this;
  }

  /**
   * The {@code Host} header values {@code /mcp} answers to besides the bind address (e.g. {@code
   * secrets.example.com} or {@code secrets.example.com:*} for any port): the transport's
   * DNS-rebinding check refuses every other with 421. Bound to loopback, {@code localhost}, {@code
   * 127.0.0.1} and {@code [::1]} on any port are allowed already.
   */
  public SecretsServerBuilder mcpAllowedHosts(List<String> hosts) {
    for (String h : Objects.requireNonNull(hosts, "hosts")) {
      if (h == null || h.isBlank() || h.contains("/") || h.contains(",") || h.contains(" ")) {
        throw new IllegalArgumentException(
            "an MCP allowed host is a host name, optionally with :PORT or :*: " + h);
      }
    }
    this.mcpAllowedHosts = List.copyOf(hosts);
    return this;
  }

  /**
   * The hosts /mcp answers to: the configured ones, the bind address, and loopback names when bound
   * there.
   */
  List<String> mcpHosts() {
    List<String> hosts = new java.util.ArrayList<>(mcpAllowedHosts);
    String bind =
        bindAddress.contains(":") && !bindAddress.startsWith("[")
            ? "[" + bindAddress + "]"
            : bindAddress;
    hosts.add(bind + ":*");
    if (SecretsServer.isLoopback(bindAddress)) {
      hosts.addAll(List.of("localhost:*", "127.0.0.1:*", "[::1]:*"));
    }
    return hosts;
  }

  /**
   * The database the server keeps its store, API keys and audit log in, built by {@link #start()}
   * and closed at {@link SecretsServer#close()}. The server names its pools {@code
   * lanonasis-server} (as HikariCP's metrics show them), reports them to its own metrics and keeps
   * an H2 database open until it has stopped ({@link JdbcDatabase.Builder#keepH2OpenUntilClose()});
   * every other setting is the builder's. With {@link JdbcDatabase.Builder#migrationCredentials}
   * the migrations run as the tables' owner and grant the role the server connects as what it
   * needs.
   */
  public SecretsServerBuilder database(JdbcDatabase.Builder database) {
    this.databaseSettings = Objects.requireNonNull(database, "database");
    this.sharedDatabase = null;
    return this;
  }

  /**
   * A database the application built and closes: the server uses it and never closes it (close it
   * after the server). Its pools report to the application's metrics, if any, not the server's.
   */
  public SecretsServerBuilder database(JdbcDatabase database) {
    this.sharedDatabase = Objects.requireNonNull(database, "database");
    this.databaseSettings = null;
    return this;
  }

  /** A JDBC URL; short for {@code database(JdbcDatabase.builder().url(jdbcUrl))}. */
  public SecretsServerBuilder jdbcUrl(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL (must start with jdbc:)");
    }
    return database(JdbcDatabase.builder().url(jdbcUrl));
  }

  /**
   * The application's own pool, never closed by the server; short for {@code
   * database(JdbcDatabase.builder().dataSource(dataSource))}.
   */
  public SecretsServerBuilder dataSource(DataSource dataSource) {
    return database(JdbcDatabase.builder().dataSource(dataSource));
  }

  /**
   * The master keyring. At start the server checks that it opens the data keyset of every tenant in
   * the store, and refuses to start otherwise (a keyring of another installation, or one a key was
   * removed from, would answer every read with an error).
   */
  public SecretsServerBuilder keyring(MasterKeyring keyring) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.keyringSource = null;
    return this;
  }

  /**
   * The keyring, made once the store is open: so that a development keyset is created only for a
   * store without data keysets ({@link com.lanonasis.secrets.DevelopmentKeyring#loadOrCreate(Path,
   * java.util.Map, RecordStore)}), and never before the store's directory proved readable.
   */
  SecretsServerBuilder keyringFor(Function<RecordStore, MasterKeyring> source) {
    this.keyringSource = Objects.requireNonNull(source, "source");
    this.keyring = null;
    return this;
  }

  /**
   * Start even though the store's audit log is behind the newest signed checkpoint (see {@link
   * #auditCheckpoints}): the store was restored from a backup on purpose. Without it such a store —
   * emptied, replaced by another, or rolled back — is refused at start. When a rollback is found
   * and accepted, the acceptance is written to the audit log ({@code store.rollback}) and a
   * checkpoint of the restored log is signed, so that later starts check against it; when none is
   * found, this changes nothing.
   */
  public SecretsServerBuilder acceptStoreRollback() {
    this.acceptStoreRollback = true;
    return this;
  }

  public SecretsServerBuilder bindAddress(String bindAddress) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    return this;
  }

  /** 0 picks a free port; see {@link SecretsServer#port()}. */
  public SecretsServerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range (0..65535): " + port);
    }
    this.port = port;
    return this;
  }

  /** Where to write the bootstrap admin key (created with mode 0600; must not exist yet). */
  public SecretsServerBuilder adminKeyFile(Path adminKeyFile) {
    this.adminKeyFile = Objects.requireNonNull(adminKeyFile, "adminKeyFile");
    return this;
  }

  /**
   * Listen with HTTPS only (TLS 1.2 or 1.3; no plain-HTTP connector), with the certificate chain in
   * {@code certificateChain} (PEM, the server's certificate first) and the unencrypted PKCS#8
   * private key in {@code privateKey} (PEM {@code -----BEGIN PRIVATE KEY-----}, RSA or EC). The
   * files are read now, so a bad file fails here. Set at most one of this and {@link #tlsPkcs12}.
   *
   * @throws ConfigurationException when a file cannot be read, a key is PKCS#1, SEC1 or encrypted
   *     (the message says how to convert it), or the key does not belong to the certificate
   */
  public SecretsServerBuilder tlsPem(Path certificateChain, Path privateKey) {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    checkNoTlsYet();
    this.tls = TlsKeyMaterial.fromPem(certificateChain, privateKey);
    return this;
  }

  /**
   * Listen with HTTPS only (TLS 1.2 or 1.3; no plain-HTTP connector), with the one private key and
   * certificate chain of a PKCS#12 file. The file is read now; {@code password} is not kept (the
   * caller may wipe it). Set at most one of this and {@link #tlsPem}.
   *
   * @throws ConfigurationException when the file cannot be read, the password is wrong, or the file
   *     does not hold exactly one private key with its certificate chain
   */
  public SecretsServerBuilder tlsPkcs12(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    checkNoTlsYet();
    this.tls = TlsKeyMaterial.fromPkcs12(file, password);
    return this;
  }

  private void checkNoTlsYet() {
    if (tls != null) {
      throw new IllegalStateException(
          "TLS is already configured (" + tls + "); set one of tlsPem and tlsPkcs12");
    }
  }

  public SecretsServerBuilder maxBodyBytes(long maxBodyBytes) {
    if (maxBodyBytes < 1024 || maxBodyBytes > 16L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "maxBodyBytes out of range (1 KiB..16 MiB): " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** How long {@link SecretsServer#close()} waits for requests in flight (default 10 s). */
  public SecretsServerBuilder drainTimeout(Duration drainTimeout) {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("drainTimeout out of range (0..10 min): " + drainTimeout);
    }
    this.drainTimeout = drainTimeout;
    return this;
  }

  /**
   * Failed-authentication throttling per client address: {@code burst} failures at once, then
   * {@code burst} per {@code window} (default 10 per minute); beyond that, 429 with Retry-After.
   */
  public SecretsServerBuilder authFailureLimit(int burst, Duration window) {
    if (burst < 1 || burst > 1_000_000) {
      throw new IllegalArgumentException("burst out of range (1..1000000): " + burst);
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive");
    }
    this.authFailureBurst = burst;
    this.authFailureWindow = window;
    return this;
  }

  /**
   * How long a dashboard session lasts: {@code idle} without a request (default 15 minutes), and
   * {@code absolute} after sign-in whatever happens (default 8 hours), on the server's clock.
   */
  public SecretsServerBuilder sessionTimeouts(Duration idle, Duration absolute) {
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(absolute, "absolute");
    if (idle.isNegative()
        || idle.isZero()
        || absolute.compareTo(idle) < 0
        || absolute.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("session timeouts: 0 < idle <= absolute <= 7 days");
    }
    this.sessionIdleTimeout = idle;
    this.sessionAbsoluteTimeout = absolute;
    return this;
  }

  public SecretsServerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Where the bootstrap admin key is printed (default standard output). */
  public SecretsServerBuilder bootstrapOutput(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
    return this;
  }

  /**
   * Serve plain HTTP on a non-loopback address. Without it (and without TLS), {@link #start()}
   * refuses any bind address but loopback: API keys and values would cross the network in clear.
   */
  public SecretsServerBuilder insecurePlainHttp() {
    this.insecurePlainHttp = true;
    return this;
  }

  /**
   * Sign audit checkpoints with the Ed25519 key in {@code signingKey} (created 0600 if missing) and
   * append them to {@code checkpointFile}. Default: a key made for this process, checkpoints in the
   * log only.
   */
  public SecretsServerBuilder auditCheckpoints(Path signingKey, Path checkpointFile) {
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.checkpointFile = Objects.requireNonNull(checkpointFile, "checkpointFile");
    return this;
  }

  /** How often a checkpoint is signed when the log grew (default 1 minute; 1 s to 1 day). */
  public SecretsServerBuilder checkpointInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "checkpointInterval out of range (1 s..1 day): " + interval);
    }
    this.checkpointInterval = interval;
    return this;
  }

  /**
   * Connects, migrates, and starts listening.
   *
   * @throws IllegalStateException when the keyring or the store is missing, or the bind address is
   *     not loopback and neither TLS nor {@link #insecurePlainHttp()} is set
   */
  public SecretsServer start() {
    if (keyring == null && keyringSource == null) {
      throw new IllegalStateException("no keyring: set keyring(...)");
    }
    if (databaseSettings == null && sharedDatabase == null) {
      throw new IllegalStateException(
          "no database: set database(...), jdbcUrl(...) or dataSource(...)");
    }
    if (tls == null && !insecurePlainHttp && !SecretsServer.isLoopback(bindAddress)) {
      throw new IllegalStateException(
          "refusing to listen on "
              + bindAddress
              + " without TLS: API keys and secret "
              + "values would cross the network in clear text. Configure TLS (tlsPem or tlsPkcs12), bind to a loopback "
              + "address behind a TLS-terminating proxy, or call insecurePlainHttp() if you accept the risk");
    }
    ServerMetrics metrics = new ServerMetrics();
    JdbcDatabase database = null;
    try {
      database =
          sharedDatabase != null
              ? sharedDatabase
              // Checked above: one of the two is set.
              : Objects.requireNonNull(databaseSettings, "databaseSettings")
                  .poolName("lanonasis-server")
                  .metricRegistry(metrics.registry())
                  .keepH2OpenUntilClose()
                  .build();
      return new SecretsServer(this, database, metrics);
    } catch (RuntimeException e) {
      if (database != null && sharedDatabase == null) {
        database.close();
      }
      metrics.close();
      throw e;
    }
  }
}
