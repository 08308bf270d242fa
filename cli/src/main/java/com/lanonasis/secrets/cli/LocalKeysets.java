package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.apikey.ApiKeyTable;
import com.lanonasis.secrets.audit.AuditOutcome;
import com.lanonasis.secrets.audit.OperatorChanges;
import com.lanonasis.secrets.audit.ServerTables;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.lanonasis.secrets.jdbc.JdbcSecretStoreProvider;
import com.lanonasis.secrets.wire.Role;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The data keysets of an embedded store, through the library's {@link TenantKeyManager}. Every
 * change (not a status, not a dry run) is recorded in the store's audit log, the one the server
 * writes, as the operator (tenant {@code default}) from {@code cli:<user>}, whatever its outcome: a
 * shred done on the database itself is as visible as one done through the server.
 */
final class LocalKeysets implements Keysets {
  private static final int TENANT_PAGE = 500;

  private final JdbcDatabase database;
  private final JdbcRecordStore records;
  private final MasterKeyring keyring;
  private final TenantKeyManager manager;
  private final String client;

  /** The audit action of an API key made on the host, not through the server's API. */
  static final String BREAK_GLASS = "key.breakglass";

  LocalKeysets(JdbcDatabase database, MasterKeyring keyring) {
    this.database = database;
    this.records = JdbcRecordStore.builder().database(database).build();
    this.keyring = keyring;
    this.manager = new TenantKeyManager(records, keyring);
    this.client = "cli:" + System.getProperty("user.name", "?");
  }

  /**
   * The store and keyring {@code target} names (the keyring as every embedded command finds it).
   */
  static LocalKeysets open(Target target, Lanonasis cli) {
    target.requireExistingStore();
    MasterKeyring keyring = target.keyring(cli);
    return new LocalKeysets(database(target.store(), cli), keyring);
  }

  /**
   * The store's database, with the credentials of the environment as the other embedded commands
   * take them.
   */
  static JdbcDatabase database(String store, Lanonasis cli) {
    if (!store.startsWith("jdbc:")) {
      throw new CliException(
          ExitCode.USAGE,
          "the key commands work on a database store (--store jdbc:...), not "
              + store.split(":", 2)[0]
              + ":");
    }
    JdbcDatabase.Builder b = JdbcDatabase.builder().url(store).maximumPoolSize(2);
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

  /**
   * Runs a change and records it with its outcome. A change that was made but whose entry could not
   * be written is reported as such (exit 7): the operator must know the log lacks it.
   */
  <T> T audited(String action, String subject, Supplier<T> change) {
    T result;
    try {
      result = change.get();
    } catch (RuntimeException e) {
      try {
        record(action, subject, outcome(e));
      } catch (RuntimeException auditFailed) {
        e.addSuppressed(auditFailed);
      }
      throw e;
    }
    record(action, subject, "ok");
    return result;
  }

  /**
   * The break-glass API key: made in the store by the operator on the host, and audited as such
   * ({@code key.breakglass}, subject {@code keys/<id>}, this process's user as the client).
   */
  String createApiKey(String tenant, Role role, String prefix) {
    String key;
    try {
      ServerTables.migrate(database, "");
      key = new ApiKeyTable(database, Clock.systemUTC()).create(tenant, role, prefix);
    } catch (RuntimeException e) {
      try {
        record(BREAK_GLASS, "keys", e instanceof IllegalArgumentException ? "invalid" : outcome(e));
      } catch (RuntimeException auditFailed) {
        e.addSuppressed(auditFailed);
      }
      throw e;
    }
    record(BREAK_GLASS, "keys/" + key.substring(4, 20), "ok");
    return key;
  }

  private void record(String action, String subject, String outcome) {
    try {
      OperatorChanges.record(database, action, subject, outcome, client);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCode.ERROR,
          action
              + " of "
              + subject
              + " was "
              + (outcome.equals("ok") ? "done" : "refused")
              + ", but its audit entry could not be written to the store's audit log ("
              + e.getClass().getSimpleName()
              + "); record it by hand");
    }
  }

  private static String outcome(RuntimeException e) {
    if (e instanceof CliException c) {
      return c.exitCode() == ExitCode.INVALID ? "invalid" : "error";
    }
    if (!(e instanceof SecretsException s)) {
      return "error";
    }
    return AuditOutcome.of(s.kind());
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
    return manager.masterKeys();
  }

  @Override
  public int rotate(String tenant) {
    return audited("keyset.rotate", tenant, () -> manager.rotateDataKey(tenant));
  }

  @Override
  public boolean destroy(String tenant) {
    return audited("keyset.destroy", tenant, () -> manager.destroyDataKeyset(tenant));
  }

  @Override
  public int reprovision(String tenant) {
    return audited("keyset.provision", tenant, () -> manager.reprovision(tenant));
  }

  @Override
  public ResealReport reseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return audited("keyset.reseal", tenant, () -> manager.reseal(tenant, batchSize, progress));
  }

  @Override
  public ResealReport planReseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return manager.planReseal(tenant, batchSize, progress);
  }

  @Override
  public void retire(String tenant, int keyId) {
    audited(
        "keyset.retire",
        tenant + "/keys/" + Integer.toUnsignedString(keyId),
        () -> {
          manager.retireDataKey(tenant, keyId);
          return null;
        });
  }

  /**
   * Re-wraps every tenant keyset under the keyring's primary master key ({@code key rotate
   * --store}).
   */
  TenantKeyManager.RewrapReport rewrapAll() {
    return audited(
        "master.rotate",
        "master/" + Integer.toUnsignedString(keyring.primaryKeyId()),
        manager::rewrapTenantKeysets);
  }

  @Override
  public void close() {
    try {
      records.close();
    } finally {
      database.close();
    }
  }
}
