package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key info}: how a master keyset file is protected, its key ids and primary; never
 * key material. The format and PBKDF2 iterations (or the KMS key's URI scheme) come from the file's
 * header; the ids of a protected file need it opened, so they are shown only when the passphrase
 * ({@code LANONASIS_KEYSET_PASSPHRASE}) or the KMS key ({@code --kms} or {@code LANONASIS_KEK_URI})
 * is given, and the output says which is missing otherwise.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description = {
      "How a master keyset file (--keyset, else LANONASIS_KEYSET_FILE, else ./data/keyset.json) is protected: "
          + "development (cleartext), passphrase (format, PBKDF2 iterations) or KMS (the key URI's scheme); its key "
          + "ids and primary. Never key material.",
      "The ids of a passphrase-protected file need LANONASIS_KEYSET_PASSPHRASE; of a KMS-encrypted one, --kms URI or "
          + "LANONASIS_KEK_URI. Without them the rest is shown and the output says what the ids need."
    })
final class KeyInfoCommand implements Callable<Integer> {
  @ParentCommand KeyCommands parent;

  @Option(
      names = "--kms",
      paramLabel = "URI",
      description =
          "The KMS key a KMS-encrypted file is opened with " + "(default LANONASIS_KEK_URI).")
  String kms;

  @Override
  public Integer call() throws IOException {
    Lanonasis cli = parent.root;
    Path file = KeyProtectCommand.keysetFile(cli);
    KeyringFile header = KeysetFile.inspect(file);
    String mode = mode(file);
    String formatText;
    Optional<MasterKeyring> keyring = Optional.empty();
    String idsNeed = null;
    String protection;
    if (header instanceof KeyringFile.Passphrase p) {
      protection = "passphrase";
      formatText =
          "passphrase-protected, "
              + p.format()
              + ", PBKDF2-HMAC-SHA256 at "
              + p.iterations()
              + " iterations"
              + (p.belowFloor()
                  ? " (below the floor of "
                      + KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS
                      + ": re-write it with lanonasis key protect)"
                  : "");
      String pass = cli.env.get(KeyringSources.ENV_KEYSET_PASSPHRASE);
      if (pass == null || pass.isBlank()) {
        idsNeed = KeyringSources.ENV_KEYSET_PASSPHRASE;
      } else {
        char[] chars = pass.toCharArray();
        try {
          keyring = Optional.of(open(file, () -> KeyringFile.openPassphrase(file, chars)));
        } finally {
          Arrays.fill(chars, '\0');
        }
      }
    } else if (header instanceof KeyringFile.Kms k) {
      protection = "kms";
      formatText =
          "KMS-encrypted, "
              + k.format()
              + ", key-encryption key of scheme "
              + kekScheme(k.kekUri());
      String uri = kms != null ? kms : blankToNull(cli.env.get(KeyringSources.ENV_KEK_URI));
      if (uri == null) {
        idsNeed = "--kms URI or " + KeyringSources.ENV_KEK_URI;
      } else {
        keyring = Optional.of(open(file, () -> KeyringFile.openKms(file, uri)));
      }
    } else {
      protection = "development";
      formatText =
          "development keyset (cleartext on disk: whoever reads the file can open every secret; protect "
              + "it with lanonasis key protect)";
      keyring = Optional.of(open(file, () -> KeyringFile.openCleartext(file)));
    }

    if (cli.json) {
      ObjectNode node =
          SecretCommands.JSON
              .createObjectNode()
              .put("keyset", file.toString())
              .put("protection", protection)
              .put("format", header.format())
              .put("mode", mode);
      if (header instanceof KeyringFile.Passphrase p) {
        node.put("iterations", p.iterations());
      }
      if (header instanceof KeyringFile.Kms k) {
        node.put("kekScheme", kekScheme(k.kekUri()));
      }
      keyring.ifPresent(
          k -> {
            node.putPOJO("keyIds", k.keyIds().stream().map(Integer::toUnsignedLong).toList());
            node.put("primaryKeyId", Integer.toUnsignedLong(k.primaryKeyId()));
          });
      if (idsNeed != null) {
        node.put("keyIdsNeed", idsNeed);
      }
      cli.out.println(SecretCommands.JSON.writeValueAsString(node));
    } else {
      cli.out.println("keyset  " + file + " (" + mode + ")");
      cli.out.println("format  " + formatText);
      if (keyring.isPresent()) {
        MasterKeyring k = keyring.get();
        cli.out.println(
            "keys    "
                + k.keyIds().stream()
                    .map(
                        id ->
                            Integer.toUnsignedString(id)
                                + (id == k.primaryKeyId() ? " (primary)" : ""))
                    .collect(Collectors.joining(", ")));
      } else {
        cli.out.println(
            "keys    not shown: the ids are inside the encrypted keyset; give "
                + idsNeed
                + " to see them");
      }
    }
    return ExitCode.OK;
  }

  private static MasterKeyring open(Path file, Supplier<MasterKeyring> how) {
    try {
      return how.get();
    } catch (SecretsException e) {
      // The library's messages name the file and the reason, never the passphrase or a key.
      throw new CliException(ExitCode.INVALID, "cannot open " + file + ": " + e.getMessage());
    }
  }

  private static String mode(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      boolean others =
          perms.contains(PosixFilePermission.GROUP_READ)
              || perms.contains(PosixFilePermission.OTHERS_READ);
      return "mode "
          + PosixFilePermissions.toString(perms)
          + (others ? ", readable by others: chmod 600 " + file : "");
    } catch (UnsupportedOperationException | IOException e) {
      return "mode unknown";
    }
  }

  /**
   * The scheme of the KMS key's URI ({@code aws-kms}, {@code gcp-kms}, ...), not the rest of it.
   */
  private static String kekScheme(String uri) {
    try {
      String scheme = new URI(uri).getScheme();
      return scheme == null ? "unknown" : scheme;
    } catch (URISyntaxException e) {
      int colon = uri.indexOf(':');
      return colon > 0 ? uri.substring(0, colon) : "unknown";
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
