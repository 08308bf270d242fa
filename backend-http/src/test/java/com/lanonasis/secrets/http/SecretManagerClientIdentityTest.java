package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key a client uses, as the server's whoami told it on connecting: id, tenant, role, prefix.
 */
class SecretManagerClientIdentityTest {
  @Test
  void connect_learnsTheKeysIdRoleAndPrefix_neverTheKey(@TempDir Path dir) {
    try (RealServer server = RealServer.start(dir)) {
      String scoped = server.key(Role.READ_ONLY, "team/");
      try (SecretManagerClient client =
          new SecretManagerClient(ClientConfigs.of(server, scoped).build())) {
        assertThat(client.keyId()).isEqualTo(scoped.substring(4, 20));
        assertThat(client.role()).isEqualTo("READ_ONLY");
        assertThat(client.namePrefix()).contains("team/");
        assertThat(client.tenant()).startsWith("t-");
        assertThat(client.toString()).doesNotContain(scoped.substring(21));
      }
      String whole = server.key(Role.ADMIN, "");
      try (SecretManagerClient client =
          new SecretManagerClient(ClientConfigs.of(server, whole).build())) {
        assertThat(client.role()).isEqualTo("ADMIN");
        assertThat(client.namePrefix()).isEmpty();
      }
    }
  }
}
