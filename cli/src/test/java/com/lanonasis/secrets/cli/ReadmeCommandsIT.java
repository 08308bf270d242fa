package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell blocks a newcomer runs, read from the READMEs at test time and run as written, so a
 * README cannot drift from the code.
 *
 * <p>A block takes part when the line right before its fence is {@code <!-- readme-test: NAME -->}
 * (invisible when rendered). Every marked block of a README runs, in the README's order, in one
 * {@code bash -euo pipefail} session — one terminal, as a reader who follows the README has: the
 * curl block uses the key the quick start exported, and {@code mcp config} the URL. The session
 * runs in a fresh clone: a temporary copy of the repository's sources (no {@code target}, {@code
 * node_modules}, {@code data} or {@code .git}) whose {@code cli/target/lanonasis.jar} is a link to
 * the jar this build made, as if {@code ./lanonasis} had built it on first use (the launcher finds
 * the jar next to itself). Its environment holds only {@code PATH} (this JDK first), a fresh {@code
 * HOME} (no profile of the machine's user), {@code JAVA_HOME}, and for the README's Maven commands
 * {@code MAVEN_USER_HOME} (the Maven the wrapper already fetched) and {@code MAVEN_ARGS}: this
 * build's offline flag, and a local repository of the session's own whose read-only tail is this
 * build's ({@code maven.repo.local.tail}), so the example's {@code install} resolves what this
 * build resolved and writes nothing outside the session; plus what the blocks export. The names
 * this test knows must be marked, so deleting a marker or its block fails here.
 *
 * <p>A {@code ./lanonasis serve} line is the README's "in another terminal" server: the test runs
 * that command itself in the same directory with {@code --port N} added for a free port N, waits
 * for the port, reads the admin key it prints, and stops it with SIGTERM at the end. In every block
 * {@code :8080} becomes {@code :N} and the placeholder {@code lns_...} the printed key. Each
 * command's stdout is kept apart, so the checks are on what the README says that command prints:
 * {@code secret get} exactly {@code hunter2}, {@code secret list} the name without the value, curl
 * the JSON of the secret, {@code mcp config} an editor file without the key.
 *
 * <p>Left out on purpose: step 2 of "Set-up" ({@code .ci/services.sh && ./mvnw verify}) is the
 * build that runs this test; the test checks that line is still there as it is and does not run it.
 * The example app's block runs Maven inside this Maven build (install of the example and the
 * modules it uses, then {@code exec:java} twice: under two minutes on a 2-core machine); it runs in
 * the copy, so it rebuilds nothing of this build's.
 */
class ReadmeCommandsIT {
  static final Pattern MARKER = Pattern.compile("<!-- readme-test: ([a-z0-9-]+) -->");
  static final Pattern ADMIN_KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
  static final String SERVE = "./lanonasis serve";
  static final String BUILD_AND_TEST = ".ci/services.sh && ./mvnw verify";

  /** Between two commands' output: a byte no command here prints. */
  static final char SEPARATOR = '\u001e';

  /** A marked shell block: its name, where it starts, its commands (continuation lines joined). */
  record Block(String name, String where, List<String> commands) {}

  /**
   * One finished session: each command with exactly what it printed on stdout, and stderr whole.
   */
  record Session(Map<String, String> stdout, String stderr, String adminKey, int port) {
    String of(String command) {
      assertThat(stdout).as("the README command '%s' ran", command).containsKey(command);
      return stdout.get(command);
    }
  }

  static Path repository() {
    return Path.of(System.getProperty("lanonasis.cli.jar"))
        .toAbsolutePath()
        .getParent()
        .getParent()
        .getParent();
  }

