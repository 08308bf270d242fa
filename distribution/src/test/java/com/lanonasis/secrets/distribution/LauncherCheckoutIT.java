package com.lanonasis.secrets.distribution;

import static com.lanonasis.secrets.distribution.Processes.mavenFreePath;
import static com.lanonasis.secrets.distribution.Processes.run;
import static com.lanonasis.secrets.distribution.Processes.version;
import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.distribution.Processes.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source checkout's launcher ({@code ./lanonasis}) through symbolic links, as on PATH: it finds
 * {@code cli/target/lanonasis.jar} (built by this reactor before this module), with no Maven on
 * PATH, where it used to fail with {@code ./mvnw: not found} (exit 127).
 */
class LauncherCheckoutIT {
  @Test
  void checkoutLauncher_throughAbsoluteAndRelativeLinks(@TempDir Path work) throws Exception {
    Path repo = Path.of(System.getProperty("lanonasis.repo")).toRealPath();
    assertThat(repo.resolve("cli/target/lanonasis.jar")).isRegularFile();
    Map<String, String> env =
        Map.of(
            "PATH", mavenFreePath(work.resolve("tools")),
            "HOME", Files.createDirectories(work.resolve("home")).toString());

    Path bin = Files.createDirectories(work.resolve("bin"));
    Path link = Files.createSymbolicLink(bin.resolve("lanonasis"), repo.resolve("lanonasis"));
    Run viaLink = run(work, env, link.toString(), "--version");
    assertThat(viaLink.exit()).as(viaLink.err()).isZero();
    assertThat(viaLink.out()).isEqualTo("lanonasis " + version() + "\n");

    Path hops = Files.createDirectories(work.resolve("a/b"));
    Path relative = Files.createSymbolicLink(hops.resolve("lns"), Path.of("../../bin/lanonasis"));
    Run viaHops = run(hops, env, relative.toString(), "--version");
    assertThat(viaHops.exit()).as(viaHops.err()).isZero();
    assertThat(viaHops.out()).isEqualTo("lanonasis " + version() + "\n");
  }
}
