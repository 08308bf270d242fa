package com.lanonasis.secrets.server;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Starts the server from flags, environment variables and a config file, in that order of
 * precedence, over the defaults:
 *
 * <pre>
 *   flag                   env                             config file       default
 *   --config FILE          LANONASIS_CONFIG                —                 none
 *   --store URL            LANONASIS_STORE                 store             jdbc:sqlite:./data/secrets.db
 *   --keyset FILE          LANONASIS_KEYSET (the JSON) or  keyset            ./data/keyset.json (development)
 *                          LANONASIS_KEYSET_FILE (+ _PASSPHRASE)
 *   --bind ADDRESS         LANONASIS_BIND                  bind              127.0.0.1
 *   --port N               LANONASIS_PORT                  port              8080
 *   --admin-key-file FILE  LANONASIS_ADMIN_KEY_FILE        admin-key-file    none
 *   --tls-cert FILE        LANONASIS_TLS_CERT              tls-cert          none (PEM chain)
 *   --tls-key FILE         LANONASIS_TLS_KEY               tls-key           none (PEM PKCS#8 key)
 *   --tls-pkcs12 FILE      LANONASIS_TLS_PKCS12            tls-pkcs12        none
 *   —                      LANONASIS_TLS_PKCS12_PASSWORD   —                 empty
 *   --insecure-no-tls      LANONASIS_INSECURE_NO_TLS       insecure-no-tls   false
 *   --db-user USER         LANONASIS_DB_USER               db-user           none
 *   —                      LANONASIS_DB_PASSWORD           db-password       none
 * </pre>
 *
 * Passwords never come from a flag, so they stay out of the process list. {@code --keyset} and the
 * file's {@code keyset} name a development keyset file, created if missing; {@code LANONASIS_KEYSET}
 * keeps the meaning it has in the library (the keyset JSON, see {@link MasterKeyring#fromEnvironment})
 * so one environment can serve both an embedding application and this server.
 *
 * <p>At start the effective configuration is printed, one line per setting with where it came
 * from, secrets masked.
 *
 * <p>The default store was an H2 file ({@code ./data/secrets.mv.db}) before SQLite took its place.
 * When no store is configured, that file exists and {@code ./data/secrets.db} does not, the server
 * keeps using the H2 file (with {@code WRITE_DELAY=0}, so a killed process loses no acknowledged
 * write) and says how to move it: {@code lanonasis migrate-store}.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    Config config;
    try {
      config = Config.parse(args, env);
    } catch (IllegalArgumentException e) {
      System.err.println("lanonasis server: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println("Lanonasis Secrets server configuration:");
    config.description().forEach(line -> System.out.println("  " + line));
    if (config.legacyStoreNotice != null) {
      System.err.println("lanonasis server: " + config.legacyStoreNotice);
    }
    SecretsServer server;
    try {
      server = start(config, env, System.out);
    } catch (SecretsException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("lanonasis server: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Lanonasis Secrets server: " + config.baseUrl(server.port()) + "/api/v1/secrets");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lanonasis-shutdown"));
    stopped.await();
  }

  /** Starts the server {@code config} describes; the first start's admin key is printed to {@code out}. */
  static SecretsServer start(Config config, Map<String, String> env, PrintStream out) {
    SecretsServer.Builder b = SecretsServer.builder()
        .jdbcUrl(config.store)
        .keyring(config.keyset != null ? DevelopmentKeyring.loadOrCreate(config.keyset)
            : MasterKeyring.fromEnvironment(env).orElseGet(() -> DevelopmentKeyring.loadOrCreate(Config.DEFAULT_KEYSET)))
        .bindAddress(config.bind)
        .port(config.port)
        .bootstrapOutput(out);
    if (config.dbUser != null) {
      b.credentials(config.dbUser, config.dbPassword == null ? new char[0] : config.dbPassword.toCharArray());
    }
    if (config.adminKeyFile != null) {
      b.adminKeyFile(config.adminKeyFile);
    }
    if (config.tlsCert != null) {
      b.tlsPem(config.tlsCert, config.tlsKey);
    }
    if (config.tlsPkcs12 != null) {
      b.tlsPkcs12(config.tlsPkcs12, config.tlsPkcs12Password);
    }
    return b.start();
  }

  /** Parsed settings, each from the first layer that has it: flag, env, config file, default. Package-private for tests. */
  static final class Config {
    static final String DEFAULT_STORE = "jdbc:sqlite:./data/secrets.db";
    /** The default store of earlier versions, still used when it is all there is (see the class comment). */
    static final String LEGACY_H2_STORE = "jdbc:h2:file:./data/secrets";
    static final String MIGRATE_COMMAND = "lanonasis migrate-store --from " + LEGACY_H2_STORE + " --to " + DEFAULT_STORE;
    static final Path DEFAULT_KEYSET = Path.of("./data/keyset.json");
    static final String ENV_CONFIG = "LANONASIS_CONFIG";
    static final String ENV_TLS_PKCS12_PASSWORD = "LANONASIS_TLS_PKCS12_PASSWORD";
    /** The keys of a config file, in the order the configuration is printed. */
    static final List<String> KEYS = List.of("store", "keyset", "bind", "port", "admin-key-file", "tls-cert", "tls-key",
        "tls-pkcs12", "insecure-no-tls", "db-user", "db-password");
    /** Settings that are secrets: no flag (the process list would show it), never printed. */
    private static final Set<String> SECRETS = Set.of("db-password");
    /** Mode bits a config file holding a secret must not have. */
    private static final Set<PosixFilePermission> NOT_PRIVATE = EnumSet.of(PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    /** {@code //user:password@host}; greedy up to the last {@code @} of the authority. */
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/?#@:]*:)[^/?#]*@");
    /** Oracle's {@code jdbc:oracle:thin:user/password@host}. */
    private static final Pattern ORACLE_USERINFO = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:[^/@:;?]*/)[^@]*@");
    /** {@code password=}, {@code sslpassword=}, {@code FILE_PASSWORD=}, {@code pwd=}... after {@code ? ; & ,}. */
    private static final Pattern URL_PASSWORD = Pattern.compile(
        "(?i)([?;&,]\\s*[a-z0-9_.-]*(?:password|passwd|pwd|secret)[a-z0-9_.-]*\\s*=)[^;&]*");

    String store = DEFAULT_STORE;
    /** The development keyset named by {@code --keyset} or the file; null: the library's variables, else {@link #DEFAULT_KEYSET}. */
    Path keyset;
    String bind = "127.0.0.1";
    int port = 8080;
    Path adminKeyFile;
    boolean insecureNoTls;
    Path tlsCert;
    Path tlsKey;
    Path tlsPkcs12;
    /** From {@value #ENV_TLS_PKCS12_PASSWORD} only; empty when unset. */
    char[] tlsPkcs12Password = new char[0];
    String dbUser;
    String dbPassword;
    Path configFile;
    /** Set when the default store is an earlier version's H2 file: what to tell the user. */
    String legacyStoreNotice;
    private Path workingDir = Path.of("");
    private final List<String> description = new ArrayList<>();

    /** One value and the layer it came from: {@code flag --port}, {@code env LANONASIS_PORT}, {@code file F}. */
    private record Setting(String value, String source) {}

    /** The three layers above the defaults. */
    private record Layers(Map<String, Setting> flags, Map<String, String> env, Map<String, String> file, String fileSource) {
      Setting get(String key) {
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
    }

    static Config parse(String[] args, Map<String, String> env) {
      return parse(args, env, Path.of(""));
    }

    /** As {@link #parse(String[], Map)}, with relative default paths looked up under {@code workingDir}. */
    static Config parse(String[] args, Map<String, String> env, Path workingDir) {
      Config c = new Config();
      c.workingDir = workingDir;
      Map<String, Setting> flags = new HashMap<>();
      Setting config = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String key = a.startsWith("--") ? a.substring(2) : "";
        if (key.equals("config")) {
          config = new Setting(value(args, ++i, a), "flag " + a);
        } else if (SECRETS.contains(key)) {
          throw new IllegalArgumentException(a + " is not a flag, so that the value stays out of the process list: "
              + "set " + envName(key) + " or put " + key + " in the config file");
        } else if (KEYS.contains(key)) {
          flags.put(key, new Setting(key.equals("insecure-no-tls") ? "true" : value(args, ++i, a), "flag " + a));
        } else if (key.isEmpty()) {
          // Not echoed: a stray value may be a password that lost its flag.
          throw new IllegalArgumentException("argument " + (i + 1) + " is not a --flag (known: " + knownFlags() + ")");
        } else {
          throw new IllegalArgumentException("unknown argument: " + a + " (known: " + knownFlags() + ")");
        }
      }
      if (config == null && blankToNull(env.get(ENV_CONFIG)) != null) {
        config = new Setting(env.get(ENV_CONFIG).strip(), "env " + ENV_CONFIG);
      }
      Map<String, String> file = Map.of();
      String fileSource = "";
      if (config != null) {
        c.configFile = Path.of(config.value());
        file = readFile(c.configFile, config.source());
        fileSource = "file " + c.configFile;
      }
      c.resolve(new Layers(flags, env, file, fileSource), env, config);
      return c;
    }

    /** The effective configuration, one line per setting with its source, secrets masked. */
    List<String> description() {
      return List.copyOf(description);
    }

    boolean tls() {
      return tlsCert != null || tlsPkcs12 != null;
    }

    /** {@code https://host:port} or {@code http://...}, with an IPv6 literal in brackets. */
    String baseUrl(int actualPort) {
      String host = bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
      return (tls() ? "https" : "http") + "://" + host + ":" + actualPort;
    }

    private void resolve(Layers layers, Map<String, String> env, Setting config) {
      describe("config", configFile == null ? "none" : configFile.toString(), config);

      Setting s = layers.get("store");
      store = s == null ? store : s.value();
      if (s == null && Files.exists(workingDir.resolve("data/secrets.mv.db"))
          && !Files.exists(workingDir.resolve("data/secrets.db"))) {
        store = LEGACY_H2_STORE;
        legacyStoreNotice = "found the H2 store of an earlier version (./data/secrets.mv.db) and no SQLite store: "
            + "using the H2 file, with every commit written before it is acknowledged. SQLite is the default now; "
            + "stop the server and move the store with: " + MIGRATE_COMMAND;
        description.add(line("store", store, "default of earlier versions: ./data/secrets.mv.db exists"));
      } else {
        describe("store", redactJdbcUrl(store), s);
      }

      resolveKeyset(layers, env);

      s = layers.get("bind");
      bind = s == null ? bind : s.value();
      describe("bind", bind, s);

      s = layers.get("port");
      port = s == null ? port : port(s);
      describe("port", String.valueOf(port), s);

      adminKeyFile = path(layers, "admin-key-file");
      tlsCert = path(layers, "tls-cert");
      tlsKey = path(layers, "tls-key");
      tlsPkcs12 = path(layers, "tls-pkcs12");
      if (tlsPkcs12 != null) {
        String password = env.get(ENV_TLS_PKCS12_PASSWORD);
        tlsPkcs12Password = password == null ? new char[0] : password.toCharArray();
        description.add(line("tls-pkcs12-password", password == null || password.isEmpty() ? "empty" : "***",
            password == null ? ENV_TLS_PKCS12_PASSWORD + " not set" : "env " + ENV_TLS_PKCS12_PASSWORD));
      }

      s = layers.get("insecure-no-tls");
      insecureNoTls = s != null && bool(s);
      describe("insecure-no-tls", String.valueOf(insecureNoTls), s);

      s = layers.get("db-user");
      dbUser = s == null ? null : s.value();
      describe("db-user", dbUser == null ? "none" : dbUser, s);

      s = layers.get("db-password");
      dbPassword = s == null ? null : s.value();
      describe("db-password", dbPassword == null ? "none" : "***", s);

      check(layers);
    }

    /** Flag, then the library's variables, then the file, then the default development keyset. */
    private void resolveKeyset(Layers layers, Map<String, String> env) {
      Setting flag = layers.flags().get("keyset");
      String fromFile = layers.file().get("keyset");
      if (flag != null) {
        keyset = Path.of(flag.value());
        describe("keyset", keyset + ", a development keyset", flag);
      } else if (blankToNull(env.get(MasterKeyring.ENV_KEYSET)) != null) {
        // The variable holds the keyset itself: only its name is ever printed.
        description.add(line("keyset", "from " + MasterKeyring.ENV_KEYSET, "env"));
      } else if (blankToNull(env.get(MasterKeyring.ENV_KEYSET_FILE)) != null) {
        boolean passphrase = blankToNull(env.get(MasterKeyring.ENV_KEYSET_PASSPHRASE)) != null;
        description.add(line("keyset", env.get(MasterKeyring.ENV_KEYSET_FILE).strip() + " from "
            + MasterKeyring.ENV_KEYSET_FILE + (passphrase ? ", passphrase from " + MasterKeyring.ENV_KEYSET_PASSPHRASE : ""),
            "env"));
      } else if (fromFile != null) {
        keyset = Path.of(fromFile);
        describe("keyset", keyset + ", a development keyset", new Setting(fromFile, layers.fileSource()));
      } else {
        describe("keyset", DEFAULT_KEYSET + ", a development keyset created if missing", null);
      }
    }

    /** Rules that span settings. */
    private void check(Layers layers) {
      if ((tlsCert == null) != (tlsKey == null)) {
        String set = tlsCert != null ? "tls-cert" : "tls-key";
        throw new IllegalArgumentException("tls-cert and tls-key go together: " + set + " is set ("
            + layers.get(set).source() + ") but " + (tlsCert != null ? "tls-key" : "tls-cert") + " is not");
      }
      if (tlsCert != null && tlsPkcs12 != null) {
        throw new IllegalArgumentException("set either tls-cert and tls-key (PEM) or tls-pkcs12, not both: tls-cert from "
            + layers.get("tls-cert").source() + ", tls-pkcs12 from " + layers.get("tls-pkcs12").source());
      }
      if (dbPassword != null && dbUser == null) {
        throw new IllegalArgumentException("db-password is set (" + layers.get("db-password").source()
            + ") but db-user is not");
      }
      if (!tls() && !insecureNoTls && !isLoopback(bind)) {
        throw new IllegalArgumentException("refusing to listen on " + bind + " without TLS: API keys and secret "
            + "values would cross the network in clear text. Configure TLS (--tls-cert and --tls-key, or "
            + "--tls-pkcs12), bind to 127.0.0.1 behind a TLS-terminating proxy, or pass --insecure-no-tls if you "
            + "accept the risk");
      }
    }

    private Path path(Layers layers, String key) {
      Setting s = layers.get(key);
      describe(key, s == null ? "none" : s.value(), s);
      return s == null ? null : Path.of(s.value());
    }

    private void describe(String key, String shown, Setting from) {
      description.add(line(key, shown, from == null ? "default" : from.source()));
    }

    private static String line(String key, String shown, String source) {
      return String.format(Locale.ROOT, "%-19s = %s (%s)", key, shown, source);
    }

    /**
     * Reads {@code key = value} lines ({@link Properties} syntax: {@code #} comments, backslash
     * escapes). Values are stripped, except a secret's; an empty value counts as not set.
     */
    private static Map<String, String> readFile(Path file, String namedBy) {
      Set<String> duplicates = new LinkedHashSet<>();
      Properties properties = new Properties() {
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
        throw new IllegalArgumentException("cannot read the config file " + file + " (" + e.getClass().getSimpleName()
            + "); it must be UTF-8 key = value lines");
      }
      Map<String, String> values = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (!KEYS.contains(key)) {
          String hint = key.equals("tls-pkcs12-password")
              ? "; the PKCS#12 password is read from " + ENV_TLS_PKCS12_PASSWORD + " only" : "";
          throw new IllegalArgumentException("unknown setting '" + key + "' in the config file " + file + hint
              + " (known: " + String.join(", ", KEYS) + ")");
        }
        String value = properties.getProperty(key);
        value = SECRETS.contains(key) ? value : value.strip();
        if (!value.isEmpty()) {
          values.put(key, value);
        }
      }
      if (!duplicates.isEmpty()) {
        throw new IllegalArgumentException("the config file " + file + " sets " + String.join(", ", duplicates)
            + " more than once");
      }
      List<String> secrets = new ArrayList<>();
      values.keySet().stream().filter(SECRETS::contains).forEach(secrets::add);
      if (values.containsKey("store") && !redactJdbcUrl(values.get("store")).equals(values.get("store"))) {
        secrets.add("a password in store");
      }
      if (!secrets.isEmpty()) {
        checkPrivate(file, secrets);
      }
      return values;
    }

    /** A file that holds a secret must be readable and writable by its owner only (0600 or stricter). */
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
        throw new IllegalArgumentException("the config file " + file + " holds a secret (" + String.join(", ", secrets)
            + ") but group or others may read or change it (" + PosixFilePermissions.toString(permissions)
            + "); restrict it: chmod 600 " + file);
      }
    }

    /** The URL with any password in it replaced by {@code ***}: user-info, Oracle's user/password, password parameters. */
    static String redactJdbcUrl(String url) {
      String s = URL_USERINFO.matcher(url).replaceAll("$1***@");
      s = ORACLE_USERINFO.matcher(s).replaceAll("$1***@");
      return URL_PASSWORD.matcher(s).replaceAll("$1***");
    }

    static String envName(String key) {
      return "LANONASIS_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String knownFlags() {
      return "--config, " + KEYS.stream().filter(k -> !SECRETS.contains(k)).map(k -> "--" + k)
          .collect(Collectors.joining(", "));
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    private static String blankToNull(String s) {
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
      throw new IllegalArgumentException("port must be 0..65535: " + s.value() + " (" + s.source() + ")");
    }

    private static boolean bool(Setting s) {
      return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("insecure-no-tls must be true or false: " + s.value()
            + " (" + s.source() + ")");
      };
    }

    static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      try {
        // Only literal addresses are looked at, so no DNS query happens here.
        if (!host.matches("[0-9.]+|\\[?[0-9A-Fa-f:]+]?")) {
          return false;
        }
        return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
