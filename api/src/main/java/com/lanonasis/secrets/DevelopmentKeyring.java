package com.lanonasis.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master keyring for development: generated on first use and kept as a cleartext keyset file
 * (created 0600). Anyone who can read the file can read every secret, so every load logs a
 * warning. In production load a KMS- or passphrase-protected keyset with {@link MasterKeyring}.
 *
 * @since 0.1
 */
public final class DevelopmentKeyring {
  private static final Logger LOG = LoggerFactory.getLogger(DevelopmentKeyring.class);

  private DevelopmentKeyring() {}

  /** Loads the cleartext keyset at {@code file}, creating it first if it does not exist. */
  public static MasterKeyring loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      MasterKeyring fresh = MasterKeyring.generate();
      try {
        fresh.writeCleartextKeysetFile(file);
        LOG.warn("DEVELOPMENT KEYSET CREATED at {}: a cleartext master key on disk, for development only. "
            + "Anyone who can read this file can decrypt every secret. Use a KMS- or passphrase-protected "
            + "keyset in production.", file.toAbsolutePath());
        return fresh;
      } catch (ConfigurationException raced) {
        if (!Files.exists(file)) {
          throw raced;
        }
        // Another process created it first: use theirs.
      }
    }
    LOG.warn("Using DEVELOPMENT KEYSET {} (cleartext on disk): not for production.", file.toAbsolutePath());
    return MasterKeyring.fromCleartextKeysetFile(file);
  }
}
