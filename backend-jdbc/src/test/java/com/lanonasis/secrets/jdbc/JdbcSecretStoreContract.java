package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SecretStore contract on one kind of database. One schema per kind for the whole run (made on
 * first use); each test gets its own tenant, hence an empty store, and its own pool.
 */
abstract class JdbcSecretStoreContract extends SecretStoreContract {
  private static final Map<TestDatabases.Kind, TestDatabases.Target> TARGETS =
      new ConcurrentHashMap<>();
  private MasterKeyring keyring;
  private String tenant;

  abstract TestDatabases.Kind kind();

  private TestDatabases.Target target() {
    return TARGETS.computeIfAbsent(
        kind(),
        k -> {
          try {
            return TestDatabases.fresh(k, Files.createTempDirectory("lns-jdbc"));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Override
  protected SecretStore newStore() {
    keyring = MasterKeyring.generate();
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    return open();
  }

  private SecretStore open() {
    return SecretStores.builder()
        .recordStore(target().open())
        .keyring(keyring)
        .tenant(tenant)
        .open();
  }

  @Override
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.of(open());
  }

  @Override
  protected Optional<String> openedTenant() {
    return Optional.of(tenant);
  }

  /**
   * A database server on a port where none listens; the embedded databases have no server to lose.
   */
  @Override
  protected Optional<Supplier<SecretStore>> unreachableStore() {
    String url;
    switch (kind()) {
      case POSTGRESQL:
        url = "jdbc:postgresql://127.0.0.1:1/nowhere?user=" + TestDatabases.PG_APP;
        break;
      case MARIADB:
        url = "jdbc:mariadb://127.0.0.1:1/nowhere?user=root";
        break;
      default:
        return Optional.empty();
    }
    return Optional.of(
        () -> SecretStores.builder().uri(url).keyring(keyring).tenant(tenant).open());
  }
}
