package com.lanonasis.secrets;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KeyringFile.Cleartext}: a Tink JSON keyset, unencrypted. */
final class CleartextKeyringFormat {
  private static final Logger LOG = LoggerFactory.getLogger(CleartextKeyringFormat.class);

  private CleartextKeyringFormat() {}

  static MasterKeyring open(Path file) {
    String json = KeyringEnvelope.readText(file);
    warnIfReadableByOthers(file);
    return parse(json, "keyset file " + file);
  }

  static MasterKeyring parse(String json, String source) {
    KeysetHandle handle;
    try {
      handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // No cause: parser messages can quote the input, which is key material.
      throw new ConfigurationException(source + " is not a valid Tink JSON keyset");
    }
    return new MasterKeyring(handle, source);
  }

  static void write(MasterKeyring keyring, Path file) {
    Objects.requireNonNull(keyring, "keyring");
    try {
      KeyringEnvelope.writeNew(
          file,
          TinkJsonProtoKeysetFormat.serializeKeyset(keyring.handle(), InsecureSecretKeyAccess.get())
              .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not serialize the keyset", e);
    }
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (KeysetFiles.isReadableByOthers(file)) {
        LOG.warn("Keyset file {} is readable by group or others; restrict it with chmod 600", file);
      }
    } catch (IOException e) {
      LOG.debug("could not read permissions of {}", file);
    }
  }
}
