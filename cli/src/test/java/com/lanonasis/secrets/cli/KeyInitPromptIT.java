package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code key init --passphrase} and {@code key protect} of a development keyset with the passphrase
 * typed twice at a real pseudo-terminal ({@code script}): nothing typed is echoed, two different
 * passphrases write nothing.
 */
class KeyInitPromptIT {
  static final String PASSPHRASE = "S3NTINEL-typed passphrase";

  @Test
  void keyInit_passphraseTypedTwice_notEchoed_mismatchWritesNothing(@TempDir Path dir)
      throws Exception {
    PseudoTerminal.Session mismatch =
        PseudoTerminal.run(
            dir,
            java.util.Map.of(),
            List.of(PASSPHRASE, PASSPHRASE + "x"),
            "key",
            "init",
            "--passphrase",
            "--iterations",
            "210000");
    assertThat(mismatch.exit()).as(mismatch.terminal()).isEqualTo(ExitCode.INVALID);
    assertThat(mismatch.terminal()).contains("do not match").doesNotContain(PASSPHRASE);
    assertThat(dir.resolve("data/keyset.json")).doesNotExist();

    PseudoTerminal.Session created =
        PseudoTerminal.run(
            dir,
            java.util.Map.of(),
            List.of(PASSPHRASE, PASSPHRASE),
            "key",
            "init",
            "--passphrase",
            "--iterations",
            "210000");
    assertThat(created.exit()).as(created.terminal()).isZero();
    assertThat(created.terminal())
        .contains("New keyset passphrase (at least 8 characters, not shown): ")
        .contains("The same passphrase again: ")
        .contains("created with master key")
        .doesNotContain(PASSPHRASE);
    Path keyset = dir.resolve("data/keyset.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset)))
        .isEqualTo("rw-------");
    assertThat(KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray()).keyIds()).hasSize(1);
  }

  @Test
  void keyProtect_developmentKeyset_passphraseTypedTwice(@TempDir Path dir) throws Exception {
    Path keyset = dir.resolve("dev.json");
    MasterKeyring dev = MasterKeyring.generate().rotate();
    KeyringFile.writeCleartext(dev, keyset);
    PseudoTerminal.Session s =
        PseudoTerminal.run(
            dir,
            java.util.Map.of(),
            List.of(PASSPHRASE, PASSPHRASE),
            "--keyset",
            keyset.toString(),
            "key",
            "protect",
            "--iterations",
            "210000");
    assertThat(s.exit()).as(s.terminal()).isZero();
    assertThat(s.terminal()).contains("is now passphrase-protected").doesNotContain(PASSPHRASE);
    assertThat(KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray()).keyIds())
        .isEqualTo(dev.keyIds());
  }
}
