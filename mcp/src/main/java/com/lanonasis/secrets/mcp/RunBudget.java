package com.lanonasis.secrets.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How often a secret may be injected, and the alarm for runs that look like guessing.
 *
 * <p>Each secret (per scope: a tenant on a server) may be injected into at most {@code runs}
 * commands in any window of {@code window}; a run that would exceed it for any of its secrets is
 * refused before anything runs. Runs are compared by their shape (the command or recipe, the
 * variables and the secrets, and the number and rough lengths of the arguments): from the {@code
 * alarmAfter}-th run of one shape with one secret within the window, each run is flagged, and the
 * caller writes the flag to its audit log and log. A refused run is not counted.
 *
 * <p>Thread-safe.
 */
final class RunBudget {
  private final int runs;
  private final Duration window;
  private final int alarmAfter;
  private final Clock clock;
  private final Map<String, Deque<Use>> uses = new HashMap<>();
  private long admitted;

  RunBudget(int runs, Duration window, int alarmAfter, Clock clock) {
    if (runs < 1) {
      throw new IllegalArgumentException("a run budget must allow at least 1 run: " + runs);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a run budget's window must be positive: " + window);
    }
    if (alarmAfter < 2) {
      throw new IllegalArgumentException(
          "the near-identical run alarm must need at least 2 runs: " + alarmAfter);
    }
    this.runs = runs;
    this.window = window;
    this.alarmAfter = alarmAfter;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  int runs() {
    return runs;
  }

  Duration window() {
    return window;
  }

  /**
   * Takes one run of each secret, or none if any has no run left.
   *
   * @return the secrets this run raises the alarm for (empty if none)
   * @throws CommandRunner.CommandRefusedException if a secret's budget is used up
   */
  synchronized List<String> admit(String scope, List<String> secrets, String shape) {
    Instant now = clock.instant();
    Instant since = now.minus(window);
    for (String secret : secrets) {
      Deque<Use> d = uses.computeIfAbsent(key(scope, secret), k -> new ArrayDeque<>());
      while (!d.isEmpty() && !d.peekFirst().at.isAfter(since)) {
        d.removeFirst();
      }
      if (d.size() >= runs) {
        Duration wait = Duration.between(since, d.peekFirst().at);
        throw new CommandRunner.CommandRefusedException(
            "the run budget of secret '"
                + secret
                + "' is used up: at "
                + "most "
                + runs
                + " runs per "
                + human(window)
                + "; the next run is possible in about "
                + Math.max(1, wait.toSeconds())
                + " s. The user sets the budget when starting the MCP server.");
      }
    }
    List<String> alarms = new ArrayList<>();
    for (String secret : secrets) {
      // The loop above made a deque for every secret; admit is synchronized.
      Deque<Use> d = Objects.requireNonNull(uses.get(key(scope, secret)), "uses");
      d.addLast(new Use(now, shape));
      long same = d.stream().filter(u -> u.shape.equals(shape)).count();
      if (same >= alarmAfter) {
        alarms.add(secret);
      }
    }
    if (++admitted % 1024 == 0) {
      uses.values().removeIf(d -> d.isEmpty() || !d.peekLast().at.isAfter(since));
    }
    return alarms;
  }

  /** How many runs of one shape raise the alarm. */
  int alarmAfter() {
    return alarmAfter;
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return (s / 3600) + " h";
    }
    if (s % 60 == 0) {
      return (s / 60) + " min";
    }
    return s + " s";
  }

  private static String key(String scope, String secret) {
    return scope + '\0' + secret;
  }

  private record Use(Instant at, String shape) {}
}
