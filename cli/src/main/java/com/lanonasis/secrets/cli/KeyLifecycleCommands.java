package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.DataKeyStatus;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis key status|rotate-data|reseal|retire|reprovision|shred}: the life of the
 * tenants' data keys, on an embedded store or a server, through {@link Keysets}. Output names keys
 * by id (unsigned decimal) and counts records; it never holds a key or a value.
 */
final class KeyLifecycleCommands {
  static final String DEFAULT_TENANT = TenantId.DEFAULT;
  static final int DEFAULT_BATCH = 1000;

  private KeyLifecycleCommands() {}

  /** Shared by the commands: the root's options and streams, options checked before connecting. */
  abstract static class Leaf implements Callable<Integer> {
    @ParentCommand KeyCommands parent;

    Lanonasis cli() {
      return parent.root;
    }

    PrintStream out() {
      return cli().out;
    }

    @Override
    public Integer call() throws IOException {
      check();
      try (Keysets keysets = Keysets.open(cli())) {
        return run(keysets);
      }
    }

    /** Refuses bad options before anything is opened. */
    void check() {}

    abstract int run(Keysets keysets) throws IOException;

    void printJson(ObjectNode node) throws IOException {
      out().println(SecretCommands.JSON.writeValueAsString(node));
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "A tenant's data keyset (--tenant, default 'default'; --all: every tenant): its generation, whether it was "
            + "destroyed, each data key with the number of records it seals (the primary marked, with the encryptions "
            + "reserved under it and since when), and records under keys the keyset does not hold.",
        "Then the master keys: which is primary, and how many tenant keysets each wraps."
      })
  static final class Status extends Leaf {
    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "The tenant (default 'default').")
    String tenant;

    @Option(names = "--all", description = "Every tenant that has a keyset or was shredded.")
    boolean all;

    @Override
    void check() {
      checkTenantOrAll(tenant, all);
    }

    @Override
    int run(Keysets keysets) throws IOException {
      List<KeysetStatus> tenants =
          all ? keysets.list() : List.of(keysets.status(orDefault(tenant)));
      MasterKeyUsage master = keysets.masterKeys();
      if (cli().json) {
        ObjectNode node = SecretCommands.JSON.createObjectNode();
        ArrayNode items = node.putArray("tenants");
        tenants.forEach(s -> json(items.addObject(), s));
        json(node.putObject("masterKeys"), master);
        printJson(node);
        return ExitCode.OK;
      }
      if (tenants.isEmpty()) {
        out().println("no tenant has a data keyset yet");
      }
      tenants.forEach(this::print);
      print(master);
      return ExitCode.OK;
    }

    private void print(KeysetStatus s) {
      if (s.destroyed()) {
        out()
            .println(
                "tenant "
                    + s.tenant()
                    + " (generation "
                    + s.generation()
                    + "): DESTROYED (crypto-shredded)"
                    + s.primarySince().map(t -> " at " + t).orElse("")
                    + "; "
                    + records(s.unknownKeyRecords())
                    + " can never be read again; 'lanonasis key reprovision' lets it write again");
        return;
      }
      if (s.generation() == 0) {
        out()
            .println(
                "tenant "
                    + s.tenant()
                    + ": no data keyset yet (its first write creates one)"
                    + (s.unknownKeyRecords() > 0
                        ? "; " + records(s.unknownKeyRecords()) + " under unknown keys"
                        : ""));
        return;
      }
      out()
          .println(
              "tenant "
                  + s.tenant()
                  + " (generation "
                  + s.generation()
                  + ", wrapped by "
                  + (s.masterKeyId().isPresent()
                      ? "master key " + id(s.masterKeyId().getAsInt())
                      : "no key of the master keyring")
                  + ")");
      for (DataKeyStatus k : s.keys()) {
        out()
            .println(
                "  data key "
                    + id(k.id())
                    + (k.primary() ? " (primary)" : "")
                    + ": "
                    + records(k.records()));
      }
      // Stores reserve encryptions under the primary in blocks: this bounds, not counts, what it
      // sealed.
      out()
          .println(
              "  primary: "
                  + s.primarySealed()
                  + " encryptions reserved"
                  + s.primarySince().map(t -> " since " + t).orElse(""));
      out()
          .println("  records under keys not in the keyset (unreadable): " + s.unknownKeyRecords());
    }

