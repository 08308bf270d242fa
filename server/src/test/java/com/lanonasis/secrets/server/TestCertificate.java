package com.lanonasis.secrets.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at test time by the
 * JDK's own {@code keytool} into a PKCS#12 file, and exported from it as PEM files the way an
 * operator would have them: the certificate, the key in PKCS#8, and the key in PKCS#1 (RSA only).
 */
final class TestCertificate {
  final Path pkcs12;
  final char[] password;
  final Path certificatePem;
  final Path keyPem;
  final X509Certificate certificate;
  final PrivateKey key;

  private TestCertificate(
      Path pkcs12,
      char[] password,
      Path certificatePem,
      Path keyPem,
      X509Certificate certificate,
      PrivateKey key) {
    this.pkcs12 = pkcs12;
    this.password = password;
    this.certificatePem = certificatePem;
    this.keyPem = keyPem;
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * {@code algorithm} is {@code RSA} or {@code EC}; files are named {@code <name>.p12}, {@code
   * <name>-cert.pem}, ...
   */
  static TestCertificate create(Path dir, String name, String algorithm, String password)
      throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    Path log = dir.resolve(name + "-keytool.log");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                algorithm,
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
                // The password goes through the environment, as an operator's would, not the
                // command line.
                "-storepass:env",
                "TEST_P12_PASSWORD",
                "-keypass:env",
                "TEST_P12_PASSWORD",
                "-noprompt"));
    command.addAll(
        algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TEST_P12_PASSWORD", password);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("keytool failed (" + exit + "): " + Files.readString(log));
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, password.toCharArray());
    }
    X509Certificate cert = (X509Certificate) ks.getCertificate("server");
    PrivateKey key = (PrivateKey) ks.getKey("server", password.toCharArray());
    Path certPem = dir.resolve(name + "-cert.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
    Path keyPem = dir.resolve(name + "-key.pem");
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    return new TestCertificate(p12, password.toCharArray(), certPem, keyPem, cert, key);
  }

  /**
   * The key in the traditional PKCS#1 form ({@code -----BEGIN RSA PRIVATE KEY-----}) that OpenSSL
   * once wrote.
   */
  Path writePkcs1Key(Path file) throws IOException {
    Files.writeString(
        file, pem("RSA PRIVATE KEY", pkcs1(key.getEncoded())), StandardCharsets.US_ASCII);
    return file;
  }

  /** The base64 lines of the key's PEM: none of them may appear in a message. */
  List<String> keyBase64Lines() {
    return pem("PRIVATE KEY", key.getEncoded())
        .lines()
        .filter(l -> !l.startsWith("-----"))
        .toList();
  }

  /**
   * An HTTP client trusting this certificate only; {@code protocols} restricts the TLS versions it
   * offers.
   */
  HttpClient client(String... protocols) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient.Builder b =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx);
    if (protocols.length > 0) {
      SSLParameters params = ctx.getDefaultSSLParameters();
      params.setProtocols(protocols);
      b.sslParameters(params);
    }
    return b.build();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, AlgorithmIdentifier,
   * OCTET STRING }.
   */
  private static byte[] pkcs1(byte[] pkcs8) {
    int[] at = {0};
    header(pkcs8, at, 0x30);
    int version = header(pkcs8, at, 0x02);
    at[0] += version;
    int algorithm = header(pkcs8, at, 0x30);
    at[0] += algorithm;
    int length = header(pkcs8, at, 0x04);
    return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
  }

  /**
   * Reads a DER tag and length at {@code at}, leaves {@code at} on the content, returns its length.
   */
  private static int header(byte[] der, int[] at, int tag) {
    if ((der[at[0]++] & 0xff) != tag) {
      throw new IllegalArgumentException("unexpected DER tag at " + (at[0] - 1));
    }
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }
}
