package com.lanonasis.secrets;

import com.lanonasis.secrets.internal.CacheSource;
import com.lanonasis.secrets.internal.CachingSecretStore;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.Storage;
import com.lanonasis.secrets.spi.StoreRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@link SecretStore}s, by URI or programmatically.
 *
 * <pre>{@code
 * SecretStore tests = SecretStores.open("memory:");
 *
 * SecretStore prod = SecretStores.builder()
 *     .uri("jdbc:postgresql://db/app")
 *     .keyring(KeyringFile.openKms(Path.of("/etc/app/keyset.json"), "aws-kms://arn:aws:kms:..."))
 *     .tenant("acme")
 *     .cache(Duration.ofSeconds(30), 10_000)
 *     .open();
 * }</pre>
 *
 * <h2>Choosing the backend</h2>
 *
 * An explicit choice in code wins: {@link Builder#recordStore(RecordStore)}, {@link
 * Builder#remoteStore(SecretStore)} or {@link Builder#provider(SecretStoreProvider)}. Otherwise the
 * URI's scheme (the text before the first {@code :}) picks one of the {@link SecretStoreProvider}s
 * found with {@link ServiceLoader}. Each provider is loaded in its own {@code try}, so a broken jar
 * is reported without hiding the others; a scheme that no provider, or more than one, claims is a
 * {@link ConfigurationException} that lists what was found. There is no silent fallback.
 *
 * <h2>Assembly</h2>
 *
 * A provider only describes its {@link Storage}; this class assembles the store, always in this
 * order: the provider checks the URI; for local records the keyring is resolved (a missing one
 * fails here, before any database or file is opened), then the records are connected and put under
 * the common encrypted layer; last, the read cache (a decorator) goes over the result, local or
 * remote alike.
 *
 * <h2>Keys</h2>
 *
 * Local backends need a {@link MasterKeyring}: the one set with {@link Builder#keyring}, else the
 * one named by {@code LANONASIS_KEYSET} / {@code LANONASIS_KEYSET_FILE}. The {@code memory:} store
 * alone generates a throwaway keyring when none is given, since its data dies with it. A remote
 * store ({@code https://...}, module {@code secrets-backend-http}) needs none and ignores one: the
 * server encrypts with its own; it takes its API key from {@code LANONASIS_API_KEY}.
 *
 * <h2>Defaults</h2>
 *
 * Tenant {@code default}; values up to 64 KiB; no read cache; the system UTC clock.
 *
 * @since 0.1
 */
public final class SecretStores {
  /** The default limit on a value's size: 64 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = StoreRequest.DEFAULT_MAX_VALUE_BYTES;

  /** The largest limit a store may be configured with: 1 MiB. */
  public static final int MAX_MAX_VALUE_BYTES = 1024 * 1024;

  private SecretStores() {}

  /** Opens the store at {@code uri} with all defaults. */
  public static SecretStore open(String uri) {
    return builder().uri(uri).open();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The providers visible from {@code loader}, by name, with their schemes; broken ones appear as
   * {@code "<broken: reason>"}. For diagnostics.
   */
  public static Map<String, List<String>> providers(ClassLoader loader) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Object p : discover(loader)) {
      if (p instanceof SecretStoreProvider sp) {
        out.put(sp.name(), List.copyOf(new java.util.TreeSet<>(sp.schemes())));
      } else {
        out.put("<broken: " + p + ">", List.of());
      }
    }
    return out;
  }

  /** Loads each provider in its own try; a failure becomes a String describing it. */
  private static List<Object> discover(ClassLoader loader) {
    List<Object> found = new ArrayList<>();
    Iterator<SecretStoreProvider> it =
        ServiceLoader.load(SecretStoreProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        found.add(e.getMessage());
      }
    }
    return found;
  }

  /**
   * Programmatic configuration. Setters reject a bad value at once, naming it; {@link #open()}
   * checks the rules that span settings. Not thread-safe; the stores it opens are.
   */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable RecordStore recordStore;
    private @Nullable SecretStore remoteStore;
    private @Nullable SecretStoreProvider provider;
    private String tenant = TenantId.DEFAULT;
    private @Nullable MasterKeyring keyring;
    private @Nullable Duration cacheTtl;
    private int cacheMaxEntries;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Clock clock = Clock.systemUTC();
    private DataKeyPolicy dataKeyPolicy = DataKeyPolicy.defaults();
    private @Nullable ClassLoader classLoader;
    private @Nullable Map<String, String> environment;

    private Builder() {}

    /** The store URI: {@code memory:}, {@code jdbc:...}, {@code https://...}. */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      if (uri.indexOf(':') <= 0) {
        throw new IllegalArgumentException(
            "store URI has no scheme (expected e.g. memory: or jdbc:...): "
                + SecretName.quote(redactUri(uri)));
      }
      this.uri = uri;
      return this;
    }

    /** Uses this record store under the common encrypted layer, ignoring URIs and providers. */
    public Builder recordStore(RecordStore recordStore) {
      this.recordStore = Objects.requireNonNull(recordStore, "recordStore");
      return this;
    }

    /**
     * Uses this remote store (one that encrypts elsewhere, such as a {@code SecretManagerClient}
     * built with its own configuration) under this builder's read cache, ignoring URIs, providers
     * and keyrings. The opened store closes it.
     */
    public Builder remoteStore(SecretStore remoteStore) {
      this.remoteStore = Objects.requireNonNull(remoteStore, "remoteStore");
      return this;
    }

    /** Uses this provider for the URI instead of discovering one. */
    public Builder provider(SecretStoreProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The tenant: 1 to 64 characters of {@code [A-Za-z0-9._-]}. Default {@code default}. */
    public Builder tenant(String tenant) {
      this.tenant = TenantId.check(tenant);
      return this;
    }

    public Builder keyring(MasterKeyring keyring) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      return this;
    }

    /**
     * Enables the read cache: decrypted values kept up to {@code ttl} (1 ms to 1 day), at most
     * {@code maxEntries} (1 to 1,000,000). Writes through this store invalidate at once; writes
     * elsewhere are seen after at most {@code ttl}. Off by default.
     */
    public Builder cache(Duration ttl, int maxEntries) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofMillis(1)) < 0 || ttl.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("cache ttl out of range (1ms..1d): " + ttl);
      }
      if (maxEntries < 1 || maxEntries > 1_000_000) {
        throw new IllegalArgumentException(
            "cache maxEntries out of range (1..1000000): " + maxEntries);
      }
      this.cacheTtl = ttl;
      this.cacheMaxEntries = maxEntries;
      return this;
    }

    /** The largest value accepted, in bytes: 1 to 1 MiB. Default 64 KiB. */
    public Builder maxValueBytes(int maxValueBytes) {
      if (maxValueBytes < 1 || maxValueBytes > MAX_MAX_VALUE_BYTES) {
        throw new IllegalArgumentException(
            "maxValueBytes out of range (1.." + MAX_MAX_VALUE_BYTES + "): " + maxValueBytes);
      }
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /**
     * The clock for timestamps, expiry, the read cache's time to live and the age of the cached
     * tenant data keyset (reloaded when a minute old). Default {@code Clock.systemUTC()}. A clock
     * that does not move (such as {@code Clock.fixed}) keeps cache entries and the data keyset
     * forever; tests that use one move it themselves.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * When the store rotates its tenant's data key by itself (encryptions under one key, and
     * optionally its age). Default {@link DataKeyPolicy#defaults()}: 2<sup>30</sup> encryptions.
     */
    public Builder dataKeyPolicy(DataKeyPolicy dataKeyPolicy) {
      this.dataKeyPolicy = Objects.requireNonNull(dataKeyPolicy, "dataKeyPolicy");
      return this;
    }

    /** Where providers are discovered. Default: the thread's context class loader. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** The environment read for {@code LANONASIS_KEYSET*}. Default {@code System.getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Opens the store; fails fast if its storage cannot be reached. */
    public SecretStore open() {
      int chosen =
          (recordStore != null ? 1 : 0)
              + (remoteStore != null ? 1 : 0)
              + (uri != null || provider != null ? 1 : 0);
      if (chosen > 1) {
        throw new IllegalStateException(
            "set one of recordStore(...), remoteStore(...) or uri(...)/provider(...)");
      }
      if (recordStore != null) {
        return cached(encrypted(recordStore, requireKeyring()));
      }
      if (remoteStore != null) {
        return cached(remoteStore, CacheSource.of(remoteStore));
      }
      if (uri == null) {
        throw new IllegalStateException("no store chosen: set uri(...) or recordStore(...)");
      }
      SecretStoreProvider p = provider != null ? provider : discoverFor(uri);
      Storage storage =
          Objects.requireNonNull(
              p.open(request()), () -> "provider " + p.name() + " returned no storage");
      if (storage instanceof Storage.Remote remote) {
        return cached(remote.store(), CacheSource.of(remote.store()));
      }
      Storage.Records local = (Storage.Records) storage;
      // Resolved before connecting: a missing keyring fails without touching the database.
      MasterKeyring master =
          keyring != null
              ? keyring
              : local.lifetime() == Storage.Lifetime.EPHEMERAL
                  ? MasterKeyring.generate()
                  : requireKeyring();
      return cached(encrypted(local.connect(), master));
    }

    private StoreRequest request() {
      // open() calls this only once a uri is set.
      StoreRequest r =
          StoreRequest.of(Objects.requireNonNull(uri, "uri"), tenant)
              .withMaxValueBytes(maxValueBytes);
      if (environment != null) {
        r = r.withEnvironment(environment);
      }
      return cacheTtl == null ? r : r.withReadCache(cacheMaxEntries);
    }

    private MasterKeyring requireKeyring() {
      if (keyring != null) {
        return keyring;
      }
      return KeyringSources.fromEnvironment(environment != null ? environment : System.getenv())
          .orElseThrow(
              () ->
                  new ConfigurationException(
                      "no master keyring: pass one with "
                          + "SecretStores.builder().keyring(...), or set "
                          + KeyringSources.ENV_KEYSET
                          + " (Tink JSON keyset) or "
                          + KeyringSources.ENV_KEYSET_FILE
                          + " (path to a keyset file)"));
    }

    private EncryptedSecretStore encrypted(RecordStore records, MasterKeyring master) {
      return new EncryptedSecretStore(records, master, tenant, clock, maxValueBytes, dataKeyPolicy);
    }

    private SecretStore cached(EncryptedSecretStore store) {
      return cached(store, store);
    }

    private SecretStore cached(SecretStore store, CacheSource source) {
      return cacheTtl == null
          ? store
          : CachingSecretStore.over(store, source, cacheTtl, cacheMaxEntries, clock);
    }

    private SecretStoreProvider discoverFor(String storeUri) {
      String scheme = storeUri.substring(0, storeUri.indexOf(':')).toLowerCase(Locale.ROOT);
      ClassLoader loader =
          classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      List<SecretStoreProvider> matches = new ArrayList<>();
      Map<String, String> seen = new LinkedHashMap<>();
      for (Object p : discover(loader)) {
        if (p instanceof SecretStoreProvider sp) {
          seen.put(sp.name(), String.join("/", new java.util.TreeSet<>(sp.schemes())));
          if (sp.schemes().contains(scheme)) {
            matches.add(sp);
          }
        } else {
          seen.put("<broken provider>", String.valueOf(p));
        }
      }
      if (matches.size() == 1) {
        return matches.get(0);
      }
      String found =
          seen.isEmpty()
              ? "none (add a backend module such as secrets-backend-memory to the class path)"
              : seen.toString();
      if (matches.isEmpty()) {
        throw new ConfigurationException(
            "no secret store provider for scheme '" + scheme + "'; providers found: " + found);
      }
      List<String> names = new ArrayList<>();
      matches.forEach(m -> names.add(m.name() + " (" + m.getClass().getName() + ")"));
      throw new ConfigurationException(
          "scheme '"
              + scheme
              + "' is claimed by several providers: "
              + names
              + "; choose one with SecretStores.builder().provider(...)");
    }
  }

  /** Strips user info and query from a URI for messages: they may hold credentials. */
  static String redactUri(String uri) {
    String out = uri.replaceAll("//[^/@]*@", "//***@");
    int q = out.indexOf('?');
    return q >= 0 ? out.substring(0, q) + "?***" : out;
  }
}
