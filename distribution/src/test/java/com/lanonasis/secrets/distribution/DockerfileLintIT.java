package com.lanonasis.secrets.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.distribution.Processes.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root Dockerfile through a real linter: dockerfile-utils (the VS Code Docker extension's
 * diagnostics), pinned in {@code dockerfile-lint/package-lock.json} and installed by the build's
 * {@code npm ci}. Every diagnostic fails, warnings too (the tool itself exits 0 on warnings).
 */
class DockerfileLintIT {
  static final Path REPO = Path.of(System.getProperty("lanonasis.repo"));

  static Run lint(Path dir, Path dockerfile) throws Exception {
    Path tool = Path.of(System.getProperty("lanonasis.dockerfileLint"));
    assertThat(tool).as("installed by npm ci at pre-integration-test").isRegularFile();
    Map<String, String> env = Map.of("PATH", Processes.which("node").getParent().toString());
    return Processes.run(
        dir,
        env,
        Processes.which("node").toString(),
        tool.toString(),
        "lint",
        "--json",
        dockerfile.toString());
  }

  @Test
  void theDockerfile_hasNoDiagnostics() throws Exception {
    Run r = lint(REPO, REPO.resolve("Dockerfile"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().strip()).as("diagnostics").isEqualTo("[]");
  }

  @Test
  void theLinter_reportsWhatIsWrong(@TempDir Path dir) throws Exception {
    // A check of the check: the same tool on a Dockerfile with one error and one warning.
    Path bad =
        Files.writeString(dir.resolve("Dockerfile"), "FROM x:1\nEXPOSE port\nCMD a\nCMD b\n");
    Run r = lint(dir, bad);
    assertThat(r.out())
        .contains("Invalid containerPort: port")
        .contains("\"severity\":\"error\"")
        .contains("There can only be one CMD instruction")
        .contains("\"severity\":\"warning\"");
  }
}
