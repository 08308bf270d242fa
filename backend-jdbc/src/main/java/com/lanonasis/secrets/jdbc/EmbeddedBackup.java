package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The online backup of an embedded database to a new file: see {@link JdbcDatabase#backupTo}. */
final class EmbeddedBackup {
  private EmbeddedBackup() {}

  static void write(DatabaseKind kind, Transactions transactions, Path target) {
    if (!kind.embedded()) {
      throw new ConfigurationException(
          "online backup here is for the embedded databases; back up "
              + kind.id()
              + " with its own tools ("
              + (kind == DatabaseKind.POSTGRESQL ? "pg_dump" : "mariadb-dump")
              + ")");
    }
    try {
      Files.createFile(
          target,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException(
          "the backup file " + target + " exists already; choose a new name", e);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot create the backup file " + target + " (" + e.getClass().getSimpleName() + ")", e);
    }
    String statement = kind == DatabaseKind.SQLITE ? "VACUUM INTO ?" : "BACKUP TO ?";
    boolean done = false;
    try {
      // VACUUM cannot run inside a transaction: a plain connection in auto-commit, not read().
      try (Connection c = transactions.readers().getConnection()) {
        boolean manual = !c.getAutoCommit();
        if (manual) {
          c.setAutoCommit(true);
        }
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.setString(1, target.toAbsolutePath().toString());
          ps.execute();
        } finally {
          if (manual) {
            c.setAutoCommit(false);
          }
        }
      } catch (SQLException e) {
        throw transactions.unavailable("back up to " + target, e);
      }
      try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
        ch.force(true);
      } catch (IOException e) {
        throw new BackendUnavailableException(
            "the backup "
                + target
                + " was written but could not be flushed to "
                + "the disk ("
                + e.getClass().getSimpleName()
                + ")",
            e);
      }
      done = true;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(target);
        } catch (IOException ignored) {
          // the caller is told the backup failed; a partial file is named in no message
        }
      }
    }
  }
}
