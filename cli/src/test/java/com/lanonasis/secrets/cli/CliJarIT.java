package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built {@code lanonasis.jar} in real processes: one or more per command group. */
class CliJarIT {
  static final Pattern KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
  static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/");
  static final String VALUE = "S3NTINEL-cli-jar-value";

  /** One finished process: exit code, stdout, stderr. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  static List<String> command(String... args) {
    Path jar = Path.of(System.getProperty("lanonasis.cli.jar"));
    assertThat(jar).as("the CLI jar is built before integration tests").exists();
    List<String> c =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    c.addAll(List.of(args));
    return c;
  }

  static Run run(Path dir, Map<String, String> env, String stdin, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void secretCommands_onAnEmbeddedStore_inRealProcesses(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("LANONASIS_STORE", "jdbc:sqlite:./data/secrets.db");
    Run set = run(dir, env, VALUE, "secret", "set", "app/db/password");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.err()).contains("DEVELOPMENT KEYSET CREATED").doesNotContain(VALUE);
    assertThat(dir.resolve("data/keyset.json")).exists();

    Run get = run(dir, env, null, "secret", "get", "app/db/password");
    assertThat(get.exit()).isZero();
    assertThat(get.out()).isEqualTo(VALUE);
    assertThat(get.err()).as("library INFO logs stay quiet").isEmpty();

    Run json = run(dir, env, null, "--json", "secret", "list");
    assertThat(json.json().get("items").get(0).get("key").asText()).isEqualTo("app/db/password");
    Run missing = run(dir, env, null, "secret", "get", "app/none");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().strip()).isEqualTo("lanonasis: secret 'app/none' not found");
    assertThat(run(dir, env, null, "secret", "frobnicate").exit()).isEqualTo(2);
    Run rotated =
        run(dir, Map.of(), null, "--store", "jdbc:sqlite:./data/secrets.db", "key", "rotate");
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(run(dir, env, null, "secret", "get", "app/db/password").out()).isEqualTo(VALUE);
  }

  /**
   * {@code lanonasis serve --port 0} in {@code dir}; its lines are kept, the URL and a first-start
   * key read.
   */
  static final class Served implements AutoCloseable {
    final Process process;
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    String admin;
    String url;

