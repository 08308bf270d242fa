package com.lanonasis.secrets.server;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.mcp.CommandOutput;
import com.lanonasis.secrets.mcp.SecretsMcpServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's settings as {@link ServerConfigParser} resolved them from flags, environment, a
 * config file and the defaults: an immutable value that {@link #start} turns into a running {@link
 * SecretsServer}. Its {@code toString} is the printed description, secrets masked.
 *
 * @param store the JDBC URL of the store
 * @param devKeysetOk whether a development (cleartext) keyset may serve beyond loopback
 * @param keyset a development keyset file, or empty for the library's variables ({@code
 *     LANONASIS_KEYSET...}), else {@link #DEFAULT_KEYSET}
 * @param dbUser the application role the server connects as (its password in {@code dbPassword})
 * @param migrationDbUser the owner role the migrations run as, when it is not the application role
 * @param auditSigningKey the Ed25519 key that signs audit checkpoints (created on first start)
 * @param auditCheckpoints the append-only file the checkpoints are written to
 * @param acceptStoreRollback start even on a store behind the newest checkpoint (a deliberate
 *     restore)
 * @param mcp what the MCP tools at {@code /mcp} allow, and the hosts they answer to
 * @param description one line per setting with where it came from, secrets masked
 * @param legacyStoreNotice what to tell the user when the default store is an earlier version's H2
 *     file
 */
record ServerConfig(
    Optional<Path> configFile,
    String store,
    Optional<Path> keyset,
    String bind,
    int port,
    Optional<Path> adminKeyFile,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    Optional<Path> tlsPkcs12,
    String tlsPkcs12Password,
    boolean insecureNoTls,
    boolean devKeysetOk,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Optional<String> migrationDbUser,
    Optional<String> migrationDbPassword,
    Path auditSigningKey,
    Path auditCheckpoints,
    boolean acceptStoreRollback,
    McpSettings mcp,
    List<String> description,
    Optional<String> legacyStoreNotice) {
  static final String DEFAULT_STORE = "jdbc:sqlite:./data/secrets.db";

  /**
   * The default store of earlier versions, still used when it is all there is (see {@link
   * ServerConfigParser}).
   */
  static final String LEGACY_H2_STORE = "jdbc:h2:file:./data/secrets";

  static final String MIGRATE_COMMAND =
      "lanonasis migrate-store --from " + LEGACY_H2_STORE + " --to " + DEFAULT_STORE;
  static final Path DEFAULT_KEYSET = Path.of("./data/keyset.json");
  static final Path DEFAULT_AUDIT_SIGNING_KEY = Path.of("./data/audit-signing-key.pem");
  static final Path DEFAULT_AUDIT_CHECKPOINTS = Path.of("./data/audit-checkpoints.jsonl");
  static final String ENV_TLS_PKCS12_PASSWORD = "LANONASIS_TLS_PKCS12_PASSWORD";

  ServerConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(bind, "bind");
    description = List.copyOf(description);
  }

  /**
   * What {@code /mcp} allows beyond names and masked previews; all off by default. Commands and
   * recipes run in {@code workspace}, by default a new empty directory: never the server's own
   * working directory, which holds its data.
   */
  record McpSettings(
      boolean allowReveal,
      boolean allowWrite,
      List<String> commands,
      List<String> allowedHosts,
      Optional<Path> recipes,
      CommandOutput commandOutput,
      Optional<Path> workspace) {
    McpSettings {
      commands = List.copyOf(commands);
      allowedHosts = List.copyOf(allowedHosts);
      Objects.requireNonNull(recipes, "recipes");
      Objects.requireNonNull(commandOutput, "commandOutput");
      Objects.requireNonNull(workspace, "workspace");
    }

    McpSettings(
        boolean allowReveal, boolean allowWrite, List<String> commands, List<String> allowedHosts) {
      this(
          allowReveal,
          allowWrite,
          commands,
          allowedHosts,
          Optional.empty(),
          CommandOutput.NONE,
          Optional.empty());
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

  /**
   * Starts the server this configuration describes; the first start's admin key is printed to
   * {@code out}.
   */
  SecretsServer start(Map<String, String> env, PrintStream out) {
    JdbcDatabase.Builder database = JdbcDatabase.builder().url(store);
    dbUser.ifPresent(u -> database.username(u).password(dbPassword.orElse("").toCharArray()));
    migrationDbUser.ifPresent(
        u -> database.migrationCredentials(u, migrationDbPassword.orElse("").toCharArray()));
    SecretsServerBuilder b =
        SecretsServer.builder()
            .database(database)
            // Once the store is open: a keyset is created only for a store with no data keysets.
            .keyringFor(
                records ->
                    keyset
                        .map(file -> DevelopmentKeyring.loadOrCreate(file, env, records))
                        .orElseGet(
                            () ->
                                KeyringSources.fromEnvironment(env)
                                    .orElseGet(
                                        () ->
                                            DevelopmentKeyring.loadOrCreate(
                                                DEFAULT_KEYSET, env, records))))
            .bindAddress(bind)
            .port(port)
            .auditCheckpoints(auditSigningKey, auditCheckpoints)
            .bootstrapOutput(out)
            .mcpAllowedHosts(mcp.allowedHosts());
    b.mcp(mcpTools(env));
    if (insecureNoTls) {
      b.insecurePlainHttp();
    }
    if (acceptStoreRollback) {
      b.acceptStoreRollback();
    }
    adminKeyFile.ifPresent(b::adminKeyFile);
    if (tlsCert.isPresent()) {
      b.tlsPem(tlsCert.get(), tlsKey.orElseThrow());
    }
    tlsPkcs12.ifPresent(p -> b.tlsPkcs12(p, tlsPkcs12Password.toCharArray()));
    return b.start();
  }

  /**
   * The {@code /mcp} tools: their commands run in a sandbox that never shows the files this server
   * keeps its data and keys in, even where they lie inside the workspace.
   */
  private SecretsMcpServer mcpTools(Map<String, String> env) {
    SecretsMcpServer.Builder tools =
        SecretsMcpServer.builder()
            .allowReveal(mcp.allowReveal())
            .allowWrite(mcp.allowWrite())
            .environment(env)
            .commandOutput(mcp.commandOutput())
            .switchNames(
                McpRoutes.REVEAL_SETTING, McpRoutes.WRITE_SETTING, McpRoutes.COMMAND_SETTING);
    mcp.commands().forEach(tools::allowCommand);
    mcp.recipes().ifPresent(tools::recipes);
    if (!mcp.commands().isEmpty() || mcp.recipes().isPresent()) {
      tools.workspace(mcp.workspace().orElseGet(ServerConfig::emptyWorkspace));
    }
    List<Path> secretFiles =
        new ArrayList<>(List.of(auditSigningKey, auditCheckpoints, DEFAULT_KEYSET));
    keyset.ifPresent(secretFiles::add);
    adminKeyFile.ifPresent(secretFiles::add);
    tlsKey.ifPresent(secretFiles::add);
    tlsPkcs12.ifPresent(secretFiles::add);
    configFile.ifPresent(secretFiles::add);
    Optional.ofNullable(env.get(KeyringSources.ENV_KEYSET_FILE))
        .filter(f -> !f.isBlank())
        .map(Path::of)
        .ifPresent(secretFiles::add);
    storeFile(store)
        .ifPresent(
            f -> {
              secretFiles.add(f);
              secretFiles.add(Path.of(f + "-wal"));
              secretFiles.add(Path.of(f + "-shm"));
              secretFiles.add(Path.of(f + "-journal"));
            });
    // The directories they are in too (./data), and the working directory they are relative to;
    // not a top-level directory such as /tmp or /etc, which would hide far more than them.
    Path cwd = Path.of("").toAbsolutePath();
    if (cwd.getNameCount() >= 2) {
      tools.protectPath(cwd);
    }
    for (Path f : secretFiles) {
      Path abs = f.toAbsolutePath().normalize();
      tools.protectPath(abs);
      if (abs.getParent() != null && abs.getParent().getNameCount() >= 2) {
        tools.protectPath(abs.getParent());
      }
    }
    try {
      return tools.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the MCP tools cannot be set up: " + e.getMessage(), e);
    }
  }

  private static Path emptyWorkspace() {
    try {
      return java.nio.file.Files.createTempDirectory("lanonasis-mcp-workspace-");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot create an empty workspace for /mcp commands: " + e.getMessage(), e);
    }
  }

  /**
   * The embedded store's file, as the JDBC backend reads it from the URL (none for a database
   * server).
   */
  private static Optional<Path> storeFile(String jdbcUrl) {
    try {
      return com.lanonasis.secrets.jdbc.JdbcDatabase.fileOf(jdbcUrl);
    } catch (RuntimeException e) {
      return Optional.empty(); // a URL the store itself will refuse, with its reason, at start
    }
  }

  /**
   * The description, secrets masked: never the record's own rendering, which would show passwords.
   */
  @Override
  public String toString() {
    return "ServerConfig" + description;
  }
}
