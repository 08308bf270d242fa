package com.lanonasis.secrets.mcp;

import java.util.Objects;
import java.util.Set;

/**
 * What one tool call did, for the audit log: the tool, what it was about (a secret's name, a
 * listing's prefix, a command, or for a run one secret it injected: a run with three secrets is
 * three events) and how it ended. Never a value, nor an API key (one put into a name is cut to its
 * public id, {@code lns_<id>_***}).
 *
 * @param tool the tool's name, e.g. {@code get_secret}
 * @param subject what the call was about; empty when nothing was named
 * @param outcome one of {@code ok}, {@code denied}, {@code not_found}, {@code conflict}, {@code
 *     invalid}, {@code error}
 * @since 0.1.0
 */
public record ToolEvent(String tool, String subject, String outcome) {
  /** The outcomes a call can have, the same words as the server's audit log. */
  public static final Set<String> OUTCOMES =
      Set.of("ok", "denied", "not_found", "conflict", "invalid", "error");

  /**
   * Control characters in {@code tool} and {@code subject} are escaped (a newline as backslash, u,
   * 000a): no line can be forged.
   */
  public ToolEvent {
    tool = ControlCharacters.escape(Objects.requireNonNull(tool, "tool"));
    subject = ControlCharacters.escape(Objects.requireNonNull(subject, "subject"));
    Objects.requireNonNull(outcome, "outcome");
    if (!OUTCOMES.contains(outcome)) {
      throw new IllegalArgumentException("unknown outcome: " + outcome);
    }
  }
}
