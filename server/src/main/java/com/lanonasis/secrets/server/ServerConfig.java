package com.lanonasis.secrets.server;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's settings as {@link ServerConfigParser} resolved them from flags, environment, a
 * config file and the defaults: an immutable value that {@link #start} turns into a running
 * {@link SecretsServer}. Its {@code toString} is the printed description, secrets masked.
 *
 * @param store the JDBC URL of the store
 * @param devKeysetOk whether a development (cleartext) keyset may serve beyond loopback
 * @param keyset a development keyset file, or empty for the library's variables
 *     ({@code LANONASIS_KEYSET...}), else {@link #DEFAULT_KEYSET}
 * @param dbUser the application role the server connects as (its password in {@code dbPassword})
 * @param migrationDbUser the owner role the migrations run as, when it is not the application role
 * @param auditSigningKey the Ed25519 key that signs audit checkpoints (created on first start)
 * @param auditCheckpoints the append-only file the checkpoints are written to
 * @param acceptStoreRollback start even on a store behind the newest checkpoint (a deliberate restore)
 * @param mcp what the MCP tools at {@code /mcp} allow, and the hosts they answer to
 * @param description one line per setting with where it came from, secrets masked
 * @param legacyStoreNotice what to tell the user when the default store is an earlier version's H2 file
 */
record ServerConfig(Optional<Path> configFile, String store, Optional<Path> keyset, String bind, int port,
    Optional<Path> adminKeyFile, Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> tlsPkcs12,
    String tlsPkcs12Password, boolean insecureNoTls, boolean devKeysetOk, Optional<String> dbUser,
    Optional<String> dbPassword,
    Optional<String> migrationDbUser, Optional<String> migrationDbPassword, Path auditSigningKey,
    Path auditCheckpoints, boolean acceptStoreRollback, McpSettings mcp, List<String> description, Optional<String> legacyStoreNotice) {
  static final String DEFAULT_STORE = "jdbc:sqlite:./data/secrets.db";
  /** The default store of earlier versions, still used when it is all there is (see {@link ServerConfigParser}). */
  static final String LEGACY_H2_STORE = "jdbc:h2:file:./data/secrets";
  static final String MIGRATE_COMMAND = "lanonasis migrate-store --from " + LEGACY_H2_STORE + " --to " + DEFAULT_STORE;
  static final Path DEFAULT_KEYSET = Path.of("./data/keyset.json");
  static final Path DEFAULT_AUDIT_SIGNING_KEY = Path.of("./data/audit-signing-key.pem");
  static final Path DEFAULT_AUDIT_CHECKPOINTS = Path.of("./data/audit-checkpoints.jsonl");
  static final String ENV_TLS_PKCS12_PASSWORD = "LANONASIS_TLS_PKCS12_PASSWORD";

  ServerConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(bind, "bind");
    description = List.copyOf(description);
  }

  /** What {@code /mcp} allows beyond names and masked previews; all off by default. */
  record McpSettings(boolean allowReveal, boolean allowWrite, List<String> commands, List<String> allowedHosts) {
    McpSettings {
      commands = List.copyOf(commands);
      allowedHosts = List.copyOf(allowedHosts);
    }
  }

  boolean tls() {
    return tlsCert.isPresent() || tlsPkcs12.isPresent();
  }

  /** {@code https://host:port} or {@code http://...}, with an IPv6 literal in brackets. */
  String baseUrl(int actualPort) {
    String host = bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    return (tls() ? "https" : "http") + "://" + host + ":" + actualPort;
  }

  /** Starts the server this configuration describes; the first start's admin key is printed to {@code out}. */
  SecretsServer start(Map<String, String> env, PrintStream out) {
    SecretsServerBuilder b = SecretsServer.builder()
        .jdbcUrl(store)
        // Once the store is open: a keyset is created only for a store with no data keysets.
        .keyringFor(records -> keyset.map(file -> DevelopmentKeyring.loadOrCreate(file, env, records)).orElseGet(() ->
            MasterKeyring.fromEnvironment(env).orElseGet(() -> DevelopmentKeyring.loadOrCreate(DEFAULT_KEYSET, env,
                records))))
        .bindAddress(bind)
        .port(port)
        .auditCheckpoints(auditSigningKey, auditCheckpoints)
        .bootstrapOutput(out)
        .mcpAllowedHosts(mcp.allowedHosts());
    SecretsMcpServer.Builder tools = SecretsMcpServer.builder().allowReveal(mcp.allowReveal())
        .allowWrite(mcp.allowWrite()).environment(env)
        .switchNames(McpRoutes.REVEAL_SETTING, McpRoutes.WRITE_SETTING, McpRoutes.COMMAND_SETTING);
    mcp.commands().forEach(tools::allowCommand);
    b.mcp(tools.build());
    if (insecureNoTls) {
      b.insecurePlainHttp();
    }
    if (acceptStoreRollback) {
      b.acceptStoreRollback();
    }
    dbUser.ifPresent(u -> b.credentials(u, dbPassword.orElse("").toCharArray()));
    migrationDbUser.ifPresent(u -> b.migrationCredentials(u, migrationDbPassword.orElse("").toCharArray()));
    adminKeyFile.ifPresent(b::adminKeyFile);
    if (tlsCert.isPresent()) {
      b.tlsPem(tlsCert.get(), tlsKey.orElseThrow());
    }
    tlsPkcs12.ifPresent(p -> b.tlsPkcs12(p, tlsPkcs12Password.toCharArray()));
    return b.start();
  }

  /** The description, secrets masked: never the record's own rendering, which would show passwords. */
  @Override
  public String toString() {
    return "ServerConfig" + description;
  }
}
