package com.lanonasis.secrets.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Named profiles in {@code ~/.config/lanonasis/config} (or {@code
 * $XDG_CONFIG_HOME/lanonasis/config}, or the file {@code LANONASIS_CLI_CONFIG} names): {@code
 * java.util.Properties} lines {@code <profile>.<setting> = value} with settings {@code url}, {@code
 * api-key}, {@code store}, {@code keyset}. A file that holds a credential, an {@code api-key} or a
 * {@code store} URL with a password, must be readable and writable by its owner only (0600), or it
 * is refused.
 */
final class Profiles {
  static final Set<String> SETTINGS = Set.of("url", "api-key", "store", "keyset");
  private static final Set<PosixFilePermission> NOT_PRIVATE =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final Path file;
  private final Properties values;

  private Profiles(Path file, Properties values) {
    this.file = file;
    this.values = values;
  }

  static Path location(Map<String, String> env) {
    String explicit = env.get("LANONASIS_CLI_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("lanonasis").resolve("config");
  }

  /** The profiles file, or an empty set when it does not exist. */
  static Profiles load(Path file) {
    Properties p = new Properties();
    if (!Files.exists(file)) {
      return new Profiles(file, p);
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "cannot read the profiles file " + file);
    }
    for (String key : p.stringPropertyNames()) {
      int dot = key.lastIndexOf('.');
      if (dot <= 0 || !SETTINGS.contains(key.substring(dot + 1))) {
        throw new CliException(
            ExitCode.USAGE,
            "unknown line in "
                + file
                + ": '"
                + (dot <= 0 ? key : key.substring(dot + 1))
                + "' (expected <profile>.<setting> with setting one of url, api-key, store, keyset)");
      }
      if (key.endsWith(".api-key")) {
        checkPrivate(file, "an API key");
      } else if (key.endsWith(".store") && StoreUrlPassword.in(p.getProperty(key))) {
        checkPrivate(file, "a database password (in a store URL)");
      }
    }
    return new Profiles(file, p);
  }

  Optional<String> get(String profile, String setting) {
    String v = values.getProperty(profile + "." + setting);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  boolean has(String profile) {
    return SETTINGS.stream().anyMatch(s -> values.containsKey(profile + "." + s));
  }

  Path file() {
    return file;
  }

  private static void checkPrivate(Path file, String credential) {
    requirePrivate(
        file,
        perms ->
            file
                + " holds "
                + credential
                + " but others can read or change it; run: chmod 600 "
                + file);
  }

  /**
   * Refuses a file others can read or change (a file system without POSIX permissions has nothing
   * to check): {@code refusal} words the message from the file's permissions.
   */
  static void requirePrivate(Path file, java.util.function.Function<String, String> refusal) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "cannot read the permissions of " + file);
    }
    if (perms.stream().anyMatch(NOT_PRIVATE::contains)) {
      throw new CliException(ExitCode.USAGE, refusal.apply(PosixFilePermissions.toString(perms)));
    }
  }
}
