package com.lanonasis.secrets.server;

import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.mcp.CommandOutput;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link ServerConfig} from flags, environment variables and a config file, in that order
 * of precedence, over the defaults:
 *
 * <pre>
 *   flag                      env                                config file           default
 *   --config FILE             LANONASIS_CONFIG                   —                     none
 *   --store URL               LANONASIS_STORE                    store                 jdbc:sqlite:./data/secrets.db
 *   --keyset FILE             LANONASIS_KEYSET (the JSON) or     keyset                ./data/keyset.json (development)
 *                             LANONASIS_KEYSET_FILE (+ _PASSPHRASE)
 *   --bind ADDRESS            LANONASIS_BIND                     bind                  127.0.0.1
 *   --port N                  LANONASIS_PORT                     port                  8080
 *   --admin-key-file FILE     LANONASIS_ADMIN_KEY_FILE           admin-key-file        none
 *   --tls-cert FILE           LANONASIS_TLS_CERT                 tls-cert              none (PEM chain)
 *   --tls-key FILE            LANONASIS_TLS_KEY                  tls-key               none (PEM PKCS#8 key)
 *   --tls-pkcs12 FILE         LANONASIS_TLS_PKCS12               tls-pkcs12            none
 *   —                         LANONASIS_TLS_PKCS12_PASSWORD      —                     empty
 *   --insecure-no-tls         LANONASIS_INSECURE_NO_TLS          insecure-no-tls       false
 *   --dev-keyset-ok           LANONASIS_DEV_KEYSET_OK            dev-keyset-ok         false (development keyset: loopback only)
 *   --db-user USER            LANONASIS_DB_USER                  db-user               none
 *   —                         LANONASIS_DB_PASSWORD              db-password           none
 *   --migration-db-user USER  LANONASIS_MIGRATION_DB_USER        migration-db-user     none (migrations as db-user)
 *   —                         LANONASIS_MIGRATION_DB_PASSWORD    migration-db-password none
 *   --audit-signing-key FILE  LANONASIS_AUDIT_SIGNING_KEY        audit-signing-key     ./data/audit-signing-key.pem
 *   --audit-checkpoints FILE  LANONASIS_AUDIT_CHECKPOINTS        audit-checkpoints     ./data/audit-checkpoints.jsonl
 *   --accept-store-rollback   LANONASIS_ACCEPT_STORE_ROLLBACK    accept-store-rollback false (a store behind the checkpoints is refused)
 *   --mcp-allow-reveal        LANONASIS_MCP_ALLOW_REVEAL         mcp-allow-reveal      false (/mcp: get_secret refused)
 *   --mcp-allow-write         LANONASIS_MCP_ALLOW_WRITE          mcp-allow-write       false (/mcp: set_secret refused)
 *   --mcp-allow-commands A,B  LANONASIS_MCP_ALLOW_COMMANDS       mcp-allow-commands    none (/mcp: run_with_secrets off)
 *   --mcp-allowed-hosts H,..  LANONASIS_MCP_ALLOWED_HOSTS        mcp-allowed-hosts     none besides the bind address
 *   --mcp-recipes FILE        LANONASIS_MCP_RECIPES              mcp-recipes           none (mcp/README.md, "Recipes")
 *   --mcp-command-output O    LANONASIS_MCP_COMMAND_OUTPUT       mcp-command-output    none (exit code only; or redacted)
 *   --mcp-workspace DIR       LANONASIS_MCP_WORKSPACE            mcp-workspace         a new empty directory
 * </pre>
 *
 * Passwords never come from a flag, so they stay out of the process list. {@code --keyset} and the
 * file's {@code keyset} name a development keyset file, created if missing; {@code
 * LANONASIS_KEYSET} keeps the meaning it has in the library (the keyset JSON, see {@link
 * KeyringSources#fromEnvironment}) so one environment can serve both an embedding application and
 * this server.
 *
 * <p>The default store was an H2 file ({@code ./data/secrets.mv.db}) before SQLite took its place.
 * When no store is configured, that file exists and {@code ./data/secrets.db} does not, the server
 * keeps using the H2 file (with {@code WRITE_DELAY=0}, so a killed process loses no acknowledged
 * write) and says how to move it: {@code lanonasis migrate-store}.
 *
 * <p>Rules across settings are checked here for a message that names where each came from; the
 * TLS-or-loopback rule is the {@link SecretsServer.Builder}'s own as well.
 */
final class ServerConfigParser {
  /** The keys of a config file, in the order the configuration is printed. */
  static final List<String> KEYS =
      List.of(
          "store",
          "keyset",
          "bind",
          "port",
          "admin-key-file",
          "tls-cert",
          "tls-key",
          "tls-pkcs12",
          "insecure-no-tls",
          "dev-keyset-ok",
          "db-user",
          "db-password",
          "migration-db-user",
          "migration-db-password",
          "audit-signing-key",
          "audit-checkpoints",
          "accept-store-rollback",
          "mcp-allow-reveal",
          "mcp-allow-write",
          "mcp-allow-commands",
          "mcp-allowed-hosts",
          "mcp-recipes",
          "mcp-command-output",
          "mcp-workspace");

  /** Flags that take no value: their presence is "true". */
  private static final Set<String> SWITCHES =
      Set.of(
          "insecure-no-tls",
          "dev-keyset-ok",
          "accept-store-rollback",
          "mcp-allow-reveal",
          "mcp-allow-write");

  /** Settings that are secrets: no flag (the process list would show it), never printed. */
  private static final Set<String> SECRETS = Set.of("db-password", "migration-db-password");

  /** Mode bits a config file holding a secret must not have. */
  private static final Set<PosixFilePermission> NOT_PRIVATE =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private ServerConfigParser() {}

  /**
   * One value and the layer it came from: {@code flag --port}, {@code env LANONASIS_PORT}, {@code
   * file F}.
   */
  private record Setting(String value, String source) {}

  /** The three layers above the defaults. */
  private record Layers(
      Map<String, Setting> flags,
      Map<String, String> env,
      Map<String, String> file,
      String fileSource) {
    @Nullable Setting get(String key) {
      Setting flag = flags.get(key);
      if (flag != null) {
        return flag;
      }
      String fromEnv = blankToNull(env.get(envName(key)));
      if (fromEnv != null) {
        return new Setting(fromEnv, "env " + envName(key));
      }
      String fromFile = file.get(key);
      return fromFile == null ? null : new Setting(fromFile, fileSource);
    }

    /** A setting the resolved configuration shows is set. */
    Setting present(String key) {
      return Objects.requireNonNull(get(key), key);
    }
  }

  static ServerConfig parse(String[] args, Map<String, String> env) {
    return parse(args, env, Path.of(""));
  }

  /**
   * As {@link #parse(String[], Map)}, with relative default paths looked up under {@code
   * workingDir}.
   */
  static ServerConfig parse(String[] args, Map<String, String> env, Path workingDir) {
    Map<String, Setting> flags = new HashMap<>();
    Setting config = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String key = a.startsWith("--") ? a.substring(2) : "";
      if (key.equals("config")) {
        config = new Setting(value(args, ++i, a), "flag " + a);
      } else if (SECRETS.contains(key)) {
        throw new IllegalArgumentException(
            a
                + " is not a flag, so that the value stays out of the process list: "
                + "set "
                + envName(key)
                + " or put "
                + key
                + " in the config file");
      } else if (KEYS.contains(key)) {
        flags.put(
            key, new Setting(SWITCHES.contains(key) ? "true" : value(args, ++i, a), "flag " + a));
      } else if (key.isEmpty()) {
        // Not echoed: a stray value may be a password that lost its flag.
        throw new IllegalArgumentException(
            "argument " + (i + 1) + " is not a --flag (known: " + knownFlags() + ")");
      } else {
        throw new IllegalArgumentException(
            "unknown argument: " + a + " (known: " + knownFlags() + ")");
      }
    }
    if (config == null && blankToNull(env.get("LANONASIS_CONFIG")) != null) {
      // Checked just above.
      config =
          new Setting(
              Objects.requireNonNull(env.get("LANONASIS_CONFIG"), "LANONASIS_CONFIG").strip(),
              "env LANONASIS_CONFIG");
    }
    Map<String, String> file = Map.of();
    String fileSource = "";
    Optional<Path> configFile = Optional.empty();
    if (config != null) {
      configFile = Optional.of(Path.of(config.value()));
      file = readFile(configFile.get(), config.source());
      fileSource = "file " + configFile.get();
    }
    return resolve(new Layers(flags, env, file, fileSource), env, config, configFile, workingDir);
  }

  private static ServerConfig resolve(
      Layers layers,
      Map<String, String> env,
      @Nullable Setting config,
      Optional<Path> configFile,
      Path workingDir) {
    List<String> description = new ArrayList<>();
    describe(description, "config", configFile.map(Path::toString).orElse("none"), config);

    Setting s = layers.get("store");
    String store = s == null ? ServerConfig.DEFAULT_STORE : s.value();
    Optional<String> legacyNotice = Optional.empty();
    if (s == null
        && Files.exists(workingDir.resolve("data/secrets.mv.db"))
        && !Files.exists(workingDir.resolve("data/secrets.db"))) {
      store = ServerConfig.LEGACY_H2_STORE;
      legacyNotice =
          Optional.of(
              "found the H2 store of an earlier version (./data/secrets.mv.db) and no SQLite "
                  + "store: using the H2 file, with every commit written before it is acknowledged. SQLite is the default "
                  + "now; stop the server and move the store with: "
                  + ServerConfig.MIGRATE_COMMAND);
      description.add(
          line("store", store, "default of earlier versions: ./data/secrets.mv.db exists"));
    } else {
      describe(description, "store", redactJdbcUrl(store), s);
    }

    Optional<Path> keyset = keyset(layers, env, description);

    s = layers.get("bind");
    String bind = s == null ? "127.0.0.1" : s.value();
    describe(description, "bind", bind, s);

    s = layers.get("port");
    int port = s == null ? 8080 : port(s);
    describe(description, "port", String.valueOf(port), s);

    Optional<Path> adminKeyFile = path(layers, "admin-key-file", description);
    Optional<Path> tlsCert = path(layers, "tls-cert", description);
    Optional<Path> tlsKey = path(layers, "tls-key", description);
    Optional<Path> tlsPkcs12 = path(layers, "tls-pkcs12", description);
    String tlsPassword = "";
    if (tlsPkcs12.isPresent()) {
      String password = env.get(ServerConfig.ENV_TLS_PKCS12_PASSWORD);
      tlsPassword = password == null ? "" : password;
      description.add(
          line(
              "tls-pkcs12-password",
              tlsPassword.isEmpty() ? "empty" : "***",
              password == null
                  ? ServerConfig.ENV_TLS_PKCS12_PASSWORD + " not set"
                  : "env " + ServerConfig.ENV_TLS_PKCS12_PASSWORD));
    }

    s = layers.get("insecure-no-tls");
    boolean insecureNoTls = s != null && bool("insecure-no-tls", s);
    describe(description, "insecure-no-tls", String.valueOf(insecureNoTls), s);
    s = layers.get("dev-keyset-ok");
    boolean devKeysetOk = s != null && bool("dev-keyset-ok", s);
    describe(description, "dev-keyset-ok", String.valueOf(devKeysetOk), s);

    Optional<String> dbUser = text(layers, "db-user", description, false);
    Optional<String> dbPassword = text(layers, "db-password", description, true);
    Optional<String> migrationDbUser = text(layers, "migration-db-user", description, false);
    Optional<String> migrationDbPassword = text(layers, "migration-db-password", description, true);

    s = layers.get("audit-signing-key");
    Path signingKey = s == null ? ServerConfig.DEFAULT_AUDIT_SIGNING_KEY : Path.of(s.value());
    describe(
        description,
        "audit-signing-key",
        signingKey + (s == null ? ", created if missing" : ""),
        s);
    s = layers.get("audit-checkpoints");
    Path checkpoints = s == null ? ServerConfig.DEFAULT_AUDIT_CHECKPOINTS : Path.of(s.value());
    describe(description, "audit-checkpoints", checkpoints.toString(), s);
    s = layers.get("accept-store-rollback");
    boolean acceptRollback = s != null && bool("accept-store-rollback", s);
    describe(description, "accept-store-rollback", String.valueOf(acceptRollback), s);

    s = layers.get("mcp-allow-reveal");
    boolean mcpReveal = s != null && bool("mcp-allow-reveal", s);
    describe(description, "mcp-allow-reveal", String.valueOf(mcpReveal), s);
    s = layers.get("mcp-allow-write");
    boolean mcpWrite = s != null && bool("mcp-allow-write", s);
    describe(description, "mcp-allow-write", String.valueOf(mcpWrite), s);
    s = layers.get("mcp-allow-commands");
    List<String> mcpCommands = s == null ? List.of() : commaList(s.value());
    describe(
        description,
        "mcp-allow-commands",
        mcpCommands.isEmpty() ? "none" : String.join(",", mcpCommands),
        s);
    s = layers.get("mcp-allowed-hosts");
    List<String> mcpHosts = s == null ? List.of() : commaList(s.value());
    describe(
        description,
        "mcp-allowed-hosts",
        mcpHosts.isEmpty() ? "none" : String.join(",", mcpHosts),
        s);
    s = layers.get("mcp-recipes");
    Optional<Path> mcpRecipes = s == null ? Optional.empty() : Optional.of(Path.of(s.value()));
    describe(description, "mcp-recipes", mcpRecipes.map(Path::toString).orElse("none"), s);
    s = layers.get("mcp-command-output");
    CommandOutput mcpOutput;
    try {
      mcpOutput = s == null ? CommandOutput.NONE : CommandOutput.parse(s.value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "mcp-command-output "
              // CommandOutput.parse throws with a message, always.
              + Objects.requireNonNull(e.getMessage(), "message").replace("command output ", "")
              + " ("
              + s.source()
              + ")",
          e);
    }
    describe(
        description,
        "mcp-command-output",
        mcpOutput.spelling() + (s == null ? " (exit code only)" : ""),
        s);
    s = layers.get("mcp-workspace");
    Optional<Path> mcpWorkspace = s == null ? Optional.empty() : Optional.of(Path.of(s.value()));
    describe(
        description,
        "mcp-workspace",
        mcpWorkspace.map(Path::toString).orElse("a new empty directory"),
        s);

    ServerConfig c =
        new ServerConfig(
            configFile,
            store,
            keyset,
            bind,
            port,
            adminKeyFile,
            tlsCert,
            tlsKey,
            tlsPkcs12,
            tlsPassword,
            insecureNoTls,
            devKeysetOk,
            dbUser,
            dbPassword,
            migrationDbUser,
            migrationDbPassword,
            signingKey,
            checkpoints,
            acceptRollback,
            new ServerConfig.McpSettings(
                mcpReveal, mcpWrite, mcpCommands, mcpHosts, mcpRecipes, mcpOutput, mcpWorkspace),
            description,
            legacyNotice);
    check(c, layers);
    return c;
  }

  /** Flag, then the library's variables, then the file, then the default development keyset. */
  private static Optional<Path> keyset(
      Layers layers, Map<String, String> env, List<String> description) {
    Setting flag = layers.flags().get("keyset");
    String fromFile = layers.file().get("keyset");
    if (flag != null) {
      describe(description, "keyset", keysetFile(flag.value(), env), flag);
      return Optional.of(Path.of(flag.value()));
    }
    if (blankToNull(env.get(KeyringSources.ENV_KEYSET)) != null) {
      // The variable holds the keyset itself: only its name is ever printed.
      description.add(line("keyset", "from " + KeyringSources.ENV_KEYSET, "env"));
      return Optional.empty();
    }
    if (blankToNull(env.get(KeyringSources.ENV_KEYSET_FILE)) != null) {
      boolean passphrase = blankToNull(env.get(KeyringSources.ENV_KEYSET_PASSPHRASE)) != null;
      description.add(
          line(
              "keyset",
              // Checked just above.
              Objects.requireNonNull(env.get(KeyringSources.ENV_KEYSET_FILE), "keyset file").strip()
                  + " from "
                  + KeyringSources.ENV_KEYSET_FILE
                  + (passphrase ? ", passphrase from " + KeyringSources.ENV_KEYSET_PASSPHRASE : ""),
              "env"));
      return Optional.empty();
    }
    if (fromFile != null) {
      describe(
          description,
          "keyset",
          keysetFile(fromFile, env),
          new Setting(fromFile, layers.fileSource()));
      return Optional.of(Path.of(fromFile));
    }
    describe(description, "keyset", keysetFile(ServerConfig.DEFAULT_KEYSET.toString(), env), null);
    return Optional.empty();
  }

  /**
   * What a keyset file will be opened as: {@link ServerConfig#start} loads it by the protection the
   * environment configures (and refuses a file of another kind), so a passphrase or KMS key in the
   * environment means a protected file, never a development one.
   */
  private static String keysetFile(String file, Map<String, String> env) {
    if (blankToNull(env.get(KeyringSources.ENV_KEYSET_PASSPHRASE)) != null) {
      return file
          + ", passphrase-protected, passphrase from "
          + KeyringSources.ENV_KEYSET_PASSPHRASE;
    }
    if (blankToNull(env.get(KeyringSources.ENV_KEK_URI)) != null) {
      return file + ", encrypted under the KMS key " + KeyringSources.ENV_KEK_URI + " names";
    }
    return file
        + (Files.exists(Path.of(file))
            ? ", a development keyset (cleartext)"
            : ", a development keyset created if missing");
  }

  /** Rules that span settings. */
  private static void check(ServerConfig c, Layers layers) {
    if (c.tlsCert().isPresent() != c.tlsKey().isPresent()) {
      String set = c.tlsCert().isPresent() ? "tls-cert" : "tls-key";
      throw new IllegalArgumentException(
          "tls-cert and tls-key go together: "
              + set
              + " is set ("
              + layers.present(set).source()
              + ") but "
              + (c.tlsCert().isPresent() ? "tls-key" : "tls-cert")
              + " is not");
    }
    if (c.tlsCert().isPresent() && c.tlsPkcs12().isPresent()) {
      throw new IllegalArgumentException(
          "set either tls-cert and tls-key (PEM) or tls-pkcs12, not both: tls-cert from "
              + layers.present("tls-cert").source()
              + ", tls-pkcs12 from "
              + layers.present("tls-pkcs12").source());
    }
    if (c.dbPassword().isPresent() && c.dbUser().isEmpty()) {
      throw new IllegalArgumentException(
          "db-password is set (" + layers.present("db-password").source() + ") but db-user is not");
    }
    if (c.migrationDbPassword().isPresent() && c.migrationDbUser().isEmpty()) {
      throw new IllegalArgumentException(
          "migration-db-password is set ("
              + layers.present("migration-db-password").source()
              + ") but migration-db-user is not");
    }
    if (!c.tls() && !c.insecureNoTls() && !SecretsServer.isLoopback(c.bind())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + c.bind()
              + " without TLS: API keys and secret "
              + "values would cross the network in clear text. Configure TLS (--tls-cert and --tls-key, or "
              + "--tls-pkcs12), bind to 127.0.0.1 behind a TLS-terminating proxy, or pass --insecure-no-tls if you "
              + "accept the risk");
    }
    if (developmentKeyset(layers.env())
        && !c.devKeysetOk()
        && !SecretsServer.isLoopback(c.bind())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + c.bind()
              + " with a development keyset: its "
              + "master key is in cleartext ("
              + cleartextKeyset(c, layers.env())
              + "), so whoever copies it can open "
              + "every secret. Protect it in place with 'lanonasis key protect --keyset FILE' (the same keys: nothing stored needs re-sealing), or make a new one with 'lanonasis key "
              + "init --passphrase', then start with "
              + KeyringSources.ENV_KEYSET_FILE
              + " and "
              + KeyringSources.ENV_KEYSET_PASSPHRASE
              + " (or "
              + KeyringSources.ENV_KEK_URI
              + "); or pass --dev-keyset-ok "
              + "("
              + envName("dev-keyset-ok")
              + "=true) if you accept the risk");
    }
  }

  /**
   * Whether the master keyset will be a cleartext one: with neither a passphrase nor a KMS key
   * configured, the library opens only a cleartext keyset (the file, {@code LANONASIS_KEYSET}, or
   * the default created if missing), and refuses a protected file.
   */
  private static boolean developmentKeyset(Map<String, String> env) {
    return blankToNull(env.get(KeyringSources.ENV_KEYSET_PASSPHRASE)) == null
        && blankToNull(env.get(KeyringSources.ENV_KEK_URI)) == null;
  }

  /** Where the cleartext keyset is, as {@link ServerConfig#start} will look for it. */
  private static String cleartextKeyset(ServerConfig c, Map<String, String> env) {
    if (c.keyset().isPresent()) {
      return c.keyset().get().toString();
    }
    if (blankToNull(env.get(KeyringSources.ENV_KEYSET)) != null) {
      return KeyringSources.ENV_KEYSET;
    }
    String file = blankToNull(env.get(KeyringSources.ENV_KEYSET_FILE));
    return file != null ? file.strip() : ServerConfig.DEFAULT_KEYSET + ", created if missing";
  }

  private static Optional<Path> path(Layers layers, String key, List<String> description) {
    Setting s = layers.get(key);
    describe(description, key, s == null ? "none" : s.value(), s);
    return s == null ? Optional.empty() : Optional.of(Path.of(s.value()));
  }

  private static Optional<String> text(
      Layers layers, String key, List<String> description, boolean secret) {
    Setting s = layers.get(key);
    describe(description, key, s == null ? "none" : secret ? "***" : s.value(), s);
    return s == null ? Optional.empty() : Optional.of(s.value());
  }

  private static void describe(
      List<String> description, String key, String shown, @Nullable Setting from) {
    description.add(line(key, shown, from == null ? "default" : from.source()));
  }

  private static String line(String key, String shown, String source) {
    return String.format(Locale.ROOT, "%-21s = %s (%s)", key, shown, source);
  }

  /**
   * Reads {@code key = value} lines ({@link Properties} syntax: {@code #} comments, backslash
   * escapes). Values are stripped, except a secret's; an empty value counts as not set.
   */
  private static Map<String, String> readFile(Path file, String namedBy) {
    Set<String> duplicates = new LinkedHashSet<>();
    Properties properties =
        new Properties() {
          private static final long serialVersionUID = 1L;

          @Override
          public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
              duplicates.add(String.valueOf(key));
            }
            return super.put(key, value);
          }
        };
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file not found: " + file + " (" + namedBy + ")");
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read the config file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); it must be UTF-8 key = value lines");
    }
    Map<String, String> values = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        String hint =
            key.equals("tls-pkcs12-password")
                ? "; the PKCS#12 password is read from "
                    + ServerConfig.ENV_TLS_PKCS12_PASSWORD
                    + " only"
                : "";
        throw new IllegalArgumentException(
            "unknown setting '"
                + key
                + "' in the config file "
                + file
                + hint
                + " (known: "
                + String.join(", ", KEYS)
                + ")");
      }
      String value = properties.getProperty(key);
      value = SECRETS.contains(key) ? value : value.strip();
      if (!value.isEmpty()) {
        values.put(key, value);
      }
    }
    if (!duplicates.isEmpty()) {
      throw new IllegalArgumentException(
          "the config file " + file + " sets " + String.join(", ", duplicates) + " more than once");
    }
    List<String> secrets = new ArrayList<>();
    values.keySet().stream().filter(SECRETS::contains).forEach(secrets::add);
    if (values.containsKey("store")
        && !redactJdbcUrl(values.get("store")).equals(values.get("store"))) {
      secrets.add("a password in store");
    }
    if (!secrets.isEmpty()) {
      checkPrivate(file, secrets);
    }
    return values;
  }

  /**
   * A file that holds a secret must be readable and writable by its owner only (0600 or stricter).
   */
  private static void checkPrivate(Path file, List<String> secrets) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: there are no mode bits to check
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the permissions of the config file " + file);
    }
    if (permissions.stream().anyMatch(NOT_PRIVATE::contains)) {
      throw new IllegalArgumentException(
          "the config file "
              + file
              + " holds a secret ("
              + String.join(", ", secrets)
              + ") but group or others may read or change it ("
              + PosixFilePermissions.toString(permissions)
              + "); restrict it: chmod 600 "
              + file);
    }
  }

  /**
   * The URL with any password in it replaced by {@code ***}: user-info, Oracle's user/password,
   * password parameters.
   */
  static String redactJdbcUrl(String url) {
    return JdbcDatabase.redactedUrl(url);
  }

  static String envName(String key) {
    return "LANONASIS_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** What a flag's value is, for the usage text; a setting not named here shows VALUE. */
  private static final Map<String, String> LABELS =
      Map.ofEntries(
          Map.entry("store", "JDBC-URL"),
          Map.entry("bind", "ADDRESS"),
          Map.entry("port", "N"),
          Map.entry("db-user", "USER"),
          Map.entry("migration-db-user", "USER"),
          Map.entry("mcp-allow-commands", "A,B"),
          Map.entry("mcp-allowed-hosts", "H,..."),
          Map.entry("keyset", "FILE"),
          Map.entry("admin-key-file", "FILE"),
          Map.entry("tls-cert", "FILE"),
          Map.entry("tls-key", "FILE"),
          Map.entry("tls-pkcs12", "FILE"),
          Map.entry("audit-signing-key", "FILE"),
          Map.entry("audit-checkpoints", "FILE"),
          Map.entry("mcp-recipes", "FILE"),
          Map.entry("mcp-command-output", "none|redacted"),
          Map.entry("mcp-workspace", "DIR"));

  /**
   * The usage text: every setting with its flag (none for a secret), environment variable and
   * config-file key, made from the list the parser reads, so no setting is left out.
   */
  static List<String> usage() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Settings (a flag wins over the environment, which wins over the --config file; defaults in "
            + "server/README.md):");
    lines.add(String.format(Locale.ROOT, "  %-26s %-32s %s", "flag", "environment", "config file"));
    lines.add(
        String.format(Locale.ROOT, "  %-26s %-32s %s", "--config FILE", "LANONASIS_CONFIG", "-"));
    for (String key : KEYS) {
      String flag =
          SECRETS.contains(key)
              ? "- (never a flag)"
              : "--"
                  + key
                  + (SWITCHES.contains(key) ? "" : " " + LABELS.getOrDefault(key, "VALUE"));
      // The keyset's variables keep the library's meaning: a file (+ passphrase), or the JSON
      // itself.
      String env =
          key.equals("keyset") ? KeyringSources.ENV_KEYSET_FILE + " | _KEYSET" : envName(key);
      lines.add(String.format(Locale.ROOT, "  %-26s %-32s %s", flag, env, key));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-26s %-32s %s",
            "--verbose",
            ServerMain.ENV_LOG_LEVEL + "=LEVEL",
            "-"));
    return lines;
  }

  private static String knownFlags() {
    return "--config, "
        + KEYS.stream()
            .filter(k -> !SECRETS.contains(k))
            .map(k -> "--" + k)
            .collect(Collectors.joining(", "));
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static List<String> commaList(String value) {
    return java.util.Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static int port(Setting s) {
    try {
      int p = Integer.parseInt(s.value().trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "port must be 0..65535: " + s.value() + " (" + s.source() + ")");
  }

  private static boolean bool(String key, Setting s) {
    return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              key + " must be true or false: " + s.value() + " (" + s.source() + ")");
    };
  }
}
