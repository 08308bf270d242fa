package com.lanonasis.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.SecretHead;
import com.lanonasis.secrets.spi.StoredRecord;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link RecordStore} SPI, for authors of local backends. Smaller than
 * {@link SecretStoreContract}, which covers the public behaviour on top; this one pins the
 * atomic rules the common layer relies on. Extend it and implement {@link #newRecordStore()}.
 *
 * <p>Ciphertexts here are arbitrary bytes: a record store must store them exactly and never look
 * inside.
 *
 * @since 0.1
 */
public abstract class RecordStoreContract {
  protected static final String T1 = "tenant-one";
  protected static final String T2 = "tenant-two";
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  protected RecordStore records;

  /** A new record store over new, empty storage. */
  protected abstract RecordStore newRecordStore();

  @BeforeEach
  void open() {
    records = newRecordStore();
  }

  @AfterEach
  void close() {
    records.close();
  }

  private static SecretName n(String s) {
    return SecretName.of(s);
  }

  private static SealedRecord rec(String name, long version, byte... ct) {
    return new SealedRecord(n(name), version, 42, ct, NOW.plusSeconds(version));
  }

  @Nested
  @DisplayName("append")
  class Append {
    @Test
    @DisplayName("versions must be exactly counter + 1; anything else changes nothing")
    void append_onlyNextVersion() {
      assertThat(records.append(T1, rec("a", 2, (byte) 1), Optional.empty())).isFalse();
      assertThat(records.head(T1, n("a"))).isEmpty();
      assertThat(records.append(T1, rec("a", 1, (byte) 1), Optional.empty())).isTrue();
      assertThat(records.append(T1, rec("a", 1, (byte) 9), Optional.empty())).isFalse();
      assertThat(records.append(T1, rec("a", 3, (byte) 9), Optional.empty())).isFalse();
      assertThat(records.append(T1, rec("a", 2, (byte) 2), Optional.empty())).isTrue();
      SecretHead h = records.head(T1, n("a")).orElseThrow();
      assertThat(h.currentVersion()).isEqualTo(2);
      assertThat(h.state()).isEqualTo(SecretHead.State.ACTIVE);
      assertThat(records.readVersion(T1, n("a"), 1).orElseThrow().record().ciphertext()).containsExactly(1);
    }

    @Test
    @DisplayName("ciphertext, key id and timestamps are stored exactly")
    void append_storesExactly() {
      byte[] ct = new byte[300];
      for (int i = 0; i < ct.length; i++) {
        ct[i] = (byte) (i * 7);
      }
      SealedRecord r = new SealedRecord(n("exact"), 1, -123456, ct, NOW);
      records.append(T1, r, Optional.empty());
      StoredRecord back = records.readLatest(T1, n("exact")).orElseThrow();
      assertThat(back.record().ciphertext()).isEqualTo(ct);
      assertThat(back.record().keyId()).isEqualTo(-123456);
      assertThat(back.record().version()).isEqualTo(1);
      assertThat(back.record().name()).isEqualTo(n("exact"));
      assertThat(back.record().createdAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(NOW);
    }

    @Test
    @DisplayName("attributes given replace the old ones; absent keeps them")
    void append_attributes() {
      SecretAttributes attrs = SecretAttributes.none().withDescription("d").withLabels(Map.of("k", "v"))
          .withExpiry(NOW.plusSeconds(3600));
      records.append(T1, rec("a", 1, (byte) 1), Optional.of(attrs));
      records.append(T1, rec("a", 2, (byte) 2), Optional.empty());
      assertThat(records.head(T1, n("a")).orElseThrow().attributes()).isEqualTo(attrs);
      assertThat(records.readLatest(T1, n("a")).orElseThrow().expiresAt()).contains(NOW.plusSeconds(3600));
    }

    @Test
    @DisplayName("of 8 threads appending the same version, exactly one wins")
    void append_race_oneWinner() throws Exception {
      records.append(T1, rec("race", 1, (byte) 0), Optional.empty());
      for (long v = 2; v <= 30; v++) {
        long version = v;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> fs = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            byte id = (byte) t;
            fs.add(pool.submit(() -> {
              go.await();
              return records.append(T1, rec("race", version, id), Optional.empty());
            }));
          }
          go.countDown();
          int wins = 0;
          for (Future<Boolean> f : fs) {
            wins += f.get(1, TimeUnit.MINUTES) ? 1 : 0;
          }
          assertThat(wins).as("winners of version %d", version).isEqualTo(1);
        } finally {
          pool.shutdownNow();
        }
      }
      assertThat(records.versions(T1, n("race"))).hasSize(30);
    }

    @Test
    @DisplayName("a deleted name takes no append; a destroyed one does, continuing its counter")
    void append_deletedAndDestroyed() {
      records.append(T1, rec("d", 1, (byte) 1), Optional.empty());
      records.setDeleted(T1, n("d"), true, NOW);
      assertThat(records.append(T1, rec("d", 2, (byte) 2), Optional.empty())).isFalse();
      records.setDeleted(T1, n("d"), false, NOW);
      assertThat(records.destroyAll(T1, n("d"), NOW)).isTrue();
      SecretHead tomb = records.head(T1, n("d")).orElseThrow();
      assertThat(tomb.state()).isEqualTo(SecretHead.State.DESTROYED);
      assertThat(tomb.currentVersion()).isEqualTo(1);
      assertThat(records.append(T1, rec("d", 1, (byte) 3), Optional.empty())).isFalse();
      assertThat(records.append(T1, rec("d", 2, (byte) 3), Optional.empty())).isTrue();
      assertThat(records.head(T1, n("d")).orElseThrow().state()).isEqualTo(SecretHead.State.ACTIVE);
      assertThat(records.versions(T1, n("d"))).extracting(VersionInfo::version).containsExactly(2L);
    }
  }

  @Nested
  @DisplayName("reads and lifecycle")
  class ReadsAndLifecycle {
    @Test
    @DisplayName("readLatest skips destroyed versions and hides deleted names")
    void readLatest_states() {
      records.append(T1, rec("r", 1, (byte) 1), Optional.empty());
      records.append(T1, rec("r", 2, (byte) 2), Optional.empty());
      assertThat(records.destroyVersion(T1, n("r"), 2)).isTrue();
      assertThat(records.destroyVersion(T1, n("r"), 2)).isFalse();
      assertThat(records.readLatest(T1, n("r")).orElseThrow().record().version()).isEqualTo(1);
      assertThat(records.readVersion(T1, n("r"), 2)).isEmpty();
      assertThat(records.versions(T1, n("r"))).extracting(VersionInfo::destroyed).containsExactly(false, true);
      assertThat(records.setDeleted(T1, n("r"), true, NOW)).isTrue();
      assertThat(records.setDeleted(T1, n("r"), true, NOW)).isFalse();
      assertThat(records.readLatest(T1, n("r"))).isEmpty();
      assertThat(records.readVersion(T1, n("r"), 1)).isEmpty();
      assertThat(records.updateAttributes(T1, n("r"), SecretAttributes.none(), NOW)).isFalse();
      assertThat(records.setDeleted(T1, n("r"), false, NOW)).isTrue();
      assertThat(records.readLatest(T1, n("r"))).isPresent();
    }

    @Test
    @DisplayName("operations on a name never written report false or empty")
    void missing_name() {
      assertThat(records.head(T1, n("x"))).isEmpty();
      assertThat(records.readLatest(T1, n("x"))).isEmpty();
      assertThat(records.readVersion(T1, n("x"), 1)).isEmpty();
      assertThat(records.versions(T1, n("x"))).isEmpty();
      assertThat(records.setDeleted(T1, n("x"), true, NOW)).isFalse();
      assertThat(records.destroyVersion(T1, n("x"), 1)).isFalse();
      assertThat(records.destroyAll(T1, n("x"), NOW)).isFalse();
      assertThat(records.updateAttributes(T1, n("x"), SecretAttributes.none(), NOW)).isFalse();
    }

    @Test
    @DisplayName("list: active names only, binary order, prefix, after, limit")
    void list_rules() {
      for (String s : List.of("b/2", "a/1", "b/10", "b/1", "c", "B/upper", "b-dash", "b/3")) {
        records.append(T1, rec(s, 1, (byte) 1), Optional.empty());
      }
      records.setDeleted(T1, n("b/3"), true, NOW);
      assertThat(names(records.list(T1, "", Optional.empty(), 100)))
          .containsExactly("B/upper", "a/1", "b-dash", "b/1", "b/10", "b/2", "c");
      assertThat(names(records.list(T1, "b/", Optional.empty(), 100))).containsExactly("b/1", "b/10", "b/2");
      assertThat(names(records.list(T1, "b/", Optional.of(n("b/1")), 100))).containsExactly("b/10", "b/2");
      assertThat(names(records.list(T1, "b/", Optional.of(n("a/1")), 2))).containsExactly("b/1", "b/10");
      assertThat(names(records.list(T1, "b/", Optional.of(n("b/2")), 2))).isEmpty();
      assertThat(names(records.list(T1, "b", Optional.empty(), 100))).containsExactly("b-dash", "b/1", "b/10", "b/2");
    }

    private List<String> names(List<SecretHead> heads) {
      return heads.stream().map(h -> h.name().value()).toList();
    }
  }

  @Nested
  @DisplayName("tenants")
  class Tenants {
    @Test
    @DisplayName("the same name in two tenants is two independent secrets")
    void tenants_isolated() {
      records.append(T1, rec("shared", 1, (byte) 1), Optional.empty());
      assertThat(records.head(T2, n("shared"))).isEmpty();
      assertThat(records.readLatest(T2, n("shared"))).isEmpty();
      assertThat(records.list(T2, "", Optional.empty(), 10)).isEmpty();
      assertThat(records.append(T2, rec("shared", 1, (byte) 2), Optional.empty())).isTrue();
      assertThat(records.destroyAll(T2, n("shared"), NOW)).isTrue();
      assertThat(records.readLatest(T1, n("shared")).orElseThrow().record().ciphertext()).containsExactly(1);
      assertThat(records.setDeleted(T2, n("shared"), true, NOW)).isFalse();
    }

    @Test
    @DisplayName("keysets: insert once, replace by generation, delete, list")
    void keysets_checkAndSet() {
      assertThat(records.tenantKeyset(T1)).isEmpty();
      assertThat(records.putTenantKeyset(T1, new WrappedKeyset(new byte[] {1}, 1), 0)).isTrue();
      assertThat(records.putTenantKeyset(T1, new WrappedKeyset(new byte[] {2}, 1), 0)).isFalse();
      assertThat(records.putTenantKeyset(T1, new WrappedKeyset(new byte[] {3}, 3), 2)).isFalse();
      assertThat(records.putTenantKeyset(T1, new WrappedKeyset(new byte[] {4}, 2), 1)).isTrue();
      assertThat(records.tenantKeyset(T1).orElseThrow()).isEqualTo(new WrappedKeyset(new byte[] {4}, 2));
      assertThatThrownBy(() -> records.putTenantKeyset(T1, new WrappedKeyset(new byte[] {5}, 9), 2))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(records.tenantKeyset(T2)).isEmpty();
      records.putTenantKeyset(T2, new WrappedKeyset(new byte[] {6}, 1), 0);
      assertThat(records.tenants(Optional.empty(), 10)).containsExactly(T1, T2);
      assertThat(records.tenants(Optional.of(T1), 10)).containsExactly(T2);
      assertThat(records.tenants(Optional.empty(), 1)).containsExactly(T1);
      assertThat(records.deleteTenantKeyset(T1)).isTrue();
      assertThat(records.deleteTenantKeyset(T1)).isFalse();
      assertThat(records.tenantKeyset(T1)).isEmpty();
      assertThat(records.tenantKeyset(T2)).isPresent();
    }
  }
}
