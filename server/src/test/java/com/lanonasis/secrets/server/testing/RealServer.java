package com.lanonasis.secrets.server.testing;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.SecretsServerBuilder;
import com.lanonasis.secrets.wire.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Lanonasis server for tests: the in-process {@link SecretsServer} on an ephemeral loopback
 * port, a SQLite store in a data directory of its own, its own audit checkpoints file and signing
 * key there (so no two servers share {@code ./data/audit-checkpoints.jsonl}, which would trip the
 * rollback refusal), a generated master keyring, and the admin key its first start printed.
 *
 * <p>The one way the tests of every module start a server: through {@link RealServerExtension} (a
 * field or a parameter), or with {@link #start(Path, UnaryOperator)} where a test needs several
 * servers or a server on a directory it chose. In the data directory: {@code db/secrets.db}, {@code
 * audit-signing-key.pem}, {@code audit-checkpoints.jsonl}. Options given to {@code start} are
 * applied after these defaults, so they can replace any of them.
 */
public final class RealServer implements AutoCloseable {
  /**
   * An API key as the server prints and mints them: {@code lns_}, a 16-hex-digit id, {@code _}, the
   * secret.
   */
  public static final Pattern API_KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");

  private final SecretsServer server;
  private final Optional<String> adminKey;
  private final Path dataDir;
  private final boolean deleteDataDirOnClose;

  private RealServer(
      SecretsServer server, Optional<String> adminKey, Path dataDir, boolean deleteDataDirOnClose) {
    this.server = server;
    this.adminKey = adminKey;
    this.dataDir = dataDir;
    this.deleteDataDirOnClose = deleteDataDirOnClose;
  }

  /** A server with the common settings, its data in {@code dataDir} (created if missing). */
  public static RealServer start(Path dataDir) {
    return start(dataDir, b -> b);
  }

  /** A server with the common settings, then {@code options} applied to its builder. */
  public static RealServer start(Path dataDir, UnaryOperator<SecretsServerBuilder> options) {
    return start(dataDir, options, false);
  }

  /** A server in a new temporary directory that {@link #close()} deletes. */
  static RealServer startInTemporaryDirectory(UnaryOperator<SecretsServerBuilder> options) {
    try {
      return start(Files.createTempDirectory("lanonasis-real-server-"), options, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the test server", e);
    }
  }

  private static RealServer start(
      Path dataDir, UnaryOperator<SecretsServerBuilder> options, boolean deleteOnClose) {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(options, "options");
    ByteArrayOutputStream bootstrap = new ByteArrayOutputStream();
    SecretsServer server =
        options
            .apply(
                SecretsServer.builder()
                    .jdbcUrl(jdbcUrlIn(dataDir))
                    .keyring(MasterKeyring.generate())
                    .port(0)
                    .auditCheckpoints(
                        dataDir.resolve("audit-signing-key.pem"),
                        dataDir.resolve("audit-checkpoints.jsonl"))
                    .bootstrapOutput(new PrintStream(bootstrap, true, StandardCharsets.UTF_8)))
            .start();
    return new RealServer(
        server, firstApiKey(bootstrap.toString(StandardCharsets.UTF_8)), dataDir, deleteOnClose);
  }

  /** The JDBC URL of the store a server started on {@code dataDir} uses by default. */
  public static String jdbcUrlIn(Path dataDir) {
    return "jdbc:sqlite:" + storeFileIn(dataDir);
  }

  /** The SQLite file of the store a server started on {@code dataDir} uses by default. */
  public static Path storeFileIn(Path dataDir) {
    return dataDir.resolve("db/secrets.db");
  }

  /** The first API key in {@code text}: what a server printed at its first start. */
  public static Optional<String> firstApiKey(String text) {
    Matcher m = API_KEY.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /**
   * The secret part of an API key: what follows {@code lns_}, 16 hex digits and {@code _}; for
   * asserting that it appears nowhere. It may itself contain {@code _}, so it is cut at a fixed
   * offset, never at the last {@code _} (which can leave a fragment of a character or two, found in
   * any log).
   */
  public static String secretPart(String apiKey) {
    if (!API_KEY.matcher(apiKey).matches()) {
      throw new IllegalArgumentException("not an API key");
    }
    return apiKey.substring("lns_".length() + 16 + 1);
  }

  /** The running server. */
  public SecretsServer server() {
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /**
   * {@code http://127.0.0.1:<port>} (a server given TLS options answers {@code https://} instead).
   */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * The bootstrap admin key the server printed at start.
   *
   * @throws AssertionError when it printed none: its store had keys already
   */
  public String adminKey() {
    return adminKey.orElseThrow(
        () -> new AssertionError("the server printed no admin key (its store has keys)"));
  }

  /** The directory the server keeps its store and checkpoints in. */
  public Path dataDir() {
    return dataDir;
  }

  /** The JDBC URL of its store, unless the options chose another. */
  public String jdbcUrl() {
    return jdbcUrlIn(dataDir);
  }

  /** A READ_WRITE key of a fresh tenant, hence of an empty store. */
  public String newTenantKey() {
    return key(Role.READ_WRITE, "");
  }

  /**
   * A key of {@code role}, limited to names under {@code prefix} (empty: all), in a fresh tenant.
   */
  public String key(Role role, String prefix) {
    return server
        .apiKeys()
        .create("t-" + UUID.randomUUID().toString().substring(0, 8), role, prefix);
  }

  /** Stops the server; a temporary data directory of its own is deleted. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      if (deleteDataDirOnClose) {
        deleteRecursively(dataDir);
      }
    }
  }

  @Override
  public String toString() {
    return "RealServer[" + url() + ", " + dataDir + "]";
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the test server's data directory " + dir, e);
    }
  }
}
