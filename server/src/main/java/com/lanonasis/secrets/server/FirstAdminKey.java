package com.lanonasis.secrets.server;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The first start with no API key at all: an admin key for tenant {@code default} is created and
 * printed once to the bootstrap output (never to the log), and written to the admin key file (mode
 * 0600, which must not exist yet) when one is set.
 */
final class FirstAdminKey {
  private FirstAdminKey() {}

  static void createIfNoKeys(ApiKeys keys, Optional<Path> keyFile, PrintStream out) {
    if (keys.count() > 0) {
      return;
    }
    if (keyFile.isPresent()) {
      Path file = keyFile.get();
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          Files.createDirectories(
              parent,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        throw new ConfigurationException(
            "admin key file already exists; move it away or choose another: " + file);
      } catch (IOException | UnsupportedOperationException e) {
        throw new ConfigurationException("cannot create the admin key file " + file, e);
      }
    }
    String key = keys.create(TenantId.DEFAULT, Role.ADMIN, "");
    if (keyFile.isPresent()) {
      try {
        Files.writeString(keyFile.get(), key + "\n", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new ConfigurationException("cannot write the admin key file " + keyFile.get(), e);
      }
    }
    out.println("Created the admin API key of tenant 'default'. It is shown only this once:");
    out.println("  " + key);
    out.flush();
  }
}
