package com.lanonasis.secrets.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** One version for everything (issue 24, "Versioning"), and the one command that sets it. */
class VersionsAgreeTest {

  private final Path root = Versions.repoRoot();

  @Test
  void everyPomAndNpmPackageCarriesTheReactorVersion() throws IOException {
    String version = Versions.projectVersion(root);
    assertThat(version).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    assertThat(Versions.poms(root)).hasSizeGreaterThan(10);
    assertThat(Versions.disagreements(root, version)).isEmpty();
  }

  @Test
  void theBomManagesEveryPublishedModuleAtTheReactorVersion() throws IOException {
    Element bom = Versions.xml(root.resolve("bom/pom.xml")).getDocumentElement();
    Element deps =
        Versions.childElement(Versions.childElement(bom, "dependencyManagement"), "dependencies");
    List<String> managed = new ArrayList<>();
    for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element dep) {
        assertThat(Versions.child(dep, "version"))
            .as(Versions.child(dep, "artifactId"))
            .isEqualTo("${project.version}");
        managed.add(Versions.child(dep, "artifactId"));
      }
    }
    List<String> published =
        Versions.publishedModules(root).stream()
            .filter(m -> !m.equals(".") && !m.equals("bom"))
            .map(m -> Versions.artifactId(root, m))
            .toList();
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
  }

  /**
   * set-version.sh on a copy of the versioned files: afterwards all of them say the new version.
   */
  @Test
  void setVersionBumpsEverythingTogether(@TempDir Path copy) throws Exception {
    List<Path> files = new ArrayList<>(Versions.poms(root));
    for (String dir : List.of("sdk-js", "ide/vscode")) {
      files.add(root.resolve(dir).resolve("package.json"));
      files.add(root.resolve(dir).resolve("package-lock.json"));
    }
    files.add(root.resolve("release/set-version.sh"));
    for (Path f : files) {
      Path target = copy.resolve(root.relativize(f));
      Files.createDirectories(target.getParent());
      Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
    }

    for (String next : List.of("0.2.0-SNAPSHOT", "0.2.0")) {
      Process p =
          new ProcessBuilder("bash", copy.resolve("release/set-version.sh").toString(), next)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(Versions.disagreements(copy, next)).as(out).isEmpty();
    }
    assertThat(Files.readString(copy.resolve("sdk-js/package.json")))
        .contains("\"version\": \"0.2.0\"");
  }

  @Test
  void setVersionRefusesWhatIsNotASemanticVersion() throws Exception {
    Process p =
        new ProcessBuilder("bash", root.resolve("release/set-version.sh").toString(), "0.2")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("usage: release/set-version.sh");
  }
}
