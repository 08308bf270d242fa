package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings that make an embedded database keep every commit it acknowledged when the process is
 * killed, applied to the URL before any connection is made.
 *
 * <p>SQLite: write-ahead log ({@code journal_mode=WAL}), {@code synchronous=FULL} (the log is
 * flushed to the disk at every commit, so a commit also survives power loss; {@code NORMAL} may be
 * asked for in the URL and survives a killed process but may lose the last commits on power loss;
 * {@code OFF} is refused), {@code foreign_keys=true}, and a {@code busy_timeout} so that a writer
 * in another process is waited for instead of failing at once. The file is created with mode 0600
 * and missing parent directories with 0700: the tables hold names, labels and the audit log.
 *
 * <p>H2: {@code WRITE_DELAY=0} unless the URL sets it. H2's default (500 ms) acknowledges a commit
 * before it is written, and a killed process loses it.
 */
final class EmbeddedSettings {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSettings.class);

  /** Pragmas the store sets itself; a URL may not override them. */
  private static final Set<String> OWNED =
      Set.of("journal_mode", "foreign_keys", "transaction_mode", "open_mode");

  private static final Set<String> DURABLE_SYNCHRONOUS = Set.of("NORMAL", "FULL", "EXTRA");

  private EmbeddedSettings() {}

  /** A SQLite database file and the URL that opens it with durable settings. */
  record SqliteFile(Path file, String url, String synchronous) {}

  /**
   * Parses {@code jdbc:sqlite:PATH[?k=v&...]} (credentials already removed), creates the file 0600
   * when missing, and returns the URL with our pragmas.
   */
  static SqliteFile sqlite(
      String url, Duration defaultBusyTimeout, boolean readOnly, Set<String> knownParameters) {
    String rest = url.substring("jdbc:sqlite:".length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
    if (path.isEmpty() || path.contains(":memory:")) {
      throw new ConfigurationException(
          "an in-memory SQLite database is one per connection, so a pool cannot "
              + "share it: use memory: (or jdbc:h2:mem:NAME) for a store that lives in memory, or give a file, e.g. "
              + "jdbc:sqlite:./data/secrets.db");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (key.equals("mode") && value.equalsIgnoreCase("memory")) {
        throw new ConfigurationException(
            "mode=memory makes one SQLite database per connection; give a file");
      }
      if (OWNED.contains(key) && !(key.equals("journal_mode") && value.equalsIgnoreCase("WAL"))) {
        throw new ConfigurationException(
            "the SQLite setting "
                + key
                + " is set by the store itself (journal_mode=WAL, "
                + "foreign_keys=true, transactions per statement kind); remove it from the URL");
      }
      if (!knownParameters.contains(key)) {
        // The driver ignores a parameter it does not know: a misspelt setting would silently not
        // apply.
        throw new ConfigurationException(
            "unknown SQLite URL parameter '"
                + key
                + "' (known: "
                + String.join(", ", new java.util.TreeSet<>(knownParameters))
                + ")");
      }
      params.put(key, value);
    }
    String synchronous = params.getOrDefault("synchronous", "FULL").toUpperCase(Locale.ROOT);
    if (!DURABLE_SYNCHRONOUS.contains(synchronous)) {
      throw new ConfigurationException(
          "synchronous="
              + synchronous
              + " loses acknowledged writes; use FULL (the "
              + "default: survives power loss) or NORMAL (survives a crashed process, may lose the last commits on "
              + "power loss)");
    }
    params.putIfAbsent("busy_timeout", Long.toString(defaultBusyTimeout.toMillis()));
    Path file = path(path);
    if (readOnly) {
      // Opened to be read only (the source of a copy): nothing created, nothing changed, not even
      // the journal mode in the file's header.
      if (!Files.isRegularFile(file)) {
        throw new ConfigurationException("no SQLite database at " + file);
      }
      params.remove("journal_mode");
      params.put("open_mode", "1"); // SQLITE_OPEN_READONLY
    } else {
      params.put("journal_mode", "WAL");
      params.put("synchronous", synchronous);
      params.put("foreign_keys", "true");
      createPrivately(file);
    }
    StringBuilder out = new StringBuilder("jdbc:sqlite:").append(rest);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      out.append(sep).append(p.getKey()).append('=').append(p.getValue());
      sep = '&';
    }
    return new SqliteFile(file, out.toString(), synchronous);
  }

  /**
   * {@code jdbc:h2:...} with {@code WRITE_DELAY=0} unless set; in-memory databases unchanged. Read
   * only: {@code ACCESS_MODE_DATA=r} instead, and the file must exist.
   */
  static String h2(String url, boolean readOnly) {
    String rest = url.substring("jdbc:h2:".length());
    if (rest.startsWith("mem:")) {
      return url;
    }
    Optional<Path> file = h2File(url);
    if (readOnly) {
      if (file.isPresent() && !Files.isRegularFile(file.get())) {
        throw new ConfigurationException("no H2 database at " + file.get());
      }
      return url + ";ACCESS_MODE_DATA=r";
    }
    if (file.isPresent()) {
      createDirectoryPrivately(
          Objects.requireNonNull(file.get().toAbsolutePath().getParent(), "parent directory"));
    }
    for (String part : rest.split(";", -1)) {
      String upper = part.toUpperCase(Locale.ROOT).strip();
      if (upper.startsWith("WRITE_DELAY=")) {
        if (!upper.equals("WRITE_DELAY=0")) {
          LOG.warn(
              "H2 {} set in the store URL: commits are acknowledged before they are written, and a killed "
                  + "process loses up to that many milliseconds of them; remove it (the store sets WRITE_DELAY=0)",
              part.strip());
        }
        return url;
      }
    }
    return url + ";WRITE_DELAY=0";
  }

  /**
   * The file an embedded URL names: SQLite's database file, or H2's {@code .mv.db}; empty for
   * in-memory, remote and server databases.
   */
  static Optional<Path> file(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      String rest = url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0];
      rest = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
      return rest.isEmpty() || rest.contains(":memory:")
          ? Optional.empty()
          : Optional.of(path(rest));
    }
    return url.startsWith("jdbc:h2:") ? h2File(url) : Optional.empty();
  }

  private static Optional<Path> h2File(String url) {
    String rest = url.substring("jdbc:h2:".length()).split(";", 2)[0];
    if (rest.startsWith("mem:")
        || rest.startsWith("tcp:")
        || rest.startsWith("ssl:")
        || rest.startsWith("zip:")) {
      return Optional.empty();
    }
    rest = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
    if (rest.startsWith("~")) {
      rest = System.getProperty("user.home") + rest.substring(1);
    }
    return Optional.of(path(rest + ".mv.db"));
  }

  /**
   * The parameters a SQLite URL may carry: the driver's own (its pragmas and settings, as it lists
   * them through JDBC) and SQLite's URI parameters.
   */
  static Set<String> sqliteParameters(java.sql.Driver driver, String url) {
    Set<String> known =
        new java.util.HashSet<>(Set.of("mode", "cache", "vfs", "immutable", "nolock"));
    try {
      for (java.sql.DriverPropertyInfo p :
          driver.getPropertyInfo(url, new java.util.Properties())) {
        known.add(p.name.toLowerCase(Locale.ROOT));
      }
    } catch (java.sql.SQLException e) {
      throw new ConfigurationException(
          "the SQLite driver does not list its URL parameters (SQLState " + e.getSQLState() + ")",
          e);
    }
    return Set.copyOf(known);
  }

  /**
   * A file name from a URL; one the file system cannot hold (a NUL in it, say) is a configuration
   * error.
   */
  private static Path path(String name) {
    try {
      return Path.of(name);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigurationException(
          "the database file name in the URL is not a valid path on this system ("
              + e.getReason()
              + ")",
          e);
    }
  }

  /**
   * H2 creates its file with the process's umask (often 0644): a file it just created is made the
   * owner's alone. One that existed before is left as its owner set it.
   */
  static void restrictNewFile(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system, or not ours to change: the directory (0700) still guards it
    }
  }

  private static void createDirectoryPrivately(Path dir) {
    try {
      if (dir != null && !Files.isDirectory(dir)) {
        try {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createDirectories(dir);
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the directory "
              + dir
              + " ("
              + e.getClass().getSimpleName()
              + "): check that its parent is writable",
          e);
    }
  }

  /**
   * Creates missing parent directories (0700) and the file itself (0600); leaves existing ones
   * alone.
   */
  private static void createPrivately(Path file) {
    Path parent = Objects.requireNonNull(file.toAbsolutePath().getParent(), "parent directory");
    createDirectoryPrivately(parent);
    try {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        // no mode bits on this file system: SQLite creates the file
      }
    } catch (FileAlreadyExistsException e) {
      // an existing store: its mode is the owner's choice
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the SQLite database file "
              + file
              + ": "
              + SqliteFileFaults.accessProblem(file)
                  .orElse(
                      "("
                          + e.getClass().getSimpleName()
                          + "): check that its directory is writable"),
          e);
    }
  }
}
