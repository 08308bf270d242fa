package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.server.ServerMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code lanonasis serve}: the REST server, with the server's own flags and environment. Its help
 * lists the server's settings from the server's own table ({@link ServerMain#usage()}), so none is
 * left out ({@link #describeServerSettings}).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the Lanonasis server (the same flags and environment variables as java -jar lanonasis-server.jar; "
          + "see server/README.md).",
      "Defaults: a SQLite store ./data/secrets.db, a development keyset ./data/keyset.json, http://127.0.0.1:8080. "
          + "The first start prints the admin API key once."
    })
final class ServeCommand implements Runnable {
  @ParentCommand Lanonasis root;

  @Unmatched List<String> serverArgs = new ArrayList<>();

  /**
   * Sets the help's footer to the server's settings table ('%' escaped: picocli formats footer
   * lines), 100 columns wide to fit it. Set on the command line, after addSubcommand: that replaces
   * the usage settings an annotation or model transformer would give.
   */
  static void describeServerSettings(CommandLine serve) {
    serve
        .getCommandSpec()
        .usageMessage()
        .width(100)
        .footer(ServerMain.usage().stream().map(l -> l.replace("%", "%%")).toArray(String[]::new));
  }

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
