package com.lanonasis.secrets;

import com.lanonasis.secrets.spi.RecordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master keyring for development: generated on first use and kept as a cleartext keyset file
 * (created 0600). Anyone who can read the file can read every secret, so every load logs a warning.
 * In production load a KMS- or passphrase-protected keyset with {@link KeyringSources}.
 *
 * @since 0.1
 */
public final class DevelopmentKeyring {
  private static final Logger LOG = LoggerFactory.getLogger(DevelopmentKeyring.class);

  private DevelopmentKeyring() {}

  /**
   * The keyset at {@code file} as the environment says it is protected: with {@value
   * KeyringSources#ENV_KEYSET_PASSPHRASE} or {@value KeyringSources#ENV_KEK_URI} set, the file must
   * exist and be of that format ({@link KeyringSources#load(Path, KeyringProtection)}); a cleartext
   * development keyset is never read or made then. Without either, an existing file is loaded by
   * its format and a missing one is created as a development keyset ({@link #loadOrCreate(Path)}).
   * What the server and the CLI use for their keyset file.
   *
   * @throws ConfigurationException when protection is configured and the file is missing or of
   *     another format
   */
  public static MasterKeyring loadOrCreate(Path file, Map<String, String> env) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    return KeyringSources.withEnvironmentProtection(
        env,
        file,
        protection -> {
          boolean configured = !(protection instanceof KeyringProtection.None);
          if (Files.exists(file) || configured) {
            if (!Files.exists(file)) {
              throw new ConfigurationException(
                  "the keyset file "
                      + file
                      + " does not exist, and "
                      + (protection instanceof KeyringProtection.Passphrase
                          ? KeyringSources.ENV_KEYSET_PASSPHRASE
                          : KeyringSources.ENV_KEK_URI)
                      + " is set: a protected keyset is expected, so no development keyset is made in its place");
            }
            return KeyringSources.load(file, protection);
          }
          return loadOrCreate(file);
        });
  }

  /**
   * As {@link #loadOrCreate(Path, Map)}, for the keyring of {@code store}: a missing file is
   * created as a development keyset only while the store holds no tenant data keyset, since a new
   * master key could never open the ones there (and a tenant created under it would strand its
   * secrets once the original keyset came back). The one rule for the server and the CLI.
   *
   * @throws ConfigurationException when the file is missing and the store holds data keysets, or
   *     when whether the file exists cannot be told (a directory this process may not read)
   */
  public static MasterKeyring loadOrCreate(Path file, Map<String, String> env, RecordStore store) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(store, "store");
    boolean protectedByEnv =
        !blank(env.get(KeyringSources.ENV_KEYSET_PASSPHRASE))
            || !blank(env.get(KeyringSources.ENV_KEK_URI));
    if (!protectedByEnv && !Files.exists(file)) {
      if (!Files.notExists(file)) {
        throw new ConfigurationException(
            "cannot tell whether the keyset file "
                + file
                + " exists: its directory "
                + "cannot be read by this process (check its owner and permissions); no keyset is created there");
      }
      if (!store.tenants(Optional.empty(), 1).isEmpty()) {
        throw new ConfigurationException(
            "the keyset file "
                + file
                + " does not exist, and the store already holds "
                + "secrets (or tenant keys) sealed under some keyset: a new key could never open them, so none is "
                + "created. Put back the keyset they were written with (a backup of the store is restored together "
                + "with the keyset file: 'lanonasis backup' copies the store only), or name it (--keyset FILE, "
                + KeyringSources.ENV_KEYSET
                + " or "
                + KeyringSources.ENV_KEYSET_FILE
                + ")");
      }
    }
    return loadOrCreate(file, env);
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }

  /** Loads the cleartext keyset at {@code file}, creating it first if it does not exist. */
  public static MasterKeyring loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      MasterKeyring fresh = MasterKeyring.generate();
      try {
        KeyringFile.writeCleartext(fresh, file);
        LOG.warn(
            "DEVELOPMENT KEYSET CREATED at {}: a cleartext master key on disk, for development only. "
                + "Anyone who can read this file can decrypt every secret. Use a KMS- or passphrase-protected "
                + "keyset in production.",
            file.toAbsolutePath());
        return fresh;
      } catch (ConfigurationException raced) {
        if (!Files.exists(file)) {
          throw raced;
        }
        // Another process created it first: use theirs.
      }
    }
    LOG.warn(
        "Using DEVELOPMENT KEYSET {} (cleartext on disk): not for production.",
        file.toAbsolutePath());
    return KeyringFile.openCleartext(file);
  }
}
