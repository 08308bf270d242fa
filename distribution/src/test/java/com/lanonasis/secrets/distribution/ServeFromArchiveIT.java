package com.lanonasis.secrets.distribution;

import static com.lanonasis.secrets.distribution.Processes.mavenFreePath;
import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.distribution.Processes.Run;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanonasis serve} from the unpacked archive, with no Maven on PATH: it answers {@code
 * /readyz}, so does the Dockerfile's health check, and it stops on SIGTERM.
 */
class ServeFromArchiveIT {
  static final Pattern BASE_URL =
      Pattern.compile("^Lanonasis Secrets server: (http://127\\.0\\.0\\.1:(\\d+))/ .*");

  @Test
  void serve_answersReadyz_andStopsOnSigterm(@TempDir Path work) throws Exception {
    Path top = Processes.unpack(Files.createDirectories(work.resolve("unpacked")));
    Path data = Files.createDirectories(work.resolve("data"));
    Map<String, String> env =
        Map.of(
            "PATH", mavenFreePath(work.resolve("tools")),
            "HOME", Files.createDirectories(work.resolve("home")).toString());
    List<String> command =
        List.of(
            top.resolve("lanonasis").toString(),
            "serve",
            "--port",
            "0",
            "--store",
            "jdbc:sqlite:" + data.resolve("secrets.db"),
            "--keyset",
            data.resolve("keyset.json").toString());
    // In work: the audit signing key and checkpoints default to ./data there.
    Process server = Processes.builder(work, env, command).start();
    server.getOutputStream().close();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(server.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                return "(stderr unreadable: " + e + ")";
              }
            });
    try {
      // Standard output carries the admin key once: read, never printed.
      String baseUrl = null;
      int port = 0;
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
        Matcher m = BASE_URL.matcher(line);
        if (m.matches()) {
          baseUrl = m.group(1);
          port = Integer.parseInt(m.group(2));
          break;
        }
      }
      assertThat(baseUrl)
          .as("the server's base URL line; stderr: %s", errSoFar(server, err))
          .isNotNull();
      // Keep draining standard output so the server never blocks on a full pipe.
      CompletableFuture.runAsync(
          () -> {
            try {
              out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
              // the server is gone
            }
          });

      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(baseUrl + "/readyz"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(data.resolve("keyset.json")).exists();

      // The Dockerfile's HEALTHCHECK, as Docker runs it in the container (plain HTTP behind a
      // proxy: the TLS variables emptied), against this server; with a TLS file set it asks HTTPS,
      // which this plain server does not answer.
      List<String> healthcheck = healthcheck();
      Map<String, String> probeEnv = new HashMap<>();
      probeEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      probeEnv.put("LANONASIS_PORT", Integer.toString(port));
      probeEnv.put("LANONASIS_TLS_CERT", "");
      Run probe = Processes.run(work, probeEnv, healthcheck.toArray(String[]::new));
      assertThat(probe.exit()).as(probe.err()).isZero();
      probeEnv.put("LANONASIS_TLS_CERT", "/data/tls/cert.pem");
      Run https = Processes.run(work, probeEnv, healthcheck.toArray(String[]::new));
      assertThat(https.exit()).as("HTTPS to a plain HTTP server").isNotZero();

      // SIGTERM (docker stop): the launcher exec'd java, so this is the server's own process.
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS))
          .as("stopped within 60 s of SIGTERM")
          .isTrue();
      assertThat(server.exitValue()).as(err.join()).isIn(0, 143);
      probeEnv.put("LANONASIS_TLS_CERT", "");
      Run after = Processes.run(work, probeEnv, healthcheck.toArray(String[]::new));
      assertThat(after.exit()).as("the health check fails once the server is gone").isNotZero();
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String errSoFar(Process server, CompletableFuture<String> err) {
    if (server.isAlive()) {
      return "(the server is still running)";
    }
    return err.join();
  }

  /** The HEALTHCHECK's CMD of the root Dockerfile, in exec form. */
  static List<String> healthcheck() throws Exception {
    Dockerfile d = Dockerfile.read(Path.of(System.getProperty("lanonasis.repo"), "Dockerfile"));
    String args = d.all("HEALTHCHECK").get(0).arguments();
    List<String> cmd = Dockerfile.jsonStrings(args.substring("CMD ".length()));
    assertThat(cmd).isNotNull();
    return new ArrayList<>(cmd);
  }
}
