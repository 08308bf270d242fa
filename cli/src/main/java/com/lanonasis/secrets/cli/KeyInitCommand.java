package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.KeyEncryptionKey;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key init --passphrase | --kms URI}: a new master keyset file for production,
 * protected by a passphrase ({@link KeyringFile.Passphrase.Version#V2}) or encrypted under a KMS
 * key, written 0600 and never over an existing file. The file the README's production setup loads.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description = {
      "Create a new protected master keyset file (--keyset, else LANONASIS_KEYSET_FILE, else ./data/keyset.json), "
          + "0600, refusing to overwrite an existing file.",
      "--passphrase: encrypted under a key derived from a passphrase (PBKDF2-HMAC-SHA256, "
          + KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS
          + " iterations or --iterations), typed twice without echo, or "
          + "taken from LANONASIS_KEYSET_PASSPHRASE. --kms URI: encrypted under that KMS key, through the Tink KMS "
          + "client registered for its URI (this jar bundles none; see the README).",
      "Load it with LANONASIS_KEYSET_FILE and LANONASIS_KEYSET_PASSPHRASE (or LANONASIS_KEK_URI)."
    })
final class KeyInitCommand implements Callable<Integer> {
  @ParentCommand KeyCommands parent;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Protection protection;

  static final class Protection {
    @Option(
        names = "--passphrase",
        required = true,
        description = "Protect the keyset with a passphrase.")
    boolean passphrase;

    @Option(
        names = "--kms",
        required = true,
        paramLabel = "URI",
        description =
            "Encrypt the keyset under the KMS key at URI (e.g. aws-kms://arn:aws:kms:...).")
    String kms;
  }

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description =
          "PBKDF2-HMAC-SHA256 iterations for --passphrase "
              + "(default "
              + KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS
              + ", at least "
              + KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS
              + ").")
  int iterations = KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS;

  @Override
  public Integer call() throws Exception {
    Lanonasis cli = parent.root;
    KeyProtectCommand.checkIterations(iterations);
    Path file = KeyProtectCommand.keysetFile(cli);
    if (Files.exists(file)) {
      throw new CliException(
          ExitCode.CONFLICT,
          "refusing to overwrite the existing keyset file "
              + file
              + ": it may "
              + "be the only copy of the key to a store's secrets (to protect a development keyset in place: "
              + "lanonasis key protect)");
    }
    MasterKeyring keyring = MasterKeyring.generate();
    String how;
    if (protection.kms != null) {
      KeyEncryptionKey kek = KeyProtectCommand.kek(protection.kms);
      try {
        KeyringFile.writeKms(keyring, file, kek);
      } catch (ConfigurationException e) {
        throw new CliException(ExitCode.ERROR, e.getMessage());
      }
      how =
          "KMS-encrypted under "
              + protection.kms
              + "; load it with LANONASIS_KEYSET_FILE="
              + file
              + " and LANONASIS_KEK_URI="
              + protection.kms;
    } else {
      char[] passphrase = NewPassphrase.obtain(cli, KeyringSources.ENV_KEYSET_PASSPHRASE);
      try {
        KeyringFile.writePassphrase(keyring, file, passphrase, iterations);
      } catch (ConfigurationException e) {
        throw new CliException(ExitCode.ERROR, e.getMessage());
      } finally {
        Arrays.fill(passphrase, '\0');
      }
      how =
          "passphrase-protected ("
              + KeyringFile.Passphrase.Version.V2.format()
              + ", "
              + iterations
              + " PBKDF2 iterations); "
              + "load it with LANONASIS_KEYSET_FILE="
              + file
              + " and the passphrase in LANONASIS_KEYSET_PASSPHRASE";
    }
    if (cli.json) {
      var node =
          SecretCommands.JSON
              .createObjectNode()
              .put("keyset", file.toString())
              .put("protection", protection.kms != null ? "kms" : "passphrase")
              .put("primaryKeyId", Integer.toUnsignedLong(keyring.primaryKeyId()));
      if (protection.kms == null) {
        node.put("iterations", iterations);
      }
      cli.out.println(SecretCommands.JSON.writeValueAsString(node));
    } else {
      cli.out.println(
          "keyset "
              + file
              + " created with master key "
              + Integer.toUnsignedLong(keyring.primaryKeyId())
              + ", "
              + how);
      cli.out.println(
          "keep a copy (and the passphrase or KMS key) somewhere safe: without them no secret stored "
              + "under this keyset can be read");
    }
    return ExitCode.OK;
  }
}