  @Test
  void readme_setUpQuickStartCurlMcpConfigAndExamples_runAsWritten(@TempDir Path dir)
      throws Exception {
    Session s =
        runMarkedBlocks(
            repository().resolve("README.md"),
            List.of("setup", "quickstart", "curl", "mcp-config", "examples"),
            dir);

    assertThat(s.of("./lanonasis secret get prod/db/password"))
        .as("prints hunter2, exactly the stored bytes")
        .isEqualTo("hunter2");
    assertThat(s.of("./lanonasis secret list prod/"))
        .as("names and versions, never values")
        .contains("prod/db/password")
        .doesNotContain("hunter2");

    JsonNode curl =
        new ObjectMapper()
            .readTree(
                s.of(
                    "curl -s -H \"Authorization: Bearer $LANONASIS_API_KEY\" http://127.0.0.1:"
                        + s.port()
                        + "/api/v1/secrets/prod/db/password"));
    assertThat(curl.get("key").asText()).isEqualTo("prod/db/password");
    assertThat(curl.get("value").asText()).isEqualTo("hunter2");

    String vscode = s.of("./lanonasis mcp --recipes recipes.json config --ide vscode");
    JsonNode server = new ObjectMapper().readTree(vscode).get("servers").get("lanonasis");
    assertThat(server.get("args").toString()).contains("\"--recipes\"").contains("recipes.json\"");
    assertThat(server.get("env").get("LANONASIS_API_KEY").asText())
        .as("key: a password prompt")
        .startsWith("${input:");
    String cursor = s.of("./lanonasis mcp config --ide cursor --http http://127.0.0.1:" + s.port());
    assertThat(
            new ObjectMapper()
                .readTree(cursor)
                .get("mcpServers")
                .get("lanonasis")
                .get("url")
                .asText())
        .isEqualTo("http://127.0.0.1:" + s.port() + "/mcp");
    assertThat(vscode + cursor + s.stderr())
        .as("the key is never in an editor's file or on stderr")
        .doesNotContain(s.adminKey());

    assertThat(s.of("./mvnw -q -B -pl examples exec:java"))
        .as("without any server (memory: store)")
        .contains("(memory:)")
        .contains("prod/db/password (version 2)");
    assertThat(
            s.of(
                "./mvnw -q -B -pl examples exec:java -Dexec.args=\"jdbc:sqlite:./data/example.db "
                    + "./data/keyset.json\""))
        .as("in an embedded SQLite file")
        .contains("(jdbc:sqlite:./data/example.db)")
        .contains("prod/db/password (version 2)");
    assertThat(dir.resolve("data/example.db")).exists();
  }

  @Test
  void cliReadme_firstCommands_runAsWritten(@TempDir Path dir) throws Exception {
    Session s =
        runMarkedBlocks(repository().resolve("cli/README.md"), List.of("first-commands"), dir);

    assertThat(s.of("./lanonasis secret get prod/db/password")).isEqualTo("hunter2");
    assertThat(s.stderr()).doesNotContain(s.adminKey()).doesNotContain("hunter2");
  }

  /**
   * Runs every marked block of {@code readme} in one session in {@code dir}, after checking that
   * each of {@code required} is marked; fails unless the session exits 0.
   */
  static Session runMarkedBlocks(Path readme, List<String> required, Path dir) throws Exception {
    List<Block> blocks = markedBlocks(readme);
    assertThat(blocks)
        .extracting(Block::name)
        .as("blocks marked in %s", readme)
        .containsAll(required);

    Path jarLink = freshClone(dir);
    try {
      return runSession(blocks, dir);
    } finally {
      // the clone's link, not the build's jar (JUnit would warn about a link leaving the directory)
      Files.deleteIfExists(jarLink);
    }
  }

  static Session runSession(List<Block> blocks, Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve(".home"));
    int port = freePort();

