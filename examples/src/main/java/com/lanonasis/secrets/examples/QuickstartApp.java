package com.lanonasis.secrets.examples;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionConflictException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The 30-second tour: open a store by URI, write, read, version, check-and-set, list. Run it with
 * {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl examples exec:java}. Arguments:
 * {@code [storeUri [keysetFile]]}; for a persistent store such as {@code
 * jdbc:sqlite:./data/example.db} give a keyset file, created as a development keyset (with a
 * warning) if it does not exist.
 */
public final class QuickstartApp {
  private QuickstartApp() {}

  public static void main(String[] args) {
    String uri = args.length > 0 ? args[0] : "memory:";
    SecretStores.Builder builder = SecretStores.builder().uri(uri);
    if (args.length > 1) {
      builder.keyring(DevelopmentKeyring.loadOrCreate(Path.of(args[1])));
    }
    run(builder, uri, System.out);
  }

  static void run(SecretStores.Builder builder, String uri, PrintStream out) {
    try (SecretStore store = builder.open()) {
      out.println("Opened " + store + " (" + uri + ")");

      store.put("prod/db/password", SecretValue.ofUtf8("correct horse battery staple"));
      long v2 = store.put("prod/db/password", SecretValue.ofUtf8("tr0ub4dor&3")).version();
      out.println("prod/db/password is now at version " + v2);

      try (Secret secret = store.get("prod/db/password")) {
        // A real app would hand secret.value().bytes() to its driver; we only show its length.
        out.println(
            "read version "
                + secret.version()
                + ": "
                + secret.value().length()
                + " bytes, printed as "
                + secret.value());
      }

      try {
        store.put("prod/db/password", SecretValue.ofUtf8("stale writer"), PutOptions.ifVersion(1));
      } catch (VersionConflictException e) {
        out.println("check-and-set refused a stale write: " + e.getMessage());
      }

      store.put("prod/api/token", SecretValue.ofUtf8("tok_123"));
      store.put("staging/db/password", SecretValue.ofUtf8("staging"));
      out.println("secrets under prod/:");
      for (SecretMetadata m : store.list(ListOptions.prefix("prod/")).items()) {
        out.println("  " + m.name() + " (version " + m.currentVersion() + ")");
      }
    }
  }
}
