package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.http.ApiKeyAdminClient;
import com.lanonasis.secrets.http.SecretManagerClient;
import com.lanonasis.secrets.http.SecretManagerClientConfig;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a command works: a server ({@code url} + API key) or a store ({@code store} + keyset). Each
 * setting is taken from the first layer that has it: flag, environment, profile. Between remote and
 * embedded, the first layer naming either decides; a layer naming both is an error. The API key
 * comes from {@code LANONASIS_API_KEY}, else from the profile, but a profile's key only ever goes
 * to that profile's url. A password in {@code --store} is refused.
 */
record Target(String url, String apiKey, String store, Path keyset) {
  static final Path DEFAULT_KEYSET = Path.of("./data/keyset.json");

  boolean remote() {
    return url != null;
  }

  static Target resolve(Lanonasis cli) {
    Map<String, String> env = cli.env;
    String profileName = first(cli.profile, env.get("LANONASIS_PROFILE"), "default");
    Profiles profiles = Profiles.load(Profiles.location(env));
    boolean explicitProfile =
        cli.profile != null || blankToNull(env.get("LANONASIS_PROFILE")) != null;
    if (explicitProfile && !profiles.has(profileName)) {
      throw new CliException(
          ExitCode.USAGE, "no profile '" + profileName + "' in " + profiles.file());
    }
    StoreUrlPassword.refuseOnCommandLine("--store", blankToNull(cli.store));
    String envKey = blankToNull(env.get(SecretManagerClientConfig.ENV_API_KEY));
    Path keyset =
        cli.keyset != null
            ? cli.keyset
            : profiles.get(profileName, "keyset").map(Path::of).orElse(null);

    String[][] layers = {
      {cli.url, cli.store, "flags", "--url"},
      {env.get("LANONASIS_URL"), env.get("LANONASIS_STORE"), "environment", "LANONASIS_URL"},
      {
        profiles.get(profileName, "url").orElse(null),
        profiles.get(profileName, "store").orElse(null),
        "profile '" + profileName + "'",
        null
      }
    };
    for (String[] layer : layers) {
      String url = blankToNull(layer[0]);
      String store = blankToNull(layer[1]);
      if (url != null && store != null) {
        throw new CliException(
            ExitCode.USAGE,
            "the " + layer[2] + " name both a server (url) and a store; " + "choose one");
      }
      if (url != null) {
        if (url.contains(ApiKeyFormat.PREFIX)) {
          throw new CliException(
              ExitCode.USAGE,
              "an API key does not belong in the URL; put it in LANONASIS_API_KEY "
                  + "(and treat the one in the URL as leaked)");
        }
        String apiKey = envKey != null ? envKey : profileKey(profiles, profileName, url, layer[3]);
        return new Target(url, apiKey, null, null);
      }
      if (store != null) {
        return new Target(null, null, StoreFile.absolute(store), keyset);
      }
    }
    throw new CliException(
        ExitCode.USAGE,
        "no server or store named: give --url (or LANONASIS_URL, with "
            + "LANONASIS_API_KEY) for a server, or --store JDBC-URL for a database");
  }

  /**
   * The profile's API key, if it has one, for a server named by {@code source} ({@code --url},
   * {@code LANONASIS_URL}; null: the profile itself). A profile's key goes only to the profile's
   * own url: a {@code LANONASIS_URL} planted by a project's {@code .envrc}, say, must not collect
   * it.
   */
  private static String profileKey(
      Profiles profiles, String profileName, String url, String source) {
    Optional<String> key = profiles.get(profileName, "api-key");
    if (key.isEmpty() || source == null) {
      return key.orElse(null);
    }
    Optional<String> own = profiles.get(profileName, "url");
    if (own.isPresent() && sameServer(own.get(), url)) {
      return key.get();
    }
    String other = "to use the server " + source + " names, put a key for it in LANONASIS_API_KEY";
    if (own.isEmpty()) {
      throw new CliException(
          ExitCode.USAGE,
          "profile '"
              + profileName
              + "' holds an API key but no url, and a "
              + "profile's key is sent only to the profile's own url: add '"
              + profileName
              + ".url = <its server>' to "
              + profiles.file()
              + ", or "
              + other);
    }
    throw new CliException(
        ExitCode.USAGE,
        "profile '"
            + profileName
            + "' holds an API key for its own url, and "
            + source
            + " names another server; a profile's key is sent only to the profile's url. "
            + capitalized(other)
            + "; to use the profile's server, "
            + (source.equals("--url") ? "leave out --url" : "unset LANONASIS_URL"));
  }

