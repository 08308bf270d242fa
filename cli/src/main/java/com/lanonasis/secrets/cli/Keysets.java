package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.http.KeysetAdminClient;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tenants' data keysets, where the {@code key} lifecycle commands act on them: an embedded
 * store ({@link LocalKeysets}, the library's {@code TenantKeyManager}) or a server's ({@link
 * RemoteKeysets}, the SDK's {@code KeysetAdminClient}). Each command is written once against this;
 * both sides throw the library's exceptions, so the exit codes agree.
 */
interface Keysets extends AutoCloseable {

  /** The keysets of the store {@code cli} names: a server's, or an embedded store's. */
  static Keysets open(Lanonasis cli) {
    Target target = cli.target();
    return target.remote()
        ? new RemoteKeysets(new KeysetAdminClient(target.httpConfig(cli)))
        : LocalKeysets.open(target, cli);
  }

  KeysetStatus status(String tenant);

  /** Every tenant with a keyset or a destroyed marker, by name. */
  List<KeysetStatus> list();

  /** The master key ids, the primary, and how many live tenant keysets each wraps. */
  MasterKeyUsage masterKeys();

  /** A new primary data key; answers its id. */
  int rotate(String tenant);

  /** Crypto-shreds the tenant; true if a live keyset was destroyed. */
  boolean destroy(String tenant);

  /** A new empty keyset for a shredded tenant; answers its primary key id. */
  int reprovision(String tenant);

  ResealReport reseal(String tenant, int batchSize, Consumer<ResealReport> progress);

  /** What {@link #reseal} would do, counted, with nothing written. */
  ResealReport planReseal(String tenant, int batchSize, Consumer<ResealReport> progress);

  void retire(String tenant, int keyId);

  @Override
  void close();
}
