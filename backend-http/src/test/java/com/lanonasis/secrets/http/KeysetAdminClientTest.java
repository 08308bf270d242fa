package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.TenantKeyManager.DataKeyStatus;
import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.server.testing.RealServerExtension;
import com.lanonasis.secrets.wire.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The data-key lifecycle through the SDK against a real server (ephemeral port, SQLite): rotate,
 * re-seal in slices, retire, shred, re-provision, each refusal with the exception the local {@code
 * TenantKeyManager} throws, and the value cache dropped when the server says 410.
 */
@ExtendWith(RealServerExtension.class)
class KeysetAdminClientTest {
  static final String SENTINEL = "S3NTINEL-keyset-value";

  static RealServer server;
  static String operator;

  @BeforeAll
  static void startServer(RealServer started) {
    server = started;
    operator = server.server().apiKeys().create("default", Role.ADMIN, "");
  }

  static KeysetAdminClient keysets(String key) {
    return new KeysetAdminClient(ClientConfigs.of(server, key).build());
  }

  static String tenant() {
    return "k-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A writer under the facade's read cache, fresh for an hour: a shred must still reach it. */
  static SecretStore writer(String tenant) {
    return SecretStores.builder()
        .remoteStore(
            new SecretManagerClient(
                ClientConfigs.of(
                        server, server.server().apiKeys().create(tenant, Role.READ_WRITE, ""))
                    .etagRevalidation(100)
                    .build()))
        .cache(Duration.ofHours(1), 100)
        .open();
  }

  @Test
  @DisplayName(
      "rotate, re-seal in slices that resume, retire: every record ends under the new key and still reads")
  void rotateResealRetire() {
    String t = tenant();
    try (KeysetAdminClient admin = keysets(operator);
        SecretStore w = writer(t)) {
      for (int i = 0; i < 25; i++) {
        w.put("app/s" + i, SecretValue.ofUtf8(SENTINEL + i));
      }
      KeysetStatus before = admin.status(t);
      int oldKey = before.keys().get(0).id();
      assertThat(before.keys()).containsExactly(new DataKeyStatus(oldKey, true, 25));
      assertThat(before.destroyed()).isFalse();
      assertThat(before.masterKeyId()).isPresent();

      KeysetStatus rotated = admin.rotate(t);
      int newKey = rotated.keys().get(0).id();
      assertThat(rotated.generation()).isGreaterThan(before.generation());
      assertThat(rotated.keys())
          .containsExactly(
              new DataKeyStatus(newKey, true, 0), new DataKeyStatus(oldKey, false, 25));

      assertThatThrownBy(() -> admin.retire(t, oldKey))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("still seals 25 records")
          .hasMessageContaining("re-seal");
      assertThatThrownBy(() -> admin.retire(t, newKey))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("primary");
      assertThatThrownBy(() -> admin.retire(t, 12345))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("no such data key");

      ResealReport dry = admin.planReseal(t, 10, r -> {});
      assertThat(dry.resealed()).isEqualTo(25);
      assertThat(admin.status(t).keys()).contains(new DataKeyStatus(oldKey, false, 25));

      // Batches of 7 under the server's default slice: one request. Then force slices through the
      // wire.
      List<ResealReport> progress = new ArrayList<>();
      ResealReport done = admin.reseal(t, 7, progress::add);
      assertThat(done.done()).isTrue();
      assertThat(done.resealed()).isEqualTo(25);
      assertThat(done.unreadable()).isZero();
      assertThat(done.fromKeyIds()).containsEntry(oldKey, 25L);
      assertThat(done.primaryKeyId()).isEqualTo(newKey);
      assertThat(admin.status(t).keys())
          .containsExactly(
              new DataKeyStatus(newKey, true, 25), new DataKeyStatus(oldKey, false, 0));

      admin.retire(t, oldKey);
      assertThat(admin.status(t).keys()).containsExactly(new DataKeyStatus(newKey, true, 25));
      for (int i = 0; i < 25; i++) {
        try (Secret s = w.get("app/s" + i)) {
          assertThat(s.value().asUtf8()).isEqualTo(SENTINEL + i);
        }
      }
      assertThat(admin.list()).extracting(KeysetStatus::tenant).contains(t);
      MasterKeyUsage master = admin.masterKeys();
      assertThat(master.keysets()).containsKey(master.primaryKeyId());
      assertThat(master.keysets().get(master.primaryKeyId())).isGreaterThanOrEqualTo(1);
      assertThat(master.unopenable()).isZero();
    }
  }

  @Test
  @DisplayName("a re-seal larger than one request's slice goes on where the last request stopped")
  void resealAcrossSlices() {
    String t = tenant();
    try (KeysetAdminClient admin = keysets(operator);
        SecretStore w = writer(t)) {
      // The server's slice is 10,000 versions; 10,005 would be slow to write here, so the slice
      // boundary is exercised through the wire format directly in the server's tests, and here by
      // a dry run and a real run that agree.
      for (int i = 0; i < 30; i++) {
        w.put("n" + i, SecretValue.ofUtf8("v"));
      }
      admin.rotate(t);
      assertThat(admin.planReseal(t, 1, r -> {}).resealed()).isEqualTo(30);
      List<ResealReport> progress = new ArrayList<>();
      ResealReport r = admin.reseal(t, 1, progress::add);
      assertThat(r.resealed()).isEqualTo(30);
      assertThat(progress.get(progress.size() - 1)).isEqualTo(r);
    }
  }

  @Test
  @DisplayName(
      "shred: reads and writes answer KeysetDestroyedException, the value cache forgets, re-provision lets writes in")
  void shredAndReprovision() {
    String t = tenant();
    try (KeysetAdminClient admin = keysets(operator);
        SecretStore w = writer(t)) {
      w.put("db/password", SecretValue.ofUtf8(SENTINEL));
      try (Secret s = w.get("db/password")) { // now in the client's cache
        assertThat(s.value().asUtf8()).isEqualTo(SENTINEL);
      }
      assertThat(admin.destroy(t)).isTrue();
      assertThat(admin.destroy(t)).as("already destroyed").isFalse();
      assertThat(admin.status(t).destroyed()).isTrue();

      // The cached entry is fresh for an hour, so the client revalidates only what it must: a put
      // answers 410, which drops every cached value of the tenant.
      assertThatThrownBy(() -> w.put("db/other", SecretValue.ofUtf8("x")))
          .isInstanceOf(KeysetDestroyedException.class)
          .satisfies(e -> assertThat(((KeysetDestroyedException) e).tenant()).isEqualTo(t));
      assertThatThrownBy(() -> w.get("db/password")).isInstanceOf(KeysetDestroyedException.class);
      assertThatThrownBy(() -> admin.rotate(t)).isInstanceOf(KeysetDestroyedException.class);
      assertThatThrownBy(() -> admin.reseal(t, 10, r -> {}))
          .isInstanceOf(KeysetDestroyedException.class);

      KeysetStatus fresh = admin.reprovision(t);
      assertThat(fresh.destroyed()).isFalse();
      assertThat(fresh.keys()).hasSize(1);
      assertThatThrownBy(() -> admin.reprovision(t))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("only a destroyed one");
      w.put("db/password", SecretValue.ofUtf8("after"));
      try (Secret s = w.get("db/password")) {
        assertThat(s.value().asUtf8()).isEqualTo("after");
      }
    }
  }

  @Test
  @DisplayName(
      "only the operator: a tenant's own ADMIN key and a READ_WRITE key of tenant default are refused")
  void operatorOnly() {
    String t = tenant();
    String tenantAdmin = server.server().apiKeys().create(t, Role.ADMIN, "");
    String defaultWriter = server.server().apiKeys().create("default", Role.READ_WRITE, "");
    String scopedOperator = server.server().apiKeys().create("default", Role.ADMIN, "ops/");
    for (String key : List.of(tenantAdmin, defaultWriter, scopedOperator)) {
      try (KeysetAdminClient admin = keysets(key)) {
        assertThatThrownBy(() -> admin.status(t)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> admin.destroy(t)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> admin.list()).isInstanceOf(AccessDeniedException.class);
      }
    }
    try (KeysetAdminClient admin = keysets(operator)) {
      assertThat(admin.status(t).destroyed()).as("nothing was shredded").isFalse();
    }
  }

  @Test
  @DisplayName("a tenant that is not one is refused before any request, and toString shows no key")
  void badTenant_andToString() {
    try (KeysetAdminClient admin = keysets(operator)) {
      assertThatThrownBy(() -> admin.status("../x")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> admin.reseal("t", 0, r -> {}))
          .isInstanceOf(InvalidInputException.class);
      assertThat(admin.toString())
          .doesNotContain(operator.substring("lns_0123456789abcdef_".length()));
    }
  }
}
