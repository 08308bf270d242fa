package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.http.ApiKeyAdminClient;
import com.lanonasis.secrets.http.ApiKeyInfo;
import com.lanonasis.secrets.http.NewApiKey;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis apikey create|list|revoke}: the server's key management, for ADMIN keys, through
 * the SDK's {@link ApiKeyAdminClient}, hence the same URL, TLS and redirect rules as every other
 * remote command.
 */
@Command(
    name = "apikey",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description = {
      "Create, list and revoke API keys on a server (needs an ADMIN key without a prefix).",
      "apikey create also works on the host with --store and --keyset: the break-glass for a lost admin key."
    },
    subcommands = {
      ApiKeyCommands.Create.class,
      ApiKeyCommands.ListKeys.class,
      ApiKeyCommands.Revoke.class
    })
final class ApiKeyCommands {
  @ParentCommand Lanonasis root;

  abstract static class Remote implements Callable<Integer> {
    @ParentCommand ApiKeyCommands parent;

    Lanonasis cli() {
      return parent.root;
    }

    @Override
    public Integer call() throws IOException {
      try (ApiKeyAdminClient keys = cli().target().keyAdmin(cli())) {
        run(keys);
      }
      return ExitCode.OK;
    }

    abstract void run(ApiKeyAdminClient keys) throws IOException;

    static ObjectNode json(ObjectNode node, ApiKeyInfo k) {
      node.put("id", k.id())
          .put("tenant", k.tenant())
          .put("role", k.role().name())
          .put("prefix", k.prefix())
          .put("createdAt", k.createdAt().toString());
      k.revokedAt().ifPresent(r -> node.put("revokedAt", r.toString()));
      return node;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a key and print it. It is shown only this once; text output is the key alone on stdout, "
            + "so KEY=$(lanonasis apikey create --role READ_ONLY) works.",
        "Break-glass on the server's host (a lost admin key): with --store and --keyset instead of --url, the key "
            + "is made in the store itself. It needs the store's keyset, which must open every tenant keyset of the "
            + "store, and is audited in the store's log as key.breakglass."
      })
  static final class Create extends Remote {
    @Override
    public Integer call() throws IOException {
      Target target = cli().target();
      if (target.remote()) {
        return super.call();
      }
      target.requireExistingStore();
      Role r = Role.parse(role);
      MasterKeyring keyring = target.existingKeyring(cli());
      String key;
      try (LocalKeysets keysets =
          new LocalKeysets(LocalKeysets.database(target.store(), cli()), keyring)) {
        // Holding the keyset is the authority here: one that does not open the store's keysets is
        // another's.
        MasterKeyUsage usage = keysets.masterKeys();
        if (usage.unopenable() > 0) {
          throw new CliException(
              ExitCode.AUTH,
              "the keyset does not open "
                  + usage.unopenable()
                  + " tenant keyset(s) "
                  + "of this store: give the keyset the store was written with");
        }
        key =
            keysets.createApiKey(
                tenant == null ? TenantId.DEFAULT : tenant, r, prefix == null ? "" : prefix);
      }
      String id = key.substring(4, 20);
      if (cli().json) {
        cli()
            .out
            .println(
                SecretCommands.JSON.writeValueAsString(
                    SecretCommands.JSON
                        .createObjectNode()
                        .put("id", id)
                        .put("key", key)
                        .put("tenant", tenant == null ? TenantId.DEFAULT : tenant)
                        .put("role", r.name())
                        .put("prefix", prefix == null ? "" : prefix)
                        .put("breakGlass", true)));
      } else {
        cli()
            .err
            .println(
                "created key "
                    + id
                    + " ("
                    + r.name()
                    + ", tenant "
                    + (tenant == null ? TenantId.DEFAULT : tenant)
                    + ") in the store, audited as "
                    + LocalKeysets.BREAK_GLASS
                    + "; it is shown only this once:");
        cli().out.println(key);
      }
      return ExitCode.OK;
    }

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "ADMIN, READ_WRITE or READ_ONLY.")
    String role;

    @Option(
        names = "--prefix",
        paramLabel = "PREFIX",
        description = "Limit the key to names starting with PREFIX.")
    String prefix;

    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "Another tenant (operators of tenant default only).")
    String tenant;

    @Override
    void run(ApiKeyAdminClient keys) throws IOException {
      Role r = Role.parse(role);
      String p = prefix == null ? "" : prefix;
      NewApiKey created = tenant == null ? keys.create(r, p) : keys.create(tenant, r, p);
      ApiKeyInfo k = created.info();
      if (cli().json) {
        ObjectNode node =
            SecretCommands.JSON.createObjectNode().put("id", k.id()).put("key", created.key());
        cli().out.println(SecretCommands.JSON.writeValueAsString(json(node, k)));
      } else {
        cli()
            .err
            .println(
                "created key "
                    + k.id()
                    + " ("
                    + k.role()
                    + ", tenant "
                    + k.tenant()
                    + "); it is shown only this once:");
        cli().out.println(created.key());
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List keys: id, tenant, role, prefix, " + "created, revoked (never the key itself).")
  static final class ListKeys extends Remote {
    @Override
    void run(ApiKeyAdminClient keys) throws IOException {
      if (cli().json) {
        ObjectNode out = SecretCommands.JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        keys.list().forEach(k -> json(items.addObject(), k));
        cli().out.println(SecretCommands.JSON.writeValueAsString(out));
        return;
      }
      for (ApiKeyInfo k : keys.list()) {
        cli()
            .out
            .println(
                String.join(
                    "\t",
                    k.id(),
                    k.tenant(),
                    k.role().name(),
                    k.prefix(),
                    k.createdAt().toString(),
                    k.revokedAt().map(r -> "revoked " + r).orElse("active")));
      }
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke the key with this id "
              + "(the 16 hex digits after lns_); effective on the server's next request.")
  static final class Revoke extends Remote {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    void run(ApiKeyAdminClient keys) {
      keys.revoke(id);
      if (cli().json) {
        cli()
            .out
            .println(SecretCommands.JSON.createObjectNode().put("id", id).put("result", "revoked"));
      } else {
        cli().out.println("revoked " + id);
      }
    }
  }
}
