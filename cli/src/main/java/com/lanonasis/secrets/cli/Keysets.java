package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tenants' data keysets, where the {@code key} lifecycle commands act on them: an embedded
 * store ({@link LocalKeysets}, the library's {@code TenantKeyManager}) or a server's key
 * administration. Each command is written once against this; both sides throw the library's
 * exceptions, so the exit codes agree.
 */
interface Keysets extends AutoCloseable {

  /** The keysets of the store {@code cli} names: a server's, or an embedded store's. */
  static Keysets open(Lanonasis cli) {
    Target target = cli.target();
    if (target.remote()) {
      throw new CliException(ExitCode.USAGE, "the key lifecycle commands work on an embedded store for now: "
          + "give --store (and --keyset)");
    }
    return LocalKeysets.open(target, cli);
  }

  /**
   * The master keys that wrap the tenant keysets.
   *
   * @param primaryKeyId the key new tenant keysets are wrapped with
   * @param keysets how many live tenant keysets each master key wraps, every key of the keyring present
   * @param unopenable live tenant keysets no master key opens
   */
  record MasterKeys(int primaryKeyId, Map<Integer, Long> keysets, long unopenable) {
    public MasterKeys {
      keysets = Map.copyOf(keysets);
    }
  }

  KeysetStatus status(String tenant);

  /** Every tenant with a keyset or a destroyed marker, by name. */
  List<KeysetStatus> list();

  MasterKeys masterKeys();

  /** A new primary data key; answers its id. */
  int rotate(String tenant);

  /** Crypto-shreds the tenant; true if a live keyset was destroyed. */
  boolean destroy(String tenant);

  /** A new empty keyset for a shredded tenant; answers its primary key id. */
  int reprovision(String tenant);

  ResealReport reseal(String tenant, int batchSize, boolean dryRun, Consumer<ResealReport> progress);

  void retire(String tenant, int keyId);

  @Override
  void close();
}
