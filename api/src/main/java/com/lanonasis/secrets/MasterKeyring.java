package com.lanonasis.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The master keyring (key-encryption key): a Tink AEAD keyset that only ever wraps the per-tenant
 * data keysets, never a secret value. Rotating it costs one re-wrap per tenant, not per secret.
 *
 * <p>This is the key handle only, as Tink's {@code KeysetHandle} is: where a keyring comes from and
 * how it is kept on disk are separate.
 *
 * <table>
 *   <caption>Where a keyring comes from</caption>
 *   <tr><td>{@link #generate()}</td><td>a new key, in memory</td></tr>
 *   <tr><td>{@link KeyringSources#fromEnvironment(java.util.Map)}</td><td>{@code LANONASIS_KEYSET} or
 *       {@code LANONASIS_KEYSET_FILE} with its protection</td></tr>
 *   <tr><td>{@link KeyringSources#load(java.nio.file.Path, KeyringProtection)}</td><td>a file, of the
 *       protection the configuration asks for</td></tr>
 *   <tr><td>{@link DevelopmentKeyring}</td><td>a generated cleartext file, for development</td></tr>
 *   <tr><td>{@link KeyringFile}</td><td>the file formats (cleartext, passphrase, KMS): opening,
 *       writing and inspecting one</td></tr>
 * </table>
 *
 * <p>Example: rotate, save, re-wrap, then drop the old key.
 *
 * <pre>{@code
 * MasterKeyring next = current.rotate();
 * KeyringFile.writePassphrase(next, Path.of("keyset.next.json"), passphrase, KeyringFile.Passphrase.DEFAULT_PBKDF2_ITERATIONS);
 * new TenantKeyManager(records, next).rewrapTenantKeysets();
 * MasterKeyring trimmed = next.retainPrimaryOnly();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #rotate()} and the other derivations return a new keyring.
 * {@code toString} shows key ids only.
 *
 * @since 0.1
 */
public final class MasterKeyring {
  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeysetHandle handle;
  private final Aead aead;

  /** {@code source} names where the keyset came from, for the message if it is no AEAD keyset. */
  MasterKeyring(KeysetHandle handle, String source) {
    this.handle = handle;
    try {
      this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          source + " is not an AEAD keyset (it must hold e.g. AES256_GCM keys)");
    }
  }

  /** A fresh keyring with one AES-256-GCM key, held only in memory. */
  public static MasterKeyring generate() {
    try {
      return new MasterKeyring(
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), "generated keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not generate an AES256_GCM key", e);
    }
  }

  /**
   * A new keyring holding this one's keys plus a new AES-256-GCM primary. Save it, then re-wrap the
   * tenant keysets with {@link TenantKeyManager#rewrapTenantKeysets()}; only then drop the old keys
   * with {@link #retainPrimaryOnly()}.
   */
  public MasterKeyring rotate() {
    try {
      KeysetHandle next =
          KeysetHandle.newBuilder(handle)
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .build();
      return new MasterKeyring(next, "rotated keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not add a key", e);
    }
  }

  /** A keyring with only this one's primary key: what remains once every wrap uses it. */
  public MasterKeyring retainPrimaryOnly() {
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
      for (int i = b.size() - 1; i >= 0; i--) {
        if (!b.getAt(i).isPrimary()) {
          b.deleteAt(i);
        }
      }
      return new MasterKeyring(b.build(), "trimmed keyset");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not trim the keyset", e);
    }
  }

  /**
   * A keyring without the key {@code keyId}: what {@code lanonasis key retire --master} saves once
   * no tenant keyset is wrapped under that key ({@link TenantKeyManager#masterKeys()}).
   *
   * @throws InvalidInputException if {@code keyId} is the primary key or not in this keyring
   */
  public MasterKeyring withoutKey(int keyId) {
    if (keyId == primaryKeyId()) {
      throw new InvalidInputException(
          "master key "
              + Integer.toUnsignedString(keyId)
              + " is the primary key; rotate first, then re-wrap, then retire it");
    }
    for (int i = 0; i < handle.size(); i++) {
      if (handle.getAt(i).getId() == keyId) {
        try {
          return new MasterKeyring(
              KeysetHandle.newBuilder(handle).deleteAt(i).build(), "trimmed keyset");
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Tink could not trim the keyset", e);
        }
      }
    }
    throw new InvalidInputException(
        "master key " + Integer.toUnsignedString(keyId) + " is not in this keyring");
  }

  /**
   * A keyring of this one's key {@code keyId} alone, made primary; null if there is no such key.
   */
  @Nullable MasterKeyring onlyKey(int keyId) {
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(handle);
      boolean found = false;
      for (int i = b.size() - 1; i >= 0; i--) {
        if (handle.getAt(i).getId() == keyId) {
          b.getAt(i).setStatus(KeyStatus.ENABLED).makePrimary();
          found = true;
        }
      }
      if (!found) {
        return null;
      }
      for (int i = b.size() - 1; i >= 0; i--) {
        if (handle.getAt(i).getId() != keyId) {
          b.deleteAt(i);
        }
      }
      return new MasterKeyring(b.build(), "single key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not select a key", e);
    }
  }

  /** The id of the key that wraps new data keysets. */
  public int primaryKeyId() {
    return handle.getPrimary().getId();
  }

  /** The ids of every key in the keyring. */
  public List<Integer> keyIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < handle.size(); i++) {
      ids.add(handle.getAt(i).getId());
    }
    return List.copyOf(ids);
  }

  @Override
  public String toString() {
    return "MasterKeyring[primary="
        + Integer.toUnsignedString(primaryKeyId())
        + ", keys="
        + handle.size()
        + "]";
  }

  /** The Tink handle, for the file formats that serialize it; never leaves the package. */
  KeysetHandle handle() {
    return handle;
  }

  /** Encrypts a data keyset for {@code tenant}. */
  byte[] wrap(KeysetHandle dataKeyset, String tenant) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKeyset, aead, tenantAad(tenant));
  }

  /** Decrypts a data keyset of {@code tenant}; fails if it was wrapped for another tenant. */
  KeysetHandle unwrap(byte[] wrapped, String tenant) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, aead, tenantAad(tenant));
  }

  /**
   * Whether {@code wrapped} opens with this keyring. Called on a {@link #retainPrimaryOnly()} copy
   * to ask "is it wrapped under the primary already?".
   */
  boolean isWrappedUnderPrimary(byte[] wrapped, String tenant) {
    try {
      unwrap(wrapped, tenant);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static byte[] tenantAad(String tenant) {
    return ("lanonasis/tenant-keyset/v1\0" + tenant).getBytes(StandardCharsets.UTF_8);
  }
}
