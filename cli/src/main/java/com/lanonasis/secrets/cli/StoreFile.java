package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file of an embedded store URL ({@code jdbc:sqlite:FILE}, {@code jdbc:h2:[file:]NAME}), made
 * absolute: a relative path means another file for every working directory, and an editor or a
 * service started elsewhere would silently get a new, empty store.
 */
final class StoreFile {
  private StoreFile() {}

  /** {@code url} with its file path absolute; any other URL as it is. */
  static String absolute(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      return absolute(url, "jdbc:sqlite:", '?');
    }
    if (url.startsWith("jdbc:h2:")) {
      String rest = url.substring("jdbc:h2:".length());
      boolean fileLess =
          rest.startsWith("mem:")
              || rest.startsWith("tcp:")
              || rest.startsWith("ssl:")
              || rest.startsWith("zip:")
              || rest.startsWith("~")
              || rest.startsWith("file:~");
      return fileLess ? url : absolute(url, "jdbc:h2:", ';');
    }
    return url;
  }

  private static String absolute(String url, String scheme, char parameters) {
    String rest = url.substring(scheme.length());
    String file = rest.startsWith("file:") ? "file:" : "";
    rest = rest.substring(file.length());
    int end = rest.indexOf(parameters);
    String path = end < 0 ? rest : rest.substring(0, end);
    if (path.isEmpty() || path.contains(":memory:") || Path.of(path).isAbsolute()) {
      return url;
    }
    return scheme
        + file
        + Path.of(path).toAbsolutePath().normalize()
        + (end < 0 ? "" : rest.substring(end));
  }

  /**
   * Refuses an embedded store whose file does not exist: opening it would create an empty store,
   * and the command would answer from nothing (no secrets, "not found") instead of saying the path
   * is wrong. Only the commands that make a store (serve, migrate-store's target, a first {@code
   * secret set} or {@code import}) create one.
   */
  static void requireExisting(String url) {
    Optional<Path> file = JdbcDatabase.fileOf(url);
    if (file.isPresent() && !Files.exists(file.get())) {
      throw new CliException(
          ExitCode.NOT_FOUND,
          "no store at "
              + file.get().toAbsolutePath().normalize()
              + ": this command does not create one. Check the path (a relative one is taken from the "
              + "working directory, "
              + Path.of("").toAbsolutePath()
              + "); a new store is made by lanonasis serve, "
              + "migrate-store --to, or a first secret set or import");
    }
  }
}
