package com.lanonasis.secrets;

import java.util.Objects;
import java.util.Optional;

/**
 * What to list: a name prefix (plain string prefix, may end in the middle of a segment), a page
 * size and the cursor from the previous page.
 *
 * <pre>{@code
 * ListOptions opts = ListOptions.prefix("prod/").withLimit(50);
 * Page<SecretMetadata> page = store.list(opts);
 * while (page.nextCursor().isPresent()) {
 *   page = store.list(opts.after(page.nextCursor().get()));
 * }
 * }</pre>
 *
 * <p>Defaults: no prefix, {@value #DEFAULT_LIMIT} items a page; the limit is 1 to {@value
 * #MAX_LIMIT}.
 *
 * @param prefix names must start with this; empty for all
 * @param limit page size
 * @param cursor where the previous page ended
 * @since 0.1
 */
public record ListOptions(String prefix, int limit, Optional<String> cursor) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public ListOptions {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
    }
    if (prefix.length() > SecretName.MAX_LENGTH) {
      throw new InvalidInputException(
          "prefix is longer than " + SecretName.MAX_LENGTH + " characters");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c != '/' && !SecretName.isNameChar(c)) {
        throw new InvalidInputException(
            "prefix "
                + SecretName.quote(prefix)
                + " has a character outside [A-Za-z0-9._-/] at index "
                + i);
      }
    }
  }

  /** Everything, first page, default size. */
  public static ListOptions all() {
    return new ListOptions("", DEFAULT_LIMIT, Optional.empty());
  }

  /** Names starting with {@code prefix}, first page, default size. */
  public static ListOptions prefix(String prefix) {
    return new ListOptions(prefix, DEFAULT_LIMIT, Optional.empty());
  }

  public ListOptions withLimit(int newLimit) {
    return new ListOptions(prefix, newLimit, cursor);
  }

  /** The page after the one that returned {@code nextCursor}. */
  public ListOptions after(String nextCursor) {
    return new ListOptions(
        prefix, limit, Optional.of(Objects.requireNonNull(nextCursor, "nextCursor")));
  }

  /**
   * The names after {@code name} (exclusive), whether or not it exists: a page that starts
   * anywhere.
   */
  public ListOptions afterName(SecretName name) {
    return after(cursorAfter(name));
  }

  /** The cursor a page ending at {@code name} would return, for a page's {@code nextCursor}. */
  public static String cursorAfter(SecretName name) {
    return ListCursor.encode(Objects.requireNonNull(name, "name"));
  }
}
