package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private deployment: the real server serves HTTPS with a certificate no public CA signed (made
 * by the JDK's keytool), and the client trusts it through a PEM bundle.
 */
class TlsTrustTest {
  static final String PASSWORD = "test-p12-password";

  @TempDir static Path dir;
  static RealServer server;
  static Path caPem;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    Path p12 = keytool(dir, "server");
    caPem = dir.resolve("ca.pem");
    run(
        List.of(
            keytoolPath(),
            "-exportcert",
            "-rfc",
            "-alias",
            "server",
            "-keystore",
            p12.toString(),
            "-storetype",
            "PKCS12",
            "-storepass:env",
            "TEST_P12_PASSWORD",
            "-file",
            caPem.toString()),
        dir);
    server = RealServer.start(dir.resolve("srv"), b -> b.tlsPkcs12(p12, PASSWORD.toCharArray()));
    url = "https://127.0.0.1:" + server.server().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  @DisplayName("with the CA bundle the client talks HTTPS to the server")
  void trustedBundle_works() {
    try (SecretManagerClient client =
        new SecretManagerClient(
            SecretManagerClientConfig.builder()
                .apiUrl(url)
                .apiKey(server.newTenantKey())
                .trustedCertificates(caPem)
                .build())) {
      client.setSecret("tls/a", "over https");
      assertThat(client.getSecret("tls/a")).isEqualTo("over https");
    }
  }

  @Test
  @DisplayName("opened by URI, LANONASIS_TLS_CA_FILE names the bundle")
  void byUri_caFileFromEnvironment() {
    try (SecretStore store =
        SecretStores.builder()
            .uri(url)
            .environment(
                Map.of(
                    SecretManagerClientConfig.ENV_API_KEY, server.newTenantKey(),
                    SecretManagerClientConfig.ENV_TLS_CA_FILE, caPem.toString()))
            .open()) {
      store.put("tls/b", SecretValue.ofUtf8("v"));
      assertThat(store.versions("tls/b")).hasSize(1);
    }
  }

  @Test
  @DisplayName("the key administration client goes through the same trust")
  void apiKeyAdmin_sameTrust() {
    String admin = server.key(com.lanonasis.secrets.wire.Role.ADMIN, "");
    try (ApiKeyAdminClient keys =
        new ApiKeyAdminClient(
            SecretManagerClientConfig.builder()
                .apiUrl(url)
                .apiKey(admin)
                .trustedCertificates(caPem)
                .build())) {
      assertThat(keys.list()).extracting(ApiKeyInfo::id).contains(admin.substring(4, 20));
    }
    try (ApiKeyAdminClient keys =
        new ApiKeyAdminClient(
            SecretManagerClientConfig.builder().apiUrl(url).apiKey(admin).build())) {
      ConfigurationException e = catchThrowableOfType(ConfigurationException.class, keys::list);
      assertThat(e.getMessage()).contains("list API keys").contains("not trusted");
    }
  }

  @Test
  @DisplayName(
      "without it the JDK's trust refuses the certificate, and the error says how to fix it")
  void untrusted_configurationErrorAtOpen() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                new SecretManagerClient(
                    SecretManagerClientConfig.builder()
                        .apiUrl(url)
                        .apiKey(server.newTenantKey())
                        .build()));
    assertThat(e.getMessage()).contains("not trusted").contains("trustedCertificates");
  }

  @Test
  @DisplayName("a file without a PEM certificate is refused when it is set")
  void badBundle_refused() throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate");
    assertThatThrownBy(() -> SecretManagerClientConfig.builder().trustedCertificates(garbage))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("holds no PEM certificate");
    assertThatThrownBy(
            () ->
                SecretManagerClientConfig.builder().trustedCertificates(dir.resolve("missing.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot read");
  }

  // ---- certificates made by the JDK's keytool
  // ----------------------------------------------------

  /** A PEM certificate (self-signed, for tests that only need a valid bundle). */
  static String selfSignedPem(Path where) throws Exception {
    Path p12 = keytool(where, "pem-only");
    Path pem = where.resolve("pem-only.pem");
    run(
        List.of(
            keytoolPath(),
            "-exportcert",
            "-rfc",
            "-alias",
            "server",
            "-keystore",
            p12.toString(),
            "-storetype",
            "PKCS12",
            "-storepass:env",
            "TEST_P12_PASSWORD",
            "-file",
            pem.toString()),
        where);
    return Files.readString(pem);
  }

  /** A PKCS#12 file with an RSA key and a self-signed certificate for localhost and 127.0.0.1. */
  static Path keytool(Path where, String name) throws Exception {
    Path p12 = where.resolve(name + ".p12");
    run(
        List.of(
            keytoolPath(),
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            p12.toString(),
            "-storepass:env",
            "TEST_P12_PASSWORD",
            "-keypass:env",
            "TEST_P12_PASSWORD",
            "-noprompt"),
        where);
    return p12;
  }

  private static String keytoolPath() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(List<String> command, Path where) throws Exception {
    Path log = Files.createTempFile(where, "keytool", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TEST_P12_PASSWORD", PASSWORD);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("keytool failed (" + exit + "): " + Files.readString(log));
    }
  }
}
