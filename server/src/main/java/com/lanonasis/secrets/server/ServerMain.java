package com.lanonasis.secrets.server;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretsException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the server from environment variables and flags (flags win):
 *
 * <pre>
 *   LANONASIS_STORE   --store URL       default jdbc:h2:file:./data/secrets
 *                     --keyset FILE     a development keyset file, created if missing
 *   LANONASIS_KEYSET                    the master keyset itself (Tink JSON), as everywhere in the library
 *   LANONASIS_KEYSET_FILE               a keyset file ({@code LANONASIS_KEYSET_PASSPHRASE} if protected)
 *   LANONASIS_BIND    --bind ADDRESS    default 127.0.0.1
 *   LANONASIS_PORT    --port N          default 8080
 *                     --admin-key-file FILE   where the first start writes the admin key (0600)
 *                     --insecure-no-tls       allow a non-loopback bind without TLS
 * </pre>
 *
 * Keyring precedence: {@code --keyset}, then the library's variables ({@link MasterKeyring#fromEnvironment}),
 * then the development keyset {@code ./data/keyset.json} (created with a warning). {@code LANONASIS_KEYSET}
 * keeps the meaning it has in the library (the keyset JSON, not a path) so one environment can serve
 * both an embedding application and this server.
 *
 * <p>Database credentials come from {@code LANONASIS_DB_USER} and {@code LANONASIS_DB_PASSWORD}.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Config config;
    try {
      config = Config.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("lanonasis server: " + e.getMessage());
      System.exit(2);
      return;
    }
    SecretsServer server;
    try {
      SecretsServer.Builder b = SecretsServer.builder()
          .jdbcUrl(config.store)
          .keyring(config.keyset != null ? DevelopmentKeyring.loadOrCreate(config.keyset)
              : MasterKeyring.fromEnvironment(System.getenv())
                  .orElseGet(() -> DevelopmentKeyring.loadOrCreate(ServerMain.Config.DEFAULT_KEYSET)))
          .bindAddress(config.bind)
          .port(config.port);
      String user = System.getenv("LANONASIS_DB_USER");
      String password = System.getenv("LANONASIS_DB_PASSWORD");
      if (user != null && !user.isBlank()) {
        b.credentials(user, password == null ? new char[0] : password.toCharArray());
      }
      if (config.adminKeyFile != null) {
        b.adminKeyFile(config.adminKeyFile);
      }
      server = b.start();
    } catch (SecretsException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("lanonasis server: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Lanonasis Secrets server: http://" + config.bind + ":" + server.port() + "/api/v1/secrets");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lanonasis-shutdown"));
    stopped.await();
  }

  /** Parsed settings. Package-private for tests. */
  static final class Config {
    String store = "jdbc:h2:file:./data/secrets";
    static final Path DEFAULT_KEYSET = Path.of("./data/keyset.json");
    /** The development keyset named by {@code --keyset}; null: see the keyring precedence above. */
    Path keyset;
    String bind = "127.0.0.1";
    int port = 8080;
    Path adminKeyFile;
    boolean insecureNoTls;

    static Config parse(String[] args, Map<String, String> env) {
      Config c = new Config();
      c.store = env.getOrDefault("LANONASIS_STORE", c.store);
      c.bind = env.getOrDefault("LANONASIS_BIND", c.bind);
      if (env.containsKey("LANONASIS_PORT")) {
        c.port = port(env.get("LANONASIS_PORT"));
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--store" -> c.store = value(args, ++i, a);
          case "--keyset" -> c.keyset = Path.of(value(args, ++i, a));
          case "--bind" -> c.bind = value(args, ++i, a);
          case "--port" -> c.port = port(value(args, ++i, a));
          case "--admin-key-file" -> c.adminKeyFile = Path.of(value(args, ++i, a));
          case "--insecure-no-tls" -> c.insecureNoTls = true;
          default -> throw new IllegalArgumentException("unknown argument: " + a
              + " (known: --store, --keyset, --bind, --port, --admin-key-file, --insecure-no-tls)");
        }
      }
      if (!c.insecureNoTls && !isLoopback(c.bind)) {
        throw new IllegalArgumentException("refusing to listen on " + c.bind + " without TLS: API keys and secret "
            + "values would cross the network in clear text. TLS is not supported yet; bind to 127.0.0.1 "
            + "(behind a TLS-terminating proxy), or pass --insecure-no-tls if you accept the risk");
      }
      return c;
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    private static int port(String raw) {
      try {
        int p = Integer.parseInt(raw.trim());
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException("port must be 0..65535: " + raw);
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
