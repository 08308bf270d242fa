package com.lanonasis.secrets.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.mcp.CommandRunner.CommandRefusedException;
import com.lanonasis.secrets.mcp.CommandRunner.Injected;
import com.lanonasis.secrets.mcp.CommandRunner.Request;
import com.lanonasis.secrets.mcp.CommandRunner.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run_with_secrets is a boundary: what a child cannot see or do whatever its arguments (issue 21,
 * S1-S4), with the real bubblewrap sandbox.
 */
@DisplayName("a command runs in a sandbox that hides keys, data, other processes and the network")
class SandboxTest {
  private static final String SENTINEL = "S3NTINEL-Tr0ub4dor&3-Zq9#kX";
  private static final String PARENT_KEY = "lns_0123456789abcdef_S3NTINELparentkey";

  @TempDir Path temp;
  Path workspace;
  Path keyset;

  @BeforeEach
  void layOut() throws IOException {
    workspace = Files.createDirectory(temp.resolve("workspace"));
    Path data = Files.createDirectory(workspace.resolve("data"));
    keyset = Files.writeString(data.resolve("keyset.json"), "{\"S3NTINEL-keyset\": 1}");
    Files.writeString(workspace.resolve("admin.key"), "S3NTINEL-admin-key");
    Files.writeString(workspace.resolve("notes.txt"), "plain workspace file");
  }

  @Test
  void protectedFilesInTheWorkspace_notReadable() {
    CommandRunner runner =
        runner(
            List.of(keyset, workspace.resolve("data"), workspace.resolve("admin.key")), "/bin/cat");

    Result keysetRead = runner.run(request("/bin/cat", "data/keyset.json"));
    Result keyRead = runner.run(request("/bin/cat", "admin.key"));
    Result plain = runner.run(request("/bin/cat", "notes.txt"));

    assertThat(keysetRead.exitCode()).isNotZero();
    assertThat(keysetRead.stdout() + keysetRead.stderr()).doesNotContain("S3NTINEL");
    assertThat(keyRead.exitCode()).isNotZero();
    assertThat(keyRead.stdout() + keyRead.stderr()).doesNotContain("S3NTINEL");
    assertThat(plain.stdout()).isEqualTo("plain workspace file");
  }

  @Test
  void outsideTheWorkspace_nothingButTheSystem() throws IOException {
    Files.writeString(temp.resolve("outside.txt"), "S3NTINEL-outside");
    CommandRunner runner = runner(List.of(), "/bin/ls", "/bin/cat");

    Result outside = runner.run(request("/bin/cat", "../outside.txt"));
    assertThat(outside.exitCode()).isNotZero();
    assertThat(outside.stdout()).isEmpty();
    assertThat(runner.run(request("/bin/ls", System.getProperty("user.home"))).exitCode())
        .isNotZero();
    assertThat(runner.run(request("/bin/ls", temp.toString())).stdout()).isEqualTo("workspace\n");
    assertThat(runner.run(request("/bin/cat", "/etc/shadow")).exitCode()).isNotZero();
  }

  /**
   * S2 and S4: no /proc, so neither the MCP process's environment nor the child's own can be read
   * as a file.
   */
  @Test
  void noProc_noEnvironmentToReadAsAFile() {
    CommandRunner runner =
        runner(List.of(), "/bin/cat", "/usr/bin/od", "/usr/bin/base32", "/usr/bin/fold");
    Injected secret = new Injected("DB_PASSWORD", "prod/db/password", SENTINEL.getBytes(UTF_8));
    long parent = ProcessHandle.current().pid();

    for (Request r :
        List.of(
            request("/bin/cat", "/proc/" + parent + "/environ"),
            request("/bin/cat", "/proc/self/environ", secret),
            request("/usr/bin/od", "-c", "/proc/self/environ", secret),
            request("/usr/bin/base32", "/proc/self/environ", secret),
            request("/usr/bin/fold", "-w1", "/proc/self/environ", secret))) {
      Result result = runner.run(r);
      assertThat(result.exitCode()).as(String.join(" ", r.args())).isNotZero();
      assertThat(result.stdout()).as(String.join(" ", r.args())).isEmpty();
    }
  }

  @Test
  void otherProcesses_notVisible() {
    CommandRunner runner = runner(List.of(), "/bin/sh");

    Result result =
        runner.run(
            new Request(
                "/bin/sh",
                List.of(
                    "-c",
                    "kill -0 " + ProcessHandle.current().pid() + " && echo visible || echo hidden"),
                List.of(),
                Optional.empty(),
                Optional.empty()));

    assertThat(result.stdout()).isEqualTo("hidden\n");
  }

  @Test
  void network_noneByDefault() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CommandRunner runner = runner(List.of(), "/bin/bash");

      Result result =
          runner.run(
              new Request(
                  "/bin/bash",
                  List.of(
                      "-c",
                      "echo hi > /dev/tcp/127.0.0.1/"
                          + listener.getLocalPort()
                          + " && echo connected"),
                  List.of(),
                  Optional.empty(),
                  Optional.empty()));

