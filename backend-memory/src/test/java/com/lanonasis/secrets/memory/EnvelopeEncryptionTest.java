package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("envelope encryption: what the storage layer sees and what tampering with it does")
class EnvelopeEncryptionTest {
  private static final String PLAIN = "S3NTINEL-plaintext-4a1c";
  private final TamperingRecordStore records = new TamperingRecordStore();
  private final MasterKeyring master = MasterKeyring.generate();
  private final SecretStore store = open("default");

  private SecretStore open(String tenant) {
    return SecretStores.builder().recordStore(records).keyring(master).tenant(tenant).open();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private long generation(String tenant) {
    return records.inner.tenantKeyset(tenant).orElseThrow().generation();
  }

  private SealedRecord stored(String tenant, String name, long version) {
    return records.inner.readVersion(tenant, SecretName.of(name), version).orElseThrow().record();
  }

  @Nested
  @DisplayName("the record store")
  class WhatStorageSees {
    @Test
    @DisplayName("holds ciphertext only, tagged with the sealing key's id")
    void put_storesCiphertextOnly() {
      store.put("db/password", SecretValue.ofUtf8(PLAIN));
      SealedRecord r = stored("default", "db/password", 1);
      String asText = new String(r.ciphertext(), StandardCharsets.ISO_8859_1);
      assertThat(asText).doesNotContain(PLAIN);
      assertThat(r.ciphertext().length).isGreaterThan(PLAIN.length());
      int primary = new TenantKeyManager(records, master).dataKeyIds("default").get(0);
      assertThat(r.keyId()).isEqualTo(primary);
      byte[] wrapped = records.inner.tenantKeyset("default").orElseThrow().ciphertext();
      assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).doesNotContain("AesGcmKey");
    }

    @Test
    @DisplayName("the same value written twice gives two different ciphertexts")
    void put_sameValueTwice_differentCiphertexts() {
      store.put("a", SecretValue.ofUtf8(PLAIN));
      store.put("a", SecretValue.ofUtf8(PLAIN));
      assertThat(stored("default", "a", 1).ciphertext())
          .isNotEqualTo(stored("default", "a", 2).ciphertext());
    }
  }

  @Nested
  @DisplayName("integrity")
  class Integrity {
    @Test
    @DisplayName(
        "one flipped byte of a stored ciphertext raises the integrity error, never wrong plaintext")
    void get_flippedByte_integrityError() {
      store.put("a", SecretValue.ofUtf8(PLAIN));
      int length = stored("default", "a", 1).ciphertext().length;
      for (int i = 0; i < length; i += Math.max(1, length / 16)) {
        int at = i;
        records.onRead =
            sr -> {
              byte[] ct = sr.record().ciphertext();
              ct[at] ^= 0x01;
              SealedRecord r = sr.record();
              return new StoredRecord(
                  new SealedRecord(r.name(), r.version(), r.keyId(), ct, r.createdAt()),
                  sr.expiresAt(),
                  sr.keysetGeneration());
            };
        assertThatThrownBy(() -> store.get("a"))
            .as("byte %d flipped", at)
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("'a'")
            .hasMessageNotContaining(PLAIN);
      }
      records.onRead = sr -> sr;
      try (Secret s = store.get("a")) {
        assertThat(s.value().asUtf8()).isEqualTo(PLAIN);
      }
    }

    @Test
    @DisplayName("two records' ciphertexts swapped: both fail to open")
    void get_swappedCiphertexts_integrityError() {
      store.put("a", SecretValue.ofUtf8("value-a"));
      store.put("b", SecretValue.ofUtf8("value-b"));
      SealedRecord a = stored("default", "a", 1);
      SealedRecord b = stored("default", "b", 1);
      records.onRead =
          sr -> {
            SealedRecord r = sr.record();
            SealedRecord other = r.name().value().equals("a") ? b : a;
            return new StoredRecord(
                new SealedRecord(
                    r.name(), r.version(), other.keyId(), other.ciphertext(), r.createdAt()),
                sr.expiresAt(),
                sr.keysetGeneration());
          };
      assertThatThrownBy(() -> store.get("a")).isInstanceOf(IntegrityException.class);
      assertThatThrownBy(() -> store.get("b")).isInstanceOf(IntegrityException.class);
    }

    @Test
    @DisplayName("a ciphertext replayed as another version fails to open")
    void get_ciphertextMovedToOtherVersion_integrityError() {
      store.put("a", SecretValue.ofUtf8("old"));
      SealedRecord v1 = stored("default", "a", 1);
      records.inner.append(
          "default",
          new SealedRecord(v1.name(), 2, v1.keyId(), v1.ciphertext(), v1.createdAt()),
          Optional.empty(),
          generation("default"));
      assertThatThrownBy(() -> store.get("a"))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("version 2");
      try (Secret s = store.get("a", 1)) {
        assertThat(s.value().asUtf8()).isEqualTo("old");
      }
    }

    @Test
    @DisplayName("a ciphertext copied to another tenant fails to open there")
    void get_ciphertextMovedToOtherTenant_integrityError() {
      store.put("shared/name", SecretValue.ofUtf8(PLAIN));
      try (SecretStore other = open("other")) {
        other.put("unrelated", SecretValue.ofUtf8("x")); // gives tenant 'other' a data keyset
        SealedRecord r = stored("default", "shared/name", 1);
        records.inner.append("other", r, Optional.empty(), generation("other"));
        assertThatThrownBy(() -> other.get("shared/name")).isInstanceOf(IntegrityException.class);
      }
    }

    @Test
    @DisplayName("a tenant's wrapped keyset copied to another tenant does not unwrap")
    void keyset_movedToOtherTenant_refused() {
      store.put("a", SecretValue.ofUtf8(PLAIN));
      records.inner.putTenantKeyset(
          "victim", records.inner.tenantKeyset("default").orElseThrow(), 0);
      records.inner.append(
          "victim", stored("default", "a", 1), Optional.empty(), generation("victim"));
      try (SecretStore victim = open("victim")) {
        assertThatThrownBy(() -> victim.get("a"))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("data keyset of tenant 'victim'");
      }
    }

    @Test
    @DisplayName("another master keyring cannot open the tenant's data keyset")
    void get_wrongMasterKeyring_integrityError() {
      store.put("a", SecretValue.ofUtf8(PLAIN));
      try (SecretStore wrong =
          SecretStores.builder().recordStore(records).keyring(MasterKeyring.generate()).open()) {
        assertThatThrownBy(() -> wrong.get("a"))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("different master keyring");
      }
    }
  }
}
