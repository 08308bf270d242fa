package com.lanonasis.secrets.server;

import com.lanonasis.secrets.SecretsException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar lanonasis-server.jar [flags]}: reads the configuration ({@link
 * ServerConfigParser}: flags, environment, a config file, defaults), prints it (one line per
 * setting with where it came from, secrets masked), starts the server and stops it gracefully on
 * SIGTERM. Only this project's log lines are shown unless {@code --verbose} or {@code
 * LANONASIS_LOG_LEVEL} asks for more ({@link #configureLogging}).
 */
public final class ServerMain {
  /**
   * Names the log level of every logger: {@code error}, {@code warn}, {@code info}, {@code debug},
   * {@code trace}.
   */
  public static final String ENV_LOG_LEVEL = "LANONASIS_LOG_LEVEL";

  private static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String OUR_LEVEL = "org.slf4j.simpleLogger.log.com.lanonasis";
  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(
          "Usage: java -jar lanonasis-server.jar [--config FILE] [--SETTING VALUE]... [--verbose]");
      System.out.println(
          "Starts the Lanonasis Secrets server and prints its configuration, URL and, on the first "
              + "start, the admin API key.");
      usage().forEach(System.out::println);
      return;
    }
    Map<String, String> env = System.getenv();
    boolean verbose = Arrays.asList(args).contains("--verbose");
    configureLogging(verbose, env);
    args = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
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
    config
        .legacyStoreNotice()
        .ifPresent(notice -> System.err.println("lanonasis server: " + notice));
    SecretsServer server;
    try {
      server = config.start(env, System.out);
    } catch (SecretsException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("lanonasis server: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    // The base URL, as LANONASIS_URL and the SDKs take it (the REST API lives under /api/v1).
    System.out.println(
        "Lanonasis Secrets server: "
            + config.baseUrl(server.port())
            + "/ (LANONASIS_URL; the REST API "
            + "is under /api/v1)");
    System.out.println(
        "Lanonasis Secrets dashboard: "
            + config.baseUrl(server.port())
            + "/ (sign in with an API key)");
    System.out.println(
        "MCP endpoint (Streamable HTTP): "
            + config.baseUrl(server.port())
            + McpRoutes.PATH
            + " (Authorization: Bearer <API key>; lanonasis mcp config --ide vscode --http "
            + config.baseUrl(server.port())
            + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "lanonasis-shutdown"));
    stopped.await();
  }

  /**
   * The settings table of {@code --help}: each flag, its environment variable and config-file key.
   */
  public static List<String> usage() {
    return ServerConfigParser.usage();
  }

  /**
   * Sets slf4j-simple's levels; call it before the first logger is created. By default this
   * project's loggers log at INFO and every library's (Flyway, HikariCP, Jetty, Javalin) only
   * warnings and errors, so a start shows the lines a user needs. {@code LANONASIS_LOG_LEVEL} names
   * one level for every logger; {@code verbose} means {@code info} for every logger unless that
   * variable says otherwise. Levels already given as {@code -Dorg.slf4j.simpleLogger.*} system
   * properties are left as they are.
   */
  public static void configureLogging(boolean verbose, Map<String, String> env) {
    if (System.getProperty(DEFAULT_LEVEL) != null) {
      return;
    }
    String level = env.getOrDefault(ENV_LOG_LEVEL, "").trim().toLowerCase(Locale.ROOT);
    if (!level.isEmpty() && !LEVELS.contains(level)) {
      System.err.println(
          "lanonasis: warning: "
              + ENV_LOG_LEVEL
              + " must be one of error, warn, info, debug, "
              + "trace; ignored: "
              + env.get(ENV_LOG_LEVEL));
      level = "";
    }
    if (level.isEmpty() && verbose) {
      level = "info";
    }
    if (!level.isEmpty()) {
      System.setProperty(DEFAULT_LEVEL, level);
      System.setProperty(OUR_LEVEL, System.getProperty(OUR_LEVEL, level));
      return;
    }
    System.setProperty(DEFAULT_LEVEL, "warn");
    System.setProperty(OUR_LEVEL, System.getProperty(OUR_LEVEL, "info"));
  }
}
