package com.lanonasis.secrets.benchmarks;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.http.SecretManagerClient;
import com.lanonasis.secrets.http.SecretManagerClientConfig;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.wire.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get over HTTP through {@link SecretManagerClient} beside raw OkHttp requests of the same
 * endpoint, in the same run, against a real server started in this JVM (Javalin on loopback, H2 in
 * a temporary file, every read audited as in production):
 *
 * <ul>
 *   <li>{@link #httpGet}: no cache; each get is a GET answered 200 with the value.
 *   <li>{@link #httpGetRevalidated}: ETag revalidation; each get is a GET with {@code
 *       If-None-Match}, answered 304 without the value.
 *   <li>{@link #httpGetCacheHit}: the facade's read cache over the client, entries still fresh; no
 *       request at all.
 *   <li>{@link #rawOkHttpGet}: the same GET ({@code ?encoding=base64}, the same header) by a bare
 *       OkHttp client, reading the body bytes; {@link #rawOkHttpGetNotModified} the same with the
 *       current ETag, answered 304.
 * </ul>
 *
 * Run with {@code benchmarks/run-http.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class HttpBenchmark {
  private static final int NAMES = 256;

  @Param({"1024"})
  public int payloadBytes;

  private Path dir;
  private SecretsServer server;
  private SecretManagerClient plain;
  private SecretManagerClient revalidating;
  private SecretStore fresh;
  private OkHttpClient raw;
  private String authorization;
  private String[] names;
  private String[] urls;
  private String[] etags;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("lns-http-bench");
    server =
        SecretsServer.builder()
            .jdbcUrl("jdbc:sqlite:" + dir.resolve("db/secrets.db"))
            .keyring(MasterKeyring.generate())
            .port(0)
            .bootstrapOutput(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .start();
    String key = server.apiKeys().create("bench", Role.READ_WRITE, "");
    String base = "http://127.0.0.1:" + server.port();
    plain = new SecretManagerClient(config(base, key).build());
    revalidating = new SecretManagerClient(config(base, key).etagRevalidation(10_000).build());
    fresh =
        SecretStores.builder()
            .remoteStore(
                new SecretManagerClient(config(base, key).etagRevalidation(10_000).build()))
            .cache(Duration.ofDays(1), 10_000)
            .open();
    raw = new OkHttpClient();
    authorization = "Bearer " + key;

    byte[] payload = new byte[payloadBytes];
    new SplittableRandom(7).nextBytes(payload);
    names = new String[NAMES];
    urls = new String[NAMES];
    etags = new String[NAMES];
    for (int i = 0; i < NAMES; i++) {
      names[i] = String.format("bench/name-%04d", i);
      urls[i] = base + "/api/v1/secrets/" + names[i] + "?encoding=base64";
      plain.put(names[i], SecretValue.of(payload));
      revalidating.get(names[i]).close();
      fresh.get(names[i]).close();
      try (Response r = raw.newCall(request(i).build()).execute()) {
        etags[i] = r.header("ETag");
      }
    }
  }

  private static SecretManagerClientConfig.Builder config(String base, String key) {
    return SecretManagerClientConfig.builder().apiUrl(base).apiKey(key);
  }

  private Request.Builder request(int i) {
    return new Request.Builder()
        .url(urls[i])
        .header("Authorization", authorization)
        .header("Accept", "application/json");
  }

  @TearDown
  public void tearDown() throws IOException {
    plain.close();
    revalidating.close();
    fresh.close();
    raw.dispatcher().executorService().shutdown();
    raw.connectionPool().evictAll();
    server.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Per-thread cursor over the names. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    int next() {
      i = (i + 1) & (NAMES - 1);
      return i;
    }
  }

  @Benchmark
  public int httpGet(Cursor cursor) {
    try (Secret s = plain.get(names[cursor.next()])) {
      return s.value().length();
    }
  }

  /** How many secrets an application reads at start, in the batch benchmarks. */
  private static final int BATCH = 20;

  /** One secret through the SDK's {@code getSecret}: the batch benchmarks' baseline. */
  @Benchmark
  public int httpGetSecret(Cursor cursor) {
    return plain.getSecret(names[cursor.next()]).length();
  }

  /** {@value #BATCH} secrets through {@code getSecrets}: one {@code :batchGet} request. */
  @Benchmark
  public int httpGetSecrets20(Cursor cursor) {
    int from = (cursor.next() % (NAMES / BATCH)) * BATCH;
    int total = 0;
    for (String v : plain.getSecrets(batch(from)).values()) {
      total += v.length();
    }
    return total;
  }

  /** The same {@value #BATCH} secrets one {@code getSecret} each: what a loop costs (before). */
  @Benchmark
  public int httpGetSecret20Singles(Cursor cursor) {
    int from = (cursor.next() % (NAMES / BATCH)) * BATCH;
    int total = 0;
    for (String name : batch(from)) {
      total += plain.getSecret(name).length();
    }
    return total;
  }

  private java.util.List<String> batch(int from) {
    java.util.List<String> out = new java.util.ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      out.add(names[(from + i) & (NAMES - 1)]);
    }
    return out;
  }

  @Benchmark
  public int httpGetRevalidated(Cursor cursor) {
    try (Secret s = revalidating.get(names[cursor.next()])) {
      return s.value().length();
    }
  }

  @Benchmark
  public int httpGetCacheHit(Cursor cursor) {
    try (Secret s = fresh.get(names[cursor.next()])) {
      return s.value().length();
    }
  }

  @Benchmark
  public int rawOkHttpGet(Cursor cursor) throws IOException {
    try (Response r = raw.newCall(request(cursor.next()).build()).execute()) {
      return r.body().bytes().length;
    }
  }

  @Benchmark
  public int rawOkHttpGetNotModified(Cursor cursor) throws IOException {
    int i = cursor.next();
    try (Response r = raw.newCall(request(i).header("If-None-Match", etags[i]).build()).execute()) {
      return r.code() + r.body().bytes().length;
    }
  }
}
