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
 * (invisible when rendered). Every marked shell block of a README runs, in the README's order, in
 * one {@code bash -euo pipefail} session — one terminal, as a reader who follows the README has:
 * the curl block uses the key the quick start exported, and {@code mcp config} the URL. The session
 * runs in a fresh clone: a temporary copy of the repository's sources (no {@code target}, {@code
 * node_modules}, {@code data} or {@code .git}) whose {@code cli/target/lanonasis.jar} is a link to
 * the jar this build made, as if {@code ./lanonasis} had built it on first use (the launcher finds
 * the jar next to itself). Its environment holds only {@code PATH} (this JDK first), a fresh {@code
 * HOME} (no profile of the machine's user), {@code JAVA_HOME}, and for the README's Maven commands
 * {@code MAVEN_USER_HOME} (the Maven the wrapper already fetched) and {@code MAVEN_ARGS}: this
 * build's offline flag, and a local repository of the session's own whose read-only tail is this
 * build's ({@code maven.repo.local.tail}, followed by this build's own tail if it has one), so the
 * README's {@code install} resolves what this build resolved and writes nothing outside the
 * session; plus what the blocks export. The names this test knows must be marked, so deleting a
 * marker or its block fails here.
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
 * The install block and the example app's block run Maven inside this Maven build (install of every
 * published module and the BOM, then the example's {@code compile exec:java} and {@code exec:java}:
 * a few minutes on a 2-core machine); they run in the copy, so they rebuild nothing of this
 * build's.
 *
 * <p>A marked {@code xml} or {@code java} block is a file of the "30 seconds of embedding": after
 * the session, the test writes them into a new directory outside the clone as a newcomer would —
 * the XML inside a minimal {@code pom.xml} (coordinates and Java 17, nothing else), the Java as
 * {@code src/main/java/<its class>.java} — and builds and runs that project with the session's
 * Maven and local repository, so the embedding resolves from the BOM and modules the README's
 * install line installed, and from nothing else of this build (the session's repository must hold
 * the BOM and every module it lists: a stale copy in the read-only tail does not count). A marked
 * block of another language, or one of these in a README whose test does not build them, fails.
 */
class ReadmeCommandsIT {
  static final Pattern MARKER = Pattern.compile("<!-- readme-test: ([a-z0-9-]+) -->");
  static final Pattern ADMIN_KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
  static final String SERVE = "./lanonasis serve";
  static final String BUILD_AND_TEST = ".ci/services.sh && ./mvnw verify";

  /** Between two commands' output: a byte no command here prints. */
  static final char SEPARATOR = '\u001e';

  /** The fences a marker may stand before: shell blocks run; xml and java blocks are files. */
  static final Set<String> SHELL = Set.of("bash", "sh");

  static final Set<String> FILES = Set.of("xml", "java");

