package com.lanonasis.secrets.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The levels of slf4j-simple, the binding the CLI's jar ships, set before the first logger exists:
 * this project's loggers at INFO and every library's (Flyway, HikariCP, Jetty, Javalin) only
 * warnings and errors, unless {@code LANONASIS_LOG_LEVEL} names one level for every logger or
 * {@code --verbose} asks for {@code info}. Levels given as {@code -Dorg.slf4j.simpleLogger.*} are
 * left as they are. The same rule as {@code ServerMain.configureLogging} of the server's jar, which
 * {@code serve} then leaves alone (the levels are set already): kept here so that no command but
 * {@code serve} loads a server class.
 */
final class LogLevels {
  private static final String ENV_LOG_LEVEL = "LANONASIS_LOG_LEVEL";
  private static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String OUR_LEVEL = "org.slf4j.simpleLogger.log.com.lanonasis";
  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

  private LogLevels() {}

  static void configure(boolean verbose, Map<String, String> env) {
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
