package com.lanonasis.secrets.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Changes a few {@code <profile>.<setting>} lines of the profiles file ({@link Profiles}) for
 * {@code login} and {@code logout}, keeping every other line as it was, comments included. The file
 * is written 0600 to a temporary file beside it and renamed over it, so a reader sees the old file
 * or the new one, never half of one; a file that others can read or change is refused before
 * anything is written, since it would then hold an API key.
 */
final class ProfilesFileEdit {

  private final Path file;
  private final List<String> lines;

  private ProfilesFileEdit(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  /**
   * The file's logical lines (a line ending in an odd number of backslashes continues); none if
   * absent.
   */
  static ProfilesFileEdit open(Path file) {
    List<String> logical = new ArrayList<>();
    if (Files.exists(file)) {
      checkPrivate(file);
      List<String> physical;
      try {
        physical = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCode.USAGE, "cannot read the profiles file " + file);
      }
      StringBuilder current = null;
      for (String line : physical) {
        current = current == null ? new StringBuilder(line) : current.append('\n').append(line);
        if (!continues(line)) {
          logical.add(current.toString());
          current = null;
        }
      }
      if (current != null) {
        logical.add(current.toString());
      }
    }
    return new ProfilesFileEdit(file, logical);
  }

  /**
   * Sets each {@code profile.setting} to its value: its old line is dropped, the new one added at
   * the end.
   */
  ProfilesFileEdit set(String profile, Map<String, String> settings) {
    Map<String, String> ordered = new LinkedHashMap<>(settings);
    lines.removeIf(
        line -> ordered.keySet().stream().anyMatch(s -> (profile + "." + s).equals(key(line))));
    ordered.forEach((setting, value) -> lines.add(profile + "." + setting + " = " + escape(value)));
    return this;
  }

  /** Removes the line of {@code profile.setting}; whether there was one. */
  boolean remove(String profile, String setting) {
    return lines.removeIf(line -> (profile + "." + setting).equals(key(line)));
  }

  /** Writes the lines to a new 0600 file beside the old one and renames it over the old one. */
  void save() {
    Path dir = file.toAbsolutePath().getParent();
    try {
      if (!Files.isDirectory(dir)) {
        try {
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
                  dir,
                  ".config-",
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(dir, ".config-", ".tmp");
      try {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CliException(
          ExitCode.ERROR,
          "could not write the profiles file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); it is unchanged");
    }
  }

  Path file() {
    return file;
  }

  private static void checkPrivate(Path file) {
    Profiles.requirePrivate(
        file,
        perms ->
            file
                + " can be read or changed by others ("
                + perms
                + "), so no API key is written into it; run: chmod 600 "
                + file);
  }

  /**
   * The key of a logical line as {@link Properties} reads it, or null for a comment or a blank
   * line.
   */
  private static String key(String line) {
    String stripped = line.stripLeading();
    if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
      return null;
    }
    Properties one = new Properties();
    try {
      one.load(new StringReader(line));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return one.stringPropertyNames().stream().findFirst().orElse(null);
  }

  private static boolean continues(String line) {
    int backslashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /**
   * A value as {@link Properties} reads it back: backslashes, line breaks and a leading space
   * escaped.
   */
  private static String escape(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\f' -> b.append("\\f");
        case ' ' -> b.append(i == 0 ? "\\ " : " ");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
