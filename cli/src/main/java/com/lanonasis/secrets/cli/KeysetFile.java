package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The master keyset file that {@code key rotate} and {@code key retire --master} re-write: {@code
 * --keyset}, else {@code ./data/keyset.json}; protected by {@code LANONASIS_KEYSET_PASSPHRASE} when
 * that is set, else cleartext. The passphrase is one {@code char[]} for reading and writing, wiped
 * by {@link #close()}.
 */
final class KeysetFile implements AutoCloseable {
  final Path file;
  private final char[] passphrase;

  private KeysetFile(Path file, char[] passphrase) {
    this.file = file;
    this.passphrase = passphrase;
  }

  /** The file {@code cli} names, which must exist. */
  static KeysetFile of(Lanonasis cli) {
    Path file = cli.keyset != null ? cli.keyset : Target.DEFAULT_KEYSET;
    if (!Files.exists(file)) {
      throw new CliException(
          ExitCode.NOT_FOUND, "no keyset file " + file + " (give --keyset FILE)");
    }
    String pass = cli.env.get(KeyringSources.ENV_KEYSET_PASSPHRASE);
    return new KeysetFile(file, pass != null ? pass.toCharArray() : null);
  }

  /**
   * What the header of {@code file} says ({@link KeyringFile#inspect}): exit 1 (not found) when
   * there is no such file, exit 6 (invalid) with the library's message, which names the file and
   * never its content, when it is no keyset file.
   */
  static KeyringFile inspect(Path file) {
    if (!Files.exists(file)) {
      throw new CliException(
          ExitCode.NOT_FOUND, "no keyset file " + file + " (give --keyset FILE)");
    }
    try {
      return KeyringFile.inspect(file);
    } catch (ConfigurationException e) {
      throw new CliException(ExitCode.INVALID, e.getMessage());
    }
  }

  MasterKeyring open() {
    try {
      return passphrase != null
          ? KeyringFile.openPassphrase(file, passphrase)
          : KeyringFile.openCleartext(file);
    } catch (SecretsException | IllegalArgumentException e) {
      throw new CliException(
          ExitCode.INVALID,
          "cannot open "
              + file
              + " as a "
              + (passphrase != null
                  ? "passphrase-protected keyset (is LANONASIS_KEYSET_PASSPHRASE right?)"
                  : "cleartext keyset (set LANONASIS_KEYSET_PASSPHRASE for a protected one; KMS-encrypted keysets are "
                      + "managed with the KMS tooling)"));
    }
  }

  /**
   * Replaces the file by {@code keyring}, in the same protection, in one step: written beside it as
   * {@code <file>.<suffix>}, then moved over it, so a failure leaves the old file whole.
   */
  void replace(MasterKeyring keyring, String suffix) throws IOException {
    replace(
        file,
        suffix,
        tmp -> {
          if (passphrase != null) {
            KeyringFile.writePassphrase(
                keyring, tmp, passphrase, KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
          } else {
            KeyringFile.writeCleartext(keyring, tmp);
          }
        });
  }

  /** Writes a keyset file's new content to a path beside it. */
  interface Writer {
    void write(Path tmp) throws IOException;
  }

  /**
   * Replaces {@code file} in one step: {@code writer} writes the new file as {@code
   * <file>.<suffix>} (and may refuse by throwing), which is then moved over it; a failure at any
   * point leaves the old file whole, and the temporary one is never left behind.
   */
  static void replace(Path file, String suffix, Writer writer) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + "." + suffix);
    Files.deleteIfExists(tmp);
    try {
      writer.write(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
