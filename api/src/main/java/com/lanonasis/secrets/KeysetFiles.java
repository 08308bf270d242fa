package com.lanonasis.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/** Writes key files: owner-only permissions from the first byte, never over an existing file. */
final class KeysetFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeysetFiles() {}

  /**
   * Writes {@code content} to a new file at {@code target}, created 0600 (where the file system
   * supports POSIX permissions), in a directory created 0700 if missing. Written to a temporary
   * file first and then hard-linked into place, so a reader never sees half a keyset and two
   * writers racing cannot both win.
   *
   * @throws FileAlreadyExistsException if {@code target} exists
   */
  static void writeNew(Path target, byte[] content) throws IOException {
    Path dir =
        Objects.requireNonNull(target.toAbsolutePath().getParent(), "target has no directory");
    if (!Files.isDirectory(dir)) {
      try {
        // A directory made for a key is the owner's alone, as the key is.
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(dir);
      }
    }
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    Path tmp =
        posix
            ? Files.createTempFile(
                dir, ".keyset-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".keyset-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.createLink(target, tmp);
      } catch (UnsupportedOperationException e) {
        Files.move(tmp, target);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether the file can be read by anyone but its owner. */
  static boolean isReadableByOthers(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return false;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    return perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ);
  }
}