      assertThat(result.stdout()).doesNotContain("connected");
      assertThat(result.exitCode()).isNotZero();
    }
  }

  @Test
  void workspace_readOnly() {
    CommandRunner runner = runner(List.of(), "/bin/sh");

    Result result =
        runner.run(
            new Request(
                "/bin/sh",
                List.of("-c", "echo x > leak.txt"),
                List.of(),
                Optional.empty(),
                Optional.empty()));

    assertThat(result.exitCode()).isNotZero();
    assertThat(workspace.resolve("leak.txt")).doesNotExist();
  }

  @Test
  void argumentVector_holdsNoValue() {
    Sandbox sandbox = Sandbox.detect(List.of());
    List<String> argv =
        sandbox.wrap(List.of("/bin/true"), workspace, workspace, Sandbox.Grants.NONE, 5);

    assertThat(String.join(" ", argv))
        .doesNotContain("S3NTINEL")
        .contains("--unshare-all", "--die-with-parent", "--new-session", "--cap-drop");
  }

  @Test
  void noSandbox_everyRunRefusedWithTheReason() {
    CommandRunner runner =
        new CommandRunner(
            Runners.settings(
                List.of("/bin/true"),
                List.of(),
                workspace,
                Map.of("PATH", "/usr/bin:/bin"),
                1024,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                CommandOutput.REDACTED,
                List.of(),
                100,
                Optional.of(Sandbox.unavailable("bubblewrap (bwrap) is not installed"))));

    assertThatThrownBy(() -> runner.run(request("/bin/true")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("no sandbox can be made")
        .hasMessageContaining("bubblewrap (bwrap) is not installed")
        .hasMessageContaining("never run unconfined");
  }

  @Test
  void workspaceInsideAProtectedDirectory_refusedAtStart() {
    assertThatThrownBy(
            () ->
                new CommandRunner(
                    Runners.settings(
                        List.of("/bin/true"),
                        List.of(),
                        workspace.resolve("data"),
                        Map.of("PATH", "/usr/bin:/bin"),
                        1024,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        CommandOutput.NONE,
                        List.of(workspace.resolve("data")),
                        100,
                        Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lies inside");
  }

  /**
   * S1, the review's attack: printf fills the output to the cap and ends it with a guessed prefix
   * of the value's hex form. The answer must be the same for a right and a wrong guess.
   */
  @Test
  void redactionAtTheCut_noOracle() {
    int cap = 1024;
    CommandRunner runner =
        new CommandRunner(
            Runners.settings(
                List.of("/usr/bin/printf"),
                List.of(),
                workspace,
                Map.of("PATH", "/usr/bin:/bin"),
                cap,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                CommandOutput.REDACTED,
                List.of(),
                1000,
                Optional.empty()));
    String hex = HexFormat.of().formatHex(SENTINEL.getBytes(UTF_8));
    Injected secret = new Injected("DB_PASSWORD", "prod/db/password", SENTINEL.getBytes(UTF_8));

    for (int n = 1; n <= 8; n++) {
      String right = hex.substring(0, n);
      String wrong = (hex.charAt(0) == '0' ? "1" : "0") + hex.substring(1, n);
      String filler = "a".repeat(cap - n);
      Result r = runner.run(request("/usr/bin/printf", filler + right + "tail", secret));
      Result w = runner.run(request("/usr/bin/printf", filler + wrong + "tail", secret));
      assertThat(r.stdout()).isEqualTo(w.stdout()).doesNotEndWith(right).startsWith("aaaa");
      assertThat(r.stdoutTruncated()).isEqualTo(w.stdoutTruncated()).isTrue();
    }
  }

  @Test
  void outputNone_onlyTheExitCode() {
    CommandRunner runner =
        new CommandRunner(
            Runners.settings(
                List.of("/usr/bin/printf"),
                List.of(),
                workspace,
                Map.of("PATH", "/usr/bin:/bin"),
                1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                CommandOutput.NONE,
                List.of(),
                1000,
                Optional.empty()));

    Result result = runner.run(request("/usr/bin/printf", "S3NTINEL-guess"));

    assertThat(result.output()).isEqualTo(CommandOutput.NONE);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  private CommandRunner runner(List<Path> protect, String... allowed) {
    return new CommandRunner(
        Runners.settings(
            List.of(allowed),
            List.of(),
            workspace,
            Map.of("PATH", "/usr/bin:/bin", "LANONASIS_API_KEY", PARENT_KEY),
            64 * 1024,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            CommandOutput.REDACTED,
            protect,
            1000,
            Optional.empty()));
  }

  private static Request request(String command, String arg, Injected... env) {
    return new Request(command, List.of(arg), List.of(env), Optional.empty(), Optional.empty());
  }

  private static Request request(String command, String a, String b, Injected... env) {
    return new Request(command, List.of(a, b), List.of(env), Optional.empty(), Optional.empty());
  }

  private static Request request(String command) {
    return new Request(command, List.of(), List.of(), Optional.empty(), Optional.empty());
  }
}
