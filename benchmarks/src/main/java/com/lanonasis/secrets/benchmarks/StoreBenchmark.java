package com.lanonasis.secrets.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Put and get on the {@code memory:} store, each beside a baseline measured in the same run, so the
 * library's overhead reads as a ratio:
 *
 * <ul>
 *   <li>{@link #get} vs {@link #baselineGet}: a {@link ConcurrentHashMap} of ciphertexts plus a raw
 *       Tink AES-256-GCM open of the same payload;
 *   <li>{@link #put} vs {@link #baselinePut}: a raw Tink seal plus a map put;
 *   <li>{@link #cacheHitGet} (store with a read cache) vs {@link #baselineMapGet}: a bare map get
 *       of the plaintext; and, for the explanation only, vs {@link #baselineMapGetCopy}.
 * </ul>
 *
 * Run with {@code -t 1} and {@code -t 2} for the thread scaling; {@code benchmarks/run.sh} does
 * both and prints the ratios.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// A fixed, pre-touched heap: on this kind of VM the first write to each fresh heap page is so slow
// that, without pre-touching, throughput fell 4-8x whenever G1 grew eden into new pages. 3 GB holds
// one iteration of retained puts (see resetWrittenVersions) with room to spare.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class StoreBenchmark {
  /** A power of two, so a cursor wraps with a mask. */
  static final int NAMES = 1024;

  /**
   * The associated data the library builds for these names, in bytes: label (19), tenant (4 + 7),
   * name (4 + 14), version (8). GCM's cost depends on the AAD's length, not its content.
   */
  private static final int LIBRARY_AAD_BYTES = 19 + 4 + 7 + 4 + 14 + 8;

  @Param({"64", "1024", "16384"})
  public int payloadBytes;

  private String[] names;
  private byte[][] plaintexts;
  private SecretValue[] values;
  private byte[][] baselineAads;

  private SecretStore store;
  private SecretStore cachedStore;

  private Aead aead;
  private ConcurrentHashMap<String, byte[]> baselineSealed;
  private ConcurrentHashMap<String, byte[]> baselinePlain;

  /**
   * Each thread walks the names from its own starting point, so two threads don't share one hot
   * key.
   */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    @Setup
    public void start(ThreadParams thread) {
      next = thread.getThreadIndex() * (NAMES / thread.getThreadCount());
    }

    int next() {
      int i = next;
      next = (i + 1) & (NAMES - 1);
      return i;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    SplittableRandom random = new SplittableRandom(42);
    names = new String[NAMES];
    plaintexts = new byte[NAMES][];
    values = new SecretValue[NAMES];
    baselineAads = new byte[NAMES][];
    for (int i = 0; i < NAMES; i++) {
      names[i] = String.format("bench/key-%04d", i);
      plaintexts[i] = new byte[payloadBytes];
      random.nextBytes(plaintexts[i]);
      // Built once and reused: put measures the store, not the caller's copy into a SecretValue.
      values[i] = SecretValue.of(plaintexts[i]);
      // Precomputed, as a hand-rolled caller could: the library's per-call AAD building is overhead
      // we want to see.
      baselineAads[i] =
          Arrays.copyOf(
              ("default/" + names[i]).getBytes(StandardCharsets.US_ASCII), LIBRARY_AAD_BYTES);
    }

    store = SecretStores.builder().uri("memory:").open();
    cachedStore =
        SecretStores.builder().uri("memory:").cache(Duration.ofMinutes(10), 100_000).open();
    for (int i = 0; i < NAMES; i++) {
      store.put(names[i], values[i]);
      cachedStore.put(names[i], values[i]);
      // A put invalidates the name, so read once to make every later get a hit.
      cachedStore.get(names[i]);
    }

    AeadConfig.register();
    aead =
        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
            .getPrimitive(RegistryConfiguration.get(), Aead.class);
    baselineSealed = new ConcurrentHashMap<>();
    baselinePlain = new ConcurrentHashMap<>();
    for (int i = 0; i < NAMES; i++) {
      baselineSealed.put(names[i], aead.encrypt(plaintexts[i], baselineAads[i]));
      baselinePlain.put(names[i], plaintexts[i].clone());
    }
  }

  /**
   * Every put adds a version the memory store keeps until destroyed. Destroying all versions
   * between iterations (and writing one back, so gets keep finding every name) bounds the heap to
   * one iteration's writes without timing anything but the puts; the put benchmarks also use short
   * iterations so that bound stays a few hundred MB at 16 KiB. The GC work of retaining the writes
   * within an iteration is still measured: it is what the memory store really costs.
   */
  @Setup(Level.Iteration)
  public void resetWrittenVersions() {
    for (int i = 0; i < NAMES; i++) {
      store.destroy(names[i]);
      store.put(names[i], values[i]);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    cachedStore.close();
  }

  @Benchmark
  public Secret get(Cursor cursor) {
    return store.get(names[cursor.next()]);
  }

  @Benchmark
  public byte[] baselineGet(Cursor cursor) throws GeneralSecurityException {
    int i = cursor.next();
    return aead.decrypt(baselineSealed.get(names[i]), baselineAads[i]);
  }

  @Benchmark
  @Warmup(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
  @Measurement(iterations = 10, time = 200, timeUnit = TimeUnit.MILLISECONDS)
  public VersionInfo put(Cursor cursor) {
    int i = cursor.next();
    return store.put(names[i], values[i]);
  }

  @Benchmark
  @Warmup(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
  @Measurement(iterations = 10, time = 200, timeUnit = TimeUnit.MILLISECONDS)
  public byte[] baselinePut(Cursor cursor) throws GeneralSecurityException {
    int i = cursor.next();
    byte[] ciphertext = aead.encrypt(plaintexts[i], baselineAads[i]);
    baselineSealed.put(names[i], ciphertext);
    return ciphertext;
  }

  @Benchmark
  public Secret cacheHitGet(Cursor cursor) {
    return cachedStore.get(names[cursor.next()]);
  }

  @Benchmark
  public byte[] baselineMapGet(Cursor cursor) {
    return baselinePlain.get(names[cursor.next()]);
  }

  /**
   * Not one of the targets: a map get plus the copy a {@code SecretValue} must hand out, to tell
   * the cost of that copy from the cost of the cache itself.
   */
  @Benchmark
  public byte[] baselineMapGetCopy(Cursor cursor) {
    return baselinePlain.get(names[cursor.next()]).clone();
  }
}
