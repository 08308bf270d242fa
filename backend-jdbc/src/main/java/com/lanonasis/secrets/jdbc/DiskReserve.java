package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.BackendUnavailableException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space a SQLite store keeps on its file system (see {@link JdbcDatabase}, "a reserve of
 * free space"). Twice SQLite's default auto-checkpoint size (1000 pages of 4 KiB) with room to
 * spare: the write-ahead log holds about that much that is not yet in the database file, and
 * folding it in grows the file by at most as much; the shared-memory file and the server's
 * checkpoint and key files are a few KiB.
 */
final class DiskReserve {
  static final long BYTES = 8L << 20;
  static final String BYTES_TEXT = "8 MiB";
  private static final Logger LOG = LoggerFactory.getLogger(DiskReserve.class);

  private final FileStore store;
  private final String described;
  private final DataSource writers;

  /**
   * Set when the reserve was first breached: the log is checkpointed once per breach, not per
   * write.
   */
  private final AtomicBoolean breached = new AtomicBoolean();

  private DiskReserve(FileStore store, String described, DataSource writers) {
    this.store = store;
    this.described = described;
    this.writers = writers;
  }

  /**
   * The reserve of the file system holding {@code file}, or null where it cannot be told (no such
   * file store).
   */
  static @Nullable DiskReserve of(Path file, String described, DataSource writers) {
    try {
      return new DiskReserve(Files.getFileStore(file.toAbsolutePath()), described, writers);
    } catch (IOException e) {
      LOG.warn(
          "cannot tell the free space of the file system of {} ({}): no reserve is kept",
          described,
          e.getClass().getSimpleName());
      return null;
    }
  }

  /** Refuses {@code what} while less than the reserve is free. */
  void check(String what) {
    long free;
    try {
      free = store.getUsableSpace(); // statfs(2): cheap enough for every write
    } catch (IOException e) {
      return; // SQLite itself reports a file system that fails
    }
    if (free >= BYTES) {
      if (breached.compareAndSet(true, false)) {
        LOG.info(
            "the file system of {} has {} KiB free again: writes resume", described, free >> 10);
      }
      return;
    }
    if (breached.compareAndSet(false, true)) {
      LOG.warn(
          "the file system of {} has {} KiB free, less than the {} the store keeps in reserve: writes are "
              + "refused until space is freed",
          described,
          free >> 10,
          BYTES_TEXT);
      checkpoint();
    }
    throw new BackendUnavailableException(
        "could not "
            + what
            + " on "
            + described
            + ": its file system has "
            + (free >> 10)
            + " KiB free, less than the "
            + BYTES_TEXT
            + " the store keeps in reserve; free space on it");
  }

  /**
   * Folds the write-ahead log into the database file and truncates it, while the reserve still has
   * room for that: whatever is committed is then in its final place, and the log's space is free.
   */
  private void checkpoint() {
    try (Connection c = writers.getConnection();
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.warn(
          "could not checkpoint the write-ahead log of {} (SQLState {}, SQLite code {})",
          described,
          e.getSQLState(),
          e.getErrorCode());
    }
  }
}
