package com.lanonasis.secrets.server;

import com.lanonasis.secrets.SecretsException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar lanonasis-server.jar [flags]}: reads the configuration ({@link ServerConfigParser}:
 * flags, environment, a config file, defaults), prints it (one line per setting with where it came
 * from, secrets masked), starts the server and stops it gracefully on SIGTERM.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    ServerConfig config;
    try {
      config = ServerConfigParser.parse(args, env);
    } catch (IllegalArgumentException e) {
      System.err.println("lanonasis server: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println("Lanonasis Secrets server configuration:");
    config.description().forEach(line -> System.out.println("  " + line));
    config.legacyStoreNotice().ifPresent(notice -> System.err.println("lanonasis server: " + notice));
    SecretsServer server;
    try {
      server = config.start(env, System.out);
    } catch (SecretsException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("lanonasis server: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("Lanonasis Secrets server: " + config.baseUrl(server.port()) + "/api/v1/secrets");
    System.out.println("Lanonasis Secrets dashboard: " + config.baseUrl(server.port()) + "/ (sign in with an API key)");
    System.out.println("MCP endpoint (Streamable HTTP): " + config.baseUrl(server.port()) + McpRoutes.PATH
        + " (Authorization: Bearer <API key>; lanonasis mcp config --ide vscode --http "
        + config.baseUrl(server.port()) + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lanonasis-shutdown"));
    stopped.await();
  }
}
