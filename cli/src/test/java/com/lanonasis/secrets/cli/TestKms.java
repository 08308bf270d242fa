package com.lanonasis.secrets.cli;

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
 * A Tink {@link KmsClient} standing in for a cloud KMS, which cannot run here: {@code
 * test-kms://<name>-<uuid>} keys held in this JVM's memory, registered in Tink's global {@link
 * KmsClients} so {@code --kms URI} finds them as it would an AWS or GCP key. Each instance answers
 * only for the URIs it made (the registry returns the first client that supports a URI).
 */
final class TestKms implements KmsClient {
  private final Map<String, Aead> keys = new ConcurrentHashMap<>();

  private TestKms() {}

  static TestKms register() {
    TestKms kms = new TestKms();
    KmsClients.add(kms);
    return kms;
  }

  String newKey(String name) {
    String uri = "test-kms://" + name + "-" + UUID.randomUUID();
    try {
      AeadConfig.register();
      keys.put(uri, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
          .getPrimitive(RegistryConfiguration.get(), Aead.class));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
      throw new GeneralSecurityException("the test KMS has no key " + keyUri);
    }
    return aead;
  }
}
