package com.lanonasis.secrets.examples;

import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.http.SecretManagerClient;
import com.lanonasis.secrets.http.SecretManagerClientConfig;
import java.io.PrintStream;

/**
 * Reads and writes through a running Lanonasis server with the Java SDK, {@link
 * SecretManagerClient}. Start a server (see the README's set-up), put the admin key it printed in
 * {@code LANONASIS_API_KEY}, and run:
 *
 * <pre>
 * LANONASIS_URL=http://127.0.0.1:8080 LANONASIS_API_KEY=lns_... \
 *   ./mvnw -q -B -pl examples exec:java -Dexec.mainClass=com.lanonasis.secrets.examples.HttpClientApp
 * </pre>
 *
 * <p>The same program against any other backend is {@link QuickstartApp} with another URI: {@code
 * SecretStores.open("http://127.0.0.1:8080")} gives this very client.
 */
public final class HttpClientApp {
  private HttpClientApp() {}

  public static void main(String[] args) {
    SecretManagerClientConfig config =
        SecretManagerClientConfig.fromEnvironment().etagRevalidation(1_000).build();
    run(config, System.out);
  }

  static void run(SecretManagerClientConfig config, PrintStream out) {
    try (SecretManagerClient client = new SecretManagerClient(config)) {
      out.println("Connected: " + client);

      VersionInfo written = client.setSecret("demo/api/token", "tok_live_4f9a2c");
      out.println("wrote demo/api/token, version " + written.version());

      String token = client.getSecret("demo/api/token");
      // A real app would use the token; we only show that it came back whole.
      out.println("read demo/api/token back: " + token.length() + " characters");

      try {
        client.put(
            "demo/api/token",
            SecretValue.ofUtf8("a stale writer's token"),
            PutOptions.ifVersion(written.version() - 1));
      } catch (VersionConflictException e) {
        out.println(
            "check-and-set refused a stale write; the current version is " + e.currentVersion());
      }

      try {
        client.getSecret("demo/missing");
      } catch (SecretNotFoundException e) {
        out.println(
            "a missing secret is the same typed error as with any backend: " + e.getMessage());
      }

      out.println("secrets under demo/:");
      for (SecretMetadata m : client.list(ListOptions.prefix("demo/")).items()) {
        out.println("  " + m.name() + " (version " + m.currentVersion() + ")");
      }
    }
  }
}
