package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.KeyEncryptionKey;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key protect}: turns a development (cleartext) master keyset file into a
 * passphrase-protected or KMS-encrypted one in place, or re-writes a passphrase-protected file in
 * the current format at {@value KeyringFile.Passphrase#DEFAULT_PBKDF2_ITERATIONS} PBKDF2 iterations
 * (or {@code --iterations}), optionally under a new passphrase or a KMS key. The keys never change,
 * so nothing sealed under them needs re-sealing; the file is replaced in one step, and a cleartext
 * file's bytes are overwritten with zeros once the protected file has taken its place.
 */
@Command(
    name = "protect",
    mixinStandardHelpOptions = true,
    description = {
      "Protect the master keyset file (--keyset, else LANONASIS_KEYSET_FILE, else ./data/keyset.json) in place, "
          + "with the same keys, so no store needs re-sealing; the file is replaced atomically.",
      "A development (cleartext) keyset: encrypted under a passphrase (LANONASIS_NEW_KEYSET_PASSPHRASE, else "
          + "LANONASIS_KEYSET_PASSPHRASE, else typed twice without echo) at "
          + KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS
          + " PBKDF2-HMAC-SHA256 iterations (or --iterations), or under a KMS key with --kms URI; the cleartext "
          + "bytes are then overwritten with zeros.",
      "A passphrase-protected keyset (its passphrase in LANONASIS_KEYSET_PASSPHRASE): re-written in the current "
          + "format at that count; to change the passphrase, put the new one in LANONASIS_NEW_KEYSET_PASSPHRASE; "
          + "--kms URI moves it under a KMS key instead."
    })
final class KeyProtectCommand implements Callable<Integer> {
  static final String ENV_NEW_PASSPHRASE = "LANONASIS_NEW_KEYSET_PASSPHRASE";

  @ParentCommand KeyCommands parent;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description =
          "PBKDF2-HMAC-SHA256 iterations (default "
              + KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS
              + ", at least "
              + KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS
              + ").")
  int iterations = KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS;

  @Option(
      names = "--kms",
      paramLabel = "URI",
      description =
          "Encrypt the keyset under the KMS key at URI instead "
              + "of a passphrase (through the Tink KMS client registered for it).")
  String kms;

  @Override
  public Integer call() throws IOException {
    Lanonasis cli = parent.root;
    checkIterations(iterations);
    Path file = keysetFile(cli);
    if (!Files.exists(file)) {
      throw new CliException(
          ExitCode.NOT_FOUND, "no keyset file " + file + " (give --keyset FILE)");
    }
    KeyringFile header = KeysetFile.inspect(file);
    if (header instanceof KeyringFile.Kms) {
      throw new CliException(
          ExitCode.USAGE,
          "keyset file "
              + file
              + " is KMS-encrypted already; re-encrypt it "
              + "with the KMS's own tooling");
    }
    return header instanceof KeyringFile.Passphrase
        ? reprotect(cli, file)
        : protectDevelopment(cli, file);
  }

  /**
   * A cleartext keyset becomes a protected one with the same keys; its cleartext bytes are then
   * zeroed.
   */
  private int protectDevelopment(Lanonasis cli, Path file) throws IOException {
    MasterKeyring keyring;
    try {
      keyring = KeyringFile.openCleartext(file);
    } catch (SecretsException e) {
      throw new CliException(
          ExitCode.INVALID, "cannot open " + file + " as a development keyset: " + e.getMessage());
    }
    KeyEncryptionKey kek = kms != null ? kek(kms) : null;
    char[] passphrase =
        kek == null
            ? NewPassphrase.obtain(cli, ENV_NEW_PASSPHRASE, KeyringSources.ENV_KEYSET_PASSPHRASE)
            : null;
    try {
      try (FileChannel cleartext = FileChannel.open(file, StandardOpenOption.WRITE)) {
        // Opened before the rename: afterwards the name is the protected file's, and this handle
        // still reaches the cleartext bytes (and any hard link to them) to overwrite.
        replace(file, keyring, passphrase, kek);
        wipe(cleartext);
      }
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
    if (cli.json) {
      var node =
          SecretCommands.JSON
              .createObjectNode()
              .put("keyset", file.toString())
              .put("protection", kek != null ? "kms" : "passphrase")
              .put("from", "development")
              .put("primaryKeyId", Integer.toUnsignedLong(keyring.primaryKeyId()));
      if (kek == null) {
        node.put("iterations", iterations);
      }
      node.putPOJO("keyIds", keyring.keyIds().stream().map(Integer::toUnsignedLong).toList());
      cli.out.println(SecretCommands.JSON.writeValueAsString(node));
    } else {
      cli.out.println(
          "keyset "
              + file
              + ": the development keyset is now "
              + (kek != null
                  ? "KMS-encrypted under " + kms
                  : "passphrase-protected ("
                      + KeyringFile.Passphrase.Version.V2.format()
                      + ", "
                      + iterations
                      + " PBKDF2 iterations)")
              + ", with the same "
              + keys(keyring)
              + " (primary "
              + Integer.toUnsignedLong(keyring.primaryKeyId())
              + "): nothing stored needs re-sealing");
      cli.out.println(
          "load it with LANONASIS_KEYSET_FILE="
              + file
              + (kek != null
                  ? " and LANONASIS_KEK_URI=" + kms
                  : " and the passphrase in LANONASIS_KEYSET_PASSPHRASE")
              + ". The cleartext bytes were overwritten, but "
              + "copies may remain in backups, snapshots or on copy-on-write storage: if any could have leaked, rotate "
              + "(lanonasis key rotate --store ...)");
    }
    return ExitCode.OK;
  }

  /** A passphrase-protected keyset, re-written in the current format (or moved under a KMS key). */
  private int reprotect(Lanonasis cli, Path file) throws IOException {
    String current = blankToNull(cli.env.get(KeyringSources.ENV_KEYSET_PASSPHRASE));
    if (current == null) {
      throw new CliException(
          ExitCode.USAGE,
          "key protect re-writes a passphrase-protected keyset: put its "
              + "passphrase in "
              + KeyringSources.ENV_KEYSET_PASSPHRASE);
    }
    String next = blankToNull(cli.env.get(ENV_NEW_PASSPHRASE));
    if (next != null && next.length() < KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH) {
      throw new CliException(
          ExitCode.INVALID,
          ENV_NEW_PASSPHRASE
              + " is too short (minimum "
              + KeyringFile.Passphrase.MIN_PASSPHRASE_LENGTH
              + " characters)");
    }
    KeyEncryptionKey kek = kms != null ? kek(kms) : null;

    char[] oldPassphrase = current.toCharArray();
    char[] newPassphrase = next != null ? next.toCharArray() : oldPassphrase;
    MasterKeyring keyring;
    try {
      try {
        keyring = KeyringFile.openPassphrase(file, oldPassphrase);
      } catch (SecretsException e) {
        // The library's messages name the file and the reason, never the passphrase or a key.
        throw new CliException(
            ExitCode.INVALID,
            "cannot open " + file + " as a passphrase-protected keyset: " + e.getMessage());
      }
      replace(file, keyring, kek == null ? newPassphrase : null, kek);
    } finally {
      Arrays.fill(oldPassphrase, '\0');
      Arrays.fill(newPassphrase, '\0');
    }

    if (cli.json) {
      var node =
          SecretCommands.JSON
              .createObjectNode()
              .put("keyset", file.toString())
              .put("protection", kek != null ? "kms" : "passphrase")
              .put("from", "passphrase")
              .put("primaryKeyId", Integer.toUnsignedLong(keyring.primaryKeyId()));
      if (kek == null) {
        node.put("iterations", iterations).put("passphraseChanged", next != null);
      }
      node.putPOJO("keyIds", keyring.keyIds().stream().map(Integer::toUnsignedLong).toList());
      cli.out.println(SecretCommands.JSON.writeValueAsString(node));
    } else if (kek != null) {
      cli.out.println(
          "keyset "
              + file
              + ": now KMS-encrypted under "
              + kms
              + " with the same "
              + keys(keyring)
              + " (primary "
              + Integer.toUnsignedLong(keyring.primaryKeyId())
              + "); load it with LANONASIS_KEK_URI="
              + kms
              + " instead of a passphrase");
    } else {
      cli.out.println(
          "keyset "
              + file
              + ": re-written at "
              + iterations
              + " PBKDF2 iterations with the same "
              + keyring.keyIds().size()
              + " keys (primary "
              + Integer.toUnsignedLong(keyring.primaryKeyId())
              + ")");
      if (next != null) {
        cli.out.println(
            "the passphrase changed: set "
                + KeyringSources.ENV_KEYSET_PASSPHRASE
                + " to the new one "
                + "wherever this keyset is used");
      }
    }
    return ExitCode.OK;
  }

  private static String keys(MasterKeyring keyring) {
    int n = keyring.keyIds().size();
    return n + (n == 1 ? " key" : " keys");
  }

  static void checkIterations(int iterations) {
    if (iterations < KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS
        || iterations > KeyringFile.Passphrase.MAX_PBKDF2_ITERATIONS) {
      throw new CliException(
          ExitCode.USAGE,
          "--iterations must be from "
              + KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS
              + " to "
              + KeyringFile.Passphrase.MAX_PBKDF2_ITERATIONS
              + ", not "
              + iterations);
    }
  }

  /**
   * The KMS key at {@code uri}, through the Tink client registered for it; exit 2 when there is
   * none.
   */
  static KeyEncryptionKey kek(String uri) {
    if (uri.isBlank()) {
      throw new CliException(ExitCode.USAGE, "--kms needs the KMS key's URI");
    }
    try {
      return KeyEncryptionKey.fromKmsUri(uri.strip());
    } catch (ConfigurationException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }

  /** Overwrites what {@code channel} holds with zeros and forces it to the disk. */
  private static void wipe(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer zeros = ByteBuffer.allocate(4096);
    for (long at = 0; at < size; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
      at += channel.write(zeros, at);
    }
    channel.force(true);
  }

  /**
   * Writes the keyring next to {@code file} (under {@code passphrase}, or {@code kek} when given),
   * checks that the copy opens and holds the same keys, then moves it over {@code file} in one
   * step: a failure at any point leaves the old file as it was, and this file is the only copy of
   * the master key.
   */
  private void replace(Path file, MasterKeyring keyring, char[] passphrase, KeyEncryptionKey kek)
      throws IOException {
    KeysetFile.replace(
        file,
        "protecting",
        tmp -> {
          MasterKeyring readBack;
          try {
            if (kek != null) {
              KeyringFile.writeKms(keyring, tmp, kek);
              readBack = KeyringFile.openKms(tmp, kek);
            } else {
              KeyringFile.writePassphrase(keyring, tmp, passphrase, iterations);
              readBack = KeyringFile.openPassphrase(tmp, passphrase);
            }
          } catch (ConfigurationException e) {
            throw new CliException(ExitCode.ERROR, e.getMessage() + "; " + file + " is unchanged");
          }
          if (!readBack.keyIds().equals(keyring.keyIds())
              || readBack.primaryKeyId() != keyring.primaryKeyId()) {
            throw new CliException(
                ExitCode.ERROR,
                "the re-written keyset did not read back the same keys; " + file + " is unchanged");
          }
        });
  }

  /**
   * {@code --keyset}, then {@value KeyringSources#ENV_KEYSET_FILE}, then {@code
   * ./data/keyset.json}.
   */
  static Path keysetFile(Lanonasis cli) {
    if (cli.keyset != null) {
      return cli.keyset;
    }
    String fromEnv = blankToNull(cli.env.get(KeyringSources.ENV_KEYSET_FILE));
    return fromEnv != null ? Path.of(fromEnv.strip()) : Target.DEFAULT_KEYSET;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