    List<String> serve = new ArrayList<>();
    List<String> script = new ArrayList<>();
    for (Block block : blocks) {
      for (String command : block.commands()) {
        String bare = withoutComment(command);
        if (bare.equals(SERVE) || bare.startsWith(SERVE + " ")) {
          serve.add(bare);
        } else if (bare.equals(BUILD_AND_TEST)) {
          assertThat(block.name()).as("'%s' is left out only in Set-up", bare).isEqualTo("setup");
        } else {
          script.add(command);
        }
      }
      if (block.name().equals("setup")) {
        assertThat(block.commands())
            .extracting(ReadmeCommandsIT::withoutComment)
            .as("Set-up, as this test knows it: %s", block.where())
            .containsExactly(SERVE, BUILD_AND_TEST);
      }
    }
    assertThat(serve).as("at most one server per README").hasSizeLessThanOrEqualTo(1);

    try (Server server = serve.isEmpty() ? null : new Server(serve.get(0), port, dir, home)) {
      String key = server == null ? null : server.adminKey;
      StringBuilder bash = new StringBuilder();
      for (int i = 0; i < script.size(); i++) {
        String line = script.get(i).replaceAll(":8080(?![0-9])", ":" + port);
        if (key != null) {
          line = line.replace("lns_...", key);
        }
        script.set(i, line);
        bash.append(line).append('\n').append("printf '\\036'\n");
      }
      Path file = dir.resolve(".readme-session.sh");
      Files.writeString(file, bash.toString());

      ProcessBuilder pb =
          new ProcessBuilder("bash", "-euo", "pipefail", file.toString()).directory(dir.toFile());
      cleanEnvironment(pb, home);
      Process p = pb.start();
      p.getOutputStream().close();
      var outBytes = new java.io.ByteArrayOutputStream();
      var errBytes = new java.io.ByteArrayOutputStream();
      Thread outReader = copier(p.getInputStream(), outBytes);
      Thread errReader = copier(p.getErrorStream(), errBytes);
      // A guard against a hang, not a timing assertion.
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      outReader.join();
      errReader.join();
      String out = outBytes.toString(StandardCharsets.UTF_8);
      String stderr = errBytes.toString(StandardCharsets.UTF_8);

      String[] parts = out.split(String.valueOf(SEPARATOR), -1);
      Map<String, String> stdout = new LinkedHashMap<>();
      for (int i = 0; i < parts.length - 1 && i < script.size(); i++) {
        stdout.put(withoutComment(script.get(i)), parts[i]);
      }
      int done = parts.length - 1;
      assertThat(p.exitValue())
          .as(
              "the README's commands exit 0; failed at '%s'\nstdout: %s\nstderr: %s%s",
              done < script.size() ? script.get(done) : "(end)",
              out,
              stderr,
              server == null ? "" : "\nserver:\n" + String.join("\n", server.lines))
          .isZero();
      assertThat(parts[parts.length - 1]).as("nothing after the last command").isEmpty();
      return new Session(stdout, stderr, key, port);
    }
  }

  static Thread copier(java.io.InputStream from, java.io.OutputStream to) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
              } catch (IOException ended) {
                // the process is gone: what was read is kept
              }
            });
    t.start();
    return t;
  }

  /** The marked blocks of {@code readme}, in its order; a marker not right before a fence fails. */
  static List<Block> markedBlocks(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i).strip());
      if (!m.matches()) {
        continue;
      }
      String where = readme.getFileName() + ":" + (i + 1);
      if (i + 1 >= lines.size() || !lines.get(i + 1).strip().matches("```(bash|sh)")) {
        fail("%s: the marker '%s' is not right before a ```bash fence", where, m.group(1));
      }
      List<String> commands = new ArrayList<>();
      StringBuilder pending = new StringBuilder();
      int j = i + 2;
      for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
        String line = lines.get(j);
        if (line.endsWith("\\")) {
          pending.append(line, 0, line.length() - 1);
          continue;
        }
        String command = pending.append(line).toString();
        pending.setLength(0);
        if (!command.isBlank() && !command.strip().startsWith("#")) {
          assertThat(command)
              .as("%s: no here-documents (the output of each line is kept apart)", where)
              .doesNotContain("<<");
          commands.add(command.strip());
        }
      }
      assertThat(j).as("%s: the block '%s' is closed", where, m.group(1)).isLessThan(lines.size());
      blocks.add(new Block(m.group(1), where, commands));
    }
    return blocks;
  }

  /**
   * The command without its trailing comment ({@code # ...} outside quotes, as in these blocks).
   */
  static String withoutComment(String command) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && i > 0
          && Character.isWhitespace(command.charAt(i - 1))) {
        return command.substring(0, i).strip();
      }
    }
    return command.strip();
  }

  /**
   * The repository's sources copied into {@code dir}, and the CLI jar this build made linked in.
   */
  static Path freshClone(Path dir) throws IOException {
    Path repo = repository();
    Set<String> skipped = Set.of("target", "node_modules", "data", ".git");
    Files.walkFileTree(
        repo,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (!d.equals(repo) && skipped.contains(d.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(dir.resolve(repo.relativize(d).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            if (!skipped.contains(f.getFileName().toString())) {
              Files.copy(
                  f,
                  dir.resolve(repo.relativize(f).toString()),
                  StandardCopyOption.COPY_ATTRIBUTES);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    Path jar = Path.of(System.getProperty("lanonasis.cli.jar")).toAbsolutePath();
    return Files.createSymbolicLink(
        Files.createDirectories(dir.resolve("cli/target")).resolve("lanonasis.jar"), jar);
  }

  static void cleanEnvironment(ProcessBuilder pb, Path home) {
    String path = System.getenv("PATH");
    Map<String, String> env = pb.environment();
    env.clear();
    env.put(
        "PATH", Path.of(System.getProperty("java.home"), "bin") + (path == null ? "" : ":" + path));
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("MAVEN_USER_HOME", Path.of(System.getProperty("user.home"), ".m2").toString());
    String outerRepository = System.getProperty("lanonasis.maven.repo.local", "");
    if (!outerRepository.isBlank()) {
      env.put(
          "MAVEN_ARGS",
          (System.getProperty("lanonasis.maven.offline", "").equals("offline=true") ? "-o " : "")
              + "-Dmaven.repo.local="
              + home.resolve(".m2/repository")
              + " -Dmaven.repo.local.tail="
              + outerRepository);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The README's serve command on port {@code port}, its output kept, its admin key read. */
  static final class Server implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final String adminKey;

    Server(String command, int port, Path dir, Path home) throws Exception {
      List<String> argv = new ArrayList<>(List.of(command.split("\\s+")));
      argv.addAll(List.of("--port", Integer.toString(port)));
      ProcessBuilder pb =
          new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
      cleanEnvironment(pb, home);
      process = pb.start();
      process.getOutputStream().close();
      Thread reader =
          new Thread(
              () -> {
                try {
                  new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                      .lines()
                      .forEach(lines::add);
                } catch (java.io.UncheckedIOException stopped) {
                  // the stream closes when the process is reaped: what was read is kept
                }
              });
      reader.setDaemon(true);
      reader.start();
      // A guard against a hang, not a timing assertion: a cold first start builds nothing here.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      String key = null;
      while (key == null || !listening(port)) {
        assertThat(process.isAlive())
            .as("'%s' keeps running:\n%s", command, String.join("\n", lines))
            .isTrue();
        assertThat(System.nanoTime() < deadline)
            .as(
                "'%s' serves on port %d and prints an admin key:\n%s",
                command, port, String.join("\n", lines))
            .isTrue();
        key =
            lines.stream()
                .map(ADMIN_KEY::matcher)
                .filter(Matcher::find)
                .map(Matcher::group)
                .findFirst()
                .orElse(null);
        Thread.sleep(100);
      }
      adminKey = key;
    }

    static boolean listening(int port) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** SIGTERM, as Ctrl-C in the README's terminal; then the process is gone for sure. */
    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
