package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.server.testing.RealServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS end to end: certificates made by keytool at test time, real TLS handshakes from the JDK's
 * HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTlsTest {
  static final String PASSWORD = "S3NTINEL-p12-password-4d2a";

  Path dir;
  TestCertificate rsa;
  TestCertificate ec;

  @BeforeAll
  void certificates(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    rsa = TestCertificate.create(dir, "rsa", "RSA", PASSWORD);
    ec = TestCertificate.create(dir, "ec", "EC", PASSWORD);
  }

  /** A started server and the admin key its bootstrap printed. */
  record Started(SecretsServer server, String admin) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  Started start(String name, UnaryOperator<SecretsServerBuilder> tls) {
    RealServer started = RealServer.start(dir.resolve("db-" + name), tls);
    return new Started(started.server(), started.adminKey());
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static URI https(SecretsServer s, String path) {
    return URI.create("https://127.0.0.1:" + s.port() + path);
  }

  /** Health, a write and a read of the same secret, over HTTPS trusting only {@code cert}. */
  static void assertServesOverHttps(Started s, TestCertificate cert) throws Exception {
    HttpClient client = cert.client();
    HttpResponse<String> health =
        send(client, HttpRequest.newBuilder(https(s.server(), "/healthz")).build());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.sslSession()).isPresent();
    assertThat(health.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");

    HttpResponse<String> put =
        send(
            client,
            HttpRequest.newBuilder(https(s.server(), "/api/v1/secrets"))
                .header("Authorization", "Bearer " + s.admin())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"key\":\"tls/roundtrip\",\"value\":\"over-https\"}"))
                .build());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    HttpResponse<String> get =
        send(
            client,
            HttpRequest.newBuilder(https(s.server(), "/api/v1/secrets/tls/roundtrip"))
                .header("Authorization", "Bearer " + s.admin())
                .build());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).contains("\"value\":\"over-https\"");

    // A dashboard session under TLS: the cookie is Secure, and the https origin is this server's.
    HttpResponse<String> signIn =
        send(
            client,
            HttpRequest.newBuilder(https(s.server(), "/api/v1/session"))
                .header("Authorization", "Bearer " + s.admin())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(signIn.statusCode()).isEqualTo(201);
    String setCookie = SessionTest.sessionCookie(signIn.headers());
    // __Host-: the browser takes it only with Secure, Path=/ and no Domain, so no sibling host
    // plants one.
    assertThat(setCookie)
        .startsWith(Sessions.HOST_COOKIE + "=")
        .contains("; Path=/;", "; Secure", "; HttpOnly", "; SameSite=Strict")
        .doesNotContain("Domain");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(signIn.body())
            .get("csrfToken")
            .asText();
    for (String origin :
        List.of(
            "http://127.0.0.1:" + s.server().port(), "https://127.0.0.1:" + s.server().port())) {
      HttpResponse<String> write =
          send(
              client,
              HttpRequest.newBuilder(https(s.server(), "/api/v1/secrets"))
                  .header("Cookie", cookie)
                  .header(Sessions.CSRF_HEADER, csrf)
                  .header("Origin", origin)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"key\":\"tls/session\",\"value\":\"v\"}"))
                  .build());
      assertThat(write.statusCode()).as(origin).isEqualTo(origin.startsWith("https:") ? 201 : 403);
    }
    // Under TLS only the __Host- cookie counts: the same id under the plain name (which a sibling
    // host or a plain-http port could plant) authenticates nothing.
    String id = cookie.substring(cookie.indexOf('=') + 1);
    HttpResponse<String> plainName =
        send(
            client,
            HttpRequest.newBuilder(https(s.server(), "/api/v1/whoami"))
                .header("Cookie", Sessions.COOKIE + "=" + id)
                .header(Sessions.CSRF_HEADER, csrf)
                .build());
    assertThat(plainName.statusCode()).isEqualTo(401);
  }

  /** The message and every cause's message: none may hold the password or a line of the key. */
  static void assertNoSecretIn(Throwable t, TestCertificate cert) {
    List<String> forbidden = new ArrayList<>(cert.keyBase64Lines());
    forbidden.add(PASSWORD);
    for (Throwable c = t; c != null; c = c.getCause()) {
      String text = c.getMessage() == null ? "" : c.getMessage();
      for (String f : forbidden) {
        assertThat(text).doesNotContain(f);
      }
    }
  }

  static ConfigurationException refused(ThrowingCallable call) {
    try {
      call.call();
    } catch (ConfigurationException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a ConfigurationException", t);
    }
    throw new AssertionError("expected a ConfigurationException, nothing was thrown");
  }

  @Nested
  @DisplayName("a server with TLS")
  class Serving {
    @Test
    void tlsPkcs12_servesHealthAndSecretsOverHttps() throws Exception {
      try (Started s = start("p12", b -> b.tlsPkcs12(rsa.pkcs12, rsa.password))) {
        assertServesOverHttps(s, rsa);
      }
    }

    @Test
    void tlsPem_rsa_servesHealthAndSecretsOverHttps() throws Exception {
      try (Started s = start("pem-rsa", b -> b.tlsPem(rsa.certificatePem, rsa.keyPem))) {
        assertServesOverHttps(s, rsa);
      }
    }

    @Test
    void tlsPem_ec_servesHealthAndSecretsOverHttps() throws Exception {
      try (Started s = start("pem-ec", b -> b.tlsPem(ec.certificatePem, ec.keyPem))) {
        assertServesOverHttps(s, ec);
      }
    }

    @Test
    void tls_acceptsTls12AndTls13() throws Exception {
      try (Started s = start("versions", b -> b.tlsPem(rsa.certificatePem, rsa.keyPem))) {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
          HttpResponse<String> r =
              send(
                  rsa.client(protocol),
                  HttpRequest.newBuilder(https(s.server(), "/healthz")).build());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
        }
      }
    }

    /**
     * A real handshake that offers TLS 1.1 only, from openssl (the JDK's own client will not even
     * offer it): the server answers with a protocol_version alert. The same probe offering TLS 1.2
     * completes, so the refusal is the server's, not the probe's.
     */
    @Test
    void tls_refusesATls11Handshake() throws Exception {
      try (Started s = start("tls11", b -> b.tlsPem(rsa.certificatePem, rsa.keyPem))) {
        String tls12 = openssl(s.server().port(), "-tls1_2");
        assertThat(tls12).contains("Protocol  : TLSv1.2").doesNotContain("Cipher is (NONE)");
        String tls11 = openssl(s.server().port(), "-tls1_1");
        // The server's alert 70 (protocol_version), and no cipher agreed: no session.
        assertThat(tls11)
            .contains("alert protocol version")
            .contains("SSL alert number 70")
            .contains("Cipher is (NONE)");
      }
    }

    static String openssl(int port, String protocol) throws Exception {
      Process p =
          new ProcessBuilder(
                  "openssl",
                  "s_client",
                  "-connect",
                  "127.0.0.1:" + port,
                  "-servername",
                  "localhost",
                  protocol,
                  "-cipher",
                  "DEFAULT@SECLEVEL=0")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      return out;
    }

    @Test
    void tls_plainHttpToTheSamePort_getsNoResponse() throws Exception {
      try (Started s = start("plain", b -> b.tlsPkcs12(rsa.pkcs12, rsa.password))) {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(
                () ->
                    send(
                        plain,
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + s.server().port() + "/healthz"))
                            .build()))
            .isInstanceOf(IOException.class);
      }
    }

    @Test
    void tls_untrustedClient_failsTheHandshake() throws Exception {
      try (Started s = start("untrusted", b -> b.tlsPem(rsa.certificatePem, rsa.keyPem))) {
        // The client trusts the EC certificate only, not the RSA one the server presents.
        assertThatThrownBy(
                () ->
                    send(
                        ec.client(), HttpRequest.newBuilder(https(s.server(), "/healthz")).build()))
            .isInstanceOf(IOException.class);
      }
    }
  }

  @Nested
  @DisplayName("ServerMain with TLS settings")
  class Main {
    /**
     * Starts what {@code args} and {@code env} configure, the way {@code main} does, and serves
     * over HTTPS.
     */
    void assertMainServesOverHttps(String name, List<String> args, Map<String, String> env)
        throws Exception {
      List<String> all =
          new ArrayList<>(
              List.of(
                  "--store",
                  "jdbc:sqlite:" + dir.resolve("main-" + name + "/secrets.db"),
                  "--keyset",
                  dir.resolve("main-" + name + "/keyset.json").toString(),
                  "--port",
                  "0",
                  "--bind",
                  "0.0.0.0",
                  "--dev-keyset-ok",
                  // Its own audit checkpoints: the default ./data/ ones are another store's, and a
                  // store behind
                  // another's checkpoint is refused as rolled back.
                  "--audit-signing-key",
                  dir.resolve("main-" + name + "/audit-signing-key.pem").toString(),
                  "--audit-checkpoints",
                  dir.resolve("main-" + name + "/audit-checkpoints.jsonl").toString()));
      all.addAll(args);
      ServerConfig config = ServerConfigParser.parse(all.toArray(new String[0]), env);
      assertThat(String.join("\n", config.description())).doesNotContain(PASSWORD);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (SecretsServer server =
          config.start(env, new PrintStream(out, true, StandardCharsets.UTF_8))) {
        String admin =
            out.toString(StandardCharsets.UTF_8)
                .lines()
                .map(String::trim)
                .filter(l -> l.startsWith("lns_"))
                .findFirst()
                .orElseThrow();
        assertThat(config.baseUrl(server.port())).isEqualTo("https://0.0.0.0:" + server.port());
        assertServesOverHttps(new Started(server, admin), rsa);
      }
    }

    @Test
    void start_pemFromTheConfigFile_bindsBeyondLoopbackOverHttps() throws Exception {
      Path file = dir.resolve("main-pem.conf");
      Files.write(file, List.of("tls-cert = " + rsa.certificatePem, "tls-key = " + rsa.keyPem));
      assertMainServesOverHttps("pem", List.of("--config", file.toString()), Map.of());
    }

    @Test
    void start_pkcs12FromTheFlag_withThePasswordFromTheEnvironment() throws Exception {
      assertMainServesOverHttps(
          "p12",
          List.of("--tls-pkcs12", rsa.pkcs12.toString()),
          Map.of(ServerConfig.ENV_TLS_PKCS12_PASSWORD, PASSWORD));
    }

    @Test
    void start_pkcs12WithoutThePassword_isRefusedNamingTheVariable() {
      ServerConfig config =
          ServerConfigParser.parse(
              new String[] {
                "--tls-pkcs12",
                rsa.pkcs12.toString(),
                "--store",
                "jdbc:h2:mem:never",
                "--keyset",
                dir.resolve("main-nopw/keyset.json").toString(),
                "--audit-checkpoints",
                dir.resolve("main-nopw/audit-checkpoints.jsonl").toString()
              },
              Map.of());
      assertThat(
              refused(() -> config.start(Map.of(), new PrintStream(new ByteArrayOutputStream()))))
          .hasMessageContaining("wrong password")
          .hasMessageContaining("LANONASIS_TLS_PKCS12_PASSWORD");
    }
  }

  @Nested
  @DisplayName(
      "bad TLS configuration is refused with a message that names the file and holds no secret")
  class Refused {
    @Test
    void tlsPkcs12_wrongPassword_saysWrongPassword() {
      char[] wrong = "S3NTINEL-p12-password-4d2a-not".toCharArray();
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPkcs12(rsa.pkcs12, wrong));
      assertThat(e)
          .hasMessageContaining(rsa.pkcs12.toString())
          .hasMessageContaining("wrong password")
          .hasMessageContaining("LANONASIS_TLS_PKCS12_PASSWORD");
      assertNoSecretIn(e, rsa);
      assertThat(e.getMessage()).doesNotContain(new String(wrong));
    }

    @Test
    void tlsPkcs12_notPkcs12_isRefused() {
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPkcs12(rsa.keyPem, rsa.password));
      assertThat(e)
          .hasMessageContaining(rsa.keyPem.toString())
          .hasMessageContaining("not a PKCS#12 file");
      assertNoSecretIn(e, rsa);
    }

    @Test
    void tlsPkcs12_missingFile_isRefused() {
      Path missing = dir.resolve("missing.p12");
      assertThat(refused(() -> SecretsServer.builder().tlsPkcs12(missing, rsa.password)))
          .hasMessage("TLS PKCS#12 file not found: " + missing);
    }

    @Test
    void tlsPem_pkcs1Key_saysHowToConvert() throws IOException {
      Path pkcs1 = rsa.writePkcs1Key(dir.resolve("rsa-pkcs1.pem"));
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, pkcs1));
      assertThat(e)
          .hasMessageContaining(pkcs1.toString())
          .hasMessageContaining("PKCS#1")
          .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
      assertThat(e.getCause()).isNull();
      assertNoSecretIn(e, rsa);
      assertThat(e.getMessage())
          .doesNotContain(Files.readString(pkcs1).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void tlsPem_encryptedKey_saysHowToConvert() throws IOException {
      Path encrypted = dir.resolve("encrypted.pem");
      // Only the header matters: the server refuses encrypted keys before decoding them.
      Files.writeString(
          encrypted, TestCertificate.pem("ENCRYPTED PRIVATE KEY", rsa.key.getEncoded()));
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, encrypted));
      assertThat(e)
          .hasMessageContaining(encrypted.toString())
          .hasMessageContaining("encrypted")
          .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
      assertNoSecretIn(e, rsa);
    }

    @Test
    void tlsPem_certificateGivenAsKey_findsNoKey() {
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, rsa.certificatePem));
      assertThat(e)
          .hasMessageContaining(
              "no PEM private key (-----BEGIN PRIVATE KEY-----) in " + rsa.certificatePem);
    }

    @Test
    void tlsPem_keyGivenAsCertificate_findsNoCertificate() {
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.keyPem, rsa.keyPem));
      assertThat(e)
          .hasMessageContaining("no X.509 certificate")
          .hasMessageContaining(rsa.keyPem.toString());
      assertNoSecretIn(e, rsa);
    }

    @Test
    void tlsPem_garbage_isRefused() throws IOException {
      Path garbage = dir.resolve("garbage.pem");
      Files.writeString(
          garbage,
          "-----BEGIN PRIVATE KEY-----\nnot base64 at all, nor DER\n-----END PRIVATE KEY-----\n");
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, garbage));
      assertThat(e)
          .hasMessageContaining(garbage.toString())
          .hasMessageContaining("not a PKCS#8 RSA key");
    }

    @Test
    void tlsPem_keyOfAnotherCertificate_isRefused() throws Exception {
      TestCertificate other = TestCertificate.create(dir, "other", "RSA", PASSWORD);
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, other.keyPem));
      assertThat(e)
          .hasMessageContaining(
              "the private key in "
                  + other.keyPem
                  + " does not belong to the first "
                  + "certificate in "
                  + rsa.certificatePem);
      assertNoSecretIn(e, other);
    }

    @Test
    void tlsPem_ecKeyForRsaCertificate_isRefused() {
      ConfigurationException e =
          refused(() -> SecretsServer.builder().tlsPem(rsa.certificatePem, ec.keyPem));
      assertThat(e)
          .hasMessageContaining(ec.keyPem.toString())
          .hasMessageContaining("not a PKCS#8 RSA key");
      assertNoSecretIn(e, ec);
    }

    @Test
    void tls_setTwice_isRefused() {
      SecretsServerBuilder b = SecretsServer.builder().tlsPem(rsa.certificatePem, rsa.keyPem);
      assertThatThrownBy(() -> b.tlsPkcs12(rsa.pkcs12, rsa.password))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "TLS is already configured (TlsKeyMaterial[PEM " + rsa.certificatePem);
    }
  }
}
