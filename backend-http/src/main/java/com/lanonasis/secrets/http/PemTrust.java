package com.lanonasis.secrets.http;

import com.lanonasis.secrets.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust in a given set of certificate authorities (a PEM bundle), replacing the JDK's. */
final class PemTrust {
  private PemTrust() {}

  /** The certificates of a PEM bundle; at least one. */
  static List<X509Certificate> readCertificates(Path pemFile) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(pemFile);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read the trusted certificates file "
              + pemFile
              + ": "
              + e.getClass().getSimpleName(),
          e);
    }
    if (!new String(pem, java.nio.charset.StandardCharsets.US_ASCII)
        .contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigurationException(
          "the trusted certificates file "
              + pemFile
              + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : read) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new ConfigurationException(
            "the trusted certificates file " + pemFile + " holds no certificate");
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new ConfigurationException(
          "the trusted certificates file "
              + pemFile
              + " is not a valid PEM bundle of X.509 certificates",
          e);
    }
  }

  /** A trust manager that accepts chains ending at one of {@code anchors}, and only those. */
  static X509TrustManager trustManager(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new ConfigurationException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigurationException(
          "cannot build trust in the given certificate authorities", e);
    }
  }

  static SSLContext sslContext(X509TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "cannot set up TLS with the given certificate authorities", e);
    }
  }
}
