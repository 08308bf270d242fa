package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.wire.Role;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanonasis migrate-store} and {@code lanonasis backup}, on real files, through picocli. */
class StoreCommandsTest {
  static final String VALUE = "S3NTINEL-store-move";

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final MasterKeyring keyring = MasterKeyring.generate();

  @BeforeEach
  void setUp() {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
  }

  SecretsServer server(String url) {
    return SecretsServer.builder()
        .jdbcUrl(url)
        .keyring(keyring)
        .port(0)
        .bootstrapOutput(new PrintStream(OutputStream.nullOutputStream()))
        .start();
  }

  @Nested
  @DisplayName("migrate-store")
  class MigrateStore {
    @Test
    @DisplayName(
        "an H2 server store moves to SQLite with versions, lifecycle, keys and audit log, values still sealed")
    void h2ToSqlite_copiesEverything_andTheServerRunsOnTheCopy() throws Exception {
      String h2 = "jdbc:h2:file:" + dir.resolve("old/secrets");
      String apiKey;
      long auditEntries;
      try (SecretsServer old = server(h2)) {
        apiKey = old.apiKeys().create("default", Role.READ_WRITE, "");
        // H2 is one process: the server holds the file, so the writes go through its API.
        HttpClient http = HttpClient.newHttpClient();
        post(http, old.port(), apiKey, "{\"key\":\"app/db\",\"value\":\"" + VALUE + "-1\"}");
        post(http, old.port(), apiKey, "{\"key\":\"app/db\",\"value\":\"" + VALUE + "-2\"}");
        post(http, old.port(), apiKey, "{\"key\":\"app/db\",\"value\":\"" + VALUE + "-3\"}");
        post(http, old.port(), apiKey, "{\"key\":\"app/gone\",\"value\":\"x\"}");
        send(http, old.port(), apiKey, "POST", "/api/v1/secrets/app/db:destroy?version=2", "");
        send(http, old.port(), apiKey, "DELETE", "/api/v1/secrets/app/gone", null);
        auditEntries = old.auditLog().verify().entries();
      }
      String sqlite = "jdbc:sqlite:" + dir.resolve("new/secrets.db");

      Result moved = cli.run("migrate-store", "--from", h2, "--to", sqlite);
      assertThat(moved.exit()).as(moved.err()).isZero();
      assertThat(moved.out())
          .contains("secret_heads: 2 rows")
          .contains("secret_versions: 4 rows")
          .contains("server_api_keys: 2 rows")
          .contains("audit log: " + auditEntries + " entries, hash chain intact")
          .doesNotContain(VALUE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new"))))
          .isEqualTo("rwx------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("new/secrets.db"))))
          .isEqualTo("rw-------");

      try (SecretsServer moved2 = server(sqlite)) {
        assertThat(moved2.auditLog().verify().intact()).isTrue();
        assertThat(moved2.auditLog().verify().entries()).isEqualTo(auditEntries);
      }
      try (SecretStore store = SecretStores.builder().uri(sqlite).keyring(keyring).open()) {
        try (Secret s = store.get("app/db")) {
          assertThat(s.version()).isEqualTo(3);
          assertThat(s.value().asUtf8()).isEqualTo(VALUE + "-3");
        }
        try (Secret s = store.get("app/db", 1)) {
          assertThat(s.value().asUtf8()).isEqualTo(VALUE + "-1");
        }
        assertThat(store.versions("app/db"))
            .extracting(VersionInfo::destroyed)
            .containsExactly(false, true, false);
        assertThatThrownBy(() -> store.get("app/gone")).isInstanceOf(SecretNotFoundException.class);
        assertThatThrownBy(() -> store.put("app/gone", SecretValue.ofUtf8("y")))
            .isInstanceOf(SecretDeletedException.class);
        store.restore("app/gone");
        assertThat(
                store.put("app/db", SecretValue.ofUtf8("next"), PutOptions.ifVersion(3)).version())
            .as("numbering continues")
            .isEqualTo(4);
      }
      // The source is left as it was: the old server still starts on it and finds the same chain.
      try (SecretsServer old = server(h2)) {
        assertThat(old.auditLog().verify().entries()).isEqualTo(auditEntries);
      }
    }

    @Test
    @DisplayName("into a store that holds data: refused, and the target keeps what it had")
    void intoANonEmptyStore_refused_targetUnchanged() {
      String a = "jdbc:sqlite:" + dir.resolve("a.db");
      String b = "jdbc:sqlite:" + dir.resolve("b.db");
      try (SecretStore s = SecretStores.builder().uri(a).keyring(keyring).open()) {
        s.put("from/a", SecretValue.ofUtf8("a"));
      }
      try (SecretStore s = SecretStores.builder().uri(b).keyring(keyring).open()) {
        s.put("already/b", SecretValue.ofUtf8("b"));
      }
      Result refused = cli.run("migrate-store", "--from", a, "--to", b);
      assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCode.ERROR);
      assertThat(refused.err()).contains("already holds").contains("empty store");
      try (SecretStore s = SecretStores.builder().uri(b).keyring(keyring).open()) {
        assertThat(s.list(com.lanonasis.secrets.ListOptions.prefix("")).items())
            .extracting(m -> m.name().value())
            .containsExactly("already/b");
      }
    }

    @Test
    @DisplayName("a source that does not exist: exit 1, and no empty file is left behind")
    void missingSource_notFound_createsNothing() {
      Result missing =
          cli.run(
              "migrate-store",
              "--from",
              "jdbc:sqlite:" + dir.resolve("none.db"),
              "--to",
              "jdbc:sqlite:" + dir.resolve("to.db"));
      assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(dir.resolve("none.db")).doesNotExist();
      assertThat(dir.resolve("to.db")).doesNotExist();
    }
  }

