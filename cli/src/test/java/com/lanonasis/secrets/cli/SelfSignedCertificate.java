package com.lanonasis.secrets.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's own
 * {@code keytool}: a PKCS#12 file for the server and the certificate as PEM, the bundle a client of
 * a private deployment is given ({@code LANONASIS_TLS_CA_FILE}).
 */
record SelfSignedCertificate(Path pkcs12, char[] password, Path pem) {
  static SelfSignedCertificate create(Path dir) throws Exception {
    String password = "cli-test-p12";
    Path p12 = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    keytool(
        dir,
        password,
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
        "-noprompt");
    keytool(
        dir,
        password,
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
        pem.toString());
    return new SelfSignedCertificate(p12, password.toCharArray(), pem);
  }

  private static void keytool(Path dir, String password, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "keytool", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The password goes through the environment, not the command line.
    pb.environment().put("TEST_P12_PASSWORD", password);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("keytool failed (" + exit + "): " + Files.readString(log));
    }
  }
}
