package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key protect}: re-writes a passphrase-protected master keyset file with the same
 * keys, in the current format at {@value MasterKeyring#DEFAULT_PBKDF2_ITERATIONS} PBKDF2 iterations
 * (or {@code --iterations}), optionally under a new passphrase. The upgrade path for files that
 * earlier versions wrote with fewer than {@value MasterKeyring#MIN_PBKDF2_ITERATIONS} iterations.
 */
@Command(name = "protect", mixinStandardHelpOptions = true, description = {
    "Re-write a passphrase-protected keyset file (--keyset, else LANONASIS_KEYSET_FILE, else ./data/keyset.json) "
        + "with the same keys at " + MasterKeyring.DEFAULT_PBKDF2_ITERATIONS + " PBKDF2-HMAC-SHA256 iterations "
        + "(or --iterations), in the current format; the file is replaced atomically.",
    "The passphrase comes from LANONASIS_KEYSET_PASSPHRASE; to change it, put the new one in "
        + "LANONASIS_NEW_KEYSET_PASSPHRASE. Secrets and tenant keysets need no re-wrap: the keys do not change."})
final class KeyProtectCommand implements Callable<Integer> {
  static final String ENV_NEW_PASSPHRASE = "LANONASIS_NEW_KEYSET_PASSPHRASE";

  @ParentCommand
  KeyCommands parent;

  @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2-HMAC-SHA256 iterations (default "
      + MasterKeyring.DEFAULT_PBKDF2_ITERATIONS + ", at least " + MasterKeyring.MIN_PBKDF2_ITERATIONS + ").")
  int iterations = MasterKeyring.DEFAULT_PBKDF2_ITERATIONS;

  @Override
  public Integer call() throws IOException {
    Lanonasis cli = parent.root;
    if (iterations < MasterKeyring.MIN_PBKDF2_ITERATIONS || iterations > MasterKeyring.MAX_PBKDF2_ITERATIONS) {
      throw new CliException(ExitCode.USAGE, "--iterations must be from " + MasterKeyring.MIN_PBKDF2_ITERATIONS
          + " to " + MasterKeyring.MAX_PBKDF2_ITERATIONS + ", not " + iterations);
    }
    Path file = keysetFile(cli);
    if (!Files.exists(file)) {
      throw new CliException(ExitCode.NOT_FOUND, "no keyset file " + file + " (give --keyset FILE)");
    }
    String current = blankToNull(cli.env.get(MasterKeyring.ENV_KEYSET_PASSPHRASE));
    if (current == null) {
      throw new CliException(ExitCode.USAGE, "key protect re-writes a passphrase-protected keyset: put its "
          + "passphrase in " + MasterKeyring.ENV_KEYSET_PASSPHRASE);
    }
    String next = blankToNull(cli.env.get(ENV_NEW_PASSPHRASE));
    if (next != null && next.length() < MasterKeyring.MIN_PASSPHRASE_LENGTH) {
      throw new CliException(ExitCode.INVALID, ENV_NEW_PASSPHRASE + " is too short (minimum "
          + MasterKeyring.MIN_PASSPHRASE_LENGTH + " characters)");
    }

    char[] oldPassphrase = current.toCharArray();
    char[] newPassphrase = next != null ? next.toCharArray() : oldPassphrase;
    MasterKeyring keyring;
    try {
      try {
        keyring = MasterKeyring.fromPassphraseFile(file, oldPassphrase);
      } catch (SecretsException e) {
        // The library's messages name the file and the reason, never the passphrase or a key.
        throw new CliException(ExitCode.INVALID, "cannot open " + file + " as a passphrase-protected keyset: "
            + e.getMessage());
      }
      replace(file, keyring, newPassphrase);
    } finally {
      Arrays.fill(oldPassphrase, '\0');
      Arrays.fill(newPassphrase, '\0');
    }

    if (cli.json) {
      var node = SecretCommands.JSON.createObjectNode().put("keyset", file.toString())
          .put("iterations", iterations).put("passphraseChanged", next != null)
          .put("primaryKeyId", Integer.toUnsignedLong(keyring.primaryKeyId()));
      node.putPOJO("keyIds", keyring.keyIds().stream().map(Integer::toUnsignedLong).toList());
      cli.out.println(SecretCommands.JSON.writeValueAsString(node));
    } else {
      cli.out.println("keyset " + file + ": re-written at " + iterations + " PBKDF2 iterations with the same "
          + keyring.keyIds().size() + " keys (primary " + Integer.toUnsignedLong(keyring.primaryKeyId()) + ")");
      if (next != null) {
        cli.out.println("the passphrase changed: set " + MasterKeyring.ENV_KEYSET_PASSPHRASE + " to the new one "
            + "wherever this keyset is used");
      }
    }
    return ExitCode.OK;
  }

  /**
   * Writes the keyring next to {@code file}, checks that the copy opens with the new passphrase and
   * holds the same keys, then moves it over {@code file} in one step: a failure at any point leaves
   * the old file as it was, and this file is the only copy of the master key.
   */
  private void replace(Path file, MasterKeyring keyring, char[] passphrase) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".protecting");
    Files.deleteIfExists(tmp);
    try {
      keyring.writePassphraseFile(tmp, passphrase, iterations);
      if (!MasterKeyring.fromPassphraseFile(tmp, passphrase).keyIds().equals(keyring.keyIds())) {
        throw new CliException(ExitCode.ERROR, "the re-written keyset did not read back the same keys; "
            + file + " is unchanged");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** {@code --keyset}, then {@value MasterKeyring#ENV_KEYSET_FILE}, then {@code ./data/keyset.json}. */
  private static Path keysetFile(Lanonasis cli) {
    if (cli.keyset != null) {
      return cli.keyset;
    }
    String fromEnv = blankToNull(cli.env.get(MasterKeyring.ENV_KEYSET_FILE));
    return fromEnv != null ? Path.of(fromEnv.strip()) : Target.DEFAULT_KEYSET;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
