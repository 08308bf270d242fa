package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.KeyringFile;
import java.io.Console;
import java.util.Arrays;
import java.util.Optional;

/**
 * The passphrase a new protected keyset file is written under: from a variable when it is set, else
 * typed twice without echo at a terminal; at least {@value
 * KeyringFile.Passphrase#MIN_PASSPHRASE_LENGTH} characters. Never from a flag or from stdin. The
 * caller wipes the {@code char[]}.
 */
final class NewPassphrase {
  private NewPassphrase() {}

  /** The first of {@code variables} that is set, else a prompt; exit 2 when neither is possible. */
  static char[] obtain(Lanonasis cli, String... variables) {
    for (String variable : variables) {
      String value = cli.env.get(variable);
      if (value != null && !value.isBlank()) {
        return checked(value.toCharArray(), variable + " is too short");
      }
    }
    Optional<Console> console = cli.stdin == System.in ? Terminal.console() : Optional.empty();
    if (console.isEmpty()) {
      throw new CliException(
          ExitCode.USAGE,
          "no passphrase: run this at a terminal to type it, or set "
              + String.join(" or ", variables));
    }
    char[] first =
        console
            .get()
            .readPassword(
                "New keyset passphrase (at least %d characters, not shown): ",
                KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH);
    char[] second = console.get().readPassword("The same passphrase again: ");
    try {
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new CliException(
            ExitCode.INVALID, "the two passphrases typed do not match; nothing was written");
      }
      return checked(first.clone(), "the passphrase is too short");
    } finally {
      if (first != null) {
        Arrays.fill(first, '\0');
      }
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  private static char[] checked(char[] passphrase, String tooShort) {
    if (passphrase.length < KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH) {
      Arrays.fill(passphrase, '\0');
      throw new CliException(
          ExitCode.INVALID,
          tooShort
              + " (minimum "
              + KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH
              + " characters); nothing was written");
    }
    return passphrase;
  }
}