    private void print(MasterKeyUsage m) {
      out().println("master keys (primary " + id(m.primaryKeyId()) + ")");
      for (int keyId : masterOrder(m)) {
        long n = m.keysets().getOrDefault(keyId, 0L);
        out()
            .println(
                "  master key "
                    + id(keyId)
                    + (keyId == m.primaryKeyId() ? " (primary)" : "")
                    + ": wraps "
                    + n
                    + " tenant keyset"
                    + (n == 1 ? "" : "s"));
      }
      out().println("  tenant keysets no master key opens: " + m.unopenable());
    }
  }

  @Command(
      name = "rotate-data",
      mixinStandardHelpOptions = true,
      description = {
        "Give the tenant's data keyset a new primary key: new values are sealed with it at once; records sealed "
            + "under older keys still open. Then 'key reseal' moves them, and 'key retire' removes an old key."
      })
  static final class RotateData extends Leaf {
    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "The tenant (default 'default').")
    String tenant;

    @Override
    int run(Keysets keysets) throws IOException {
      String t = orDefault(tenant);
      int primary = keysets.rotate(t);
      if (cli().json) {
        printJson(
            SecretCommands.JSON
                .createObjectNode()
                .put("tenant", t)
                .put("primaryKeyId", unsigned(primary)));
      } else {
        out().println("tenant " + t + ": new primary data key " + id(primary));
        out()
            .println(
                "records sealed under older keys still open; move them with 'lanonasis key reseal --tenant "
                    + t
                    + "'");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "reseal",
      mixinStandardHelpOptions = true,
      description = {
        "Re-seal every record of the tenant (--tenant, default 'default'; --all: every tenant not shredded) that "
            + "is sealed under another key than the primary, in batches of --batch (one transaction each), online "
            + "and resumable. Progress per batch on stderr, a summary on stdout; --dry-run only counts.",
        "Records that do not open (altered, or under a key no longer held) are left as they are, counted as "
            + "unreadable, and make the command exit 6."
      })
  static final class Reseal extends Leaf {
    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "The tenant (default 'default').")
    String tenant;

    @Option(names = "--all", description = "Every tenant whose keyset was not destroyed.")
    boolean all;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description =
            "Records per transaction (default "
                + DEFAULT_BATCH
                + ", at most "
                + TenantKeyManager.MAX_RESEAL_BATCH
                + ").")
    int batch = DEFAULT_BATCH;

    @Option(
        names = "--dry-run",
        description = "Only count what would be re-sealed; change nothing.")
    boolean dryRun;

    @Override
    void check() {
      checkTenantOrAll(tenant, all);
      if (batch < 1 || batch > TenantKeyManager.MAX_RESEAL_BATCH) {
        throw new CliException(
            ExitCode.USAGE,
            "--batch must be from 1 to " + TenantKeyManager.MAX_RESEAL_BATCH + ", not " + batch);
      }
    }

    @Override
    int run(Keysets keysets) throws IOException {
      List<String> tenants = new ArrayList<>();
      if (all) {
        keysets.list().stream().filter(s -> !s.destroyed()).forEach(s -> tenants.add(s.tenant()));
      } else {
        tenants.add(orDefault(tenant));
      }
      List<ResealReport> reports = new ArrayList<>();
      for (String t : tenants) {
        Consumer<ResealReport> progress =
            p -> {
              if (!p.done()) {
                cli()
                    .err
                    .println(
                        "tenant "
                            + p.tenant()
                            + ": "
                            + (dryRun ? "would re-seal " : "re-sealed ")
                            + p.resealed()
                            + " so far"
                            + fromKeys(p.fromKeyIds())
                            + (p.unreadable() > 0 ? "; UNREADABLE " + p.unreadable() : ""));
              }
            };
        ResealReport r =
            dryRun ? keysets.planReseal(t, batch, progress) : keysets.reseal(t, batch, progress);
        reports.add(r);
        if (!cli().json) {
          out().println(summary(r));
        }
      }
      long resealed = reports.stream().mapToLong(ResealReport::resealed).sum();
      long unreadable = reports.stream().mapToLong(ResealReport::unreadable).sum();
      if (cli().json) {
        ObjectNode node =
            SecretCommands.JSON
                .createObjectNode()
                .put("dryRun", dryRun)
                .put("resealed", resealed)
                .put("unreadable", unreadable);
        ArrayNode items = node.putArray("tenants");
        for (ResealReport r : reports) {
          ObjectNode n =
              items
                  .addObject()
                  .put("tenant", r.tenant())
                  .put("primaryKeyId", unsigned(r.primaryKeyId()))
                  .put("resealed", r.resealed())
                  .put("skipped", r.skipped())
                  .put("unreadable", r.unreadable());
          ObjectNode from = n.putObject("fromKeyIds");
          r.fromKeyIds().forEach((k, v) -> from.put(id(k), v));
        }
        printJson(node);
      } else if (all) {
        out()
            .println(
                (dryRun ? "would re-seal " : "re-sealed ")
                    + records(resealed)
                    + " in "
                    + reports.size()
                    + " tenant"
                    + (reports.size() == 1 ? "" : "s")
                    + "; "
                    + unreadable
                    + " unreadable");
      }
      if (unreadable > 0) {
        cli()
            .err
            .println(
                "lanonasis: "
                    + records(unreadable)
                    + " could not be opened (altered, or sealed with a key "
                    + "no longer held) and "
                    + (unreadable == 1 ? "stays as it was" : "stay as they were")
                    + "; a data key that sealed one cannot be retired while it remains");
        return ExitCode.INVALID;
      }
      return ExitCode.OK;
    }

    private String summary(ResealReport r) {
      String t = "tenant " + r.tenant() + ": ";
      if (r.primaryKeyId() == 0 && r.resealed() == 0 && r.fromKeyIds().isEmpty()) {
        return t + "no data keyset, nothing to re-seal";
      }
      if (r.resealed() == 0 && r.skipped() == 0 && r.unreadable() == 0) {
        return t
            + "every record is sealed under the primary data key "
            + id(r.primaryKeyId())
            + "; nothing to do";
      }
      if (dryRun) {
        return t
            + "would re-seal "
            + records(r.resealed())
            + " under data key "
            + id(r.primaryKeyId())
            + fromKeys(r.fromKeyIds())
            + "; dry run, nothing was changed";
      }
      return t
          + "re-sealed "
          + records(r.resealed())
          + " under data key "
          + id(r.primaryKeyId())
          + fromKeys(r.fromKeyIds())
          + "; "
          + r.skipped()
          + " skipped (changed meanwhile), "
          + (r.unreadable() > 0 ? "UNREADABLE " : "")
          + r.unreadable()
          + " unreadable";
    }

    private static String fromKeys(Map<Integer, Long> from) {
      if (from.isEmpty()) {
        return "";
      }
      StringJoiner j = new StringJoiner(", ", " (from ", ")");
      from.forEach((k, n) -> j.add("data key " + id(k) + ": " + n));
      return j.toString();
    }
  }

  @Command(
      name = "retire",
      mixinStandardHelpOptions = true,
      description = {
        "Remove data key ID from the tenant's keyset, once no record is sealed with it ('key reseal' first); never "
            + "the primary.",
        "With --master: remove master key ID from the keyset file (--keyset, default ./data/keyset.json; embedded "
            + "only, with --store), once no tenant keyset of the store is wrapped with it ('key rotate --store' "
            + "first re-wraps them under a new primary); never the primary. The file is replaced atomically, "
            + "protected as before (LANONASIS_KEYSET_PASSPHRASE).",
        "Restart every server and process that loaded the file before the rotation first: until then they wrap "
            + "new tenant keysets under the old primary, which this removes."
      })
  static final class Retire extends Leaf {
    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "The key id, unsigned decimal as 'key status' prints it.")
    String keyId;

    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "The tenant (default 'default').")
    String tenant;

    @Option(names = "--master", description = "Retire a master key from the keyset file instead.")
    boolean master;

    private int id;

    @Override
    void check() {
      id = parseKeyId(keyId);
      if (master && tenant != null) {
        throw new CliException(
            ExitCode.USAGE,
            "--master retires a key of the master keyset file, which serves every "
                + "tenant: leave out --tenant");
      }
    }

    @Override
    public Integer call() throws IOException {
      if (!master) {
        return super.call();
      }
      check();
      Target target = cli().target();
      if (target.remote()) {
        throw new CliException(
            ExitCode.USAGE,
            "a server's master keyset file is rotated and retired where the "
                + "server runs: there, run 'lanonasis key rotate --store URI --keyset FILE', then "
                + "'lanonasis key retire --master ID --store URI --keyset FILE'");
      }
      return retireMasterKey(target);
    }

    @Override
    int run(Keysets keysets) throws IOException {
      String t = orDefault(tenant);
      // The store (or server) refuses too, race-free; asking first lets the refusal name the
      // command.
      long using =
          keysets.status(t).keys().stream()
              .filter(k -> k.id() == id && !k.primary())
              .mapToLong(DataKeyStatus::records)
              .sum();
      if (using > 0) {
        throw new CliException(
            ExitCode.INVALID,
            "data key "
                + id(id)
                + " of tenant '"
                + t
                + "' still seals "
                + records(using)
                + "; run 'lanonasis key reseal --tenant "
                + t
                + "' first, then retire it");
      }
      keysets.retire(t, id);
      if (cli().json) {
        printJson(
            SecretCommands.JSON
                .createObjectNode()
                .put("tenant", t)
                .put("retiredKeyId", unsigned(id)));
      } else {
        out().println("tenant " + t + ": retired data key " + id(id));
      }
      return ExitCode.OK;
    }

    /**
     * Counts the store's tenant keysets under the very keyring the file holds, so the count and the
     * file written agree.
     */
    private int retireMasterKey(Target target) throws IOException {
      target.requireExistingStore();
      try (KeysetFile file = KeysetFile.of(cli())) {
        MasterKeyring keyring = file.open();
        MasterKeyring trimmed;
        try (LocalKeysets keysets =
            new LocalKeysets(LocalKeysets.database(target.store(), cli()), keyring)) {
          MasterKeyUsage usage = keysets.masterKeys();
          trimmed =
              keysets.audited(
                  "master.retire",
                  "master/" + id(id),
                  () -> {
                    long wrapped = usage.keysets().getOrDefault(id, 0L);
                    if (wrapped > 0 && id != keyring.primaryKeyId()) {
                      throw new CliException(
                          ExitCode.INVALID,
                          "master key "
                              + id(id)
                              + " still wraps "
                              + wrapped
                              + " tenant keyset"
                              + (wrapped == 1 ? "" : "s")
                              + " of the store; run 'lanonasis key rotate --store "
                              + "URI' first (it re-wraps them under a new primary key), then retire it");
                    }
                    MasterKeyring without =
                        keyring.withoutKey(id); // refuses the primary and an id not in the file
                    try {
                      file.replace(without, "retiring");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                    return without;
                  });
        }
        if (cli().json) {
          ObjectNode node =
              SecretCommands.JSON
                  .createObjectNode()
                  .put("keyset", file.file.toString())
                  .put("retiredKeyId", unsigned(id))
                  .put("primaryKeyId", unsigned(trimmed.primaryKeyId()));
          node.putPOJO("keyIds", trimmed.keyIds().stream().map(Integer::toUnsignedLong).toList());
          printJson(node);
        } else {
          StringJoiner left = new StringJoiner(", ");
          trimmed
              .keyIds()
              .forEach(k -> left.add(id(k) + (k == trimmed.primaryKeyId() ? " (primary)" : "")));
          out()
              .println(
                  "keyset "
                      + file.file
                      + ": retired master key "
                      + id(id)
                      + "; keys left: "
                      + left);
        }
        return ExitCode.OK;
      }
    }
  }

  @Command(
      name = "reprovision",
      mixinStandardHelpOptions = true,
      description = {
        "Give a shredded tenant a new, empty data keyset so it can store secrets again; its old values stay "
            + "unreadable. Refused unless the tenant's keyset was destroyed ('key shred')."
      })
  static final class Reprovision extends Leaf {
    @Option(
        names = "--tenant",
        required = true,
        paramLabel = "TENANT",
        description = "The shredded tenant.")
    String tenant;

    @Override
    int run(Keysets keysets) throws IOException {
      int primary = keysets.reprovision(tenant);
      if (cli().json) {
        printJson(
            SecretCommands.JSON
                .createObjectNode()
                .put("tenant", tenant)
                .put("primaryKeyId", unsigned(primary)));
      } else {
        out()
            .println(
                "tenant "
                    + tenant
                    + ": new empty data keyset, primary data key "
                    + id(primary)
                    + "; it can store secrets again, and its old values stay unreadable");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "shred",
      mixinStandardHelpOptions = true,
      description = {
        "Crypto-shred a tenant: destroy its data keyset, so every value it stored can never be read again, by "
            + "anyone. Irreversible. Nothing can be written for the tenant until 'key reprovision'.",
        "--confirm must repeat the tenant's name."
      })
  static final class Shred extends Leaf {
    @Option(
        names = "--tenant",
        required = true,
        paramLabel = "TENANT",
        description = "The tenant to shred.")
    String tenant;

    @Option(names = "--confirm", paramLabel = "TENANT", description = "The tenant's name again.")
    String confirm;

    @Override
    void check() {
      if (!tenant.equals(confirm)) {
        throw new CliException(
            ExitCode.USAGE,
            "shredding destroys every value of tenant '"
                + tenant
                + "' for good: "
                + "to go ahead, repeat its name with --confirm "
                + tenant
                + "; nothing was done");
      }
    }

    @Override
    int run(Keysets keysets) throws IOException {
      boolean destroyed = keysets.destroy(tenant);
      if (cli().json) {
        printJson(
            SecretCommands.JSON
                .createObjectNode()
                .put("tenant", tenant)
                .put("destroyed", destroyed));
      } else {
        out()
            .println(
                "tenant "
                    + tenant
                    + ": "
                    + (destroyed
                        ? "data keyset destroyed (crypto-shredded)"
                        : "had no live data keyset; it is marked destroyed")
                    + ". Its values are gone for good: no key to open "
                    + "them exists any more.");
        out()
            .println(
                "Nothing can be written for the tenant until 'lanonasis key reprovision --tenant "
                    + tenant
                    + "', the only way to write again.");
      }
      return ExitCode.OK;
    }
  }

  // ---- shared ----------------------------------------------------------------------------------

  static void checkTenantOrAll(String tenant, boolean all) {
    if (all && tenant != null) {
      throw new CliException(ExitCode.USAGE, "give --tenant or --all, not both");
    }
  }

  static String orDefault(String tenant) {
    return tenant != null ? tenant : DEFAULT_TENANT;
  }

  /** A key id as the user types it: unsigned decimal. */
  static int parseKeyId(String s) {
    try {
      return Integer.parseUnsignedInt(s.strip());
    } catch (NumberFormatException e) {
      throw new CliException(
          ExitCode.INVALID,
          "not a key id: '"
              + s
              + "' (an unsigned decimal number up to "
              + Integer.toUnsignedString(-1)
              + ", as 'lanonasis key status' prints it)");
    }
  }

  static String id(int keyId) {
    return Integer.toUnsignedString(keyId);
  }

  static long unsigned(int keyId) {
    return Integer.toUnsignedLong(keyId);
  }

  static String records(long n) {
    return n + " record" + (n == 1 ? "" : "s");
  }

  /** The primary first, then the others by id, unsigned. */
  static List<Integer> masterOrder(MasterKeyUsage m) {
    List<Integer> ids = new ArrayList<>(m.keysets().keySet());
    ids.sort(
        (a, b) ->
            a == m.primaryKeyId() ? -1 : b == m.primaryKeyId() ? 1 : Integer.compareUnsigned(a, b));
    if (!ids.contains(m.primaryKeyId())) {
      ids.add(0, m.primaryKeyId());
    }
    return ids;
  }

  static void json(ObjectNode n, KeysetStatus s) {
    n.put("tenant", s.tenant()).put("generation", s.generation()).put("destroyed", s.destroyed());
    s.masterKeyId().ifPresent(m -> n.put("masterKeyId", unsigned(m)));
    ArrayNode keys = n.putArray("keys");
    s.keys()
        .forEach(
            k ->
                keys.addObject()
                    .put("id", unsigned(k.id()))
                    .put("primary", k.primary())
                    .put("records", k.records()));
    n.put("unknownKeyRecords", s.unknownKeyRecords()).put("primarySealed", s.primarySealed());
    s.primarySince().ifPresent(t -> n.put("primarySince", t.toString()));
  }

  static void json(ObjectNode n, MasterKeyUsage m) {
    n.put("primaryKeyId", unsigned(m.primaryKeyId()));
    ArrayNode keys = n.putArray("keys");
    masterOrder(m)
        .forEach(
            k ->
                keys.addObject()
                    .put("id", unsigned(k))
                    .put("primary", k == m.primaryKeyId())
                    .put("keysets", m.keysets().getOrDefault(k, 0L)));
    n.put("unopenable", m.unopenable());
  }
}
