package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code key init --passphrase} and {@code key protect} of a development keyset with the
 * passphrase typed twice at a real pseudo-terminal ({@code script}): nothing typed is echoed, two
 * different passphrases write nothing.
 */
class KeyInitPromptIT {
  static final String PASSPHRASE = "S3NTINEL-typed passphrase";

  /** What the terminal showed, and the exit code, after answering each prompt in turn. */
  record Session(int exit, String terminal) {}

  static Session atATerminal(Path dir, List<String> answers, String... args) throws Exception {
    String command = String.join(" ", CliJarIT.command(args).stream()
        .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LANONASIS_"));
    pb.environment().put("LANONASIS_CLI_CONFIG", dir.resolve("no-profiles").toString());
    Process p = pb.start();
    StringBuffer terminal = new StringBuffer();
    Thread reader = new Thread(() -> {
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
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    reader.join(10_000);
    return new Session(p.exitValue(), terminal.toString());
  }

  private static int prompts(String terminal) {
    return terminal.split("not shown\\): |again: ", -1).length - 1;
  }

  @Test
  void keyInit_passphraseTypedTwice_notEchoed_mismatchWritesNothing(@TempDir Path dir) throws Exception {
    Session mismatch = atATerminal(dir, List.of(PASSPHRASE, PASSPHRASE + "x"), "key", "init", "--passphrase",
        "--iterations", "210000");
    assertThat(mismatch.exit()).as(mismatch.terminal()).isEqualTo(ExitCode.INVALID);
    assertThat(mismatch.terminal()).contains("do not match").doesNotContain(PASSPHRASE);
    assertThat(dir.resolve("data/keyset.json")).doesNotExist();

    Session created = atATerminal(dir, List.of(PASSPHRASE, PASSPHRASE), "key", "init", "--passphrase",
        "--iterations", "210000");
    assertThat(created.exit()).as(created.terminal()).isZero();
    assertThat(created.terminal()).contains("New keyset passphrase (at least 8 characters, not shown): ")
        .contains("The same passphrase again: ").contains("created with master key").doesNotContain(PASSPHRASE);
    Path keyset = dir.resolve("data/keyset.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");
    assertThat(MasterKeyring.fromPassphraseFile(keyset, PASSPHRASE.toCharArray()).keyIds()).hasSize(1);
  }

  @Test
  void keyProtect_developmentKeyset_passphraseTypedTwice(@TempDir Path dir) throws Exception {
    Path keyset = dir.resolve("dev.json");
    MasterKeyring dev = MasterKeyring.generate().rotate();
    dev.writeCleartextKeysetFile(keyset);
    Session s = atATerminal(dir, List.of(PASSPHRASE, PASSPHRASE), "--keyset", keyset.toString(), "key", "protect",
        "--iterations", "210000");
    assertThat(s.exit()).as(s.terminal()).isZero();
    assertThat(s.terminal()).contains("is now passphrase-protected").doesNotContain(PASSPHRASE);
    assertThat(MasterKeyring.fromPassphraseFile(keyset, PASSPHRASE.toCharArray()).keyIds()).isEqualTo(dev.keyIds());
  }
}
