package com.lanonasis.secrets.testkit;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ApiKeyNotFoundException;
import com.lanonasis.secrets.ApiKeyRevokedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.VersionConflictException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error-kind table of this repository's {@code docs/errors.md}, read for the tests that check
 * each surface against it (the REST status, the audit outcome, the SDK's exception, the CLI's exit
 * code, the MCP tool error), so that the document cannot drift from the code. For the repository's
 * own builds: it looks for {@code docs/errors.md} in the working directory and its parents.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ErrorKindTable {
  private static final String BEGIN = "<!-- error-kinds:begin -->";
  private static final String END = "<!-- error-kinds:end -->";
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** One kind's row: what each surface answers for it. */
  public record Row(
      Kind kind,
      int restStatus,
      List<String> problemCodes,
      String auditOutcome,
      List<String> javaExceptions,
      List<String> typeScriptErrors,
      int cliExit,
      String mcpToolError) {
    public Row {
      problemCodes = List.copyOf(problemCodes);
      javaExceptions = List.copyOf(javaExceptions);
      typeScriptErrors = List.copyOf(typeScriptErrors);
    }
  }

  private final Map<Kind, Row> rows;

  private ErrorKindTable(Map<Kind, Row> rows) {
    this.rows = rows;
  }

  /**
   * Reads {@code docs/errors.md}; fails when a kind has no row, a row is malformed, or a kind is
   * there twice.
   */
  public static ErrorKindTable read() {
    Path file = locate();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int begin = lines.indexOf(BEGIN);
    int end = lines.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(file + " has no " + BEGIN + " … " + END + " table");
    }
    Map<Kind, Row> rows = new EnumMap<>(Kind.class);
    for (String line : lines.subList(begin + 1, end)) {
      if (!line.startsWith("| `")) {
        continue; // the header and the separator
      }
      String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
      if (cells.length != 8) {
        throw new IllegalStateException(
            "a row of " + file + " has " + cells.length + " cells, not 8: " + line);
      }
      Kind kind = Kind.valueOf(ticked(cells[0]).get(0));
      Row row =
          new Row(
              kind,
              number(cells[1]),
              ticked(cells[2]),
              ticked(cells[3]).get(0),
              ticked(cells[4]),
              ticked(cells[5]),
              number(cells[6]),
              ticked(cells[7]).get(0));
      if (rows.put(kind, row) != null) {
        throw new IllegalStateException(file + " has two rows for " + kind);
      }
    }
    for (Kind k : Kind.values()) {
      if (!rows.containsKey(k)) {
        throw new IllegalStateException(file + " has no row for " + k);
      }
    }
    return new ErrorKindTable(rows);
  }

  /** The row of one kind. */
  public Row row(Kind kind) {
    // Every kind has a row: the parser refuses a table without one.
    return Objects.requireNonNull(rows.get(kind), "row");
  }

  /** Every row, in the order of {@link Kind}. */
  public List<Row> rows() {
    return List.copyOf(rows.values());
  }

  /**
   * One instance of every exception class of the family, with messages as the library writes them,
   * for tests that put each through a surface's mapping. {@code ErrorKindTableTest} checks that no
   * class of the sealed family is missing.
   */
  public static List<SecretsException> oneOfEachClass() {
    return List.of(
        new SecretNotFoundException("app/db", "secret 'app/db' not found"),
        new ApiKeyNotFoundException("0123456789abcdef"),
        new VersionConflictException("app/db", 1, 2),
        new SecretDeletedException("app/db"),
        new ApiKeyRevokedException("0123456789abcdef"),
        new KeysetDestroyedException("acme"),
        new DataKeyGoneException(
            "version 1 of secret 'app/db' was sealed with a data key that is gone"),
        new InvalidInputException("limit too large: 5000"),
        new InvalidSecretNameException("secret name has an empty segment"),
        new SecretTooLargeException("app/db", 70_000, 65_536),
        new AccessDeniedException("this API key is read-only"),
        new UnauthenticatedException("the API key was refused"),
        new BackendUnavailableException("the database cannot be reached"),
        new IntegrityException("version 1 of secret 'app/db' failed authentication"),
        new ConfigurationException("unknown URI scheme 'nope'"),
        new StoreClosedException("the store is closed"));
  }

  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("errors.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no docs/errors.md in " + Path.of("").toAbsolutePath() + " or its parents");
  }

  private static List<String> ticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int number(String cell) {
    Matcher m = NUMBER.matcher(cell);
    if (!m.find()) {
      throw new IllegalStateException("no number in the cell '" + cell.strip() + "'");
    }
    return Integer.parseInt(m.group());
  }
}
