package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Asserts that no text reachable from an exception (its whole cause chain) contains a sentinel. */
final class LeakAssertions {
  private LeakAssertions() {}

  static void assertNoLeak(Throwable thrown, String... sentinels) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    visit(thrown, sentinels, seen);
  }

  private static void visit(Throwable t, String[] sentinels, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    for (String sentinel : sentinels) {
      assertThat(String.valueOf(t.getMessage()))
          .as("message of %s", t.getClass().getName())
          .doesNotContain(sentinel);
      assertThat(String.valueOf(t.getLocalizedMessage())).doesNotContain(sentinel);
      assertThat(t.toString()).doesNotContain(sentinel);
    }
    visit(t.getCause(), sentinels, seen);
    for (Throwable s : t.getSuppressed()) {
      visit(s, sentinels, seen);
    }
  }
}
