package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.TenantKeyManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key ...}: the master keyset file ({@code init}, {@code protect}, {@code info},
 * {@code rotate}, {@code retire --master}) and the tenants' data keys ({@link
 * KeyLifecycleCommands}).
 */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description = {
      "Manage keys: the master keyset file (init, protect, info, rotate, retire --master), and the "
          + "tenants' data keys, on a store (--store) or a server (--url, an operator key)."
    },
    subcommands = {
      KeyCommands.Rotate.class,
      KeyInitCommand.class,
      KeyProtectCommand.class,
      KeyInfoCommand.class,
      KeyLifecycleCommands.Status.class,
      KeyLifecycleCommands.RotateData.class,
      KeyLifecycleCommands.Reseal.class,
      KeyLifecycleCommands.Retire.class,
      KeyLifecycleCommands.Reprovision.class,
      KeyLifecycleCommands.Shred.class
    })
final class KeyCommands {
  @ParentCommand Lanonasis root;

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Add a new primary key to the keyset file (--keyset, default ./data/keyset.json), keeping the old keys "
            + "so everything sealed under them still opens; the file is replaced atomically.",
        "With --store, also re-wrap every tenant's data keyset under the new primary.",
        "A passphrase-protected keyset needs LANONASIS_KEYSET_PASSPHRASE and is written back protected by it; "
            + "KMS-encrypted keysets are rotated with the KMS's own tooling."
      })
  static final class Rotate implements Callable<Integer> {
    @ParentCommand KeyCommands parent;

    @Override
    public Integer call() throws IOException {
      Lanonasis cli = parent.root;
      Target target = cli.store != null ? cli.target() : null;
      if (target != null) {
        target.requireExistingStore(); // before the keyset file changes
      }
      Path file;
      MasterKeyring rotated;
      try (KeysetFile keysetFile = KeysetFile.of(cli)) {
        file = keysetFile.file;
        rotated = keysetFile.open().rotate();
        keysetFile.replace(rotated, "rotating");
      }

      TenantKeyManager.RewrapReport report = null;
      if (target != null && !target.remote()) {
        try (LocalKeysets keysets =
            new LocalKeysets(LocalKeysets.database(target.store(), cli), rotated)) {
          report = keysets.rewrapAll();
        }
      }
      if (cli.json) {
        var node =
            SecretCommands.JSON
                .createObjectNode()
                .put("keyset", file.toString())
                .put("primaryKeyId", Integer.toUnsignedLong(rotated.primaryKeyId()));
        node.putPOJO("keyIds", rotated.keyIds().stream().map(Integer::toUnsignedLong).toList());
        if (report != null) {
          node.put("rewrapped", report.rewrapped()).put("alreadyCurrent", report.alreadyCurrent());
        }
        cli.out.println(SecretCommands.JSON.writeValueAsString(node));
      } else {
        cli.out.println(
            "keyset "
                + file
                + ": new primary key "
                + Integer.toUnsignedLong(rotated.primaryKeyId())
                + " ("
                + rotated.keyIds().size()
                + " keys)");
        if (report != null) {
          cli.out.println(
              "re-wrapped "
                  + report.rewrapped()
                  + " tenant keysets ("
                  + report.alreadyCurrent()
                  + " already current)");
        } else {
          cli.out.println(
              "run again with --store URI to re-wrap the tenant keysets of a store under the new key");
        }
      }
      return ExitCode.OK;
    }
  }
}
