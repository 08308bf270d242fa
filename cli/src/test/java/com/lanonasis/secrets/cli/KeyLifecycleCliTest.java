package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code key status|rotate-data|reseal|retire|reprovision|shred} on an embedded SQLite store,
 * in-process with captured streams. Every output of every key command, and every error, is checked
 * afterwards for the sentinel value and for the keyset file's key material.
 */
class KeyLifecycleCliTest {
  static final String VALUE = "S3NTINEL-key-lifecycle-value";
  private static final Pattern KEY_MATERIAL = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"");

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final List<Result> outputs = new ArrayList<>();
  final List<String> keyMaterial = new ArrayList<>();
  String store;
  Path keyset;

  @BeforeEach
  void setUp() {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    keyset = dir.resolve("data/keyset.json");
  }

  @AfterEach
  void nothingLeaked() throws IOException {
    rememberKeyMaterial();
    for (Result r : outputs) {
      assertThat(r.out() + r.err()).doesNotContain(VALUE);
      for (String material : keyMaterial) {
        assertThat(r.out() + r.err()).doesNotContain(material);
      }
    }
  }

  /** Every key the keyset file held at any point of the test (retired keys included). */
  private void rememberKeyMaterial() throws IOException {
    if (Files.exists(keyset)) {
      Matcher m = KEY_MATERIAL.matcher(Files.readString(keyset));
      while (m.find()) {
        keyMaterial.add(m.group(1));
      }
    }
  }

  Result lnsWithStdin(String stdin, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--store";
    all[1] = store;
    all[2] = "--keyset";
    all[3] = keyset.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    Result r = cli.runWithStdin(stdin, all);
    if (args[0].equals("key") || args.length > 1 && args[1].equals("key") || r.exit() != 0) {
      outputs.add(
          r); // secret get prints the value by design; its errors, and every key command, must not
    }
    return r;
  }

  Result lns(String... args) {
    return lnsWithStdin(null, args);
  }

  Result ok(String... args) {
    Result r = lns(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  void set(String name, String value) throws IOException {
    ok("secret", "set", name, value);
    rememberKeyMaterial();
    assertThat(keyMaterial).as("the keyset file's key material, for the leak check").isNotEmpty();
  }

  /** {@code key status --json} of one tenant. */
  JsonNode status(String tenant) {
    return ok("--json", "key", "status", "--tenant", tenant).json().get("tenants").get(0);
  }

  static long recordsOf(JsonNode tenantStatus, long keyId) {
    for (JsonNode k : tenantStatus.get("keys")) {
      if (k.get("id").asLong() == keyId) {
        return k.get("records").asLong();
      }
    }
    throw new AssertionError("no data key " + keyId + " in " + tenantStatus);
  }

  static List<Long> keyIds(JsonNode tenantStatus) {
    return StreamSupport.stream(tenantStatus.get("keys").spliterator(), false)
        .map(k -> k.get("id").asLong())
        .toList();
  }

  static long primaryOf(JsonNode tenantStatus) {
    return tenantStatus.get("keys").get(0).get("id").asLong();
  }

  /** Four versions of three secrets in tenant default. */
  void fourRecords() throws IOException {
    set("app/a", VALUE);
    set("app/a", VALUE + "-2");
    set("app/b", VALUE + "-b");
    set("app/c", VALUE + "-c");
  }

  @Nested
  @DisplayName("key status")
  class Status {
    @Test
    void status_afterWrites_countsRecordsPerKeyAndTheMasterKeysWrappingKeysets()
        throws IOException {
      fourRecords();
      JsonNode all = ok("--json", "key", "status").json();
      JsonNode s = all.get("tenants").get(0);
      assertThat(s.get("tenant").asText()).isEqualTo("default");
      assertThat(s.get("destroyed").asBoolean()).isFalse();
      assertThat(s.get("generation").asLong()).isPositive();
      assertThat(s.get("keys")).hasSize(1);
      assertThat(s.get("keys").get(0).get("primary").asBoolean()).isTrue();
      assertThat(s.get("keys").get(0).get("records").asLong()).isEqualTo(4);
      assertThat(s.get("unknownKeyRecords").asLong()).isZero();
      long reserved = s.get("primarySealed").asLong();
      assertThat(reserved).as("stores reserve encryptions in blocks").isGreaterThanOrEqualTo(4);
      assertThat(s.get("primarySince").asText()).isNotEmpty();

      long master = KeyringFile.openCleartext(keyset).primaryKeyId() & 0xffffffffL;
      JsonNode masters = all.get("masterKeys");
      assertThat(masters.get("primaryKeyId").asLong()).isEqualTo(master);
      assertThat(s.get("masterKeyId").asLong()).isEqualTo(master);
      assertThat(masters.get("keys")).hasSize(1);
      assertThat(masters.get("keys").get(0).get("keysets").asLong()).isEqualTo(1);
      assertThat(masters.get("unopenable").asLong()).isZero();

      Result text = ok("key", "status");
      long dataKey = primaryOf(s);
      assertThat(text.out())
          .contains("tenant default (generation ", "wrapped by master key " + master)
          .contains(
              "  data key " + dataKey + " (primary): 4 records\n",
              "  primary: " + reserved + " encryptions reserved since ",
              "records under keys not in the keyset (unreadable): 0",
              "master key " + master + " (primary): wraps 1 tenant keyset\n",
              "tenant keysets no master key opens: 0");
    }

    @Test
    void status_ofATenantWithoutKeyset_saysSo_andAllListsEveryTenantIncludingShredded()
        throws IOException {
      set("app/a", VALUE);
      assertThat(ok("key", "status", "--tenant", "nobody").out())
          .contains("tenant nobody: no data keyset yet (its first write creates one)");
      ok("key", "rotate-data", "--tenant", "acme");
      ok("key", "shred", "--tenant", "gone", "--confirm", "gone");

      JsonNode tenants = ok("--json", "key", "status", "--all").json().get("tenants");
      assertThat(tenants)
          .extracting(t -> t.get("tenant").asText())
          .containsExactly("acme", "default", "gone");
      assertThat(tenants.get(2).get("destroyed").asBoolean()).isTrue();
      assertThat(ok("key", "status", "--all").out())
          .contains("tenant gone (generation 1): DESTROYED");

      Result both = lns("key", "status", "--all", "--tenant", "acme");
      assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(both.err()).isEqualTo("lanonasis: give --tenant or --all, not both\n");
    }
  }

  @Nested
  @DisplayName("key rotate-data and key reseal")
  class RotateAndReseal {
    @Test
    void rotateData_thenReseal_movesEveryRecordToTheNewKey() throws IOException {
      fourRecords();
      long old = primaryOf(status("default"));
      Result rotated = ok("--json", "key", "rotate-data");
      long fresh = rotated.json().get("primaryKeyId").asLong();
      assertThat(fresh).isNotEqualTo(old);
      assertThat(keyIds(status("default"))).containsExactly(fresh, old);
      assertThat(recordsOf(status("default"), old)).isEqualTo(4);
      set("app/d", VALUE + "-d");
      assertThat(recordsOf(status("default"), fresh))
          .as("new writes use the new key at once")
          .isEqualTo(1);

      Result reseal = ok("key", "reseal", "--batch", "3");
      assertThat(reseal.out())
          .isEqualTo(
              "tenant default: re-sealed 4 records under data key "
                  + fresh
                  + " (from data key "
                  + old
                  + ": 4); 0 skipped (changed meanwhile), 0 unreadable\n");
      assertThat(reseal.err())
          .isEqualTo(
              "tenant default: re-sealed 3 so far (from data key "
                  + old
                  + ": 3)\n"
                  + "tenant default: re-sealed 4 so far (from data key "
                  + old
                  + ": 4)\n");

      JsonNode after = status("default");
      assertThat(recordsOf(after, old)).isZero();
      assertThat(recordsOf(after, fresh)).isEqualTo(5);
      assertThat(ok("secret", "get", "app/a").out()).isEqualTo(VALUE + "-2");
      assertThat(ok("secret", "get", "app/a", "--version", "1").out()).isEqualTo(VALUE);

      Result again = ok("--json", "key", "reseal");
      assertThat(again.json().get("resealed").asLong()).isZero();
      assertThat(ok("key", "reseal").out())
          .contains("every record is sealed under the primary data key " + fresh);
    }

    @Test
    void dryRun_countsAndChangesNothing() throws IOException {
      fourRecords();
      long old = primaryOf(status("default"));
      long fresh = ok("--json", "key", "rotate-data").json().get("primaryKeyId").asLong();
      JsonNode before = status("default");

      Result dry = ok("key", "reseal", "--dry-run");
      assertThat(dry.out())
          .isEqualTo(
              "tenant default: would re-seal 4 records under data key "
                  + fresh
                  + " (from data key "
                  + old
                  + ": 4); dry run, nothing was changed\n");
      JsonNode json = ok("--json", "key", "reseal", "--dry-run").json();
      assertThat(json.get("dryRun").asBoolean()).isTrue();
      assertThat(json.get("resealed").asLong()).isEqualTo(4);
      assertThat(json.get("tenants").get(0).get("fromKeyIds").get(Long.toString(old)).asLong())
          .isEqualTo(4);

      assertThat(status("default")).isEqualTo(before);
    }

    @Test
    void resealAll_coversEveryLiveTenant_andSkipsShreddedOnes() throws IOException {
      set("app/a", VALUE);
      try (SecretStore acme =
          SecretStores.builder()
              .uri(store)
              .keyring(KeyringFile.openCleartext(keyset))
              .tenant("acme")
              .open()) {
        acme.put("acme/x", SecretValue.ofUtf8(VALUE + "-acme"));
        acme.put("acme/y", SecretValue.ofUtf8(VALUE + "-acme"));
      }
      ok("key", "rotate-data");
      ok("key", "rotate-data", "--tenant", "acme");
      ok("key", "shred", "--tenant", "gone", "--confirm", "gone");

      JsonNode report = ok("--json", "key", "reseal", "--all").json();
      assertThat(report.get("tenants"))
          .extracting(t -> t.get("tenant").asText())
          .containsExactly("acme", "default");
      assertThat(report.get("resealed").asLong()).isEqualTo(3);
      assertThat(report.get("unreadable").asLong()).isZero();
      assertThat(recordsOf(status("acme"), primaryOf(status("acme")))).isEqualTo(2);
      assertThat(ok("key", "reseal", "--all").out())
          .endsWith("re-sealed 0 records in 2 tenants; 0 unreadable\n");
    }

    @Test
    void anUnreadableRecord_isReportedAndExits6_andTheOthersAreResealed() throws Exception {
      fourRecords();
      long old = primaryOf(status("default"));
      ok("key", "rotate-data");
      alterCiphertext("app/b", 1);

      Result reseal = lns("key", "reseal");
      assertThat(reseal.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(reseal.out()).contains("re-sealed 3 records", "UNREADABLE 1 unreadable");
      assertThat(reseal.err())
          .contains("; UNREADABLE 1\n")
          .endsWith(
              "lanonasis: 1 record could not be opened (altered, or sealed with a key no longer held) and "
                  + "stays as it was; a data key that sealed one cannot be retired while it remains\n");
      assertThat(recordsOf(status("default"), old)).as("left under its key").isEqualTo(1);
      Result json = lns("--json", "key", "reseal");
      assertThat(json.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(json.json().get("unreadable").asLong()).isEqualTo(1);
    }

    @Test
    void badBatchSizes_areUsageErrors() {
      for (String batch : new String[] {"0", "10001", "-1"}) {
        Result r = lns("key", "reseal", "--batch", batch);
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .isEqualTo("lanonasis: --batch must be from 1 to 10000, not " + batch + "\n");
      }
      assertThat(lns("key", "reseal", "--all", "--tenant", "x").exit()).isEqualTo(ExitCode.USAGE);
    }

    /** Flips the last byte (in the GCM tag) of a version's sealed value, in the database itself. */
    private void alterCiphertext(String name, long version) throws SQLException {
      try (Connection c = DriverManager.getConnection(store)) {
        byte[] ct;
        try (PreparedStatement q =
            c.prepareStatement(
                "SELECT ciphertext FROM secret_versions WHERE tenant = 'default' AND name = ? AND version = ?")) {
          q.setString(1, name);
          q.setLong(2, version);
          try (ResultSet rs = q.executeQuery()) {
            assertThat(rs.next()).isTrue();
            ct = rs.getBytes(1);
          }
        }
        ct[ct.length - 1] ^= 1;
        try (PreparedStatement u =
            c.prepareStatement(
                "UPDATE secret_versions SET ciphertext = ? WHERE tenant = 'default' AND name = ? AND version = ?")) {
          u.setBytes(1, ct);
          u.setString(2, name);
          u.setLong(3, version);
          assertThat(u.executeUpdate()).isEqualTo(1);
        }
      }
    }
  }

  @Nested
  @DisplayName("key retire")
  class Retire {
    @Test
    void retire_isRefusedWhileRecordsUseTheKey_andAcceptedAfterReseal() throws IOException {
      fourRecords();
      long old = primaryOf(status("default"));
      long fresh = ok("--json", "key", "rotate-data").json().get("primaryKeyId").asLong();

      Result refused = lns("key", "retire", Long.toString(old));
      assertThat(refused.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(refused.err())
          .isEqualTo(
              "lanonasis: data key "
                  + old
                  + " of tenant 'default' still seals 4 records; "
                  + "run 'lanonasis key reseal --tenant default' first, then retire it\n");
      assertThat(keyIds(status("default"))).containsExactly(fresh, old);

      ok("key", "reseal");
      Result retired = ok("key", "retire", Long.toString(old));
      assertThat(retired.out()).isEqualTo("tenant default: retired data key " + old + "\n");
      assertThat(keyIds(status("default"))).containsExactly(fresh);
      assertThat(ok("secret", "get", "app/b").out()).isEqualTo(VALUE + "-b");

      Result gone = lns("key", "retire", Long.toString(old));
      assertThat(gone.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(gone.err()).contains("is not in the data keyset of tenant 'default'");
      Result primary = lns("--json", "key", "retire", Long.toString(fresh));
      assertThat(primary.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(primary.err()).contains("is the primary key");
    }

    @Test
    void keyIds_areUnsignedDecimal_andABadOneExits6() throws IOException {
      set("app/a", VALUE);
      for (String bad : new String[] {"abc", "-1", "4294967296", "0x10"}) {
        Result r = lns("key", "retire", bad);
        assertThat(r.exit()).as(bad).isEqualTo(ExitCode.INVALID);
        assertThat(r.err())
            .isEqualTo(
                "lanonasis: not a key id: '"
                    + bad
                    + "' (an unsigned decimal number up to "
                    + "4294967295, as 'lanonasis key status' prints it)\n");
      }
      // The id as status prints it is taken as it is (Tink ids use all 32 bits).
      long primary = primaryOf(status("default"));
      assertThat(lns("key", "retire", Long.toString(primary)).err())
          .contains("data key " + primary + " ");
    }

    @Test
    void retireMaster_isRefusedWhileItWrapsAKeyset_andAcceptedAfterRotateStore()
        throws IOException {
      fourRecords();
      MasterKeyring first = KeyringFile.openCleartext(keyset);
      long oldMaster = first.primaryKeyId() & 0xffffffffL;

      // key rotate without --store: a new primary, but the tenant keyset is still wrapped by the
      // old key.
      Result fileOnly = cli.run("--keyset", keyset.toString(), "key", "rotate");
      outputs.add(fileOnly);
      assertThat(fileOnly.exit()).as(fileOnly.err()).isZero();
      rememberKeyMaterial();
      String fileBefore = Files.readString(keyset);
      Result refused = lns("key", "retire", "--master", Long.toString(oldMaster));
      assertThat(refused.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(refused.err())
          .isEqualTo(
              "lanonasis: master key "
                  + oldMaster
                  + " still wraps 1 tenant keyset of "
                  + "the store; run 'lanonasis key rotate --store URI' first (it re-wraps them under a new primary key), "
                  + "then retire it\n");
      assertThat(Files.readString(keyset)).as("the file is unchanged").isEqualTo(fileBefore);

      ok("key", "rotate");
      rememberKeyMaterial();
      MasterKeyring rotated = KeyringFile.openCleartext(keyset);
      assertThat(rotated.keyIds()).hasSize(3);
      JsonNode masters = ok("--json", "key", "status").json().get("masterKeys");
      assertThat(masters.get("keys"))
          .extracting(k -> k.get("keysets").asLong())
          .containsExactly(1L, 0L, 0L);

      Result retired = ok("key", "retire", "--master", Long.toString(oldMaster));
      assertThat(retired.out())
          .startsWith("keyset " + keyset + ": retired master key " + oldMaster + "; keys left: ")
          .contains((rotated.primaryKeyId() & 0xffffffffL) + " (primary)");
      MasterKeyring trimmed = KeyringFile.openCleartext(keyset);
      assertThat(trimmed.keyIds()).hasSize(2).doesNotContain(first.primaryKeyId());
      assertThat(Files.exists(keyset.resolveSibling("keyset.json.retiring"))).isFalse();
      assertThat(ok("secret", "get", "app/c").out()).isEqualTo(VALUE + "-c");

      Result primary =
          lns("key", "retire", "--master", Long.toString(trimmed.primaryKeyId() & 0xffffffffL));
      assertThat(primary.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(primary.err()).contains("is the primary key");
      long other =
          trimmed.keyIds().stream()
                  .filter(k -> k != trimmed.primaryKeyId())
                  .findFirst()
                  .orElseThrow()
              & 0xffffffffL;
      JsonNode json = ok("--json", "key", "retire", "--master", Long.toString(other)).json();
      assertThat(json.get("keyIds")).hasSize(1);
      assertThat(json.get("retiredKeyId").asLong()).isEqualTo(other);
      assertThat(ok("secret", "get", "app/c").out()).isEqualTo(VALUE + "-c");
    }

    @Test
    void retireMaster_keepsAPassphraseFileProtected() throws IOException {
      String passphrase = "S3NTINEL-passphrase-long-enough";
      Files.createDirectories(keyset.getParent());
      KeyringFile.writePassphrase(
          MasterKeyring.generate().rotate(),
          keyset,
          passphrase.toCharArray(),
          KeyringFile.Passphrase.MIN_PBKDF2_ITERATIONS);
      cli.env.put(KeyringSources.ENV_KEYSET_PASSPHRASE, passphrase);
      ok("secret", "set", "app/a", VALUE);
      MasterKeyring before = KeyringFile.openPassphrase(keyset, passphrase.toCharArray());
      int old =
          before.keyIds().stream()
              .filter(k -> k != before.primaryKeyId())
              .findFirst()
              .orElseThrow();

      ok("key", "retire", "--master", Integer.toUnsignedString(old));
      MasterKeyring after = KeyringFile.openPassphrase(keyset, passphrase.toCharArray());
      assertThat(after.keyIds()).containsExactly(before.primaryKeyId());
      assertThat(Files.readString(keyset)).doesNotContain("\"keyData\"");
      assertThat(ok("secret", "get", "app/a").out()).isEqualTo(VALUE);
      keyMaterial.add(passphrase);
    }

    @Test
    void retireMaster_isLocalOnly_andTakesNoTenant() {
      Result remote = cli.run("--url", "http://127.0.0.1:9", "key", "retire", "--master", "1");
      outputs.add(remote);
      assertThat(remote.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(remote.err())
          .contains("a server's master keyset file is rotated and retired where the server runs");
      assertThat(lns("key", "retire", "--master", "1", "--tenant", "acme").exit())
          .isEqualTo(ExitCode.USAGE);
    }
  }

  @Nested
  @DisplayName("key shred and key reprovision")
  class ShredAndReprovision {
    @Test
    void shred_withoutAMatchingConfirm_isAUsageErrorAndDoesNothing() throws IOException {
      set("app/a", VALUE);
      for (String[] args :
          new String[][] {
            {"key", "shred", "--tenant", "default"},
            {"key", "shred", "--tenant", "default", "--confirm", "defaul"}
          }) {
        Result r = lns(args);
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .isEqualTo(
                "lanonasis: shredding destroys every value of tenant 'default' for good: to go "
                    + "ahead, repeat its name with --confirm default; nothing was done\n");
      }
      assertThat(lns("key", "shred").exit()).as("--tenant is required").isEqualTo(ExitCode.USAGE);
      assertThat(status("default").get("destroyed").asBoolean()).isFalse();
      assertThat(ok("secret", "get", "app/a").out()).isEqualTo(VALUE);
    }

    @Test
    void shred_makesValuesUnreadableAndWritesRefused_untilReprovision() throws IOException {
      fourRecords();
      Result shred = ok("key", "shred", "--tenant", "default", "--confirm", "default");
      assertThat(shred.out())
          .isEqualTo(
              "tenant default: data keyset destroyed (crypto-shredded). Its values are "
                  + "gone for good: no key to open them exists any more.\n"
                  + "Nothing can be written for the tenant until 'lanonasis key reprovision --tenant default', the only way "
                  + "to write again.\n");

      Result set = lns("secret", "set", "app/new", "x");
      assertThat(set.exit()).isEqualTo(ExitCode.CONFLICT);
      assertThat(set.err()).contains("was destroyed (crypto-shredded)");
      assertThat(lns("secret", "get", "app/a").exit()).isEqualTo(ExitCode.CONFLICT);
      assertThat(lns("key", "rotate-data").exit()).isEqualTo(ExitCode.CONFLICT);
      assertThat(lns("key", "reseal").exit()).isEqualTo(ExitCode.CONFLICT);
      JsonNode destroyed = status("default");
      assertThat(destroyed.get("destroyed").asBoolean()).isTrue();
      assertThat(destroyed.get("keys")).isEmpty();
      assertThat(destroyed.get("unknownKeyRecords").asLong()).isEqualTo(4);
      assertThat(ok("key", "status").out())
          .contains("DESTROYED (crypto-shredded) at ", "4 records can never be read again");
      JsonNode again =
          ok("--json", "key", "shred", "--tenant", "default", "--confirm", "default").json();
      assertThat(again.get("destroyed").asBoolean()).as("already destroyed").isFalse();

      Result reprovisioned = ok("--json", "key", "reprovision", "--tenant", "default");
      long primary = reprovisioned.json().get("primaryKeyId").asLong();
      assertThat(keyIds(status("default"))).containsExactly(primary);
      set("app/new", VALUE + "-new");
      assertThat(ok("secret", "get", "app/new").out()).isEqualTo(VALUE + "-new");
      Result old = lns("secret", "get", "app/a");
      assertThat(old.exit())
          .as("an old value stays unreadable: gone, exit 3 as every GONE kind")
          .isEqualTo(ExitCode.CONFLICT);
      assertThat(old.err()).contains("no longer holds");
      assertThat(old.out()).isEmpty();

      Result live = lns("key", "reprovision", "--tenant", "default");
      assertThat(live.exit()).isEqualTo(ExitCode.INVALID);
      assertThat(live.err()).contains("only a destroyed one is re-provisioned");
    }
  }

  @Test
  @DisplayName(
      "every change on the store itself lands in its audit log, refusals included, chained like the server's")
  void changes_areAudited() throws IOException {
    set("app/a", VALUE);
    long first = primaryOf(status("default"));
    ok("key", "rotate-data");
    ok("key", "reseal", "--dry-run"); // no change, no entry
    assertThat(lns("key", "retire", Long.toString(first), "--tenant", "default").exit())
        .isEqualTo(ExitCode.INVALID);
    ok("key", "reseal");
    ok("key", "retire", Long.toString(first));
    ok("key", "shred", "--tenant", "victim", "--confirm", "victim");
    assertThat(lns("key", "rotate-data", "--tenant", "victim").exit()).isEqualTo(ExitCode.CONFLICT);
    ok("key", "reprovision", "--tenant", "victim");
    ok("key", "rotate", "--store", store);

    List<String> entries = new ArrayList<>();
    try (JdbcDatabase db = JdbcDatabase.builder().url(store).maximumPoolSize(1).build()) {
      for (AuditEntry e :
          new AuditLog(db, java.time.Clock.systemUTC()).read(0, 100, java.util.Optional.empty())) {
        assertThat(e.tenant()).hasValue("default");
        assertThat(e.keyId()).isEmpty();
        assertThat(e.clientAddress()).hasValueSatisfying(a -> assertThat(a).startsWith("cli:"));
        entries.add(e.action() + " " + e.secretName().orElse("") + " " + e.outcome());
      }
      assertThat(new AuditLog(db, java.time.Clock.systemUTC()).verify().intact()).isTrue();
    }
    // The pre-check of 'key retire' refuses before the store is asked: that refusal is the CLI's
    // own.
    assertThat(entries).hasSize(7);
    assertThat(entries.subList(0, 6))
        .containsExactly(
            "keyset.rotate default ok",
            "keyset.reseal default ok",
            "keyset.retire default/keys/" + first + " ok",
            "keyset.destroy victim ok",
            "keyset.rotate victim conflict",
            "keyset.provision victim ok");
    assertThat(entries.get(6))
        .as("key rotate --store re-wraps under the new master key")
        .matches("master\\.rotate master/[0-9]+ ok");
  }

  @Test
  void help_listsTheLifecycleCommands() {
    Result help = cli.run("key", "--help");
    outputs.add(help);
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("status", "rotate-data", "reseal", "retire", "reprovision", "shred");
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("3 conflict or gone (version, deleted, a shredded tenant");
  }
}
