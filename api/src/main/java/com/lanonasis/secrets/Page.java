package com.lanonasis.secrets;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing and the opaque cursor for the next one (absent on the last page).
 *
 * @param items this page's items, in ascending name order
 * @param nextCursor pass to {@link ListOptions#after(String)} for the next page
 * @param <T> the item type
 * @since 0.1
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
