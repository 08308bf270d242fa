package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.http.MasterKeyUsage;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.lanonasis.secrets.jdbc.JdbcSecretStoreProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The data keysets of an embedded store, through the library's {@link TenantKeyManager}. */
final class LocalKeysets implements Keysets {
  private static final int TENANT_PAGE = 500;

  private final JdbcRecordStore records;
  private final MasterKeyring keyring;
  private final TenantKeyManager manager;

  LocalKeysets(JdbcRecordStore records, MasterKeyring keyring) {
    this.records = records;
    this.keyring = keyring;
    this.manager = new TenantKeyManager(records, keyring);
  }

  /** The store and keyring {@code target} names (the keyring as every embedded command finds it). */
  static LocalKeysets open(Target target, Lanonasis cli) {
    MasterKeyring keyring = target.keyring(cli);
    return new LocalKeysets(records(target.store(), cli), keyring);
  }

  /** The store's records, with the database credentials of the environment as the other embedded commands take them. */
  static JdbcRecordStore records(String store, Lanonasis cli) {
    if (!store.startsWith("jdbc:")) {
      throw new CliException(ExitCode.USAGE, "the key commands work on a database store (--store jdbc:...), not "
          + store.split(":", 2)[0] + ":");
    }
    JdbcRecordStore.Builder b = JdbcRecordStore.builder().url(store).maximumPoolSize(2);
    String user = cli.env.get(JdbcSecretStoreProvider.ENV_DB_USER);
    if (user != null && !user.isBlank() && !store.contains("user=")) {
      b.username(user);
    }
    String password = cli.env.get(JdbcSecretStoreProvider.ENV_DB_PASSWORD);
    if (password != null && !password.isEmpty()) {
      b.password(password.toCharArray());
    }
    return b.build();
  }

  @Override
  public KeysetStatus status(String tenant) {
    return manager.status(tenant);
  }

  @Override
  public List<KeysetStatus> list() {
    List<KeysetStatus> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<String> page = records.tenants(after, TENANT_PAGE);
      page.forEach(t -> all.add(manager.status(t)));
      if (page.size() < TENANT_PAGE) {
        return all;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
  }

  @Override
  public MasterKeyUsage masterKeys() {
    Map<Integer, Long> usage = new LinkedHashMap<>(manager.masterKeyUsage());
    // masterKeyUsage counts keysets no key opens under id 0, unless 0 is one of the keyring's ids.
    long unopenable = keyring.keyIds().contains(0) ? 0 : Optional.ofNullable(usage.remove(0)).orElse(0L);
    return new MasterKeyUsage(keyring.primaryKeyId(), usage, unopenable);
  }

  @Override
  public int rotate(String tenant) {
    return manager.rotateDataKey(tenant);
  }

  @Override
  public boolean destroy(String tenant) {
    return manager.destroyDataKeyset(tenant);
  }

  @Override
  public int reprovision(String tenant) {
    return manager.reprovision(tenant);
  }

  @Override
  public ResealReport reseal(String tenant, int batchSize, boolean dryRun, Consumer<ResealReport> progress) {
    return manager.reseal(tenant, batchSize, dryRun, progress);
  }

  @Override
  public void retire(String tenant, int keyId) {
    manager.retireDataKey(tenant, keyId);
  }

  @Override
  public void close() {
    records.close();
  }
}
