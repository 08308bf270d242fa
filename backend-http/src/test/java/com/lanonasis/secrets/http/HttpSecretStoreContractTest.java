package com.lanonasis.secrets.http;

import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.testkit.SecretStoreContract;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same contract the memory and JDBC stores pass, against a real server on an ephemeral port
 * (H2 behind it), opened by URI exactly as an application would: {@code SecretStores.open} of
 * {@code http://127.0.0.1:<port>} with {@code LANONASIS_API_KEY}. Each test has a fresh tenant;
 * the concurrency tests spread their writers over two clients with the same key.
 */
@DisplayName("http: SecretManagerClient against a real server passes the SecretStore contract")
class HttpSecretStoreContractTest extends SecretStoreContract {
  @TempDir
  static Path dir;
  static RealServer server;
  private String apiKey;

  @BeforeAll
  static void startServer() {
    server = RealServer.start(dir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected SecretStore newStore() {
    apiKey = server.newTenantKey();
    return open();
  }

  private SecretStore open() {
    return SecretStores.builder().uri(server.url())
        .environment(Map.of(SecretManagerClientConfig.ENV_API_KEY, apiKey))
        .open();
  }

  @Override
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.of(open());
  }
}
