package com.lanonasis.secrets.server;

import com.lanonasis.secrets.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS identity — one private key and its certificate chain — read from PEM files or a
 * PKCS#12 file, and the HTTPS-only connector Jetty listens with (TLS 1.2 and 1.3).
 *
 * <p>Whatever the source, the key is copied into an in-memory PKCS#12 key store under a random
 * password made here: Jetty takes key store passwords as {@code String}s, and the operator's
 * PKCS#12 password should not outlive loading. Messages name files, never key material or
 * passwords. Immutable after construction.
 */
final class TlsKeyMaterial {
  private static final String ALIAS = "server";
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private final KeyStore keyStore;
  private final String keyStorePassword;
  private final String source;

  private TlsKeyMaterial(PrivateKey key, X509Certificate[] chain, String source) {
    this.source = source;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.keyStorePassword = Base64.getEncoder().encodeToString(random);
    try {
      keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(ALIAS, key, keyStorePassword.toCharArray(), chain);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigurationException("cannot hold the TLS key of " + source + " in memory", e);
    }
  }

  /**
   * Reads a certificate chain (PEM or DER, the server's certificate first) and an unencrypted
   * PKCS#8 private key in PEM ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC).
   *
   * @throws ConfigurationException when a file is missing or unreadable, holds something else, or
   *     the key does not belong to the first certificate
   */
  static TlsKeyMaterial fromPem(Path certificateChain, Path privateKey) {
    X509Certificate[] chain = readCertificates(certificateChain);
    String algorithm = chain[0].getPublicKey().getAlgorithm();
    if (!algorithm.equals("RSA") && !algorithm.equals("EC")) {
      throw new ConfigurationException(
          "the TLS certificate in "
              + certificateChain
              + " has a "
              + algorithm
              + " key; RSA and EC are supported");
    }
    PrivateKey key = readPkcs8(privateKey, algorithm);
    checkPair(
        key,
        chain[0],
        "the private key in "
            + privateKey
            + " does not belong to the first certificate in "
            + certificateChain);
    return new TlsKeyMaterial(key, chain, "PEM " + certificateChain + " + " + privateKey);
  }

  /**
   * Reads a PKCS#12 file holding exactly one private key and its certificate chain, the key under
   * the file's password. The caller keeps and may wipe {@code password}.
   *
   * @throws ConfigurationException when the file is missing, is not PKCS#12, the password is wrong,
   *     or it does not hold exactly one key with a certificate chain
   */
  static TlsKeyMaterial fromPkcs12(Path file, char[] password) {
    KeyStore source;
    try (InputStream in = Files.newInputStream(file)) {
      source = KeyStore.getInstance("PKCS12");
      source.load(in, password);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("TLS PKCS#12 file not found: " + file);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new ConfigurationException(
            "cannot open the TLS PKCS#12 file "
                + file
                + ": wrong password (it is read from LANONASIS_TLS_PKCS12_PASSWORD)",
            e);
      }
      throw new ConfigurationException(
          "cannot read the TLS PKCS#12 file "
              + file
              + ": not a PKCS#12 file, or unreadable (for PEM files use a certificate and a key file instead)",
          e);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("cannot read the TLS PKCS#12 file " + file, e);
    }
    try {
      List<String> keys = new ArrayList<>();
      for (String alias : Collections.list(source.aliases())) {
        if (source.isKeyEntry(alias)) {
          keys.add(alias);
        }
      }
      if (keys.size() != 1) {
        throw new ConfigurationException(
            "the TLS PKCS#12 file "
                + file
                + " holds "
                + keys.size()
                + " private keys; it must hold exactly one, with its certificate chain");
      }
      PrivateKey key = (PrivateKey) source.getKey(keys.get(0), password);
      Certificate[] chain = source.getCertificateChain(keys.get(0));
      if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
        throw new ConfigurationException(
            "the private key in the TLS PKCS#12 file " + file + " has no X.509 certificate chain");
      }
      X509Certificate[] x509 = Arrays.copyOf(chain, chain.length, X509Certificate[].class);
      return new TlsKeyMaterial(key, x509, "PKCS#12 " + file);
    } catch (UnrecoverableKeyException e) {
      throw new ConfigurationException(
          "the private key in the TLS PKCS#12 file "
              + file
              + " has a password other than the file's; re-export it with one password",
          e);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new ConfigurationException(
          "cannot read the private key in the TLS PKCS#12 file " + file, e);
    }
  }

  /** A connector that speaks only HTTPS (TLS 1.2 or 1.3, Jetty's default cipher suites). */
  ServerConnector httpsConnector(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(keyStorePassword);
    ssl.setIncludeProtocols(protocols());
    http.setSecureScheme("https");
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /** The protocol versions the connector accepts. */
  static String[] protocols() {
    return new String[] {"TLSv1.3", "TLSv1.2"};
  }

  @Override
  public String toString() {
    return "TlsKeyMaterial[" + source + "]";
  }

  private static X509Certificate[] readCertificates(Path file) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("TLS certificate file not found: " + file);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the TLS certificate file " + file, e);
    } catch (CertificateException e) {
      throw new ConfigurationException(
          "no X.509 certificate could be read from "
              + file
              + "; expected PEM (-----BEGIN CERTIFICATE-----), the server's certificate first",
          e);
    }
    if (certificates.isEmpty()) {
      throw new ConfigurationException(
          "no X.509 certificate in "
              + file
              + "; expected PEM (-----BEGIN CERTIFICATE-----), the server's certificate first");
    }
    return certificates.toArray(new X509Certificate[0]);
  }

  /**
   * The first PKCS#8 key in a PEM file. Other key formats are named and refused with the command
   * that converts them. No exception here keeps a cause: a parser's message might quote the input.
   */
  private static PrivateKey readPkcs8(Path file, String algorithm) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("TLS private key file not found: " + file);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read the TLS private key file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    Arrays.fill(bytes, (byte) 0);
    String convert =
        "; convert it to unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in "
            + file
            + " -out key.pkcs8.pem (and keep that file readable only by the server's user)";
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
        || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new ConfigurationException(
          "the TLS private key in "
              + file
              + " is in the traditional (PKCS#1/SEC1) "
              + "format, which is not read"
              + convert);
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigurationException(
          "the TLS private key in "
              + file
              + " is encrypted, and the server takes no "
              + "key passphrase"
              + convert);
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = begin < 0 ? -1 : text.indexOf(PKCS8_END, begin);
    if (end < 0) {
      throw new ConfigurationException(
          "no PEM private key (-----BEGIN PRIVATE KEY-----) in "
              + file
              + "; the server reads unencrypted PKCS#8"
              + convert);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("the PEM private key in " + file + " is not valid base64");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "the private key in "
              + file
              + " is not a PKCS#8 "
              + algorithm
              + " key, as the certificate's is");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Signs a random challenge and verifies it with the certificate's key: catches a mixed-up pair
   * now, not at the first handshake.
   */
  private static void checkPair(PrivateKey key, X509Certificate certificate, String message) {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new ConfigurationException(message);
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(message);
    }
  }
}