    Served(Path dir) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(command("serve", "--port", "0"))
              .directory(dir.toFile())
              .redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
      process = pb.start();
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line; url == null && (line = r.readLine()) != null; ) {
        lines.add(line);
        Matcher k = KEY.matcher(line);
        if (k.find()) {
          admin = k.group();
        }
        Matcher u = URL.matcher(line);
        if (line.startsWith("Lanonasis Secrets server: ") && u.find()) {
          url = u.group(1);
        }
      }
      assertThat(url).as(String.join("\n", lines)).isNotNull();
      Thread drain = new Thread(() -> r.lines().forEach(lines::add));
      drain.setDaemon(true);
      drain.start();
    }

    /** SIGTERM, as a service manager stops it. */
    @Override
    public void close() throws Exception {
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      process.destroyForcibly();
    }
  }

  @Test
  void earlierVersionsH2Store_isServedAsItIs_thenMigratedToSqlite_andServedFromThere(
      @TempDir Path dir) throws Exception {
    // The store an earlier version made on its defaults: ./data/secrets (H2) with
    // ./data/keyset.json.
    String admin;
    try (var old =
        com.lanonasis.secrets.server.SecretsServer.builder()
            .jdbcUrl("jdbc:h2:file:" + dir.resolve("data/secrets"))
            .keyring(
                com.lanonasis.secrets.DevelopmentKeyring.loadOrCreate(
                    dir.resolve("data/keyset.json")))
            .port(0)
            .bootstrapOutput(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .start()) {
      admin = old.apiKeys().create("default", com.lanonasis.secrets.wire.Role.ADMIN, "");
      Map<String, String> env =
          Map.of("LANONASIS_URL", "http://127.0.0.1:" + old.port(), "LANONASIS_API_KEY", admin);
      assertThat(run(dir, env, VALUE, "secret", "set", "app/db/password").exit()).isZero();
      assertThat(run(dir, env, VALUE + "-2", "secret", "set", "app/db/password").exit()).isZero();
    }
    assertThat(dir.resolve("data/secrets.mv.db")).exists();

    try (Served served = new Served(dir)) {
      assertThat(served.lines)
          .anyMatch(
              l ->
                  l.contains("found the H2 store of an earlier version")
                      && l.contains(
                          "lanonasis migrate-store --from jdbc:h2:file:./data/secrets --to jdbc:sqlite:./data/secrets.db"));
      assertThat(served.admin).as("the existing keys are kept: no new admin key").isNull();
      Map<String, String> env = Map.of("LANONASIS_URL", served.url, "LANONASIS_API_KEY", admin);
      assertThat(run(dir, env, null, "secret", "get", "app/db/password").out())
          .isEqualTo(VALUE + "-2");
    }
    assertThat(dir.resolve("data/secrets.db")).doesNotExist();

    Run migrated =
        run(
            dir,
            Map.of(),
            null,
            "migrate-store",
            "--from",
            "jdbc:h2:file:./data/secrets",
            "--to",
            "jdbc:sqlite:./data/secrets.db");
    assertThat(migrated.exit()).as(migrated.err()).isZero();
    assertThat(migrated.out()).contains("secret_versions: 2 rows").contains("hash chain intact");
    assertThat(migrated.out() + migrated.err()).doesNotContain(VALUE);

    try (Served served = new Served(dir)) {
      assertThat(served.lines).noneMatch(l -> l.contains("earlier version"));
      assertThat(served.lines)
          .anyMatch(l -> l.contains("store") && l.contains("jdbc:sqlite:./data/secrets.db"));
      Map<String, String> env = Map.of("LANONASIS_URL", served.url, "LANONASIS_API_KEY", admin);
      assertThat(run(dir, env, null, "secret", "get", "app/db/password").out())
          .isEqualTo(VALUE + "-2");
      assertThat(run(dir, env, null, "secret", "get", "app/db/password", "--version", "1").out())
          .isEqualTo(VALUE);
    }
  }

  @Test
  void serve_thenApiKeyCommandsAgainstIt_thenSigterm(@TempDir Path dir) throws Exception {
    Served served = new Served(dir);
    String url = served.url;
    try {
      String admin = served.admin;
      assertThat(admin).as(String.join("\n", served.lines)).isNotNull();

      Map<String, String> env =
          new HashMap<>(Map.of("LANONASIS_URL", url, "LANONASIS_API_KEY", admin));
      Run set = run(dir, env, VALUE, "secret", "set", "app/db/password");
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(run(dir, env, null, "secret", "get", "app/db/password").out()).isEqualTo(VALUE);
      assertThat(run(dir, env, null, "secret", "get", "app/none").exit()).isEqualTo(1);
      Run badKey =
          run(
              dir,
              Map.of("LANONASIS_URL", url, "LANONASIS_API_KEY", admin + "x"),
              null,
              "secret",
              "get",
              "app/db/password");
      assertThat(badKey.exit()).isEqualTo(4);
      assertThat(badKey.err()).doesNotContain(admin).doesNotContain(VALUE);
      Run created =
          run(dir, env, null, "apikey", "create", "--role", "READ_ONLY", "--prefix", "app/");
      assertThat(created.exit()).as(created.err()).isZero();
      String readOnly = created.out().strip();
      assertThat(readOnly).matches(KEY.pattern());
      Run list = run(dir, env, null, "--json", "apikey", "list");
      assertThat(list.json().get("items")).hasSize(2);
      assertThat(list.out()).doesNotContain(readOnly.substring(22));
      String id = readOnly.substring(4, 20);
      assertThat(run(dir, env, null, "apikey", "revoke", id).out().strip())
          .isEqualTo("revoked " + id);
      assertThat(run(dir, env, null, "apikey", "revoke", id).exit())
          .as("already revoked")
          .isEqualTo(3);
      Run denied =
          run(
              dir,
              Map.of("LANONASIS_URL", url, "LANONASIS_API_KEY", readOnly),
              null,
              "apikey",
              "list");
      assertThat(denied.exit()).isEqualTo(4);
      assertThat(denied.err()).doesNotContain(readOnly);
      Run badRole = run(dir, env, null, "apikey", "create", "--role", "GOD");
      assertThat(badRole.exit()).isEqualTo(6);
      assertThat(badRole.err()).isEqualTo("lanonasis: a role is ADMIN, READ_WRITE or READ_ONLY\n");
      Run tooBig = run(dir, env, "x".repeat(64 * 1024 + 1), "secret", "set", "app/big");
      assertThat(tooBig.exit()).isEqualTo(6);
      assertThat(tooBig.err()).contains("is 65537 bytes; the limit is 65536 bytes");
    } finally {
      served.close();
    }
    assertThat(served.process.exitValue()).isEqualTo(143);
    Run stopped =
        run(
            dir,
            Map.of("LANONASIS_URL", url, "LANONASIS_API_KEY", "lns_0123456789abcdef_x"),
            null,
            "apikey",
            "list");
    assertThat(stopped.exit()).as("the stopped server").isEqualTo(5);
    assertThat(stopped.err())
        .startsWith(
            "lanonasis: cannot list API keys: the server at "
                + url.substring(7)
                + " did not answer");
  }

  @Test
  void apikeyCommands_keepThePlainHttpGuard_inRealProcesses(@TempDir Path dir) throws Exception {
    Map<String, String> env =
        Map.of("LANONASIS_API_KEY", "lns_0123456789abcdef_S3NTINEL-admin-key");
    for (String[] command :
        new String[][] {{"apikey", "list"}, {"apikey", "revoke", "0123456789abcdef"}}) {
      String[] args =
          RemoteTransportTest.concat(new String[] {"--url", "http://10.255.255.1:9"}, command);
      Run r = run(dir, env, null, args);
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err())
          .startsWith(
              "lanonasis: apiUrl http://10.255.255.1:9/ is plain http to a host that is not "
                  + "loopback")
          .contains("LANONASIS_INSECURE_NO_TLS=true")
          .doesNotContain("S3NTINEL");
    }
  }

  @Test
  void secretSet_promptsWithoutEcho_onATerminal(@TempDir Path dir) throws Exception {
    String typed = "S3NTINEL-typed-at-the-prompt";
    PseudoTerminal.Session s =
        PseudoTerminal.run(
            dir,
            Map.of(),
            List.of(typed),
            "--store",
            "jdbc:sqlite:./data/secrets.db",
            "secret",
            "set",
            "app/typed");
    assertThat(s.terminal()).contains("Value of app/typed (not shown): ");
    assertThat(s.exit()).as(s.terminal()).isZero();
    assertThat(s.terminal()).contains("app/typed version 1").doesNotContain(typed);
    Run get =
        run(
            dir,
            Map.of(),
            null,
            "--store",
            "jdbc:sqlite:./data/secrets.db",
            "secret",
            "get",
            "app/typed");
    assertThat(get.out()).as("the line typed, without its newline").isEqualTo(typed);
  }
}