  /**
   * A marked block: its name, where it starts, its fence's language, its commands (continuation
   * lines joined; shell blocks only) and its text as written.
   */
  record Block(String name, String where, String language, List<String> commands, String text) {
    boolean shell() {
      return SHELL.contains(language);
    }
  }

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
  void readme_setUpQuickStartCurlMcpConfigInstallEmbeddingAndExamples_runAsWritten(
      @TempDir Path dir, @TempDir Path consumer) throws Exception {
    List<Block> blocks = markedBlocks(repository().resolve("README.md"));
    Session s =
        runMarkedBlocks(
            repository().resolve("README.md"),
            List.of(
                "setup",
                "quickstart",
                "curl",
                "mcp-config",
                "install",
                "embedding-pom",
                "embedding-main",
                "examples"),
            Set.of("embedding-pom", "embedding-main"),
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

    assertThat(s.of("./mvnw -q -B -pl examples compile exec:java"))
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

    // The session's own repository must hold every module the BOM lists, and the BOM: what the
    // install line installed, not a copy an earlier build left in the read-only tail behind it.
    Path installed = dir.resolve(".home/.m2/repository/com/lanonasis/secrets");
    String bom = Files.readString(dir.resolve("bom/pom.xml"));
    List<String> published = new ArrayList<>(List.of("secrets-bom"));
    Matcher listed = Pattern.compile("<artifactId>(secrets-[a-z-]+)</artifactId>").matcher(bom);
    while (listed.find()) {
      published.add(listed.group(1));
    }
    assertThat(published).as("modules the BOM lists").hasSizeGreaterThan(5);
    for (String artifact : published) {
      try (var files = Files.walk(installed.resolve(artifact))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("the README's install line installed %s", artifact)
            .anyMatch(f -> f.endsWith(".pom"));
      } catch (java.nio.file.NoSuchFileException e) {
        fail("the README's install line did not install %s", artifact);
      }
    }

    String hello =
        runEmbedding(
            block(blocks, "embedding-pom").text(),
            block(blocks, "embedding-main").text(),
            dir,
            consumer);
    assertThat(hello)
        .as("the README's main class, built in a new project that imports the BOM")
        .contains("version 1, 7 bytes")
        .contains("prod/db/password is at version 2")
        .doesNotContain("hunter2");
  }

  @Test
  void cliReadme_firstCommands_runAsWritten(@TempDir Path dir) throws Exception {
    Session s =
        runMarkedBlocks(
            repository().resolve("cli/README.md"), List.of("first-commands"), Set.of(), dir);

    assertThat(s.of("./lanonasis secret get prod/db/password")).isEqualTo("hunter2");
    assertThat(s.stderr()).doesNotContain(s.adminKey()).doesNotContain("hunter2");
  }

  /**
   * Runs every marked shell block of {@code readme} in one session in {@code dir}, after checking
   * that each of {@code required} is marked and that every marked file block is one of {@code
   * files}, which the caller builds; fails unless the session exits 0.
   */
  static Session runMarkedBlocks(Path readme, List<String> required, Set<String> files, Path dir)
      throws Exception {
    List<Block> blocks = markedBlocks(readme);
    assertThat(blocks)
        .extracting(Block::name)
        .as("blocks marked in %s", readme)
        .containsAll(required);
    assertThat(blocks)
        .filteredOn(b -> !b.shell())
        .extracting(Block::name)
        .as("marked xml/java blocks of %s that its test builds", readme)
        .containsExactlyInAnyOrderElementsOf(files);

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
      if (!block.shell()) {
        continue;
      }
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
      Finished p = finish(pb, 10);
      String out = p.stdout();
      String stderr = p.stderr();

      String[] parts = out.split(String.valueOf(SEPARATOR), -1);
      Map<String, String> stdout = new LinkedHashMap<>();
      for (int i = 0; i < parts.length - 1 && i < script.size(); i++) {
        stdout.put(withoutComment(script.get(i)), parts[i]);
      }
      int done = parts.length - 1;
      assertThat(p.exit())
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

  static Block block(List<Block> blocks, String name) {
    return blocks.stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no block marked " + name));
  }

  /**
   * The README's embedding as a newcomer's own project in {@code consumer}: {@code pomXml} inside a
   * minimal pom, {@code mainJava} as its one source file; compiled and run with the clone's Maven
   * Wrapper and the session's environment (its local repository holds what the README's install
   * line installed). Returns what the main class printed; fails unless Maven exits 0.
   */
  static String runEmbedding(String pomXml, String mainJava, Path clone, Path consumer)
      throws Exception {
    Matcher cls = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(mainJava);
    assertThat(cls.find()).as("the README's Java block is a public class:\n%s", mainJava).isTrue();
    Files.writeString(
        consumer.resolve("pom.xml"),
        String.join(
            "\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
            "  <modelVersion>4.0.0</modelVersion>",
            "  <groupId>com.example</groupId>",
            "  <artifactId>hello</artifactId>",
            "  <version>1.0</version>",
            "  <properties>",
            "    <maven.compiler.release>17</maven.compiler.release>",
            "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>",
            "  </properties>",
            pomXml,
            "</project>",
            ""));
    Path sources = Files.createDirectories(consumer.resolve("src/main/java"));
    Files.writeString(sources.resolve(cls.group(1) + ".java"), mainJava);

    // exec:java by its full coordinates: a newcomer's pom pins no plugin, and an offline build
    // cannot look up the newest version; the one this build pins is in the local repository.
    List<String> argv =
        List.of(
            clone.resolve("mvnw").toString(),
            "-q",
            "-B",
            "compile",
            "org.codehaus.mojo:exec-maven-plugin:" + pinnedVersion("exec-maven-plugin") + ":java",
            "-Dexec.mainClass=" + cls.group(1));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(consumer.toFile());
    cleanEnvironment(pb, clone.resolve(".home"));
    Finished p = finish(pb, 5);
    String out = p.stdout();
    assertThat(p.exit())
        .as(
            "the README's embedding builds and runs in a new project: %s\nstdout: %s\nstderr: %s",
            String.join(" ", argv), out, p.stderr())
        .isZero();
    return out;
  }

  /** The version the root pom pins for {@code artifactId} (a literal or one of its properties). */
  static String pinnedVersion(String artifactId) throws IOException {
    String pom = Files.readString(repository().resolve("pom.xml"));
    Matcher m =
        Pattern.compile(
                "<artifactId>"
                    + Pattern.quote(artifactId)
                    + "</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("the root pom pins %s", artifactId).isTrue();
    String version = m.group(1).strip();
    Matcher property = Pattern.compile("\\$\\{(.+)}").matcher(version);
    if (property.matches()) {
      Matcher value =
          Pattern.compile(
                  "<"
                      + Pattern.quote(property.group(1))
                      + ">([^<]+)</"
                      + Pattern.quote(property.group(1))
                      + ">")
              .matcher(pom);
      assertThat(value.find()).as("the root pom defines %s", version).isTrue();
      version = value.group(1).strip();
    }
    return version;
  }

  /** What a finished process printed, and its exit status. */
  record Finished(int exit, String stdout, String stderr) {}

  /**
   * Starts {@code pb} with stdin closed, reads both streams to the end and waits for it; after
   * {@code minutes} (a guard against a hang, not a timing assertion) it and its children are
   * killed.
   */
  static Finished finish(ProcessBuilder pb, int minutes) throws IOException, InterruptedException {
    Process p = pb.start();
    p.getOutputStream().close();
    var outBytes = new java.io.ByteArrayOutputStream();
    var errBytes = new java.io.ByteArrayOutputStream();
    Thread outReader = copier(p.getInputStream(), outBytes);
    Thread errReader = copier(p.getErrorStream(), errBytes);
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
    outReader.join();
    errReader.join();
    return new Finished(
        p.exitValue(),
        outBytes.toString(StandardCharsets.UTF_8),
        errBytes.toString(StandardCharsets.UTF_8));
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
      String language =
          i + 1 < lines.size() ? lines.get(i + 1).strip().replaceFirst("^```", "") : "";
      if (i + 1 >= lines.size()
          || !lines.get(i + 1).strip().startsWith("```")
          || !(SHELL.contains(language) || FILES.contains(language))) {
        fail(
            "%s: the marker '%s' is not right before a ```bash, ```xml or ```java fence",
            where, m.group(1));
      }
      List<String> commands = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      StringBuilder pending = new StringBuilder();
      int j = i + 2;
      for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
        String line = lines.get(j);
        text.append(line).append('\n');
        if (!SHELL.contains(language)) {
          continue;
        }
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
      blocks.add(new Block(m.group(1), where, language, commands, text.toString()));
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
    // The outer build's own read-only tail (maven.repo.local.tail), if it has one, stays behind it.
    String outerTail = System.getProperty("lanonasis.maven.repo.local.tail", "").strip();
    if (!outerRepository.isBlank()) {
      env.put(
          "MAVEN_ARGS",
          (System.getProperty("lanonasis.maven.offline", "").equals("offline=true") ? "-o " : "")
              + "-Dmaven.repo.local="
              + home.resolve(".m2/repository")
              + " -Dmaven.repo.local.tail="
              + outerRepository
              + (outerTail.isEmpty() || outerTail.startsWith("${") ? "" : "," + outerTail));
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
