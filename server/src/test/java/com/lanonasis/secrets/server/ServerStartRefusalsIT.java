package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.audit.StoreRollback;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.ServerJarIT.Running;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar in a real process, started on inputs that would hide or strand data: each is
 * refused with a message that says what is wrong and what to do, before anything is created — no
 * new keyset, no new admin key. And the deliberate restore from a backup is let through once
 * acknowledged, audited as such.
 */
@DisplayName("start-up refuses what would hide or strand data")
class ServerStartRefusalsIT {
  private final HttpTestClient client = new HttpTestClient();
  @TempDir Path dir;

  /** A process that must refuse to start: its exit code and everything it printed. */
  private record Refusal(int exit, String output) {}

  private static Refusal refused(Running r) throws InterruptedException {
    assertThat(r.process.waitFor(60, TimeUnit.SECONDS))
        .as("the server exits instead of serving")
        .isTrue();
    r.drained();
    return new Refusal(r.process.exitValue(), String.join("\n", r.lines));
  }

  /**
   * A fresh server on the defaults: writes {@code names}, then stops on SIGTERM; returns the admin
   * key.
   */
  private String firstStart(Path workDir, String... names) throws Exception {
    Running r = new Running(workDir);
    try {
      String admin = r.await(ServerJarIT.KEY).group();
      int port = Integer.parseInt(r.await(ServerJarIT.URL).group(1));
      for (String name : names) {
        put(port, admin, name);
      }
      assertThat(r.terminate()).isEqualTo(143);
      return admin;
    } finally {
      r.process.destroyForcibly();
    }
  }

  private void put(int port, String key, String name) {
    Reply put =
        client.call(
            port,
            "POST",
            "/api/v1/secrets",
            key,
            "application/json",
            "{\"key\":\"" + name + "\",\"value\":\"" + ServerJarIT.VALUE + "\"}");
    assertThat(put.status()).as(put.body()).isEqualTo(201);
  }

  private Path data(String file) {
    return dir.resolve("data").resolve(file);
  }

