package com.lanonasis.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretName;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every value the read cache lets go of is overwritten, and a hit never hands out a wiped one. */
@DisplayName("the read cache wipes what it drops")
class ReadCacheWipeTest {
  private final AtomicLong now =
      new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  private final ReadCache cache = new ReadCache(Duration.ofSeconds(10), 10, clock);

  private ReadCache.Entry cached(String name) {
    byte[] value = ("value of " + name).getBytes(StandardCharsets.UTF_8);
    cache.putLatest(
        SecretName.of(name), cache.generation(), 1, value, Instant.EPOCH, Optional.empty());
    ReadCache.Entry e = cache.latest(name);
    assertThat(e.copy()).isEqualTo(value);
    return e;
  }

  private static byte[] raw(ReadCache.Entry e) throws ReflectiveOperationException {
    Field f = ReadCache.Entry.class.getDeclaredField("value");
    f.setAccessible(true);
    return (byte[]) f.get(e);
  }

  private static void assertWiped(ReadCache.Entry e) throws ReflectiveOperationException {
    assertThat(e.copy()).as("a dropped entry is a miss, never zeros").isNull();
    assertThat(raw(e)).containsOnly(0);
  }

  @Test
  void invalidate_wipes() throws ReflectiveOperationException {
    ReadCache.Entry e = cached("a");
    cache.invalidate("a");
    assertWiped(e);
    assertThat(cache.latest("a")).isNull();
  }

  @Test
  void clear_wipesEverything() throws ReflectiveOperationException {
    ReadCache.Entry a = cached("a");
    ReadCache.Entry b = cached("b");
    cache.clear();
    assertWiped(a);
    assertWiped(b);
    assertThat(cache.size()).isZero();
  }

  @Test
  void expiry_wipes() throws ReflectiveOperationException {
    ReadCache.Entry e = cached("a");
    now.addAndGet(Duration.ofSeconds(10).toMillis());
    assertThat(cache.latest("a")).isNull();
    assertWiped(e);
  }

  @Test
  void eviction_wipes() throws ReflectiveOperationException {
    java.util.List<ReadCache.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(cached("n" + i));
    }
    cached("one-more"); // over the bound: some of the first ten go
    long dropped = entries.stream().filter(e -> cache.latest(e.name().value()) != e).count();
    assertThat(dropped).isPositive();
    for (ReadCache.Entry e : entries) {
      if (cache.latest(e.name().value()) != e) {
        assertWiped(e);
      }
    }
  }

  @Test
  void replaced_wipesTheOldEntry() throws ReflectiveOperationException {
    ReadCache.Entry old = cached("a");
    ReadCache.Entry fresh = cached("a");
    assertThat(fresh).isNotSameAs(old);
    assertWiped(old);
    assertThat(fresh.copy()).isNotNull();
  }
}
