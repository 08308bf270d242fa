package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.LocalTestKms;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From development to production keys: {@code key init --passphrase | --kms}, {@code key protect}
 * of a development keyset in place (the store written under it reads the same afterwards), and
 * {@code key info}; no output ever holds a passphrase, a value or key material. KMS runs against
 * {@link LocalTestKms}, the api module's in-memory Tink KMS client: there is no real KMS here.
 */
class KeyInitProtectInfoTest {
  static final String PASSPHRASE = "S3NTINEL-keyset passphrase";
  static final String VALUE = "S3NTINEL-value-under-the-dev-keyset";
  static final LocalTestKms KMS = LocalTestKms.register("test-kms://");

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final List<Result> outputs = new ArrayList<>();
  Path keyset;
  String store;

  @BeforeEach
  void setUp() {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    keyset = dir.resolve("data/keyset.json");
    store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
  }

  Result run(String... args) {
    Result r = cli.run(args);
    outputs.add(r);
    assertThat(r.out() + r.err()).doesNotContain(PASSPHRASE, VALUE, "S3NTINEL-short");
    return r;
  }

  Result key(String... args) {
    List<String> all = new ArrayList<>(List.of("--keyset", keyset.toString(), "key"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  Result secret(String... args) {
    List<String> all =
        new ArrayList<>(List.of("--store", store, "--keyset", keyset.toString(), "secret"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** The base64 key material of a cleartext Tink JSON keyset file. */
  static List<String> keyMaterial(Path cleartext) throws IOException {
    JsonNode keys = new ObjectMapper().readTree(Files.readString(cleartext)).get("key");
    List<String> values = new ArrayList<>();
    keys.forEach(k -> values.add(k.get("keyData").get("value").asText()));
    assertThat(values).isNotEmpty();
    return values;
  }

  void assertNoKeyMaterial(List<String> material) {
    for (Result r : outputs) {
      for (String m : material) {
        assertThat(r.out() + r.err()).doesNotContain(m);
      }
    }
  }

  @Nested
  @DisplayName("key init")
  class Init {
    @Test
    void initPassphrase_fromTheEnvironment_writesA0600V2FileThatOpens() throws IOException {
      cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
      Result r = key("init", "--passphrase");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("keyset " + keyset + " created with master key")
          .contains("lanonasis-passphrase-keyset/v2, 600000 PBKDF2 iterations")
          .contains("LANONASIS_KEYSET_PASSPHRASE");
      assertThat(Files.getPosixFilePermissions(keyset))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      JsonNode header = new ObjectMapper().readTree(Files.readString(keyset));
      assertThat(header.get("format").asText()).isEqualTo("lanonasis-passphrase-keyset/v2");
      assertThat(header.get("iterations").asInt()).isEqualTo(600_000);
      MasterKeyring opened = KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray());
      assertThat(r.out()).contains(Long.toString(Integer.toUnsignedLong(opened.primaryKeyId())));

      // The store works under it, as the production setup loads it.
      assertThat(
              cli.runWithStdin(
                      VALUE,
                      "--store",
                      store,
                      "--keyset",
                      keyset.toString(),
                      "secret",
                      "set",
                      "a/b")
                  .exit())
          .isZero();
      assertThat(
              cli.run("--store", store, "--keyset", keyset.toString(), "secret", "get", "a/b")
                  .out())
          .isEqualTo(VALUE);
    }

    @Test
    void initPassphrase_refusals_existingFileShortOrNoPassphrase_nothingWritten()
        throws IOException {
      cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
      assertThat(key("init", "--passphrase", "--iterations", "210000").exit()).isZero();
      byte[] before = Files.readAllBytes(keyset);
      Result again = key("init", "--passphrase");
      assertThat(again.exit()).isEqualTo(ExitCode.CONFLICT);
      assertThat(again.err()).contains("refusing to overwrite the existing keyset file " + keyset);
      assertThat(Files.readAllBytes(keyset)).isEqualTo(before);

      keyset = dir.resolve("other/keyset.json");
      cli.env.put("LANONASIS_KEYSET_PASSPHRASE", "S3NTINEL-short".substring(0, 7));
      Result tooShort = key("init", "--passphrase");
      assertThat(tooShort.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(tooShort.err()).contains("too short (minimum 8 characters)");
      cli.env.remove("LANONASIS_KEYSET_PASSPHRASE");
      Result none = key("init", "--passphrase");
      assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(none.err())
          .contains("run this at a terminal to type it, or set LANONASIS_KEYSET_PASSPHRASE");
      assertThat(key("init").exit()).as("neither --passphrase nor --kms").isEqualTo(ExitCode.USAGE);
      assertThat(key("init", "--passphrase", "--kms", "test-kms://x").exit())
          .isEqualTo(ExitCode.USAGE);
      Result badIterations = key("init", "--passphrase", "--iterations", "1000");
      assertThat(badIterations.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(keyset).doesNotExist();
    }

    @Test
    void initKms_underTheTestKms_opensWithThatKeyOnly() throws IOException {
      String uri = KMS.newKey("init");
      Result r = key("init", "--kms", uri);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("KMS-encrypted under " + uri)
          .contains("LANONASIS_KEK_URI=" + uri);
      assertThat(Files.getPosixFilePermissions(keyset))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      MasterKeyring opened = KeyringFile.openKms(keyset, uri);

      Result info = key("info", "--kms", uri);
      assertThat(info.out())
          .contains("KMS-encrypted, lanonasis-kms-keyset/v1, key-encryption key of scheme test-kms")
          .contains(Integer.toUnsignedString(opened.primaryKeyId()) + " (primary)");

      keyset = dir.resolve("unknown-kms.json");
      Result unknown =
          key("init", "--kms", "aws-kms://arn:aws:kms:eu-west-1:111122223333:key/none");
      assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(unknown.err()).contains("no Tink KMS client is registered");
      assertThat(keyset).doesNotExist();
    }
  }

  @Nested
  @DisplayName("key protect of a development keyset")
  class Protect {
    List<Integer> devIds;
    List<String> material;

    /** A store written under a development keyset the CLI created, as a newcomer's would be. */
    @BeforeEach
    void developmentStore() throws IOException {
      Result set =
          cli.runWithStdin(
              VALUE, "--store", store, "--keyset", keyset.toString(), "secret", "set", "db/pw");
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(
              cli.runWithStdin(
                      "second",
                      "--store",
                      store,
                      "--keyset",
                      keyset.toString(),
                      "secret",
                      "set",
                      "db/x")
                  .exit())
          .isZero();
      assertThat(run("--store", store, "--keyset", keyset.toString(), "key", "rotate").exit())
          .isZero();
      devIds = KeyringFile.openCleartext(keyset).keyIds();
      assertThat(devIds).hasSize(2);
      material = keyMaterial(keyset);
    }

    @Test
    void protect_withAPassphrase_sameKeys_storeReads_cleartextOverwritten() throws IOException {
      Path link = dir.resolve("data/hard-link-to-the-dev-keyset.json");
      Files.createLink(link, keyset);
      long size = Files.size(keyset);

      Result info = key("info");
      assertThat(info.out())
          .contains("development keyset (cleartext on disk")
          .contains(Integer.toUnsignedString(devIds.get(0)))
          .contains("(primary)")
          .contains("mode rw-------");

      cli.env.put("LANONASIS_KEYSET_PASSPHRASE", PASSPHRASE);
      Result r = key("protect", "--iterations", "210000");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains(
              "the development keyset is now passphrase-protected "
                  + "(lanonasis-passphrase-keyset/v2, 210000 PBKDF2 iterations), with the same 2 keys")
          .contains("nothing stored needs re-sealing");

      assertThat(KeyringFile.openPassphrase(keyset, PASSPHRASE.toCharArray()).keyIds())
          .isEqualTo(devIds);
      assertThat(Files.getPosixFilePermissions(keyset))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readAllBytes(link))
          .as("the cleartext bytes, reached through a hard link")
          .hasSize((int) size)
          .containsOnly((byte) 0);
      try (Stream<Path> files = Files.list(keyset.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "keyset.json", "hard-link-to-the-dev-keyset.json", "secrets.db");
      }

      Result get =
          cli.run("--store", store, "--keyset", keyset.toString(), "secret", "get", "db/pw");
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.out()).isEqualTo(VALUE);
      assertThat(secret("get", "db/x").out()).isEqualTo("second");

      Result protectedInfo = key("--json", "info");
      JsonNode json = protectedInfo.json();
      assertThat(json.get("protection").asText()).isEqualTo("passphrase");
      assertThat(json.get("format").asText()).isEqualTo("lanonasis-passphrase-keyset/v2");
      assertThat(json.get("iterations").asInt()).isEqualTo(210_000);
      assertThat(json.get("primaryKeyId").asLong())
          .isEqualTo(Integer.toUnsignedLong(devIds.get(1)));
      assertThat(json.get("keyIds")).hasSize(2);

      cli.env.remove("LANONASIS_KEYSET_PASSPHRASE");
      Result withoutPassphrase = key("info");
      assertThat(withoutPassphrase.exit()).isZero();
      assertThat(withoutPassphrase.out())
          .contains(
              "passphrase-protected, lanonasis-passphrase-keyset/v2, "
                  + "PBKDF2-HMAC-SHA256 at 210000 iterations")
          .contains(
              "not shown: the ids are inside the encrypted keyset; give LANONASIS_KEYSET_PASSPHRASE");
      assertThat(key("--json", "info").json().get("keyIdsNeed").asText())
          .isEqualTo("LANONASIS_KEYSET_PASSPHRASE");
      assertNoKeyMaterial(material);
    }

    @Test
    void protect_withAKms_sameKeys_storeReadsWithTheKekUri() throws IOException {
      String uri = KMS.newKey("protect");
      Result r = key("protect", "--kms", uri);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("now KMS-encrypted under " + uri);
      assertThat(KeyringFile.openKms(keyset, uri).keyIds()).isEqualTo(devIds);

      cli.env.put("LANONASIS_KEK_URI", uri);
      Result get =
          cli.run("--store", store, "--keyset", keyset.toString(), "secret", "get", "db/pw");
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.out()).isEqualTo(VALUE);
      Result info = key("info");
      assertThat(info.out())
          .contains("key-encryption key of scheme test-kms")
          .contains(Integer.toUnsignedString(devIds.get(1)) + " (primary)");
      cli.env.remove("LANONASIS_KEK_URI");
      assertThat(key("info").out()).contains("give --kms URI or LANONASIS_KEK_URI");
      assertNoKeyMaterial(material);
    }

    @Test
    void protect_refusals_leaveTheDevelopmentFileAsItWas() throws IOException {
      byte[] before = Files.readAllBytes(keyset);
      Result none = key("protect");
      assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(none.err())
          .contains("LANONASIS_NEW_KEYSET_PASSPHRASE or LANONASIS_KEYSET_PASSPHRASE");
      cli.env.put("LANONASIS_NEW_KEYSET_PASSPHRASE", "S3NTINEL-short".substring(0, 7));
      assertThat(key("protect").exit()).isEqualTo(ExitCode.INVALID);
      cli.env.remove("LANONASIS_NEW_KEYSET_PASSPHRASE");
      Result noKms =
          key("protect", "--kms", "gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/none");
      assertThat(noKms.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(Files.readAllBytes(keyset)).isEqualTo(before);
      try (Stream<Path> files = Files.list(keyset.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("keyset.json", "secrets.db");
      }
      assertNoKeyMaterial(material);
    }
  }

  @Test
  void info_refusals_missingAndNotAKeyset() throws IOException {
    assertThat(key("info").exit()).isEqualTo(ExitCode.NOT_FOUND);
    Files.createDirectories(keyset.getParent());
    Files.writeString(keyset, "{\"format\":\"S3NTINEL-format\"}");
    Result unknown = key("info");
    assertThat(unknown.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(unknown.err()).contains("of an unknown format").doesNotContain("S3NTINEL-format");
    Files.writeString(keyset, "not json");
    assertThat(key("info").exit()).isEqualTo(ExitCode.INVALID);
  }
}
