package com.lanonasis.secrets.http;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same contract the memory and JDBC stores pass, against a real server on an ephemeral port (H2
 * behind it), opened by URI exactly as an application would: {@code SecretStores.open} of {@code
 * http://127.0.0.1:<port>} with {@code LANONASIS_API_KEY}. Each test has a fresh tenant; the
 * concurrency tests spread their writers over two clients with the same key.
 */
@ExtendWith(RealServerExtension.class)
@DisplayName("http: SecretManagerClient against a real server passes the SecretStore contract")
class HttpSecretStoreContractTest extends SecretStoreContract {
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
        .uri(server.url())
        .environment(Map.of(SecretManagerClientConfig.ENV_API_KEY, apiKey))
        .open();
  }

  @Override
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.of(open());
  }
}