  @Test
  void missingKeyset_onAStoreThatHoldsSecrets_isRefused_namingTheFile_andNoKeysetIsMade()
      throws Exception {
    firstStart(dir, "app/db/password");
    Files.move(data("keyset.json"), dir.resolve("keyset-elsewhere.json"));

    Refusal r = refused(new Running(dir));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output())
        .contains(
            "the keyset file ./data/keyset.json does not exist, and the store already holds "
                + "secrets")
        .contains("a new key could never open them")
        .contains("lanonasis backup")
        .contains("--keyset FILE");
    assertThat(data("keyset.json")).as("no development keyset made in its place").doesNotExist();
    assertThat(r.output()).doesNotContainPattern(ServerJarIT.KEY.pattern());
  }

  @Test
  void anotherInstallationsKeyset_orOneWithAKeyRemoved_isRefused_withTheKeyIdsExpectedAndPresent()
      throws Exception {
    firstStart(dir, "app/db/password");
    MasterKeyring own = KeyringFile.openCleartext(data("keyset.json"));
    Path other = Files.createDirectory(dir.resolve("other-installation"));
    firstStart(other);
    MasterKeyring foreign = KeyringFile.openCleartext(other.resolve("data/keyset.json"));
    Files.copy(
        other.resolve("data/keyset.json"),
        data("keyset.json"),
        StandardCopyOption.REPLACE_EXISTING);

    Refusal r = refused(new Running(dir));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output())
        .contains(
            "the master keyring does not open the data keysets of 1 tenant: 'default' "
                + "(wrapped with master key "
                + Integer.toUnsignedString(own.primaryKeyId())
                + ")")
        .contains(
            "the keyring holds master key " + Integer.toUnsignedString(foreign.primaryKeyId()))
        .contains("another installation's keyring, or one a key was removed from");

    // Rotated, then the old key retired before the tenant keysets were re-wrapped.
    MasterKeyring retiredTooSoon = own.rotate().withoutKey(own.primaryKeyId());
    Files.delete(data("keyset.json"));
    KeyringFile.writeCleartext(retiredTooSoon, data("keyset.json"));
    Refusal again = refused(new Running(dir));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.output())
        .contains("(wrapped with master key " + Integer.toUnsignedString(own.primaryKeyId()) + ")")
        .contains(
            "the keyring holds master key "
                + Integer.toUnsignedString(retiredTooSoon.primaryKeyId()));
  }

  @Test
  void emptiedOrOlderStore_isRefusedAsRolledBack_untilTheRestoreIsAcknowledged_whichIsAudited()
      throws Exception {
    String admin = firstStart(dir, "app/before-backup");
    Path backup = dir.resolve("backup.db");
    assertThat(data("secrets.db-wal"))
        .as("a clean stop folds the log into the file")
        .doesNotExist();
    Files.copy(data("secrets.db"), backup);
    Running second = new Running(dir);
    try {
      put(Integer.parseInt(second.await(ServerJarIT.URL).group(1)), admin, "app/after-backup");
      assertThat(second.terminate()).as("a normal restart is not a rollback").isEqualTo(143);
    } finally {
      second.process.destroyForcibly();
    }

    Files.copy(backup, data("secrets.db"), StandardCopyOption.REPLACE_EXISTING);
    Refusal older = refused(new Running(dir));
    assertThat(older.exit()).isEqualTo(1);
    assertThat(older.output())
        .contains("before the newest signed audit checkpoint (./data/audit-checkpoints.jsonl")
        .contains("the store was emptied, replaced or rolled back to an older copy since")
        .contains("--accept-store-rollback")
        .contains("LANONASIS_ACCEPT_STORE_ROLLBACK=true");

    Files.write(data("secrets.db"), new byte[0]);
    Refusal empty = refused(new Running(dir));
    assertThat(empty.exit()).isEqualTo(1);
    assertThat(empty.output())
        .contains(
            "the store's audit log ends at entry 0, before the newest signed audit "
                + "checkpoint");
    assertThat(empty.output())
        .as("no fresh store, no new admin key")
        .doesNotContainPattern(ServerJarIT.KEY.pattern());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data("secrets.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
      rs.next();
      assertThat(rs.getInt(1))
          .as("the refused store is not migrated: no tables made in it")
          .isZero();
    }

    Files.copy(backup, data("secrets.db"), StandardCopyOption.REPLACE_EXISTING);
    Running restored = new Running(dir, "--accept-store-rollback");
    try {
      int port = Integer.parseInt(restored.await(ServerJarIT.URL).group(1));
      assertThat(String.join("\n", restored.lines)).contains("starting on a rolled-back store");
      assertThat(
              client
                  .call(port, "GET", "/api/v1/secrets/app/before-backup", admin, null, null)
                  .status())
          .isEqualTo(200);
      assertThat(
              client
                  .call(port, "GET", "/api/v1/secrets/app/after-backup", admin, null, null)
                  .status())
          .as("the restore is the backup's state")
          .isEqualTo(404);
      Reply audit =
          client.call(
              port,
              "GET",
              "/api/v1/audit?limit=1000&action=" + StoreRollback.AUDIT_ACTION,
              admin,
              null,
              null);
      assertThat(audit.status()).as(audit.body()).isEqualTo(200);
      List<String> outcomes = new ArrayList<>();
      for (JsonNode e : audit.json().get("items")) {
        outcomes.add(e.get("action").asText() + " " + e.get("outcome").asText());
      }
      assertThat(outcomes)
          .as("the acknowledged restore, audited once")
          .containsExactly(StoreRollback.AUDIT_ACTION + " ok");
      assertThat(restored.terminate()).isEqualTo(143);
    } finally {
      restored.process.destroyForcibly();
    }

    Running next = new Running(dir);
    try {
      int port = Integer.parseInt(next.await(ServerJarIT.URL).group(1));
      assertThat(
              client
                  .call(port, "GET", "/api/v1/secrets/app/before-backup", admin, null, null)
                  .status())
          .as("later starts check against the restored store")
          .isEqualTo(200);
      assertThat(next.terminate()).isEqualTo(143);
    } finally {
      next.process.destroyForcibly();
    }
  }

  @Test
  void garbledOrTruncatedStore_saysItIsDamaged_andHowToRestore_andNoKeysetIsMade()
      throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(
        data("secrets.db"), "notes saved over the store by mistake, not a database ".repeat(40));
    Refusal garbled = refused(new Running(dir));
    assertThat(garbled.exit()).isEqualTo(1);
    assertThat(garbled.output())
        .contains("is not a SQLite database (SQLITE_NOTADB)")
        .contains("restore it from a backup")
        .doesNotContain("check that it is running");
    assertThat(data("keyset.json")).doesNotExist();

    Path other = Files.createDirectory(dir.resolve("truncated"));
    String[] names = new String[60];
    Arrays.setAll(names, i -> "app/secret-" + i);
    firstStart(other, names);
    Path db = other.resolve("data/secrets.db");
    byte[] all = Files.readAllBytes(db);
    Files.write(db, Arrays.copyOf(all, all.length / 2));
    Refusal truncated = refused(new Running(other));
    assertThat(truncated.exit()).isEqualTo(1);
    assertThat(truncated.output())
        .contains("is damaged (SQLITE_CORRUPT")
        .contains("restore it from a backup")
        .doesNotContain("check that it is running");
  }

  /**
   * Root passes every permission check: as root the server runs without the capabilities that
   * bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so that the file modes hold for it too.
   */
  private static List<String> withoutPermissionBypass() {
    return System.getProperty("user.name").equals("root")
        ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search")
        : List.of();
  }

  @Test
  void dataDirectoryOfAnotherUser_orReadOnly_namesThePath_andNoKeysetIsTriedThere()
      throws Exception {
    firstStart(dir, "app/db/password");
    Path dataDir = dir.resolve("data");
    Files.delete(
        data("keyset.json")); // a keyset would be created here if the store were not refused first
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("r-x------"));
    try {
      Refusal readOnly = refused(new Running(dir, withoutPermissionBypass(), Map.of()));
      assertThat(readOnly.exit()).isEqualTo(1);
      assertThat(readOnly.output())
          .contains("cannot open the sqlite database './data/secrets.db' (SQLITE_READONLY)")
          .contains("the directory " + dataDir.toRealPath() + " is not writable by this process")
          .doesNotContain("check that it is running");

      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
      Files.setOwner(
          dataDir,
          dataDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
      Refusal foreign = refused(new Running(dir, withoutPermissionBypass(), Map.of()));
      assertThat(foreign.exit()).isEqualTo(1);
      assertThat(foreign.output())
          .contains(
              "permission denied on the directory "
                  + dataDir.toRealPath()
                  + " (owner nobody, mode rwx------)")
          .doesNotContain("check that it is running")
          .doesNotContain("DEVELOPMENT KEYSET CREATED");
    } finally {
      Files.setOwner(
          dataDir,
          dataDir
              .getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name")));
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    }
    assertThat(data("keyset.json")).doesNotExist();
  }

  @Test
  void dataDirectoryOnAReadOnlyFileSystem_saysSo() throws Exception {
    firstStart(dir, "app/db/password");
    Path dataDir = dir.resolve("data").toRealPath();
    // A mount namespace of the server's own, where its data directory is a read-only bind mount.
    List<String> readOnlyMount =
        List.of(
            "unshare",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" \"$0\" && exec \"$@\"",
            dataDir.toString());
    Refusal r = refused(new Running(dir, readOnlyMount, Map.of()));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output())
        .contains("cannot open the sqlite database './data/secrets.db'")
        .contains("the file " + dataDir.resolve("secrets.db") + " is on a read-only file system")
        .doesNotContain("check that it is running");
  }

  @Test
  void damageInTheMiddleOfTheFile_isA500IntegrityFault_notTryAgain() throws Exception {
    String[] names = new String[60];
    Arrays.setAll(names, i -> "app/secret-" + i);
    String admin = firstStart(dir, names);
    Path db = data("secrets.db");
    int pageSize;
    int rootPage;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getInt(1);
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name LIKE "
                  + "'%secret_versions'")) {
        assertThat(rs.next()).isTrue();
        rootPage = rs.getInt(1);
      }
    }
    overwritePage(db, rootPage, pageSize);

    Running r = new Running(dir);
    try {
      int port = Integer.parseInt(r.await(ServerJarIT.URL).group(1));
      Reply read = client.call(port, "GET", "/api/v1/secrets/app/secret-7", admin, null, null);
      assertThat(read.status()).as(read.body()).isEqualTo(500);
      assertThat(read.body()).contains("integrity").doesNotContain("try again");
      assertThat(read.headers().firstValue("Retry-After")).isEmpty();
      Reply write =
          client.call(
              port,
              "POST",
              "/api/v1/secrets",
              admin,
              "application/json",
              "{\"key\":\"app/secret-8\",\"value\":\"v\"}");
      assertThat(write.status()).as(write.body()).isEqualTo(500);
      assertThat(String.join("\n", r.lines))
          .contains("SQLITE_CORRUPT")
          .contains("restore it from a backup");
      r.terminate();
    } finally {
      r.process.destroyForcibly();
    }
  }

  private static void overwritePage(Path db, int page, int pageSize) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(db.toFile(), "rw")) {
      byte[] garbage = new byte[pageSize];
      Arrays.fill(garbage, (byte) 0x5a);
      raf.seek((long) (page - 1) * pageSize);
      raf.write(garbage);
    }
  }
}
