package com.lanonasis.secrets.http;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.wire.Role;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.SecretsServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A real Lanonasis server for the tests: Javalin on an ephemeral loopback port, H2 in a file
 * under the given directory, a generated master keyring. Each {@link #newTenantKey()} is a
 * READ_WRITE key of a fresh tenant, hence an empty store.
 */
final class RealServer implements AutoCloseable {
  final SecretsServer server;

  private RealServer(SecretsServer server) {
    this.server = server;
  }

  static RealServer start(Path dir) {
    return start(dir, b -> b);
  }

  static RealServer start(Path dir, UnaryOperator<SecretsServerBuilder> customize) {
    SecretsServerBuilder b = SecretsServer.builder()
        .jdbcUrl("jdbc:sqlite:" + dir.resolve("db/secrets.db"))
        .keyring(MasterKeyring.generate())
        .port(0)
        .bootstrapOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return new RealServer(customize.apply(b).start());
  }

  /** {@code http://127.0.0.1:<port>} */
  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  String newTenantKey() {
    return key(Role.READ_WRITE, "");
  }

  String key(Role role, String prefix) {
    return server.apiKeys().create("t-" + UUID.randomUUID().toString().substring(0, 8), role, prefix);
  }

  SecretManagerClientConfig.Builder config(String apiKey) {
    return SecretManagerClientConfig.builder().apiUrl(url()).apiKey(apiKey);
  }

  @Override
  public void close() {
    server.close();
  }
}
