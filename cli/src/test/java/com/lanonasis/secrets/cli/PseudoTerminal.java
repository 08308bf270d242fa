package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command of the built jar on a real pseudo-terminal ({@code script(1)}), so that {@code
 * System.console()} is a real one and echo can be checked: each answer is typed once the next
 * no-echo prompt is up ("… not shown): " or "… again: ").
 */
final class PseudoTerminal {
  /** What the terminal showed, and the exit code. */
  record Session(int exit, String terminal) {}

  private PseudoTerminal() {}

  static Session run(Path dir, Map<String, String> env, List<String> answers, String... args)
      throws Exception {
    String command =
        String.join(
            " ",
            CliJarIT.command(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    ProcessBuilder pb =
        new ProcessBuilder("script", "-qec", command, "/dev/null")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuffer terminal = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (var in = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buf = new char[256];
                for (int n; (n = in.read(buf)) >= 0; ) {
                  terminal.append(buf, 0, n);
                }
              } catch (IOException e) {
                terminal.append("[read failed: ").append(e).append(']');
              }
            });
    reader.start();
    try (var in = p.getOutputStream()) {
      int seen = 0;
      for (String answer : answers) {
        // Type only once the next prompt is up: echo is off from then on.
        for (int i = 0; i < 600 && prompts(terminal.toString()) <= seen; i++) {
          Thread.sleep(100);
        }
        seen = prompts(terminal.toString());
        in.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(terminal.toString()).isTrue();
    }
    reader.join(10_000);
    return new Session(p.exitValue(), terminal.toString());
  }

  private static int prompts(String terminal) {
    return terminal.split("not shown\\): |again: ", -1).length - 1;
  }
}
