package com.lanonasis.secrets.http;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract again with the facade's read cache on and long-lived (entries fresh for an hour)
 * over a client built directly with SecretManagerClientConfig (ETag revalidation on): the store's
 * own writes, lost check-and-sets and not-founds must invalidate well enough that no test can tell.
 * The concurrency tests run over two cached clients with the same key, each seeing the other's
 * writes only through conflicts.
 */
@ExtendWith(RealServerExtension.class)
@DisplayName("http: SecretManagerClient under the read cache passes the SecretStore contract")
class CachedHttpContractTest extends SecretStoreContract {
  static RealServer server;
  private String apiKey;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
  }

  @Override
  protected SecretStore newStore() {
    apiKey = server.newTenantKey();
    return open();
  }

  private SecretStore open() {
    return SecretStores.builder()
        .remoteStore(
            new SecretManagerClient(
                ClientConfigs.of(server, apiKey).etagRevalidation(10_000).build()))
        .cache(Duration.ofHours(1), 10_000)
        .open();
  }

  @Override
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.of(open());
  }
}
