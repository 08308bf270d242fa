package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What is wrong with a SQLite database file, said from SQLite's own result code (the driver's
 * {@link SQLException#getErrorCode()} is SQLite's primary result code) and, where SQLite only says
 * it cannot open or write the file, from the file system: a damaged file is an integrity fault to
 * restore from a backup, never "check that it is running"; a permission or a read-only mount names
 * the path it concerns.
 */
final class SqliteFileFaults {
  static final int SQLITE_PERM = 3;
  static final int SQLITE_READONLY = 8;
  static final int SQLITE_IOERR = 10;
  static final int SQLITE_CORRUPT = 11;
  static final int SQLITE_CANTOPEN = 14;
  static final int SQLITE_AUTH = 23;
  static final int SQLITE_NOTADB = 26;
  static final String RESTORE =
      "restore it from a backup: move it away (with its -wal and -shm files), then "
          + "'lanonasis migrate-store --from jdbc:sqlite:BACKUP --to' its URL, and start the server once with "
          + "--accept-store-rollback";

  /** The reason the JDK gives for EROFS. */
  private static final String READ_ONLY_FS = "Read-only file system";

  private SqliteFileFaults() {}

  /** Whether {@code e} is SQLite's word for a damaged file: a permanent fault, never retried. */
  static boolean isDamaged(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && s.getSQLState() == null
          && (s.getErrorCode() == SQLITE_CORRUPT || s.getErrorCode() == SQLITE_NOTADB)) {
        return true;
      }
    }
    return false;
  }

  /** The damage as an integrity fault of {@code what} on the database {@code described}. */
  static IntegrityException damaged(String what, String described, SQLException e) {
    String code = e.getErrorCode() == SQLITE_NOTADB ? "SQLITE_NOTADB" : "SQLITE_CORRUPT";
    return new IntegrityException(
        "could not " + what + ": the " + described + " is damaged (" + code + "); " + RESTORE, e);
  }

  /**
   * Why SQLite could not open {@code file}, if its result code or the file system tells: empty for
   * a failure of another kind.
   */
  static Optional<SecretsException> openFailure(String described, Path file, SQLException e) {
    int code = e.getErrorCode();
    if (e.getSQLState() != null) {
      return Optional.empty();
    }
    if (code == SQLITE_NOTADB) {
      return Optional.of(
          new IntegrityException(
              "the "
                  + described
                  + " is not a SQLite database (SQLITE_NOTADB): the "
                  + "file was garbled or replaced; "
                  + RESTORE,
              e));
    }
    if (code == SQLITE_CORRUPT) {
      return Optional.of(
          new IntegrityException(
              "the "
                  + described
                  + " is damaged (SQLITE_CORRUPT: truncated or "
                  + "overwritten); "
                  + RESTORE,
              e));
    }
    if (code == SQLITE_CANTOPEN
        || code == SQLITE_READONLY
        || code == SQLITE_PERM
        || code == SQLITE_AUTH
        || code == SQLITE_IOERR) {
      String sqlite = resultName(code);
      return Optional.of(
          new ConfigurationException(
              "cannot open the "
                  + described
                  + " ("
                  + sqlite
                  + "): "
                  + accessProblem(file).orElse("SQLite could not open or write it"),
              e));
    }
    return Optional.empty();
  }

  /**
   * What stands between this process and reading and writing {@code file} (and the {@code -wal} and
   * {@code -shm} files SQLite keeps beside it): a read-only file system, a directory or file this
   * process may not use. Empty when nothing visible does.
   */
  static Optional<String> accessProblem(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null) {
      return Optional.empty();
    }
    try {
      if (Files.isDirectory(dir) && Files.getFileStore(dir).isReadOnly()) {
        return Optional.of("its directory " + dir + " is on a read-only file system");
      }
    } catch (IOException e) {
      // not readable either: said below
    }
    if (Files.isDirectory(dir) && (!Files.isReadable(dir) || !Files.isExecutable(dir))) {
      return Optional.of(
          "permission denied on the directory "
              + dir
              + " ("
              + owner(dir)
              + "); the process runs as "
              + System.getProperty("user.name"));
    }
    if (Files.exists(abs)) {
      // Opened and closed, never written: the one way to tell a read-only mount from a permission
      // (the mount table the JDK reads names a bind mount's source file system, not the mount).
      try {
        FileChannel.open(abs, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      } catch (AccessDeniedException e) {
        return Optional.of(
            "permission denied on the file "
                + abs
                + " ("
                + owner(abs)
                + "); the process runs as "
                + System.getProperty("user.name"));
      } catch (FileSystemException e) {
        return Optional.of(
            READ_ONLY_FS.equals(e.getReason())
                ? "the file " + abs + " is on a read-only file system"
                : "the file " + abs + " cannot be opened for writing (" + e.getReason() + ")");
      } catch (IOException e) {
        return Optional.of(
            "the file "
                + abs
                + " cannot be opened for writing ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
      return Optional.of(
          "the directory "
              + dir
              + " is not writable by this process ("
              + owner(dir)
              + "), and SQLite "
              + "keeps its -wal and -shm files beside the database");
    }
    return Optional.empty();
  }

  private static String owner(Path p) {
    try {
      return "owner "
          + Files.getOwner(p).getName()
          + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException | UnsupportedOperationException e) {
      return "owner and mode unreadable";
    }
  }

  private static String resultName(int code) {
    return switch (code) {
      case SQLITE_PERM -> "SQLITE_PERM";
      case SQLITE_READONLY -> "SQLITE_READONLY";
      case SQLITE_IOERR -> "SQLITE_IOERR";
      case SQLITE_CANTOPEN -> "SQLITE_CANTOPEN";
      case SQLITE_AUTH -> "SQLITE_AUTH";
      default -> "SQLite code " + code;
    };
  }
}