  @Nested
  @DisplayName("backup")
  class Backup {
    @Test
    @DisplayName(
        "while the server writes: a consistent copy, restored into a new store with every write before it")
    void whileTheServerWrites_backupHoldsEveryEarlierWrite_andRestores() throws Exception {
      String live = "jdbc:sqlite:" + dir.resolve("live/secrets.db");
      Path backup = dir.resolve("backups/one.db");
      Files.createDirectories(backup.getParent());
      List<Long> before = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      try (SecretsServer server = server(live)) {
        String key = server.apiKeys().create("default", Role.READ_WRITE, "");
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean backupStarted = new AtomicBoolean();
        Thread writer =
            new Thread(
                () -> {
                  for (int i = 1; i <= 100_000 && !stop.get(); i++) {
                    int status =
                        post(
                            http,
                            server.port(),
                            key,
                            "{\"key\":\"live/counter\",\"value\":\"" + VALUE + "-" + i + "\"}");
                    // Acknowledged before the backup began (not merely sent before it): a write
                    // still in flight when the backup takes its snapshot may land after it.
                    if (status / 100 == 2 && !backupStarted.get()) {
                      before.add((long) i);
                    }
                  }
                });
        writer.start();
        for (int i = 0; i < 200 && before.size() < 30; i++) {
          Thread.sleep(20);
        }
        backupStarted.set(true);
        Result done = cli.run("--store", live, "backup", "--to", backup.toString());
        stop.set(true);
        writer.join(30_000);
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).startsWith("backed up sqlite database").contains(backup.toString());
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
          .isEqualTo("rw-------");
      assertThat(before).isNotEmpty();

      String restored = "jdbc:sqlite:" + dir.resolve("restored/secrets.db");
      Result restore =
          cli.run("migrate-store", "--from", "jdbc:sqlite:" + backup, "--to", restored);
      assertThat(restore.exit()).as(restore.err()).isZero();
      try (SecretsServer server = server(restored)) {
        assertThat(server.auditLog().verify().intact()).isTrue();
      }
      try (SecretStore store = SecretStores.builder().uri(restored).keyring(keyring).open()) {
        for (long v = 1; v <= before.size(); v++) {
          try (Secret s = store.get("live/counter", v)) {
            assertThat(s.value().asUtf8()).isEqualTo(VALUE + "-" + before.get((int) v - 1));
          }
        }
      }
    }

    @Test
    @DisplayName(
        "refused for a server URL, a server database, an existing file and a missing store")
    void refusals() throws Exception {
      assertThat(
              cli.run("--url", "http://127.0.0.1:1", "backup", "--to", dir.resolve("x").toString())
                  .exit())
          .isEqualTo(ExitCode.USAGE);
      assertThat(
              cli.run(
                      "--store",
                      "jdbc:postgresql://127.0.0.1:5432/test",
                      "backup",
                      "--to",
                      dir.resolve("x").toString())
                  .err())
          .contains("pg_dump");
      assertThat(
              cli.run(
                      "--store",
                      "jdbc:sqlite:" + dir.resolve("none.db"),
                      "backup",
                      "--to",
                      dir.resolve("x").toString())
                  .exit())
          .isEqualTo(ExitCode.NOT_FOUND);
      Path exists = Files.writeString(dir.resolve("exists"), "keep me");
      try (SecretStore s =
          SecretStores.builder()
              .uri("jdbc:sqlite:" + dir.resolve("s.db"))
              .keyring(keyring)
              .open()) {
        s.put("a", SecretValue.ofUtf8("a"));
      }
      Result clash =
          cli.run(
              "--store", "jdbc:sqlite:" + dir.resolve("s.db"), "backup", "--to", exists.toString());
      assertThat(clash.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(Files.readString(exists)).isEqualTo("keep me");
    }
  }

  static int post(HttpClient http, int port, String key, String json) {
    return send(http, port, key, "POST", "/api/v1/secrets", json);
  }

  static int send(HttpClient http, int port, String key, String method, String path, String json) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Authorization", "Bearer " + key)
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        b.header("Content-Type", "application/json");
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
