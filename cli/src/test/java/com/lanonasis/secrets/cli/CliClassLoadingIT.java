package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.audit.AuditCheckpoints;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module line "only {@code serve} needs the server": the built {@code lanonasis.jar} runs under
 * {@code java -verbose:class}, and no command but {@code serve} loads a class of the server module,
 * Javalin or Jetty — while {@code serve} does, so that the check can fail.
 */
class CliClassLoadingIT {
  private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source:");
  private static final List<String> SERVER_ONLY =
      List.of("com.lanonasis.secrets.server.", "io.javalin.", "org.eclipse.jetty.");
  private static final String STORE = "jdbc:sqlite:./data/secrets.db";

  /**
   * One finished process: exit code, its output lines that are not class loads, and the classes
   * loaded.
   */
  record Run(int exit, String output, List<String> classes) {
    List<String> serverClasses() {
      return classes.stream().filter(c -> SERVER_ONLY.stream().anyMatch(c::startsWith)).toList();
    }
  }

  private static ProcessBuilder process(Path dir, String... args) {
    Path jar = Path.of(System.getProperty("lanonasis.cli.jar"));
    assertThat(jar).as("the CLI jar is built before integration tests").exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class",
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    return pb;
  }

  private static Run run(Path dir, String stdin, String... args) throws Exception {
    Process p = process(dir, args).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> classes = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    for (String line : all.split("\n", -1)) {
      Matcher m = LOADED.matcher(line);
      if (m.find()) {
        classes.add(m.group(1));
      } else {
        output.append(line).append('\n');
      }
    }
    return new Run(p.exitValue(), output.toString(), classes);
  }

  private static Run runWithoutServer(Path dir, String stdin, String... args) throws Exception {
    Run r = run(dir, stdin, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
    assertThat(r.classes())
        .as("-verbose:class lists what " + String.join(" ", args) + " loaded")
        .contains("com.lanonasis.secrets.cli.Lanonasis");
    assertThat(r.serverClasses())
        .as(String.join(" ", args) + " loads no server, Javalin or Jetty class")
        .isEmpty();
    return r;
  }

  @Test
  @DisplayName(
      "help, embedded secrets, the break-glass key, audit verify, mcp and key commands load no server class")
  void commandsButServe_loadNoServerClass(@TempDir Path dir) throws Exception {
    assertThat(runWithoutServer(dir, "", "--help").output()).contains("serve");
    runWithoutServer(dir, "v4lue", "--store", STORE, "secret", "set", "app/db/password");
    assertThat(runWithoutServer(dir, "", "--store", STORE, "secret", "list").output())
        .contains("app/db/password");

    Run created =
        runWithoutServer(dir, "", "--store", STORE, "apikey", "create", "--role", "ADMIN");
    assertThat(created.output()).containsPattern("lns_[0-9a-f]{16}_");
    assertThat(created.classes()).contains("com.lanonasis.secrets.apikey.ApiKeyTable");

    // A checkpoint over the log the break-glass wrote, signed here as a server would sign it.
    ObjectMapper json = new ObjectMapper();
    AuditCheckpoints signer = AuditCheckpoints.ephemeral(json);
    AuditCheckpoints.Checkpoint checkpoint;
    try (JdbcDatabase db =
        JdbcDatabase.builder()
            .url("jdbc:sqlite:" + dir.resolve("data/secrets.db"))
            .maximumPoolSize(1)
            .readOnly()
            .build()) {
      AuditEntry newest = new AuditLog(db, Clock.systemUTC()).newest().orElseThrow();
      assertThat(newest.action()).isEqualTo("key.breakglass");
      checkpoint = signer.sign(newest);
    }
    Path kept = dir.resolve("checkpoints.jsonl");
    Files.writeString(kept, json.writeValueAsString(checkpoint.json()) + "\n");
    Run verified =
        runWithoutServer(
            dir,
            "",
            "--store",
            STORE,
            "audit",
            "verify",
            "--checkpoint",
            kept.toString(),
            "--public-key",
            Base64.getEncoder().encodeToString(signer.publicKey()));
    assertThat(verified.output()).contains("holds");
    assertThat(verified.classes()).contains("com.lanonasis.secrets.audit.AuditCheckpointVerifier");

    runWithoutServer(dir, "", "mcp", "--help");
    runWithoutServer(dir, "", "key", "info");
    runWithoutServer(dir, "", "--store", STORE, "key", "status");
    runWithoutServer(dir, "", "--store", STORE, "key", "rotate");
  }

  @Test
  @DisplayName("serve loads the server, Javalin and Jetty")
  void serve_loadsTheServer(@TempDir Path dir) throws Exception {
    Process p = process(dir, "serve", "--port", "0").start();
    List<String> classes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = LOADED.matcher(line);
        if (m.find()) {
          classes.add(m.group(1));
        } else {
          lines.add(line);
          if (line.startsWith("Lanonasis Secrets server: ")) {
            break;
          }
        }
      }
      // What it prints while it stops must not fill the pipe and block it.
      Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      p.destroyForcibly();
    }
    assertThat(lines).as("serve started").anyMatch(l -> l.startsWith("Lanonasis Secrets server: "));
    assertThat(classes)
        .contains("com.lanonasis.secrets.server.ServerMain")
        .anyMatch(c -> c.startsWith("io.javalin."))
        .anyMatch(c -> c.startsWith("org.eclipse.jetty."));
  }
}
