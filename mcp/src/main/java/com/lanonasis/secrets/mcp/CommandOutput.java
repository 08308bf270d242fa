package com.lanonasis.secrets.mcp;

import java.util.Locale;

/**
 * What a {@code run_with_secrets} call returns of a command's output besides its exit code.
 *
 * @since 0.1.0
 */
public enum CommandOutput {
  /**
   * Nothing: the exit code, whether it timed out and how long it ran. The default: output an agent
   * chose can be compared with output it guessed, so any output returned is a guessing oracle.
   */
  NONE,
  /**
   * stdout and stderr, cut at the cap and scrubbed of every injected value's known forms. A caller
   * who can make the command print text of its choosing can test whole guesses of a value (each
   * test one run, within the run budget).
   */
  REDACTED;

  /** {@code none} or {@code redacted}, as configuration spells it. */
  public static CommandOutput parse(String text) {
    for (CommandOutput o : values()) {
      if (o.name().toLowerCase(Locale.ROOT).equals(text)) {
        return o;
      }
    }
    throw new IllegalArgumentException("command output must be 'none' or 'redacted': " + text);
  }

  /** How configuration spells it. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }
}
