package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.cli.CliRunner.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanonasis key protect} on a keyset file written by the version before the passphrase floor
 * (10,000 PBKDF2 iterations, format v1), in this JVM with captured streams.
 */
class KeyProtectCommandTest {
  static final String VALUE = "S3NTINEL-protect-value";

  /** The passphrase and key ids of the test resource, written by the version before the floor. */
  static final String PASSPHRASE = "S3NTINEL-legacy passphrase";

  static final List<Integer> KEY_IDS = List.of(311838031, 1115782985);
  static final String NEW_PASSPHRASE = "S3NTINEL-new passphrase";

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  String store;
  Path keyset;

  @BeforeEach
  void setUp() throws IOException {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
    store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    keyset = dir.resolve("data/keyset.json");
    Files.createDirectories(keyset.getParent());
    try (InputStream in =
        KeyProtectCommandTest.class.getResourceAsStream(
            "/keysets/legacy-v1-10000-iterations.json")) {
      Files.copy(in, keyset);
    }
    Files.setPosixFilePermissions(keyset, PosixFilePermissions.fromString("rw-------"));
  }

  Result lns(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--store";
    all[1] = store;
    all[2] = "--keyset";
    all[3] = keyset.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return cli.run(all);
  }

  /**
   * What the libraries logged (slf4j-simple writes to the System.err of the moment) while {@code
   * run} ran.
   */
  static <T> Logged<T> logged(Supplier<T> run) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      T result = run.get();
      return new Logged<>(result, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  record Logged<T>(T result, String log) {}

  JsonNode header() throws IOException {
    return new ObjectMapper().readTree(Files.readString(keyset));
  }

  @Test
  void keyProtect_legacyTenThousandIterationFile_upgradesItKeepingTheKeysAndTheData()
      throws IOException {
    Logged<Result> set = logged(() -> lns("secret", "set", "app/db/password", VALUE));
    assertThat(set.result().exit()).as(set.result().err()).isZero();
    assertThat(set.log())
        .as("the old file opens, with the warning")
        .contains("only 10000 PBKDF2 iterations", "lanonasis key protect --keyset " + keyset);

    Logged<Result> protect = logged(() -> lns("--json", "key", "protect"));

    Result r = protect.result();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().get("keyset").asText()).isEqualTo(keyset.toString());
    assertThat(r.json().get("iterations").asInt()).isEqualTo(600_000);
    assertThat(r.json().get("passphraseChanged").asBoolean()).isFalse();
    assertThat(r.json().get("keyIds"))
        .extracting(JsonNode::asLong)
        .containsExactly(KEY_IDS.stream().map(Integer::toUnsignedLong).toArray(Long[]::new));
    assertThat(r.out() + r.err() + protect.log()).doesNotContain(VALUE, PASSPHRASE);
    assertThat(header().get("format").asText()).isEqualTo("lanonasis-passphrase-keyset/v2");
    assertThat(header().get("iterations").asInt()).isGreaterThanOrEqualTo(600_000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset)))
        .isEqualTo("rw-------");
    try (var files = Files.list(keyset.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("protecting") || n.startsWith(".keyset-"));
    }

    Logged<Result> get = logged(() -> lns("secret", "get", "app/db/password"));
    assertThat(get.result().exit()).as(get.result().err()).isZero();
    assertThat(get.result().out()).isEqualTo(VALUE);
    assertThat(get.log()).as("the upgraded file opens without a warning").isEmpty();
    Logged<MasterKeyring> opened =
        logged(() -> KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray()));
    assertThat(opened.result().keyIds()).isEqualTo(KEY_IDS);
    assertThat(opened.log()).isEmpty();
  }

  @Test
  void keyProtect_newPassphraseAndIterations_changeBoth_andTheDataStillReads() throws IOException {
    assertThat(lns("secret", "set", "app/x", VALUE).exit()).isZero();
    cli.env.put(KeyProtectCommand.ENV_NEW_PASSPHRASE, NEW_PASSPHRASE);

    Result r = lns("key", "protect", "--iterations", "650000");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "keyset "
                + keyset
                + ": re-written at 650000 PBKDF2 iterations with the same 2 keys "
                + "(primary "
                + Integer.toUnsignedLong(
                    KeyringFile.openPassphrase(keyset, NEW_PASSPHRASE.toCharArray()).primaryKeyId())
                + ")\n"
                + "the passphrase changed: set LANONASIS_KEYSET_PASSPHRASE to the new one wherever this keyset is used\n");
    assertThat(r.out() + r.err()).doesNotContain(PASSPHRASE, NEW_PASSPHRASE, VALUE);
    assertThat(header().get("iterations").asInt()).isEqualTo(650_000);
    assertThatThrownBy(() -> KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("wrong passphrase");
    assertThat(KeyringFile.openPassphrase(keyset, NEW_PASSPHRASE.toCharArray()).keyIds())
        .isEqualTo(KEY_IDS);

    cli.env.remove(KeyProtectCommand.ENV_NEW_PASSPHRASE);
    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", NEW_PASSPHRASE);
    assertThat(lns("secret", "get", "app/x").out()).isEqualTo(VALUE);
  }

  @Test
  void keyProtect_keysetFileFromTheEnvironment_whenNoFlag() throws IOException {
    cli.env.put("LANONASIS_KEYSET_FILE", keyset.toString());

    Result r = cli.run("key", "protect");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(header().get("format").asText()).isEqualTo("lanonasis-passphrase-keyset/v2");
  }

  @Test
  void keyProtect_refusals_exitCodes_fileUnchanged_noPassphraseShown() throws IOException {
    byte[] before = Files.readAllBytes(keyset);

    Result belowFloor = lns("key", "protect", "--iterations", "209999");
    assertThat(belowFloor.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(belowFloor.err())
        .isEqualTo("lanonasis: --iterations must be from 210000 to 10000000, not 209999\n");

    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", "S3NTINEL-wrong passphrase");
    Result wrong = lns("key", "protect");
    assertThat(wrong.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(wrong.err())
        .isEqualTo(
            "lanonasis: cannot open "
                + keyset
                + " as a passphrase-protected keyset: "
                + "wrong passphrase for keyset file "
                + keyset
                + " (or the file was altered)\n");

    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", "S3NTIN!");
    Result tooShort = lns("key", "protect");
    assertThat(tooShort.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(tooShort.err()).contains("too short");

    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
    cli.env.put(KeyProtectCommand.ENV_NEW_PASSPHRASE, "S3NTIN!");
    Result newTooShort = lns("key", "protect");
    assertThat(newTooShort.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(newTooShort.err())
        .isEqualTo(
            "lanonasis: LANONASIS_NEW_KEYSET_PASSPHRASE is too short (minimum 8 characters)\n");
    cli.env.remove(KeyProtectCommand.ENV_NEW_PASSPHRASE);

    cli.env.remove("LANONASIS_KEYSET_PASSPHRASE");
    Result none = lns("key", "protect");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("LANONASIS_KEYSET_PASSPHRASE");

    for (Result r : List.of(belowFloor, wrong, tooShort, newTooShort, none)) {
      assertThat(r.out() + r.err()).doesNotContain(PASSPHRASE, "S3NTINEL-wrong", "S3NTIN!");
    }
    assertThat(Files.readAllBytes(keyset)).as("unchanged").isEqualTo(before);
  }

  @Test
  void keyProtect_missingOrKmsKeyset_refused() throws IOException {
    cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
    Result missing = cli.run("--keyset", dir.resolve("none.json").toString(), "key", "protect");
    assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);

    // A cleartext keyset is protected in place now (KeyInitProtectInfoTest); a KMS one is left to
    // the KMS.
    Path kms = dir.resolve("kms.json");
    Files.writeString(
        kms,
        "{\"format\":\"lanonasis-kms-keyset/v1\",\"kekUri\":\"aws-kms://x\",\"keyset\":\"AA==\"}");
    Result kmsProtected = cli.run("--keyset", kms.toString(), "key", "protect");
    assertThat(kmsProtected.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(kmsProtected.err()).contains("is KMS-encrypted already");
  }
}
