package com.lanonasis.secrets.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The one version of a source tree: every pom's own and parent version, and the npm packages' and
 * their locks' (the Maven version without {@code -SNAPSHOT}, which npm does not have).
 */
final class Versions {
  static final String GROUP = "com.lanonasis.secrets";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Versions() {}

  /** The repository under test: the checkout this build runs in. */
  static Path repoRoot() {
    String root = System.getProperty("lanonasis.repo.root");
    assertThat(root).as("lanonasis.repo.root (set by release/pom.xml)").isNotNull();
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Document xml(Path file) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(file.toFile());
    } catch (Exception e) {
      throw new AssertionError("cannot parse " + file, e);
    }
  }

  /** The text of the first direct child of {@code parent} named {@code name}, or null. */
  static String child(Element parent, String name) {
    Element e = childElement(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  static Element childElement(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static String projectVersion(Path root) {
    return child(xml(root.resolve("pom.xml")).getDocumentElement(), "version");
  }

  /** Every pom of the tree (not under target, node_modules or .git). */
  static List<Path> poms(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.getFileName().toString().equals("pom.xml"))
          .filter(
              p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                return !("/" + rel).matches(".*/(target|node_modules|\\.git)/.*");
              })
          .sorted()
          .toList();
    }
  }

  /**
   * Every place of the tree that carries the version, each as "where: version" — so that a failing
   * assertion names the file that disagrees.
   */
  static List<String> disagreements(Path root, String expected) throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Path pom : poms(root)) {
      Element project = xml(pom).getDocumentElement();
      String rel = root.relativize(pom).toString();
      Element parent = childElement(project, "parent");
      if (parent != null && GROUP.equals(child(parent, "groupId"))) {
        check(wrong, rel + " <parent><version>", child(parent, "version"), expected);
      }
      String own = child(project, "version");
      if (own != null) {
        check(wrong, rel + " <version>", own, expected);
      } else if (parent == null || !GROUP.equals(child(parent, "groupId"))) {
        wrong.add(rel + ": neither its own version nor a Lanonasis parent");
      }
    }
    String npm = expected;
    for (String dir : List.of("sdk-js", "ide/vscode")) {
      Path pkg = root.resolve(dir).resolve("package.json");
      check(
          wrong, dir + "/package.json", JSON.readTree(pkg.toFile()).path("version").asText(), npm);
      JsonNode lock = JSON.readTree(root.resolve(dir).resolve("package-lock.json").toFile());
      check(wrong, dir + "/package-lock.json version", lock.path("version").asText(), npm);
      check(
          wrong,
          dir + "/package-lock.json packages[\"\"]",
          lock.path("packages").path("").path("version").asText(),
          npm);
      var entries = lock.path("packages").fields();
      while (entries.hasNext()) {
        var e = entries.next();
        if ("@lanonasis/secrets-client".equals(e.getValue().path("name").asText())) {
          check(
              wrong,
              dir + "/package-lock.json packages[\"" + e.getKey() + "\"]",
              e.getValue().path("version").asText(),
              npm);
        }
      }
    }
    return wrong;
  }

  private static void check(List<String> wrong, String where, String actual, String expected) {
    if (!expected.equals(actual)) {
      wrong.add(where + ": " + actual + " (expected " + expected + ")");
    }
  }

  /** The published modules' directories, release/published-modules.txt ("." is the parent). */
  static List<String> publishedModules(Path root) throws IOException {
    return Files.readAllLines(root.resolve("release/published-modules.txt")).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  static String artifactId(Path root, String module) {
    return child(xml(root.resolve(module).resolve("pom.xml")).getDocumentElement(), "artifactId");
  }

  static String packaging(Path root, String module) {
    String p =
        child(xml(root.resolve(module).resolve("pom.xml")).getDocumentElement(), "packaging");
    return p == null ? "jar" : p;
  }
}
