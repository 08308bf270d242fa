package com.lanonasis.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Tink {@link KmsClient} for tests: serves {@code local-test-kms://<name>} URIs from in-memory
 * AES256_GCM keysets, standing in for a cloud KMS that cannot run here.
 *
 * <p>Tink's {@link KmsClients} registry is global and returns the first client that supports a URI,
 * so each instance supports only the URIs it created, and every URI is unique.
 */
public final class LocalTestKms implements KmsClient {
  public static final String SCHEME = "local-test-kms://";

  private final Map<String, Aead> keys = new ConcurrentHashMap<>();
  private final String scheme;

  private LocalTestKms(String scheme) {
    this.scheme = scheme;
  }

  /** A new client, registered in Tink's global {@link KmsClients}. */
  public static LocalTestKms register() {
    return register(SCHEME);
  }

  /**
   * The same, for URIs of another scheme (e.g. {@code test-kms://}, as the CLI's tests name them).
   */
  public static LocalTestKms register(String scheme) {
    LocalTestKms kms = new LocalTestKms(scheme);
    KmsClients.add(kms);
    return kms;
  }

  /**
   * Creates a new key and returns its unique URI, e.g. {@code local-test-kms://primary-3f2a...}.
   */
  public String newKey(String name) {
    String uri = scheme + name + "-" + UUID.randomUUID();
    keys.put(uri, newAead());
    return uri;
  }

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null && keys.containsKey(keyUri);
  }

  @Override
  public KmsClient withCredentials(String credentialPath) {
    return this;
  }

  @Override
  public KmsClient withDefaultCredentials() {
    return this;
  }

  @Override
  public Aead getAead(String keyUri) throws GeneralSecurityException {
    Aead aead = keys.get(keyUri);
    if (aead == null) {
      throw new GeneralSecurityException("local test KMS has no key " + keyUri);
    }
    return aead;
  }

  /** A fresh AES256_GCM AEAD held only in memory. */
  static Aead newAead() {
    try {
      AeadConfig.register();
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
          .getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
