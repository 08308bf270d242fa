package com.lanonasis.secrets.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Element;

/**
 * release/stage.sh, run as a maintainer would but from two copies of the sources (so this build's
 * own target directories are never touched), each with a version of its own that no local
 * repository holds, signing with a throwaway key. Then: (a) a new Maven project that imports the
 * BOM from the staging directory alone runs the README's 30-second embedding; (b) the two builds
 * staged byte-identical jars, poms and SBOMs; (c) every published module is staged with its
 * sources, javadoc, SBOM, signatures, and poms with the licence and SCM Central requires; (d) the
 * distribution archive is byte-identical too, and the npm package and the .vsix (staged by one of
 * the two builds) carry the one version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StagedReleaseIT {
  private static final Set<String> SKIP_DIRS = Set.of(".git", "target", "node_modules", "data");

  private final Path root = Versions.repoRoot();
  private final Path work = root.resolve("release/target/staged-release-it");
  private final Path stagedA = work.resolve("staged-a");
  private final Path stagedB = work.resolve("staged-b");
  private String version;

  @BeforeAll
  void stageTwice() throws Exception {
    deleteTree(work);
    Files.createDirectories(work);
    // A version no local repository holds: the consumer can only find it in the staging directory.
    version = Versions.projectVersion(root).replace("-SNAPSHOT", "") + "-stagetest";
    List<String> sides = List.of("a", "b");
    for (String side : sides) {
      Path src = work.resolve("src-" + side);
      copySources(root, src);
      run(src, List.of("bash", "release/set-version.sh", version), Map.of(), "set-version-" + side);
    }
    // The two builds at once: each is mostly one thread, so on two cores this halves the wait.
    Map<String, Process> builds = new TreeMap<>();
    for (String side : sides) {
      List<String> stage = new ArrayList<>();
      stage.addAll(
          List.of(
              "bash", "release/stage.sh", work.resolve("staged-" + side).toString(), "--test-key"));
      // Side a stages the npm package and the .vsix too (npm ci from the machine's npm cache); b
      // only the Maven modules and the archive, which the comparison covers.
      if (side.equals("b")) {
        stage.add("--skip-npm");
      }
      if (offline()) {
        stage.add("-o");
      }
      Map<String, String> env = Map.of("MAVEN_ARGS", repoArgs(work.resolve("m2-build-" + side)));
      builds.put(side, start(work.resolve("src-" + side), stage, env, "stage-" + side));
    }
    for (var build : builds.entrySet()) {
      finish(build.getValue(), "stage-" + build.getKey());
    }
  }

  @Test
  void aFreshProjectImportingTheStagedBomRunsTheEmbedding() throws Exception {
    Path consumer = work.resolve("consumer");
    Path main = consumer.resolve("src/main/java/example/Embedding.java");
    Files.createDirectories(main.getParent());
    Files.createDirectories(
        consumer.resolve(".mvn")); // its own project root, not this repository's
    Files.writeString(consumer.resolve("pom.xml"), consumerPom());
    Files.writeString(main, EMBEDDING);
    // Every repository (Central included) is mirrored to the staging directory: nothing is fetched
    // from the network, and third-party artifacts come from the read-only local repositories.
    Files.writeString(
        consumer.resolve("settings.xml"),
        """
        <settings>
          <mirrors>
            <mirror>
              <id>staging</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """
            .formatted(stagedA.resolve("maven").toUri()));
    Path consumerRepo = work.resolve("m2-consumer");
    String out =
        run(
            consumer,
            List.of(
                root.resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "-s",
                "settings.xml",
                "compile",
                "exec:java",
                "-Dexec.mainClass=example.Embedding"),
            Map.of("MAVEN_ARGS", repoArgs(consumerRepo)),
            "consumer");

    assertThat(out)
        .contains("connected with a 7-byte password")
        .contains("listed prod/db/password at version 2");
    // Our artifacts came from the staging directory, the only place that has this version.
    Path api = consumerRepo.resolve("com/lanonasis/secrets/secrets-api/" + version);
    assertThat(api.resolve("secrets-api-" + version + ".jar")).isRegularFile();
    assertThat(Files.readString(api.resolve("_remote.repositories"))).contains(">staging=");
  }

  @Test
  void twoBuildsFromCleanStageByteIdenticalJarsPomsAndSboms() throws Exception {
    Map<String, String> a = checksums(stagedA.resolve("maven"));
    Map<String, String> b = checksums(stagedB.resolve("maven"));
    assertThat(a.keySet())
        .anyMatch(k -> k.endsWith("-sources.jar"))
        .anyMatch(k -> k.endsWith("-javadoc.jar"))
        .anyMatch(k -> k.endsWith(".pom"))
        .anyMatch(k -> k.endsWith("-cyclonedx.json"));
    assertThat(a).hasSizeGreaterThan(40).isEqualTo(b);
    // The runnable (shaded) jars, not published but shipped in the distribution, too.
    for (String jar : List.of("cli/target/lanonasis.jar", "server/target/lanonasis-server.jar")) {
      assertThat(sha256(work.resolve("src-a").resolve(jar)))
          .as(jar)
          .isEqualTo(sha256(work.resolve("src-b").resolve(jar)));
    }
  }

  @Test
  void theArchiveIsByteIdenticalAndTheNpmPackagesCarryTheOneVersion() throws Exception {
    String archive = "dist/lanonasis-" + version + ".tar.gz";
    assertThat(stagedA.resolve(archive)).isRegularFile();
    assertThat(sha256(stagedA.resolve(archive))).isEqualTo(sha256(stagedB.resolve(archive)));
    Path tgz = stagedA.resolve("npm/lanonasis-secrets-client-" + version + ".tgz");
    Path vsix = stagedA.resolve("npm/lanonasis-secrets-" + version + ".vsix");
    assertThat(tgz).isRegularFile();
    assertThat(vsix).isRegularFile();
    // The package.json inside each carries the version set-version.sh gave every pom.
    String packed =
        run(
            work,
            List.of("tar", "-xzOf", tgz.toString(), "package/package.json"),
            Map.of(),
            "npm-package-json");
    assertThat(packed).contains("\"version\": \"" + version + "\"").contains("Apache-2.0");
    try (ZipFile zip = new ZipFile(vsix.toFile())) {
      var entry = zip.getEntry("extension/package.json");
      assertThat(entry).as("extension/package.json in the .vsix").isNotNull();
      String manifest =
          new String(
              zip.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(manifest).contains("\"version\": \"" + version + "\"");
      assertThat(zip.getEntry("extension/LICENSE.txt")).isNotNull();
    }
    assertThat(Files.readString(stagedA.resolve("SHA256SUMS")))
        .contains(tgz.getFileName().toString())
        .contains(vsix.getFileName().toString())
        .contains("lanonasis-" + version + ".tar.gz");
  }

  @Test
  void everyPublishedModuleIsStagedAsCentralRequires() throws Exception {
    Path repo = stagedA.resolve("maven/com/lanonasis/secrets");
    List<String> modules = Versions.publishedModules(root);
    assertThat(modules).contains(".", "bom", "api", "cli");
    List<Path> signed = new ArrayList<>();
    for (String module : modules) {
      String id = Versions.artifactId(root, module);
      Path dir = repo.resolve(id).resolve(version);
      String base = id + "-" + version;
      List<String> files = new ArrayList<>(List.of(".pom", "-cyclonedx.json", "-cyclonedx.xml"));
      if (Versions.packaging(root, module).equals("jar")) {
        files.addAll(List.of(".jar", "-sources.jar", "-javadoc.jar"));
        assertThat(entries(dir.resolve(base + "-sources.jar"))).anyMatch(e -> e.endsWith(".java"));
        assertThat(entries(dir.resolve(base + "-javadoc.jar"))).contains("index.html");
        assertThat(entries(dir.resolve(base + ".jar"))).anyMatch(e -> e.endsWith(".class"));
      }
      for (String f : files) {
        Path file = dir.resolve(base + f);
        assertThat(file).as(module).isRegularFile();
        assertThat(dir.resolve(base + f + ".asc")).as(module).isRegularFile();
        signed.add(file);
      }
      assertThat(Files.readString(dir.resolve(base + "-cyclonedx.json")))
          .contains("\"bomFormat\" : \"CycloneDX\"")
          .contains("pkg:maven/com.lanonasis.secrets/" + id + "@" + version);

      Element pom = Versions.xml(dir.resolve(base + ".pom")).getDocumentElement();
      assertThat(Versions.child(pom, "name")).as(module + " name").isNotBlank();
      assertThat(Versions.child(pom, "description")).as(module + " description").isNotBlank();
      if (module.equals(".") || module.equals("bom")) {
        // The two poms without a Lanonasis parent carry the metadata; the others inherit it.
        assertCentralMetadata(pom, module);
      } else {
        Element parent = Versions.childElement(pom, "parent");
        assertThat(Versions.child(parent, "artifactId")).isEqualTo("secrets-parent");
        assertThat(Versions.child(parent, "version")).isEqualTo(version);
      }
    }
    // The CLI's and the server's main artifacts are plain jars whose poms list their dependencies
    // (the runnable, shaded jars are not published).
    for (String id : List.of("secrets-cli", "secrets-server")) {
      Path dir = repo.resolve(id).resolve(version);
      assertThat(entries(dir.resolve(id + "-" + version + ".jar")))
          .noneMatch(e -> e.startsWith("picocli/") || e.startsWith("io/javalin/"));
      assertThat(Files.readString(dir.resolve(id + "-" + version + ".pom")))
          .contains("<artifactId>secrets-api</artifactId>");
    }
    verifySignatures(signed, stagedA.resolve("test-key.asc"));
    assertThat(Files.readString(stagedA.resolve("SHA256SUMS")))
        .contains("maven/com/lanonasis/secrets/secrets-api/" + version + "/secrets-api-" + version);
  }

  private static void assertCentralMetadata(Element pom, String module) {
    assertThat(Versions.child(pom, "url")).as(module).startsWith("https://");
    Element license = Versions.childElement(Versions.childElement(pom, "licenses"), "license");
    assertThat(Versions.child(license, "name")).as(module).isEqualTo("Apache-2.0");
    assertThat(Versions.child(license, "url"))
        .as(module)
        .contains("apache.org/licenses/LICENSE-2.0");
    Element scm = Versions.childElement(pom, "scm");
    assertThat(Versions.child(scm, "url")).as(module).startsWith("https://");
    assertThat(Versions.child(scm, "connection")).as(module).startsWith("scm:git:");
    Element developer =
        Versions.childElement(Versions.childElement(pom, "developers"), "developer");
    assertThat(Versions.child(developer, "name")).as(module).isNotBlank();
  }

  /** Each .asc verifies against the throwaway public key stage.sh left beside the artifacts. */
  private void verifySignatures(List<Path> files, Path publicKey) throws Exception {
    Path home = Files.createTempDirectory("lanonasis-gpg-verify");
    try {
      Map<String, String> env = Map.of("GNUPGHOME", home.toString());
      run(work, List.of("gpg", "--batch", "--import", publicKey.toString()), env, "gpg-import");
      for (Path f : files) {
        String out =
            run(
                work,
                List.of("gpg", "--batch", "--verify", f + ".asc", f.toString()),
                env,
                "gpg-verify");
        assertThat(out).as(f.getFileName().toString()).contains("Good signature");
      }
    } finally {
      new ProcessBuilder("gpgconf", "--kill", "all")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
      deleteTree(home);
    }
  }

  private String consumerPom() {
    StringBuilder plugins = new StringBuilder();
    String[][] pins = {
      {"org.apache.maven.plugins", "maven-clean-plugin", "3.4.1"},
      {"org.apache.maven.plugins", "maven-resources-plugin", "3.3.1"},
      {"org.apache.maven.plugins", "maven-compiler-plugin", "3.14.1"},
      {"org.apache.maven.plugins", "maven-surefire-plugin", "3.5.4"},
      {"org.apache.maven.plugins", "maven-jar-plugin", "3.4.2"},
      {"org.apache.maven.plugins", "maven-install-plugin", "3.1.4"},
      {"org.apache.maven.plugins", "maven-deploy-plugin", "3.1.4"},
      {"org.apache.maven.plugins", "maven-site-plugin", "3.21.0"},
      {"org.codehaus.mojo", "exec-maven-plugin", "3.6.2"},
    };
    for (String[] p : pins) {
      plugins.append(
          "<plugin><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></plugin>\n"
              .formatted(p[0], p[1], p[2]));
    }
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId>
          <artifactId>consumer</artifactId>
          <version>1</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencyManagement>
            <dependencies>
              <dependency>
                <groupId>com.lanonasis.secrets</groupId>
                <artifactId>secrets-bom</artifactId>
                <version>%s</version>
                <type>pom</type>
                <scope>import</scope>
              </dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency>
              <groupId>com.lanonasis.secrets</groupId>
              <artifactId>secrets-backend-memory</artifactId>
            </dependency>
          </dependencies>
          <build><pluginManagement><plugins>
        %s  </plugins></pluginManagement></build>
        </project>
        """
        .formatted(version, plugins);
  }

  /** README.md, "30 seconds of embedding", as a program; connect() stands for the app's use. */
  private static final String EMBEDDING =
      """
      package example;

      import com.lanonasis.secrets.ListOptions;
      import com.lanonasis.secrets.Page;
      import com.lanonasis.secrets.PutOptions;
      import com.lanonasis.secrets.Secret;
      import com.lanonasis.secrets.SecretMetadata;
      import com.lanonasis.secrets.SecretStore;
      import com.lanonasis.secrets.SecretStores;
      import com.lanonasis.secrets.SecretValue;

      public final class Embedding {
        public static void main(String[] args) throws Exception {
          try (SecretStore store = SecretStores.open("memory:")) {
            store.put("prod/db/password", SecretValue.ofUtf8("hunter2"));          // version 1
            try (Secret s = store.get("prod/db/password")) {                        // wiped on close
              connect(s.value().bytes());
            }
            store.put("prod/db/password", SecretValue.ofUtf8("n3w"), PutOptions.ifVersion(1));
            Page<SecretMetadata> page = store.list(ListOptions.prefix("prod/"));  // no values
            for (SecretMetadata m : page.items()) {
              System.out.println("listed " + m.name() + " at version " + m.currentVersion());
            }
          }
        }

        private static void connect(byte[] password) {
          System.out.println("connected with a " + password.length + "-byte password");
        }
      }
      """;

  // --- helpers

  private static boolean offline() {
    return "offline=true".equals(System.getProperty("lanonasis.maven.offline"));
  }

  /**
   * A local repository of its own, with this build's local repository (and its tail) behind it,
   * read-only: the plugins and third-party artifacts are there, the staged version is not.
   */
  private static String repoArgs(Path localRepo) {
    String tail = System.getProperty("lanonasis.maven.repo.local");
    String outerTail = System.getProperty("lanonasis.maven.repo.tail", "");
    if (!outerTail.isBlank() && !outerTail.startsWith("${")) {
      tail = tail + "," + outerTail;
    }
    return "-Dmaven.repo.local=" + localRepo + " -Dmaven.repo.local.tail=" + tail;
  }

  private String run(Path dir, List<String> command, Map<String, String> env, String name)
      throws Exception {
    return finish(start(dir, command, env, name), name);
  }

  private Process start(Path dir, List<String> command, Map<String, String> env, String name)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private String finish(Process p, String name) throws Exception {
    Path log = work.resolve(name + ".log");
    boolean done = p.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertThat(done && p.exitValue() == 0)
        .as("%s failed (log %s), last output:%n%s", name, log, tail(out))
        .isTrue();
    return out;
  }

  private static String tail(String out) {
    String[] lines = out.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }

  private static void copySources(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(from) && SKIP_DIRS.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** sha256 of every staged jar, pom and SBOM, by path (signatures and checksum files aside). */
  private static Map<String, String> checksums(Path repo) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.matches(".*(\\.jar|\\.pom|-cyclonedx\\.json|-cyclonedx\\.xml)")) {
          sums.put(repo.relativize(f).toString(), sha256(f));
        }
      }
    }
    return sums;
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(e -> e.getName()).toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
