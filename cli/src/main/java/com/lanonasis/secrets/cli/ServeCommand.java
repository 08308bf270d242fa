package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.server.ServerMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code lanonasis serve}: the REST server, with the server's own flags and environment. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
    "Start the Lanonasis server (the same flags and environment variables as java -jar lanonasis-server.jar; "
        + "see server/README.md).",
    "Defaults: a SQLite store ./data/secrets.db, a development keyset ./data/keyset.json, http://127.0.0.1:8080. "
        + "The first start prints the admin API key once.",
    "Server flags: --store URL, --keyset FILE, --bind ADDRESS, --port N, --admin-key-file FILE, --config FILE, "
        + "--tls-cert FILE --tls-key FILE, --tls-pkcs12 FILE, --db-user NAME, --insecure-no-tls, --dev-keyset-ok, --accept-store-rollback, "
        + "--mcp-allow-reveal, --mcp-allow-write, --mcp-allow-commands A,B, --mcp-allowed-hosts H,..."})
final class ServeCommand implements Runnable {
  @ParentCommand
  Lanonasis root;

  @Unmatched
  List<String> serverArgs = new ArrayList<>();

  @Override
  public void run() {
    List<String> args = new ArrayList<>();
    // --store and --keyset are the CLI's own (inherited) options too: hand them on.
    if (root.store != null) {
      args.add("--store");
      args.add(root.store);
    }
    if (root.keyset != null) {
      args.add("--keyset");
      args.add(root.keyset.toString());
    }
    args.addAll(serverArgs);
    try {
      ServerMain.main(args.toArray(String[]::new));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