  /**
   * Same scheme, host, port and path (a final '/' aside); anything unparsable is another server.
   */
  static boolean sameServer(String a, String b) {
    try {
      URI x = new URI(a.trim());
      URI y = new URI(b.trim());
      return x.getScheme() != null
          && x.getHost() != null
          && x.getScheme().equalsIgnoreCase(y.getScheme())
          && x.getHost().equalsIgnoreCase(y.getHost())
          && port(x) == port(y)
          && path(x).equals(path(y))
          && Objects.equals(x.getRawUserInfo(), y.getRawUserInfo())
          && Objects.equals(x.getRawQuery(), y.getRawQuery());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static String path(URI u) {
    String p = u.getRawPath() == null ? "" : u.getRawPath();
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * The SDK's configuration for this server: the same rules for every remote command (no key or
   * query in the URL, plain http only to loopback unless {@code LANONASIS_INSECURE_NO_TLS=true},
   * {@code LANONASIS_TLS_CA_FILE}); a setting they refuse is a usage error, found before any byte
   * is sent.
   */
  SecretManagerClientConfig httpConfig(Lanonasis cli) {
    return httpConfig(cli, true);
  }

  /**
   * {@link #httpConfig(Lanonasis)}; {@code checkKeyOnConnect} false for a one-shot command, whose
   * client then checks the key only when a read fails or before a change (the SDK's {@code
   * checkKeyOnConnect(false)}): a remote {@code secret get} is one round trip, not two, and a wrong
   * URL or refused key still fails with the same message and exit code.
   */
  SecretManagerClientConfig httpConfig(Lanonasis cli, boolean checkKeyOnConnect) {
    Map<String, String> transportEnv = new HashMap<>(cli.env);
    // The URL and key are this target's, whichever layer they came from.
    transportEnv.remove(SecretManagerClientConfig.ENV_URL);
    transportEnv.remove(SecretManagerClientConfig.ENV_API_KEY);
    SecretManagerClientConfig.Builder b;
    try {
      b = SecretManagerClientConfig.fromEnvironment(transportEnv).apiUrl(url);
    } catch (ConfigurationException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    if (apiKey == null) {
      throw new CliException(
          ExitCode.AUTH, "no API key: set LANONASIS_API_KEY (or api-key in a 0600 profile)");
    }
    try {
      b.apiKey(apiKey);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "the API key is not usable: " + e.getMessage());
    }
    try {
      return b.checkKeyOnConnect(checkKeyOnConnect).build();
    } catch (ConfigurationException | IllegalStateException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }

  /**
   * Opens the secret store this target names, tenant {@code default} when embedded; an embedded
   * store file that does not exist is refused (see {@link #open(Lanonasis, boolean)}).
   */
  SecretStore open(Lanonasis cli) {
    return open(cli, false);
  }

  /**
   * Opens the secret store; {@code createsStore}: the command writes a first secret, so a missing
   * embedded file is made (and said so on stderr) instead of refused. A remote key is checked when
   * first needed ({@link #httpConfig(Lanonasis, boolean)}): these are one-shot commands.
   */
  SecretStore open(Lanonasis cli, boolean createsStore) {
    return open(cli, createsStore, false);
  }

  /**
   * Opens the secret store for a long-running command ({@code mcp}): a remote key is checked at
   * once, so a wrong URL or refused key fails at start, not at an agent's first call.
   */
  SecretStore openChecked(Lanonasis cli) {
    return open(cli, false, true);
  }

  private SecretStore open(Lanonasis cli, boolean createsStore, boolean checkKeyAtOnce) {
    if (remote()) {
      return new SecretManagerClient(httpConfig(cli, checkKeyAtOnce));
    }
    boolean created = false;
    if (createsStore) {
      created = JdbcDatabase.fileOf(store).map(f -> !Files.exists(f)).orElse(false);
    } else {
      requireExistingStore();
    }
    SecretStore opened = SecretStores.builder().uri(store).keyring(keyring(cli)).open();
    if (created) {
      cli.err.println("lanonasis: created a new store " + JdbcDatabase.fileOf(store).orElseThrow());
    }
    return opened;
  }

  /** Refuses an embedded store whose file does not exist, naming its absolute path. */
  void requireExistingStore() {
    if (!remote()) {
      StoreFile.requireExisting(store);
    }
  }

  /** The server's key administration, for {@code apikey} commands. */
  ApiKeyAdminClient keyAdmin(Lanonasis cli) {
    if (!remote()) {
      throw new CliException(
          ExitCode.USAGE, "API keys live on a server: give --url (or LANONASIS_URL)");
    }
    return new ApiKeyAdminClient(httpConfig(cli));
  }

  /**
   * The master keyring for an embedded store: the {@code --keyset} file (or profile's), else the
   * library's variables, else {@code ./data/keyset.json}. A keyset file that does not exist is
   * created as a development keyset only while the store holds no secrets: a new key could never
   * open the ones already there.
   */
  MasterKeyring keyring(Lanonasis cli) {
    if (keyset == null) {
      Optional<MasterKeyring> fromEnv = KeyringSources.fromEnvironment(cli.env);
      if (fromEnv.isPresent()) {
        return fromEnv.get();
      }
    }
    Path file = keyset != null ? keyset : DEFAULT_KEYSET;
    if (Files.exists(file)
        || !blank(cli.env.get(KeyringSources.ENV_KEYSET_PASSPHRASE))
        || !blank(cli.env.get(KeyringSources.ENV_KEK_URI))) {
      // By the protection the environment configures: never a cleartext keyset when one is set.
      return DevelopmentKeyring.loadOrCreate(file, cli.env);
    }
    if (!store.startsWith("jdbc:")) {
      // memory: starts empty every time. DevelopmentKeyring warns (on stderr) that it made a key
      // file.
      return DevelopmentKeyring.loadOrCreate(file);
    }
    try (JdbcRecordStore records =
        JdbcRecordStore.builder()
            .database(JdbcDatabase.builder().url(store).maximumPoolSize(1))
            .build()) {
      try {
        return DevelopmentKeyring.loadOrCreate(file, cli.env, records);
      } catch (ConfigurationException e) {
        // The store holds keysets a new key could not open: name the keyset, as for any usage
        // error.
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
    }
  }

  /**
   * The master keyring as {@link #keyring} finds it, but never a new one: for the commands whose
   * authority is holding the store's keyset (the break-glass {@code apikey create --store}).
   */
  MasterKeyring existingKeyring(Lanonasis cli) {
    if (keyset == null) {
      Optional<MasterKeyring> fromEnv = KeyringSources.fromEnvironment(cli.env);
      if (fromEnv.isPresent()) {
        return fromEnv.get();
      }
    }
    Path file = keyset != null ? keyset : DEFAULT_KEYSET;
    if (!Files.exists(file)) {
      throw new CliException(
          ExitCode.USAGE,
          "no keyset file at "
              + file.toAbsolutePath().normalize()
              + ": this "
              + "command needs the store's own keyset (--keyset FILE, LANONASIS_KEYSET_FILE or LANONASIS_KEYSET)");
    }
    return DevelopmentKeyring.loadOrCreate(file, cli.env);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (blankToNull(v) != null) {
        return v.trim();
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
