package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar in a real process, as a new user starts it: no flags, the embedded defaults (H2
 * file under ./data, a development keyset), then SIGTERM. Every line the process prints is kept and
 * searched for values and keys.
 */
class ServerJarIT {
  static final Pattern KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
  static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
  static final String VALUE = "S3NTINEL-jar-value-4b1d";

  final HttpTestClient client = new HttpTestClient();

  /** A started server process and everything it printed, stdout and stderr alike. */
  static final class Running {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
    private final Thread reader;

    Running(Path workDir, String... args) throws IOException {
      this(workDir, Map.of(), args);
    }

    /** With {@code env} added to an environment cleared of every {@code LANONASIS_} variable. */
    Running(Path workDir, Map<String, String> env, String... args) throws IOException {
      this(workDir, List.of(), env, args);
    }

    /**
     * Started by {@code wrapper} (e.g. {@code strace ...}), which runs the java command it is
     * given.
     */
    Running(Path workDir, List<String> wrapper, Map<String, String> env, String... args)
        throws IOException {
      Path jar = Path.of(System.getProperty("lanonasis.server.jar"));
      assertThat(jar).as("the shaded jar is built before integration tests").exists();
      List<String> command = new java.util.ArrayList<>(wrapper);
      command.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-jar",
              jar.toString(),
              "--port",
              "0"));
      command.addAll(List.of(args));
      ProcessBuilder pb =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
      pb.environment().putAll(env);
      process = pb.start();
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    fresh.add(line);
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "server-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line matching the pattern and returns its match. */
    Matcher await(Pattern p) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String line = fresh.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          Matcher m = p.matcher(line);
          if (m.find()) {
            return m;
          }
        }
        if (line == null && !process.isAlive()) {
          break;
        }
      }
      throw new AssertionError(
          "no line matching " + p + "; the process printed:\n" + String.join("\n", lines));
    }

    /** SIGTERM from kill(1), as a service manager stops it; returns the exit code. */
    int terminate() throws InterruptedException, IOException {
      Process kill =
          new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      drained();
      return process.exitValue();
    }

    /**
     * Every line the ended process printed is in {@link #lines}: the reader thread has read to the
     * end.
     */
    void drained() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(reader.isAlive()).as("the output was read to its end").isFalse();
    }
  }

  @Test
  void developmentKeyset_onANonLoopbackBind_isRefusedWithExit2_untilToldItIsOk(@TempDir Path dir)
      throws Exception {
    Running refused = new Running(dir, "--bind", "0.0.0.0", "--insecure-no-tls");
    assertThat(refused.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    refused.drained();
    assertThat(refused.process.exitValue()).isEqualTo(2);
    assertThat(String.join("\n", refused.lines))
        .contains("lanonasis server: refusing to listen on 0.0.0.0 with a development keyset")
        .contains("lanonasis key protect --keyset FILE")
        .contains("lanonasis key init --passphrase")
        .contains("--dev-keyset-ok");
    assertThat(dir.resolve("data/keyset.json"))
        .as("refused before any keyset is made")
        .doesNotExist();

    Running allowed = new Running(dir, "--bind", "0.0.0.0", "--insecure-no-tls", "--dev-keyset-ok");
    try {
      allowed.await(Pattern.compile("http://0\\.0\\.0\\.0:\\d+/"));
      assertThat(String.join("\n", allowed.lines))
          .contains("dev-keyset-ok         = true (flag --dev-keyset-ok)");
    } finally {
      allowed.terminate();
    }
  }

  @Test
  void freshStart_onTheEmbeddedDefaults_servesSecrets_stopsOnSigterm_andRestartsWithItsData(
      @TempDir Path dir) throws Exception {
    String admin;
    String otherKey;
    Running first = new Running(dir);
    try {
      admin = first.await(KEY).group();
      int port = Integer.parseInt(first.await(URL).group(1));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("data/keyset.json"))))
          .isEqualTo("rw-------");
      assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();

      Reply put =
          client.call(
              port,
              "POST",
              "/api/v1/secrets",
              admin,
              "application/json",
              "{\"key\":\"jar/db/password\",\"value\":\"" + VALUE + "\"}");
      assertThat(put.status()).as(put.body()).isEqualTo(201);
      Reply created =
          client.call(
              port, "POST", "/api/v1/keys", admin, "application/json", "{\"role\":\"READ_ONLY\"}");
      assertThat(created.status()).isEqualTo(201);
      otherKey = created.json().get("key").asText();
      Reply read =
          client.call(port, "GET", "/api/v1/secrets/jar/db/password", otherKey, null, null);
      assertThat(read.json().get("value").asText()).isEqualTo(VALUE);
      assertThat(
              client
                  .call(port, "GET", "/api/v1/secrets/jar/db/password", otherKey + "x", null, null)
                  .status())
          .isEqualTo(401);
      // The dashboard: its address printed, its page served from the jar under the CSP.
      first.await(
          Pattern.compile("Lanonasis Secrets dashboard: http://127\\.0\\.0\\.1:" + port + "/ "));
      Reply page = client.call(port, "GET", "/", null, null, null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
      assertThat(client.call(port, "GET", "/ui/app.js", null, null, null).status()).isEqualTo(200);

      assertThat(first.terminate()).as("exit code after SIGTERM").isEqualTo(143);
      first.await(Pattern.compile("server stopped; requests in flight finished"));
    } finally {
      first.process.destroyForcibly();
    }

    Running second = new Running(dir);
    try {
      int port = Integer.parseInt(second.await(URL).group(1));
      Reply read = client.call(port, "GET", "/api/v1/secrets/jar/db/password", admin, null, null);
      assertThat(read.json().get("value").asText())
          .as("the data and the development keyset survive a restart")
          .isEqualTo(VALUE);
      assertThat(second.terminate()).isEqualTo(143);
    } finally {
      second.process.destroyForcibly();
    }

    // Log capture over the whole scenario: the admin key is printed on its bootstrap line only,
    // and no value, no other key and no key's secret part appears anywhere.
    List<String> all = new java.util.ArrayList<>(first.lines);
    all.addAll(second.lines);
    assertThat(all).noneMatch(l -> l.contains(VALUE));
    assertThat(all).noneMatch(l -> l.contains(RealServer.secretPart(otherKey)));
    assertThat(all.stream().filter(l -> l.contains(RealServer.secretPart(admin))).toList())
        .hasSize(1)
        .allMatch(l -> l.trim().equals(admin));
    assertThat(second.lines).noneMatch(l -> KEY.matcher(l).find());
  }
}
