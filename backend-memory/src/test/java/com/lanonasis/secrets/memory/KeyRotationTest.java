package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.spi.SealedRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("key rotation and crypto-shredding")
class KeyRotationTest {
  private final MemoryRecordStore records = new MemoryRecordStore();

  private SecretStore open(MasterKeyring keyring, String tenant) {
    return SecretStores.builder().recordStore(records).keyring(keyring).tenant(tenant).open();
  }

  private static String read(SecretStore s, String name) {
    try (Secret secret = s.get(name)) {
      return secret.value().asUtf8();
    }
  }

  @Test
  @DisplayName("rotating a tenant's data key: old records still open, new ones use the new key")
  void rotateDataKey_oldRecordsOpen_newRecordsUseNewKey() {
    MasterKeyring master = MasterKeyring.generate();
    TenantKeyManager keys = new TenantKeyManager(records, master);
    SecretStore store = open(master, "default");
    store.put("before", SecretValue.ofUtf8("one"));
    int oldKey = keys.dataKeyIds("default").get(0);

    int newKey = keys.rotateDataKey("default");
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(keys.dataKeyIds("default")).containsExactly(newKey, oldKey);

    // A store opened after the rotation seals with the new primary at once.
    SecretStore fresh = open(master, "default");
    fresh.put("after", SecretValue.ofUtf8("two"));
    assertThat(records.readLatest("default", SecretName.of("after")).orElseThrow().record().keyId())
        .isEqualTo(newKey);
    assertThat(
            records.readLatest("default", SecretName.of("before")).orElseThrow().record().keyId())
        .isEqualTo(oldKey);
    // The store that cached the old keyset still reads records sealed with the new key: it reloads.
    assertThat(read(store, "after")).isEqualTo("two");
    assertThat(read(fresh, "before")).isEqualTo("one");
  }

  @Test
  @DisplayName("rotating the master key re-wraps tenant keysets only; records are untouched")
  void rotateMaster_rewrapsKeysetsOnly() {
    MasterKeyring v1 = MasterKeyring.generate();
    List<String> tenants = List.of("t1", "t2", "t3");
    for (String t : tenants) {
      SecretStore s = open(v1, t); // not closed: closing would close the shared record store
      for (int i = 0; i < 20; i++) {
        s.put("k" + i, SecretValue.ofUtf8(t + "-" + i));
      }
    }
    List<SealedRecord> before = snapshot(tenants);
    byte[] wrappedBefore = records.tenantKeyset("t1").orElseThrow().ciphertext();

    MasterKeyring v2 = v1.rotate();
    TenantKeyManager.RewrapReport report = new TenantKeyManager(records, v2).rewrapTenantKeysets();
    assertThat(report.rewrapped()).isEqualTo(3);
    assertThat(report.alreadyCurrent()).isZero();
    assertThat(snapshot(tenants)).isEqualTo(before);
    assertThat(records.tenantKeyset("t1").orElseThrow().ciphertext()).isNotEqualTo(wrappedBefore);

    // Resumable: a second run finds nothing to do.
    assertThat(new TenantKeyManager(records, v2).rewrapTenantKeysets().rewrapped()).isZero();

    // The new primary alone opens everything; the old key alone no longer does.
    MasterKeyring onlyNew = v2.retainPrimaryOnly();
    assertThat(onlyNew.keyIds()).containsExactly(v2.primaryKeyId());
    for (String t : tenants) {
      assertThat(read(open(onlyNew, t), "k7")).isEqualTo(t + "-7");
      assertThatThrownBy(() -> open(v1, t).get("k7")).isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  @DisplayName("destroying a tenant's data keyset makes all its secrets unreadable at once")
  void destroyDataKeyset_cryptoShreds() {
    MasterKeyring master = MasterKeyring.generate();
    SecretStore victim = open(master, "victim"); // a running instance
    SecretStore bystander = open(master, "bystander");
    for (int i = 0; i < 10; i++) {
      victim.put("s" + i, SecretValue.ofUtf8("v" + i));
    }
    bystander.put("s0", SecretValue.ofUtf8("safe"));

    assertThat(new TenantKeyManager(records, master).destroyDataKeyset("victim")).isTrue();

    for (int i = 0; i < 10; i++) {
      String name = "s" + i;
      assertThatThrownBy(() -> open(master, "victim").get(name))
          .isInstanceOf(KeysetDestroyedException.class);
      // The store that was running before the shredding is refused at once too: every read
      // carries the keyset's generation.
      assertThatThrownBy(() -> victim.get(name))
          .isInstanceOf(KeysetDestroyedException.class)
          .hasMessageContaining("'victim'")
          .hasMessageContaining("destroyed");
    }
    assertThat(read(bystander, "s0")).isEqualTo("safe");
    // The ciphertexts are still there, but no key exists that opens them.
    assertThat(records.readLatest("victim", SecretName.of("s0"))).isPresent();
    assertThat(records.tenantKeyset("victim").orElseThrow().isDestroyed()).isTrue();
  }

  private List<SealedRecord> snapshot(List<String> tenants) {
    List<SealedRecord> all = new ArrayList<>();
    for (String t : tenants) {
      for (int i = 0; i < 20; i++) {
        all.add(records.readLatest(t, SecretName.of("k" + i)).orElseThrow().record());
      }
    }
    return all;
  }
}
