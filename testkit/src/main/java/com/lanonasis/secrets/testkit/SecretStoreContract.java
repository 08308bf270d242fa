package com.lanonasis.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.TenantId;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.VersionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SecretStore} keeps, whatever its backend. A backend's test extends this
 * class and implements {@link #newStore()}:
 *
 * <pre>{@code
 * class MyBackendContractTest extends SecretStoreContract {
 *   @Override
 *   protected SecretStore newStore() {
 *     return SecretStores.builder().uri("mine://...").open();
 *   }
 * }
 * }</pre>
 *
 * <p>Override the hooks that apply to your backend: {@link #openedTenant()} when you open the store
 * for a known tenant, {@link #secondStoreOnSameStorage()} when a second instance can share its
 * storage, {@link #unreachableStore()} when its storage can become unavailable, and {@link
 * #maxValueBytes()} when you configure another limit.
 *
 * <p>Each test gets a fresh, empty store and closes it afterwards. The suite asserts behaviour
 * through the public API only, so legitimate differences between backends (timestamps' precision,
 * how a conflict is detected) do not fail it.
 *
 * @since 0.1
 */
public abstract class SecretStoreContract {
  /** A value planted in every flow; it must never surface in a message or a {@code toString}. */
  protected static final String SENTINEL = "S3NTINEL-c0ntract-9f1b7e";

  /** The store under test, fresh for each test. */
  protected SecretStore store;

  /** A new store over new, empty storage. Called once per test. */
  protected abstract SecretStore newStore();

  /**
   * A second store over the same storage and tenant as {@link #store}, as another instance of the
   * application would open it (its own pool, its own cache). Concurrency tests spread their writers
   * over both. Empty by default: the writers then share {@link #store}.
   */
  protected Optional<SecretStore> secondStoreOnSameStorage() {
    return Optional.empty();
  }

  /** The value size limit the store was opened with. Default 64 KiB. */
  protected int maxValueBytes() {
    return 64 * 1024;
  }

  /**
   * The tenant {@link #newStore()} opened the store for, when the test knows it; the contract then
   * checks that {@link SecretStore#tenant()} reports exactly that one (a store opened without a
   * tenant has {@code default}). Empty by default, for a store whose tenant is decided elsewhere,
   * as a remote store takes its API key's; then only the tenant's form and stability are checked.
   */
  protected Optional<String> openedTenant() {
    return Optional.empty();
  }

  /**
   * A way to open a store of this backend whose storage cannot be reached (a database server that
   * is not listening, a remote server that is down): the contract checks that opening or using it
   * fails with a retryable {@link BackendUnavailableException}. Empty by default, for a backend
   * with no storage that can become unavailable (memory).
   */
  protected Optional<Supplier<SecretStore>> unreachableStore() {
    return Optional.empty();
  }

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static SecretValue utf8(String s) {
    return SecretValue.ofUtf8(s);
  }

  private String read(String name) {
    try (Secret s = store.get(name)) {
      return s.value().asUtf8();
    }
  }

  @Nested
  @DisplayName("put and get")
  class PutAndGet {
    @Test
    @DisplayName("a value written can be read back, as the first version")
    void put_newName_readsBackAsVersion1() {
      VersionInfo v = store.put("app/db/password", utf8("hunter2"));
      assertThat(v.version()).isEqualTo(1);
      assertThat(v.name().value()).isEqualTo("app/db/password");
      assertThat(v.destroyed()).isFalse();
      try (Secret s = store.get("app/db/password")) {
        assertThat(s.value().asUtf8()).isEqualTo("hunter2");
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.name().value()).isEqualTo("app/db/password");
      }
    }

    @Test
    @DisplayName("each put adds a version; get returns the newest, get(name, n) any live one")
    void put_repeated_addsVersions() {
      for (int i = 1; i <= 5; i++) {
        assertThat(store.put("k", utf8("v" + i)).version()).isEqualTo(i);
      }
      assertThat(read("k")).isEqualTo("v5");
      for (int i = 1; i <= 5; i++) {
        try (Secret s = store.get("k", i)) {
          assertThat(s.value().asUtf8()).isEqualTo("v" + i);
          assertThat(s.version()).isEqualTo(i);
        }
      }
      assertThat(store.versions("k"))
          .extracting(VersionInfo::version)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    @DisplayName("names in different paths are independent")
    void put_siblingNames_independent() {
      store.put("a/b", utf8("1"));
      store.put("a/b/c", utf8("2"));
      store.put("a/bc", utf8("3"));
      assertThat(read("a/b")).isEqualTo("1");
      assertThat(read("a/b/c")).isEqualTo("2");
      assertThat(read("a/bc")).isEqualTo("3");
    }

    @Test
    @DisplayName("a returned value is the caller's copy: wiping it does not change the store")
    void get_wipeReturnedValue_storeUnchanged() {
      store.put("k", utf8("keep-me"));
      Secret first = store.get("k");
      first.value().wipe();
      assertThat(read("k")).isEqualTo("keep-me");
      SecretValue mine = utf8("mine");
      store.put("k2", mine);
      mine.wipe();
      assertThat(read("k2")).isEqualTo("mine");
    }

    @Test
    @DisplayName("unicode text round-trips exactly")
    void put_unicode_roundTrips() {
      String text = "pässwörd ✓ 密码 пароль \uD83D\uDD11 \u0000 end";
      store.put("unicode", utf8(text));
      assertThat(read("unicode")).isEqualTo(text);
    }

    @Test
    @DisplayName("binary values, every byte value included, round-trip exactly")
    void put_binary_roundTrips() {
      byte[] all = new byte[512];
      for (int i = 0; i < all.length; i++) {
        all[i] = (byte) i;
      }
      store.put("binary", SecretValue.of(all));
      try (Secret s = store.get("binary")) {
        assertThat(s.value().bytes()).isEqualTo(all);
      }
    }

    @Test
    @DisplayName("an empty value is a value")
    void put_empty_roundTrips() {
      store.put("empty", SecretValue.of(new byte[0]));
      try (Secret s = store.get("empty")) {
        assertThat(s.value().length()).isZero();
      }
    }

    @Test
    @DisplayName("a read secret prints its name and version, never its value")
    void get_toString_redacted() {
      store.put("printed", utf8(SENTINEL));
      try (Secret s = store.get("printed")) {
        assertThat(s.toString()).contains("printed").doesNotContain(SENTINEL);
        assertThat(s.value().toString()).isEqualTo("SecretValue[redacted]");
      }
      assertThat(store.toString()).doesNotContain(SENTINEL);
    }
  }

  @Nested
  @DisplayName("batch reads (getAll)")
  class BatchReads {
    private List<String> values(Map<String, Secret> read) {
      List<String> out = new ArrayList<>();
      read.values().forEach(s -> out.add(s.value().asUtf8()));
      return out;
    }

    private void closeAll(Map<String, Secret> read) {
      read.values().forEach(Secret::close);
    }

    @Test
    @DisplayName("reads every name's newest version, in the order asked (not name order)")
    void getAll_returnsEveryNameInTheOrderAsked() {
      store.put("app/b", utf8("b1"));
      store.put("app/b", utf8("b2"));
      store.put("app/a", utf8("a1"));
      store.put("app/c", utf8(SENTINEL));
      Map<String, Secret> read = store.getAll(List.of("app/c", "app/a", "app/b"));
      try {
        assertThat(read.keySet()).containsExactly("app/c", "app/a", "app/b");
        assertThat(values(read)).containsExactly(SENTINEL, "a1", "b2");
        assertThat(Objects.requireNonNull(read.get("app/b")).version()).isEqualTo(2);
        assertThat(Objects.requireNonNull(read.get("app/a")).name().value()).isEqualTo("app/a");
        assertThat(read.toString()).doesNotContain(SENTINEL);
      } finally {
        closeAll(read);
      }
      assertThatThrownBy(() -> read.put("x", read.get("app/a")))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("more names than one request of a remote store carries (250) are all read")
    void getAll_manyNames_allRead() {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        String name = String.format("many/n%03d", 249 - i);
        store.put(name, utf8("v" + (249 - i)));
        names.add(name);
      }
      Map<String, Secret> read = store.getAll(names);
      try {
        assertThat(List.copyOf(read.keySet())).isEqualTo(names);
        assertThat(Objects.requireNonNull(read.get("many/n007")).value().asUtf8()).isEqualTo("v7");
        assertThat(Objects.requireNonNull(read.get("many/n249")).value().asUtf8())
            .isEqualTo("v249");
      } finally {
        closeAll(read);
      }
    }

    @Test
    @DisplayName("an empty list reads nothing")
    void getAll_empty_isEmpty() {
      assertThat(store.getAll(List.of())).isEmpty();
    }

    @Test
    @DisplayName("a missing, deleted or expired name fails the call as get does, naming the first")
    void getAll_missingName_throwsNotFoundForTheFirst() {
      store.put("here", utf8(SENTINEL));
      store.put("deleted", utf8("d"));
      store.delete("deleted");
      store.put(
          "expired",
          utf8("e"),
          PutOptions.upsert()
              .withAttributes(
                  SecretAttributes.none().withExpiry(Instant.now().minus(Duration.ofHours(1)))));
      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class,
              () -> store.getAll(List.of("here", "nowhere", "deleted")));
      assertThat(e.name()).isEqualTo("nowhere");
      assertThat(e.getMessage()).contains("nowhere").doesNotContain(SENTINEL);
      assertThat(
              catchThrowableOfType(
                      SecretNotFoundException.class,
                      () -> store.getAll(List.of("here", "deleted", "nowhere")))
                  .name())
          .isEqualTo("deleted");
      assertThat(
              catchThrowableOfType(
                      SecretNotFoundException.class, () -> store.getAll(List.of("expired", "here")))
                  .name())
          .isEqualTo("expired");
      assertThat(read("here")).isEqualTo(SENTINEL);
    }

    @Test
    @DisplayName("a bad name or a name given twice is refused before anything is read")
    void getAll_badInput_refused() {
      store.put("ok", utf8("v"));
      assertThatThrownBy(() -> store.getAll(List.of("ok", "../bad")))
          .isInstanceOf(InvalidSecretNameException.class);
      assertThatThrownBy(() -> store.getAll(List.of("ok", "nowhere", "ok")))
          .isInstanceOf(InvalidInputException.class)
          .isNotInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("ok");
      assertThatThrownBy(() -> store.getAll(java.util.Arrays.asList("ok", null)))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName(
        "values read in a batch are the caller's copies: wiping one changes nothing stored")
    void getAll_wipeValues_storeUnchanged() {
      store.put("w/1", utf8("one"));
      store.put("w/2", utf8("two"));
      Map<String, Secret> read = store.getAll(List.of("w/1", "w/2"));
      closeAll(read);
      assertThat(read("w/1")).isEqualTo("one");
      assertThat(read("w/2")).isEqualTo("two");
    }
  }

  @Nested
  @DisplayName("check-and-set")
  class CheckAndSet {
    @Test
    @DisplayName("expected version 0 creates a secret that does not exist yet")
    void put_expectZeroOnAbsent_creates() {
      assertThat(store.put("cas", utf8("a"), PutOptions.ifVersion(0)).version()).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "expected version 0 on an existing secret conflicts and reports the current version")
    void put_expectZeroOnExisting_conflicts() {
      store.put("cas", utf8("a"));
      store.put("cas", utf8("b"));
      VersionConflictException e =
          catchThrowableOfType(
              VersionConflictException.class,
              () -> store.put("cas", utf8(SENTINEL), PutOptions.ifVersion(0)));
      assertThat(e.currentVersion()).isEqualTo(2);
      assertThat(e.expectedVersion()).isZero();
      assertThat(e.getMessage()).contains("cas").doesNotContain(SENTINEL);
      assertThat(read("cas")).isEqualTo("b");
    }

    @Test
    @DisplayName("the right expected version writes; a stale one conflicts and writes nothing")
    void put_staleVersion_conflictsAndChangesNothing() {
      store.put("cas", utf8("a"));
      assertThat(store.put("cas", utf8("b"), PutOptions.ifVersion(1)).version()).isEqualTo(2);
      VersionConflictException e =
          catchThrowableOfType(
              VersionConflictException.class,
              () -> store.put("cas", utf8("c"), PutOptions.ifVersion(1)));
      assertThat(e.currentVersion()).isEqualTo(2);
      assertThat(store.versions("cas")).hasSize(2);
      assertThat(read("cas")).isEqualTo("b");
    }

    @Test
    @DisplayName("expecting a version of an absent secret conflicts with current version 0")
    void put_expectVersionOnAbsent_conflicts() {
      VersionConflictException e =
          catchThrowableOfType(
              VersionConflictException.class,
              () -> store.put("nope", utf8("x"), PutOptions.ifVersion(3)));
      assertThat(e.currentVersion()).isZero();
      assertThatThrownBy(() -> store.get("nope")).isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    @DisplayName("8 threads x 500 CAS increments of one counter lose no update")
    void put_concurrentCasIncrements_noLostUpdate() throws Exception {
      int threads = 8;
      int increments = 500;
      store.put("counter", utf8("0"));
      List<SecretStore> stores = new ArrayList<>();
      stores.add(store);
      Optional<SecretStore> second = secondStoreOnSameStorage();
      second.ifPresent(stores::add);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          SecretStore s = stores.get(t % stores.size());
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    int conflicts = 0;
                    for (int i = 0; i < increments; ) {
                      Secret current = s.get("counter");
                      long next = Long.parseLong(current.value().asUtf8()) + 1;
                      try {
                        s.put(
                            "counter",
                            utf8(Long.toString(next)),
                            PutOptions.ifVersion(current.version()));
                        i++;
                      } catch (VersionConflictException lost) {
                        conflicts++;
                      }
                    }
                    return conflicts;
                  }));
        }
        start.countDown();
        for (Future<Integer> f : results) {
          f.get(10, TimeUnit.MINUTES); // a hang guard, not a performance bound
        }
      } finally {
        pool.shutdownNow();
      }
      try (Secret end = store.get("counter")) {
        assertThat(end.value().asUtf8()).isEqualTo(Integer.toString(threads * increments));
        assertThat(end.version()).isEqualTo(1L + (long) threads * increments);
      }
      List<VersionInfo> versions = store.versions("counter");
      assertThat(versions).hasSize(1 + threads * increments);
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i).version()).isEqualTo(i + 1L);
      }
      second.ifPresent(SecretStore::close);
    }

    @Test
    @DisplayName("concurrent unconditional puts all land, on distinct consecutive versions")
    void put_concurrentUpserts_distinctVersions() throws Exception {
      int threads = 4;
      int each = 100;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      seen.add(store.put("upsert", utf8(id + ":" + i)).version());
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(seen).hasSize(threads * each);
      assertThat(store.versions("upsert")).hasSize(threads * each);
      assertThat(store.get("upsert").version()).isEqualTo((long) threads * each);
    }
  }

  @Nested
  @DisplayName("listing")
  class Listing {
    @Test
    @DisplayName("2,000+ names page by cursor, in order, each exactly once, with prefixes")
    void list_manyNames_pagesCompletely() {
      List<String> expectedA = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String a = String.format("app/a/key-%04d", i);
        String b = String.format("app/b/key-%04d", i);
        store.put(a, utf8("x"));
        store.put(b, utf8("y"));
        expectedA.add(a);
      }
      store.put("zzz/last", utf8("z"));
      store.put("app/a", utf8("parent"));

      List<String> all = collect(ListOptions.all().withLimit(137));
      assertThat(all).hasSize(2002).doesNotHaveDuplicates().isSorted();

      assertThat(collect(ListOptions.prefix("app/a/").withLimit(100)))
          .containsExactlyElementsOf(expectedA);
      assertThat(collect(ListOptions.prefix("app/a").withLimit(1000)))
          .hasSize(1001)
          .startsWith("app/a");
      assertThat(collect(ListOptions.prefix("app/b/key-00").withLimit(7))).hasSize(100);
      assertThat(collect(ListOptions.prefix("nothing/"))).isEmpty();
    }

    @Test
    @DisplayName("a page holds at most the limit, and the last page has no cursor")
    void list_limits_respected() {
      for (int i = 0; i < 5; i++) {
        store.put("p/" + i, utf8("v"));
      }
      Page<SecretMetadata> first = store.list(ListOptions.prefix("p/").withLimit(2));
      assertThat(first.items()).extracting(m -> m.name().value()).containsExactly("p/0", "p/1");
      assertThat(first.nextCursor()).isPresent();
      Page<SecretMetadata> exact = store.list(ListOptions.prefix("p/").withLimit(5));
      assertThat(exact.items()).hasSize(5);
      assertThat(exact.nextCursor()).isEmpty();
    }

    @Test
    @DisplayName("listing shows metadata and never a value")
    void list_metadataOnly() {
      store.put(
          "meta",
          utf8(SENTINEL),
          PutOptions.upsert()
              .withAttributes(
                  SecretAttributes.none().withDescription("db").withLabels(Map.of("env", "prod"))));
      store.put("meta", utf8(SENTINEL + "2"));
      SecretMetadata m = store.list(ListOptions.all()).items().get(0);
      assertThat(m.name().value()).isEqualTo("meta");
      assertThat(m.currentVersion()).isEqualTo(2);
      assertThat(m.attributes().description()).isEqualTo("db");
      assertThat(m.attributes().labels()).containsEntry("env", "prod");
      assertThat(m.toString()).doesNotContain(SENTINEL);
    }

    @Test
    @DisplayName("a cursor that the store did not issue is rejected")
    void list_forgedCursor_rejected() {
      assertThatThrownBy(() -> store.list(ListOptions.all().after("not-a-cursor!")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("cursor");
    }

    @Test
    @DisplayName("a prefix with characters no name can hold is rejected")
    void list_badPrefix_rejected() {
      assertThatThrownBy(() -> store.list(ListOptions.prefix("a b")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("prefix");
    }

    private List<String> collect(ListOptions opts) {
      List<String> names = new ArrayList<>();
      Page<SecretMetadata> page = store.list(opts);
      int pages = 1;
      while (true) {
        assertThat(page.items().size()).isLessThanOrEqualTo(opts.limit());
        page.items().forEach(m -> names.add(m.name().value()));
        if (page.nextCursor().isEmpty()) {
          return names;
        }
        page = store.list(opts.after(page.nextCursor().get()));
        assertThat(++pages).as("pages").isLessThan(10_000);
      }
    }
  }

  @Nested
  @DisplayName("delete, restore, destroy")
  class Lifecycle {
    @Test
    @DisplayName("a deleted secret is hidden everywhere until restored, then intact")
    void delete_thenRestore_hiddenThenBack() {
      store.put("d", utf8("1"));
      store.put("d", utf8("2"));
      store.delete("d");
      assertThatThrownBy(() -> store.get("d")).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.get("d", 1)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.metadata("d")).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.versions("d")).isInstanceOf(SecretNotFoundException.class);
      assertThat(store.list(ListOptions.all()).items()).isEmpty();
      store.restore("d");
      assertThat(read("d")).isEqualTo("2");
      assertThat(store.versions("d")).hasSize(2);
    }

    @Test
    @DisplayName("a deleted secret takes no new version; it must be restored first")
    void put_onDeleted_refused() {
      store.put("d", utf8("1"));
      store.delete("d");
      assertThatThrownBy(() -> store.put("d", utf8(SENTINEL)))
          .isInstanceOf(SecretDeletedException.class)
          .hasMessageContaining("'d'")
          .hasMessageNotContaining(SENTINEL);
      store.restore("d");
      assertThat(store.versions("d")).hasSize(1);
    }

    @Test
    @DisplayName("delete of a missing or deleted secret, and restore of a live one, are not found")
    void delete_restore_wrongState_notFound() {
      assertThatThrownBy(() -> store.delete("missing")).isInstanceOf(SecretNotFoundException.class);
      store.put("x", utf8("1"));
      assertThatThrownBy(() -> store.restore("x")).isInstanceOf(SecretNotFoundException.class);
      store.delete("x");
      assertThatThrownBy(() -> store.delete("x")).isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    @DisplayName("destroying one version erases it for good; its number stays taken")
    void destroyVersion_erasesOne() {
      store.put("v", utf8("1"));
      store.put("v", utf8("2"));
      store.put("v", utf8("3"));
      store.destroy("v", 2);
      assertThatThrownBy(() -> store.get("v", 2)).isInstanceOf(SecretNotFoundException.class);
      assertThat(read("v")).isEqualTo("3");
      assertThat(store.versions("v"))
          .extracting(VersionInfo::destroyed)
          .containsExactly(false, true, false);
      assertThatThrownBy(() -> store.destroy("v", 2)).isInstanceOf(SecretNotFoundException.class);
      assertThat(store.put("v", utf8("4")).version()).isEqualTo(4);
    }

    @Test
    @DisplayName("destroying the newest version makes get fall back to the newest live one")
    void destroyLatest_getFallsBack() {
      store.put("v", utf8("1"));
      store.put("v", utf8("2"));
      store.destroy("v", 2);
      try (Secret s = store.get("v")) {
        assertThat(s.version()).isEqualTo(1);
      }
      assertThat(store.metadata("v").currentVersion()).isEqualTo(2);
      assertThat(store.put("v", utf8("3")).version()).isEqualTo(3);
    }

    @Test
    @DisplayName("destroying every version of the only live one leaves nothing to get")
    void destroyOnlyVersion_getNotFound() {
      store.put("v", utf8("1"));
      store.destroy("v", 1);
      assertThatThrownBy(() -> store.get("v")).isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    @DisplayName("destroying a secret erases it all; writing it again continues the numbering")
    void destroyAll_thenRecreate_noVersionReuse() {
      store.put(
          "gone",
          utf8("1"),
          PutOptions.upsert().withAttributes(SecretAttributes.none().withDescription("old")));
      store.put("gone", utf8("2"));
      store.destroy("gone");
      assertThatThrownBy(() -> store.get("gone")).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.get("gone", 1)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.metadata("gone")).isInstanceOf(SecretNotFoundException.class);
      assertThat(store.list(ListOptions.all()).items()).isEmpty();
      assertThatThrownBy(() -> store.destroy("gone")).isInstanceOf(SecretNotFoundException.class);
      VersionInfo again = store.put("gone", utf8("3"), PutOptions.ifVersion(0));
      assertThat(again.version()).isEqualTo(3);
      assertThat(store.metadata("gone").attributes().description()).isEmpty();
      assertThat(store.versions("gone")).extracting(VersionInfo::version).containsExactly(3L);
    }

    @Test
    @DisplayName("a deleted secret can be destroyed")
    void destroy_deleted_works() {
      store.put("dd", utf8("1"));
      store.delete("dd");
      store.destroy("dd");
      assertThatThrownBy(() -> store.restore("dd")).isInstanceOf(SecretNotFoundException.class);
    }
  }

  @Nested
  @DisplayName("attributes and expiry")
  class Attributes {
    @Test
    @DisplayName("attributes set with a put are kept by later puts without attributes")
    void put_attributes_keptAcrossVersions() {
      SecretAttributes attrs =
          SecretAttributes.none()
              .withDescription("primary db")
              .withLabels(Map.of("env", "prod", "team", "core"));
      store.put("a", utf8("1"), PutOptions.upsert().withAttributes(attrs));
      store.put("a", utf8("2"));
      SecretMetadata m = store.metadata("a");
      assertThat(m.attributes()).isEqualTo(attrs);
      assertThat(m.currentVersion()).isEqualTo(2);
      assertThat(m.updatedAt()).isAfterOrEqualTo(m.createdAt());
    }

    @Test
    @DisplayName("updateAttributes replaces them without a new version")
    void updateAttributes_noNewVersion() {
      store.put("a", utf8("1"));
      SecretMetadata m =
          store.updateAttributes("a", SecretAttributes.none().withDescription("now described"));
      assertThat(m.attributes().description()).isEqualTo("now described");
      assertThat(m.currentVersion()).isEqualTo(1);
      assertThatThrownBy(() -> store.updateAttributes("missing", SecretAttributes.none()))
          .isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    @DisplayName("an expired secret reads as not found but is still listed")
    void get_expired_notFound() {
      Instant past = Instant.now().minus(Duration.ofHours(1));
      store.put(
          "exp",
          utf8("old"),
          PutOptions.upsert().withAttributes(SecretAttributes.none().withExpiry(past)));
      assertThatThrownBy(() -> store.get("exp"))
          .isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("expired");
      assertThat(store.list(ListOptions.all()).items())
          .extracting(m -> m.name().value())
          .containsExactly("exp");
      store.updateAttributes(
          "exp", SecretAttributes.none().withExpiry(Instant.now().plus(Duration.ofDays(1))));
      assertThat(read("exp")).isEqualTo("old");
    }
  }

  @Nested
  @DisplayName("limits and errors")
  class LimitsAndErrors {
    @Test
    @DisplayName("a 256-character name works; 257 is refused")
    void name_atLimitAndOnePast() {
      String max = "n/" + "x".repeat(254);
      store.put(max, utf8("ok"));
      assertThat(read(max)).isEqualTo("ok");
      assertThatThrownBy(() -> store.put(max + "x", utf8("no")))
          .isInstanceOf(InvalidSecretNameException.class)
          .hasMessageContaining("256");
    }

    @Test
    @DisplayName(
        "a value at the limit works; one byte more is refused with both sizes, and nothing is written")
    void value_atLimitAndOnePast() {
      byte[] max = new byte[maxValueBytes()];
      java.util.Arrays.fill(max, (byte) 7);
      store.put("big", SecretValue.of(max));
      try (Secret s = store.get("big")) {
        assertThat(s.value().bytes()).isEqualTo(max);
      }
      SecretTooLargeException e =
          catchThrowableOfType(
              SecretTooLargeException.class,
              () -> store.put("big", SecretValue.of(new byte[maxValueBytes() + 1])));
      assertThat(e.size()).isEqualTo(maxValueBytes() + 1);
      assertThat(e.limit()).isEqualTo(maxValueBytes());
      assertThat(e.getMessage()).contains("big").contains(Integer.toString(maxValueBytes()));
      assertThat(store.versions("big")).hasSize(1);
    }

    @Test
    @DisplayName("invalid names are refused by every operation, and nothing changes")
    void invalidNames_refusedEverywhere() {
      store.put("ok", utf8("1"));
      for (String bad :
          List.of(
              "",
              "/lead",
              "trail/",
              "a//b",
              ".",
              "..",
              "a/./b",
              "a/../b",
              "../etc/passwd",
              "sp ace",
              "tab\t",
              "new\nline",
              "ü",
              "a\\b",
              "x".repeat(257))) {
        List<Consumer<String>> ops =
            List.of(
                n -> store.put(n, utf8(SENTINEL)),
                n -> store.put(n, utf8(SENTINEL), PutOptions.ifVersion(0)),
                store::get,
                n -> store.get(n, 1),
                store::metadata,
                store::versions,
                store::delete,
                store::restore,
                store::destroy,
                n -> store.destroy(n, 1),
                n -> store.updateAttributes(n, SecretAttributes.none()));
        for (Consumer<String> op : ops) {
          assertThatThrownBy(() -> op.accept(bad))
              .as("name %s", bad.replace("\n", "\\n"))
              .isInstanceOf(InvalidSecretNameException.class)
              .hasMessageNotContaining(SENTINEL)
              .hasMessageNotContaining("\n");
        }
      }
      assertThat(store.list(ListOptions.all()).items())
          .extracting(m -> m.name().value())
          .containsExactly("ok");
      assertThat(store.versions("ok")).hasSize(1);
    }

    @Test
    @DisplayName("missing secrets and versions are typed not-found errors naming the secret")
    void missing_notFound() {
      SecretNotFoundException e =
          catchThrowableOfType(SecretNotFoundException.class, () -> store.get("no/such"));
      assertThat(e.name()).isEqualTo("no/such");
      assertThat(e.getMessage()).contains("no/such");
      store.put("one", utf8(SENTINEL));
      assertThatThrownBy(() -> store.get("one", 2))
          .isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("version 2")
          .hasMessageNotContaining(SENTINEL);
      assertThatThrownBy(() -> store.destroy("one", 9)).isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> store.versions("no/such"))
          .isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    @DisplayName("version numbers below 1 are invalid input")
    void version_zero_invalid() {
      store.put("v", utf8("1"));
      assertThatThrownBy(() -> store.get("v", 0)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.destroy("v", -1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("every error is a SecretsException; only unavailability is retryable")
    void errors_shareOneRoot() {
      List<Runnable> failing =
          List.of(
              () -> store.get("missing"),
              () -> store.put("bad name", utf8("x")),
              () -> store.put("x", SecretValue.of(new byte[maxValueBytes() + 1])));
      for (Runnable r : failing) {
        SecretsException e = catchThrowableOfType(SecretsException.class, r::run);
        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
      }
      assertThat(new BackendUnavailableException("storage down").isRetryable()).isTrue();
      unreachableStore()
          .ifPresent(
              open -> {
                Throwable e =
                    catchThrowable(
                        () -> {
                          try (SecretStore unreachable = open.get()) {
                            unreachable.get("anything");
                          }
                        });
                assertThat(e).isInstanceOf(BackendUnavailableException.class);
                assertThat(((SecretsException) e).isRetryable()).isTrue();
              });
    }

    @Test
    @DisplayName("the tenant reported is the one the store was opened for, and it stays the same")
    void tenant_reported() {
      String tenant = store.tenant();
      assertThat(TenantId.isValid(tenant)).as("a valid tenant id: %s", tenant).isTrue();
      openedTenant().ifPresent(expected -> assertThat(tenant).isEqualTo(expected));
      store.put("tenant/probe", utf8("x"));
      assertThat(store.tenant()).isEqualTo(tenant);
      Optional<SecretStore> second = secondStoreOnSameStorage();
      try {
        second.ifPresent(s -> assertThat(s.tenant()).isEqualTo(tenant));
      } finally {
        second.ifPresent(SecretStore::close);
      }
    }

    @Test
    @DisplayName("values survive a round trip through the store byte for byte at every size")
    void values_manySizes_roundTrip() {
      java.util.Random r = new java.util.Random(42);
      Set<Integer> sizes =
          new HashSet<>(List.of(0, 1, 15, 16, 17, 255, 256, 1024, 4096, maxValueBytes() - 1));
      sizes.removeIf(s -> s > maxValueBytes());
      for (int size : sizes) {
        byte[] v = new byte[size];
        r.nextBytes(v);
        store.put("size/" + size, SecretValue.of(v));
        try (Secret s = store.get("size/" + size)) {
          assertThat(s.value().bytes()).isEqualTo(v);
        }
      }
      assertThat(store.list(ListOptions.prefix("size/")).items()).hasSize(sizes.size());
    }
  }
}
