package com.lanonasis.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.spi.AppendResult;
import com.lanonasis.secrets.spi.RecordStore;
import com.lanonasis.secrets.spi.ResealedRecord;
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
 * The contract of the {@link RecordStore} SPI, for authors of local backends. Smaller than {@link
 * SecretStoreContract}, which covers the public behaviour on top; this one pins the atomic rules
 * the common layer relies on. Extend it and implement {@link #newRecordStore()}.
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
    assertThat(records.putTenantKeyset(T1, keyset(1, (byte) 1), 0)).isTrue();
    assertThat(records.putTenantKeyset(T2, keyset(1, (byte) 2), 0)).isTrue();
  }

  @AfterEach
  void close() {
    records.close();
  }

  private static SecretName n(String s) {
    return SecretName.of(s);
  }

  private static WrappedKeyset keyset(long generation, byte... ct) {
    return new WrappedKeyset(ct, generation, 0, NOW);
  }

  /** Appends under the tenant's current keyset generation. */
  private AppendResult append(
      String tenant, SealedRecord r, Optional<SecretAttributes> attributes) {
    return records.append(
        tenant, r, attributes, records.tenantKeyset(tenant).orElseThrow().generation());
  }

  private static SealedRecord rec(String name, long version, byte... ct) {
    return recKey(name, version, 42, ct);
  }

  private static SealedRecord recKey(String name, long version, int keyId, byte... ct) {
    return new SealedRecord(n(name), version, keyId, ct, NOW.plusSeconds(version));
  }

  @Nested
  @DisplayName("append")
  class Append {
    @Test
    @DisplayName("versions must be exactly counter + 1; anything else changes nothing")
    void append_onlyNextVersion() {
      assertThat(append(T1, rec("a", 2, (byte) 1), Optional.empty()))
          .isEqualTo(AppendResult.VERSION_TAKEN);
      assertThat(records.head(T1, n("a"))).isEmpty();
      assertThat(append(T1, rec("a", 1, (byte) 1), Optional.empty()))
          .isEqualTo(AppendResult.APPENDED);
      assertThat(append(T1, rec("a", 1, (byte) 9), Optional.empty()))
          .isEqualTo(AppendResult.VERSION_TAKEN);
      assertThat(append(T1, rec("a", 3, (byte) 9), Optional.empty()))
          .isEqualTo(AppendResult.VERSION_TAKEN);
      assertThat(append(T1, rec("a", 2, (byte) 2), Optional.empty()))
          .isEqualTo(AppendResult.APPENDED);
      SecretHead h = records.head(T1, n("a")).orElseThrow();
      assertThat(h.currentVersion()).isEqualTo(2);
      assertThat(h.state()).isEqualTo(SecretHead.State.ACTIVE);
      assertThat(records.readVersion(T1, n("a"), 1).orElseThrow().record().ciphertext())
          .containsExactly(1);
    }

    @Test
    @DisplayName("ciphertext, key id and timestamps are stored exactly")
    void append_storesExactly() {
      byte[] ct = new byte[300];
      for (int i = 0; i < ct.length; i++) {
        ct[i] = (byte) (i * 7);
      }
      SealedRecord r = new SealedRecord(n("exact"), 1, -123456, ct, NOW);
      append(T1, r, Optional.empty());
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
      SecretAttributes attrs =
          SecretAttributes.none()
              .withDescription("d")
              .withLabels(Map.of("k", "v"))
              .withExpiry(NOW.plusSeconds(3600));
      append(T1, rec("a", 1, (byte) 1), Optional.of(attrs));
      append(T1, rec("a", 2, (byte) 2), Optional.empty());
      assertThat(records.head(T1, n("a")).orElseThrow().attributes()).isEqualTo(attrs);
      assertThat(records.readLatest(T1, n("a")).orElseThrow().expiresAt())
          .contains(NOW.plusSeconds(3600));
    }

    @Test
    @DisplayName("of 8 threads appending the same version, exactly one wins")
    void append_race_oneWinner() throws Exception {
      append(T1, rec("race", 1, (byte) 0), Optional.empty());
      for (long v = 2; v <= 30; v++) {
        long version = v;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> fs = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            byte id = (byte) t;
            fs.add(
                pool.submit(
                    () -> {
                      go.await();
                      return append(T1, rec("race", version, id), Optional.empty())
                          == AppendResult.APPENDED;
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
      append(T1, rec("d", 1, (byte) 1), Optional.empty());
      records.markDeleted(T1, n("d"), NOW);
      assertThat(append(T1, rec("d", 2, (byte) 2), Optional.empty()))
          .isEqualTo(AppendResult.VERSION_TAKEN);
      records.restoreDeleted(T1, n("d"), NOW);
      assertThat(records.destroyAll(T1, n("d"), NOW)).isTrue();
      SecretHead tomb = records.head(T1, n("d")).orElseThrow();
      assertThat(tomb.state()).isEqualTo(SecretHead.State.DESTROYED);
      assertThat(tomb.currentVersion()).isEqualTo(1);
      assertThat(append(T1, rec("d", 1, (byte) 3), Optional.empty()))
          .isEqualTo(AppendResult.VERSION_TAKEN);
      assertThat(append(T1, rec("d", 2, (byte) 3), Optional.empty()))
          .isEqualTo(AppendResult.APPENDED);
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
      append(T1, rec("r", 1, (byte) 1), Optional.empty());
      append(T1, rec("r", 2, (byte) 2), Optional.empty());
      assertThat(records.destroyVersion(T1, n("r"), 2)).isTrue();
      assertThat(records.destroyVersion(T1, n("r"), 2)).isFalse();
      assertThat(records.readLatest(T1, n("r")).orElseThrow().record().version()).isEqualTo(1);
      assertThat(records.readVersion(T1, n("r"), 2)).isEmpty();
      assertThat(records.versions(T1, n("r")))
          .extracting(VersionInfo::destroyed)
          .containsExactly(false, true);
      assertThat(records.markDeleted(T1, n("r"), NOW)).isTrue();
      assertThat(records.markDeleted(T1, n("r"), NOW)).isFalse();
      assertThat(records.readLatest(T1, n("r"))).isEmpty();
      assertThat(records.readVersion(T1, n("r"), 1)).isEmpty();
      assertThat(records.updateAttributes(T1, n("r"), SecretAttributes.none(), NOW)).isFalse();
      assertThat(records.restoreDeleted(T1, n("r"), NOW)).isTrue();
      assertThat(records.readLatest(T1, n("r"))).isPresent();
    }

    @Test
    @DisplayName("operations on a name never written report false or empty")
    void missing_name() {
      assertThat(records.head(T1, n("x"))).isEmpty();
      assertThat(records.readLatest(T1, n("x"))).isEmpty();
      assertThat(records.readVersion(T1, n("x"), 1)).isEmpty();
      assertThat(records.versions(T1, n("x"))).isEmpty();
      assertThat(records.markDeleted(T1, n("x"), NOW)).isFalse();
      assertThat(records.destroyVersion(T1, n("x"), 1)).isFalse();
      assertThat(records.destroyAll(T1, n("x"), NOW)).isFalse();
      assertThat(records.updateAttributes(T1, n("x"), SecretAttributes.none(), NOW)).isFalse();
    }

    @Test
    @DisplayName("list: active names only, binary order, prefix, after, limit")
    void list_rules() {
      for (String s : List.of("b/2", "a/1", "b/10", "b/1", "c", "B/upper", "b-dash", "b/3")) {
        append(T1, rec(s, 1, (byte) 1), Optional.empty());
      }
      records.markDeleted(T1, n("b/3"), NOW);
      assertThat(names(records.list(T1, "", Optional.empty(), 100)))
          .containsExactly("B/upper", "a/1", "b-dash", "b/1", "b/10", "b/2", "c");
      assertThat(names(records.list(T1, "b/", Optional.empty(), 100)))
          .containsExactly("b/1", "b/10", "b/2");
      assertThat(names(records.list(T1, "b/", Optional.of(n("b/1")), 100)))
          .containsExactly("b/10", "b/2");
      assertThat(names(records.list(T1, "b/", Optional.of(n("a/1")), 2)))
          .containsExactly("b/1", "b/10");
      assertThat(names(records.list(T1, "b/", Optional.of(n("b/2")), 2))).isEmpty();
      assertThat(names(records.list(T1, "b", Optional.empty(), 100)))
          .containsExactly("b-dash", "b/1", "b/10", "b/2");
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
      append(T1, rec("shared", 1, (byte) 1), Optional.empty());
      assertThat(records.head(T2, n("shared"))).isEmpty();
      assertThat(records.readLatest(T2, n("shared"))).isEmpty();
      assertThat(records.list(T2, "", Optional.empty(), 10)).isEmpty();
      assertThat(append(T2, rec("shared", 1, (byte) 2), Optional.empty()))
          .isEqualTo(AppendResult.APPENDED);
      assertThat(records.destroyAll(T2, n("shared"), NOW)).isTrue();
      assertThat(records.readLatest(T1, n("shared")).orElseThrow().record().ciphertext())
          .containsExactly(1);
      assertThat(records.markDeleted(T2, n("shared"), NOW)).isFalse();
    }

    @Test
    @DisplayName("keysets: insert once, replace by generation, stored exactly, list")
    void keysets_checkAndSet() {
      String t = "tenant-a";
      assertThat(records.tenantKeyset(t)).isEmpty();
      Instant since = Instant.parse("2026-03-04T05:06:07.123456Z");
      assertThat(records.putTenantKeyset(t, new WrappedKeyset(new byte[] {1}, 1, 7, since), 0))
          .isTrue();
      assertThat(records.putTenantKeyset(t, keyset(1, (byte) 2), 0)).isFalse();
      assertThat(records.putTenantKeyset(t, keyset(3, (byte) 3), 2)).isFalse();
      assertThat(records.tenantKeyset(t).orElseThrow())
          .isEqualTo(new WrappedKeyset(new byte[] {1}, 1, 7, since));
      assertThat(records.putTenantKeyset(t, keyset(2, (byte) 4), 1)).isTrue();
      assertThat(records.tenantKeyset(t).orElseThrow()).isEqualTo(keyset(2, (byte) 4));
      assertThatThrownBy(() -> records.putTenantKeyset(t, keyset(9, (byte) 5), 2))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(records.tenants(Optional.empty(), 10)).containsExactly(t, T1, T2);
      assertThat(records.tenants(Optional.of(T1), 10)).containsExactly(T2);
      assertThat(records.tenants(Optional.empty(), 1)).containsExactly(t);
    }

    @Test
    @DisplayName("a destroyed keyset is a marker whose generation goes on; it is never deleted")
    void keysets_destroyedMarker() {
      assertThat(records.putTenantKeyset(T1, WrappedKeyset.destroyed(2, NOW), 1)).isTrue();
      WrappedKeyset marker = records.tenantKeyset(T1).orElseThrow();
      assertThat(marker.isDestroyed()).isTrue();
      assertThat(marker.generation()).isEqualTo(2);
      assertThat(records.putTenantKeyset(T1, keyset(1, (byte) 9), 0))
          .as("no fresh start at generation 1")
          .isFalse();
      assertThat(records.tenants(Optional.empty(), 10)).contains(T1);
      assertThat(records.putTenantKeyset(T1, keyset(3, (byte) 3), 2)).isTrue();
      assertThat(records.tenantKeyset(T1).orElseThrow().isDestroyed()).isFalse();
      assertThat(records.tenantKeyset(T2).orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    @DisplayName("reserving seals adds to the primary's count without changing the generation")
    void keysets_reserveSeals() {
      assertThat(records.reserveSeals(T1, 1, 64)).hasValue(64);
      assertThat(records.reserveSeals(T1, 1, 128)).hasValue(192);
      assertThat(records.tenantKeyset(T1).orElseThrow().generation()).isEqualTo(1);
      assertThat(records.tenantKeyset(T1).orElseThrow().primarySealed()).isEqualTo(192);
      assertThat(records.reserveSeals(T1, 2, 1)).as("another generation").isEmpty();
      assertThat(records.reserveSeals("tenant-none", 1, 1)).as("no keyset").isEmpty();
      records.putTenantKeyset(T1, WrappedKeyset.destroyed(2, NOW), 1);
      assertThat(records.reserveSeals(T1, 2, 1)).as("destroyed").isEmpty();
      assertThat(records.tenantKeyset(T2).orElseThrow().primarySealed()).isZero();
    }
  }

  @Nested
  @DisplayName("keyset generations")
  class KeysetGenerations {
    @Test
    @DisplayName(
        "an append sealed under another generation, a destroyed keyset or none stores nothing")
    void append_keysetChanged() {
      assertThat(records.append(T1, rec("g", 1, (byte) 1), Optional.empty(), 2))
          .isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.head(T1, n("g"))).isEmpty();
      assertThat(records.append("tenant-none", rec("g", 1, (byte) 1), Optional.empty(), 0))
          .isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.append(T1, rec("g", 1, (byte) 1), Optional.empty(), 1))
          .isEqualTo(AppendResult.APPENDED);
      records.putTenantKeyset(T1, keyset(2, (byte) 7), 1);
      assertThat(records.append(T1, rec("g", 2, (byte) 2), Optional.empty(), 1))
          .isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.append(T1, rec("g", 2, (byte) 2), Optional.empty(), 2))
          .isEqualTo(AppendResult.APPENDED);
      records.putTenantKeyset(T1, WrappedKeyset.destroyed(3, NOW), 2);
      assertThat(records.append(T1, rec("g", 3, (byte) 3), Optional.empty(), 3))
          .isEqualTo(AppendResult.KEYSET_CHANGED);
      assertThat(records.head(T1, n("g")).orElseThrow().currentVersion()).isEqualTo(2);
    }

    @Test
    @DisplayName("reads return the keyset generation of the same moment (0 without a keyset)")
    void reads_carryGeneration() {
      append(T1, rec("r", 1, (byte) 1), Optional.empty());
      assertThat(records.readLatest(T1, n("r")).orElseThrow().keysetGeneration()).isEqualTo(1);
      records.putTenantKeyset(T1, keyset(2, (byte) 7), 1);
      assertThat(records.readLatest(T1, n("r")).orElseThrow().keysetGeneration()).isEqualTo(2);
      records.putTenantKeyset(T1, WrappedKeyset.destroyed(3, NOW), 2);
      assertThat(records.readVersion(T1, n("r"), 1).orElseThrow().keysetGeneration()).isEqualTo(3);
    }

    @Test
    @DisplayName("after a keyset change returns, no append under the old generation is stored")
    void append_raceWithKeysetChange() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> appended = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
          String name = "race/" + t;
          appended.add(
              pool.submit(
                  () -> {
                    started.countDown();
                    int ok = 0;
                    for (long v = 1; v <= 100_000; v++) {
                      AppendResult r =
                          records.append(T1, rec(name, v, (byte) v), Optional.empty(), 1);
                      if (r != AppendResult.APPENDED) {
                        assertThat(r).isEqualTo(AppendResult.KEYSET_CHANGED);
                        return ok;
                      }
                      ok++;
                    }
                    return ok;
                  }));
        }
        started.await();
        while (records.versions(T1, n("race/0")).size() < 5) {
          Thread.onSpinWait();
        }
        assertThat(records.putTenantKeyset(T1, WrappedKeyset.destroyed(2, NOW), 1)).isTrue();
        long atDestroy = 0;
        for (int t = 0; t < 4; t++) {
          atDestroy += records.versions(T1, n("race/" + t)).size();
        }
        long acknowledged = 0;
        for (Future<Integer> f : appended) {
          acknowledged += f.get(2, TimeUnit.MINUTES);
        }
        long stored = 0;
        for (int t = 0; t < 4; t++) {
          stored += records.versions(T1, n("race/" + t)).size();
        }
        assertThat(stored)
            .as("every acknowledged append stored, nothing else")
            .isEqualTo(acknowledged);
        assertThat(stored).as("nothing stored after the destroy returned").isEqualTo(atDestroy);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  @DisplayName("re-sealing")
  class Resealing {
    @Test
    @DisplayName(
        "sealedRecords: values not under the given key, any name state, (name, version) order, paged")
    void sealedRecords_scan() {
      append(T1, recKey("b", 1, 7, (byte) 1), Optional.empty());
      append(T1, recKey("b", 2, 8, (byte) 2), Optional.empty());
      append(T1, recKey("b", 3, 7, (byte) 3), Optional.empty());
      append(T1, recKey("a", 1, 7, (byte) 4), Optional.empty());
      append(T1, recKey("c", 1, 7, (byte) 5), Optional.empty());
      append(T1, recKey("c", 2, 7, (byte) 6), Optional.empty());
      append(T2, recKey("a", 1, 7, (byte) 9), Optional.empty());
      records.destroyVersion(T1, n("b"), 3);
      records.markDeleted(T1, n("c"), NOW);
      assertThat(refs(records.sealedRecords(T1, 8, Optional.empty(), 100)))
          .containsExactly("a@1", "b@1", "c@1", "c@2");
      assertThat(refs(records.sealedRecords(T1, 8, Optional.empty(), 2)))
          .containsExactly("a@1", "b@1");
      SealedRecord b1 = records.sealedRecords(T1, 8, Optional.empty(), 2).get(1);
      assertThat(refs(records.sealedRecords(T1, 8, Optional.of(b1), 2)))
          .containsExactly("c@1", "c@2");
      assertThat(refs(records.sealedRecords(T1, 7, Optional.empty(), 100))).containsExactly("b@2");
      assertThat(records.sealedRecords(T1, 8, Optional.empty(), 100).get(0).ciphertext())
          .containsExactly(4);
      assertThat(records.sealedCountsByKeyId(T1)).isEqualTo(Map.of(7, 4L, 8, 1L));
    }

    @Test
    @DisplayName(
        "reseal replaces a row only if it still holds what was read, and only under the same generation")
    void reseal_conditional() {
      append(T1, recKey("x", 1, 7, (byte) 1), Optional.empty());
      append(T1, recKey("x", 2, 7, (byte) 2), Optional.empty());
      append(T1, recKey("y", 1, 7, (byte) 3), Optional.empty());
      records.destroyVersion(T1, n("x"), 2);
      List<ResealedRecord> batch =
          List.of(
              new ResealedRecord(n("x"), 1, 7, 9, new byte[] {11}),
              new ResealedRecord(n("x"), 2, 7, 9, new byte[] {12}),
              new ResealedRecord(n("y"), 1, 6, 9, new byte[] {13}),
              new ResealedRecord(n("z"), 1, 7, 9, new byte[] {14}));
      assertThat(records.reseal(T1, 2, batch)).as("another generation").isEmpty();
      assertThat(records.readVersion(T1, n("x"), 1).orElseThrow().record().keyId()).isEqualTo(7);
      assertThat(records.reseal(T1, 1, batch)).hasValue(1);
      SealedRecord x1 = records.readVersion(T1, n("x"), 1).orElseThrow().record();
      assertThat(x1.keyId()).isEqualTo(9);
      assertThat(x1.ciphertext()).containsExactly(11);
      assertThat(x1.createdAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(NOW.plusSeconds(1));
      assertThat(records.readVersion(T1, n("x"), 2)).as("destroyed stays destroyed").isEmpty();
      assertThat(records.readLatest(T1, n("y")).orElseThrow().record().ciphertext())
          .containsExactly(3);
      assertThat(records.reseal(T1, 1, batch)).as("already re-sealed").hasValue(0);
      assertThat(records.head(T1, n("z"))).isEmpty();
      assertThat(records.sealedCountsByKeyId(T1)).isEqualTo(Map.of(9, 1L, 7, 1L));
      records.putTenantKeyset(T1, WrappedKeyset.destroyed(2, NOW), 1);
      assertThat(
              records.reseal(T1, 2, List.of(new ResealedRecord(n("y"), 1, 7, 9, new byte[] {13}))))
          .as("destroyed keyset")
          .isEmpty();
    }

    private List<String> refs(List<SealedRecord> rs) {
      return rs.stream().map(r -> r.name().value() + "@" + r.version()).toList();
    }
  }
}
