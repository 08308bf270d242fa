package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runnable jar prints on a first start, in a real process: by default only our own lines
 * (configuration, URL, the one-time admin key, warnings); {@code --verbose} or {@code
 * LANONASIS_LOG_LEVEL=info} brings back the libraries' INFO lines (Flyway, HikariCP, Jetty,
 * Javalin).
 */
class ServerQuietStartIT {
  static final Pattern STARTED =
      Pattern.compile("^Lanonasis Secrets server: http://127\\.0\\.0\\.1:\\d+/");

  /** A log line at INFO or DEBUG from a logger outside this project. */
  static final Pattern THIRD_PARTY_INFO =
      Pattern.compile("\\] (INFO|DEBUG) (?!com\\.lanonasis\\.)");

  @Test
  @DisplayName("by default a start prints our lines and no library's INFO line")
  void start_byDefault_printsOnlyOurLines(@TempDir Path dir) throws Exception {
    List<String> lines = firstStart(dir, Map.of());

    assertThat(lines).contains("Lanonasis Secrets server configuration:");
    assertThat(lines)
        .anyMatch(l -> l.startsWith("  store ") && l.contains("jdbc:sqlite:./data/secrets.db"));
    assertThat(lines)
        .contains("Created the admin API key of tenant 'default'. It is shown only this once:");
    assertThat(lines).anyMatch(l -> l.matches("  lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"));
    assertThat(lines)
        .as("the base URL, as LANONASIS_URL takes it, not the API's")
        .anyMatch(
            l ->
                l.matches(
                    "Lanonasis Secrets server: http://127\\.0\\.0\\.1:\\d+/ \\(LANONASIS_URL.*"))
        .noneMatch(
            l -> l.startsWith("Lanonasis Secrets server: ") && l.contains("/api/v1/secrets"));
    assertThat(lines)
        .as("our warnings stay")
        .anyMatch(l -> l.contains("WARN com.lanonasis.secrets.DevelopmentKeyring"));
    assertThat(lines)
        .as("our INFO lines stay")
        .anyMatch(l -> l.contains("INFO com.lanonasis.secrets.server.SecretsServer"));
    assertThat(lines).noneMatch(l -> THIRD_PARTY_INFO.matcher(l).find());
    assertThat(lines)
        .noneMatch(
            l ->
                l.contains("flywaydb")
                    || l.contains("Javalin")
                    || l.contains("Hikari")
                    || l.contains("+---+"));
  }

  @Test
  @DisplayName("--verbose brings the libraries' INFO lines back")
  void start_verbose_printsLibraryInfoLines(@TempDir Path dir) throws Exception {
    List<String> lines = firstStart(dir, Map.of(), "--verbose");

    assertThat(lines).anyMatch(l -> l.contains("INFO org.flywaydb"));
    assertThat(lines).anyMatch(l -> l.contains("INFO io.javalin"));
    assertThat(lines).anyMatch(l -> l.startsWith("Lanonasis Secrets server: http://127.0.0.1:"));
  }

  @Test
  @DisplayName("LANONASIS_LOG_LEVEL=info brings the libraries' INFO lines back")
  void start_logLevelInfo_printsLibraryInfoLines(@TempDir Path dir) throws Exception {
    List<String> lines = firstStart(dir, Map.of("LANONASIS_LOG_LEVEL", "info"));

    assertThat(lines).anyMatch(l -> l.contains("INFO com.zaxxer.hikari"));
    assertThat(lines).anyMatch(l -> l.contains("INFO org.eclipse.jetty"));
    assertThat(lines).contains("Lanonasis Secrets server configuration:");
  }

  /**
   * Starts the jar on an empty directory, waits for its URL, stops it and returns every line it
   * printed.
   */
  private static List<String> firstStart(Path dir, Map<String, String> env, String... args)
      throws Exception {
    Running server = new Running(dir, env, args);
    try {
      server.await(STARTED);
      assertThat(server.terminate()).isEqualTo(143);
      return server.lines;
    } finally {
      server.process.destroyForcibly();
    }
  }
}
