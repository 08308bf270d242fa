package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The break-glass for a lost admin key: {@code apikey create --store --keyset} on the server's host
 * makes a key in the store itself, only with the store's own keyset, audited as such; the server
 * then accepts the key.
 */
class ApiKeyBreakGlassTest {
  @TempDir Path dir;

  CliRunner cli() {
    CliRunner c = new CliRunner();
    c.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    return c;
  }

  @Test
  @DisplayName(
      "with the store's keyset: an ADMIN key the server accepts, audited as key.breakglass")
  void lostAdminKey_recoveredOnTheHost() throws Exception {
    String store = RealServer.jdbcUrlIn(dir);
    String keyset = dir.resolve("keyset.json").toString();
    assertThat(
            cli()
                .runWithStdin("v", "--store", store, "--keyset", keyset, "secret", "set", "app/a")
                .exit())
        .isZero();
    // The server's first start printed an admin key, which is then lost.
    try (RealServer first =
        RealServer.start(dir, b -> b.keyring(DevelopmentKeyring.loadOrCreate(Path.of(keyset))))) {
      assertThat(first.adminKey()).startsWith("lns_");
    }

    Result created =
        cli().run("--store", store, "--keyset", keyset, "apikey", "create", "--role", "ADMIN");
    assertThat(created.exit()).as(created.err()).isZero();
    String key = created.out().strip();
    assertThat(key).matches(RealServer.API_KEY.pattern());
    assertThat(created.err())
        .contains("audited as key.breakglass")
        .doesNotContain(key.substring(21));

    try (RealServer again =
        RealServer.start(dir, b -> b.keyring(DevelopmentKeyring.loadOrCreate(Path.of(keyset))))) {
      CliRunner remote = cli();
      remote.env.put("LANONASIS_URL", "http://127.0.0.1:" + again.port());
      remote.env.put("LANONASIS_API_KEY", key);
      Result whoami = remote.run("--json", "whoami");
      assertThat(whoami.exit()).as(whoami.err()).isZero();
      assertThat(whoami.json().get("role").asText()).isEqualTo("ADMIN");
      assertThat(remote.run("secret", "get", "app/a").out()).isEqualTo("v");
    }
    try (JdbcDatabase database =
        JdbcDatabase.builder().url(store).maximumPoolSize(1).readOnly().build()) {
      List<AuditEntry> log =
          new AuditLog(database, java.time.Clock.systemUTC())
              .read(0, 1000, java.util.Optional.empty());
      assertThat(log)
          .filteredOn(e -> e.action().equals("key.breakglass"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.secretName()).contains("keys/" + key.substring(4, 20));
                assertThat(e.outcome()).isEqualTo("ok");
                assertThat(e.clientAddress().orElse("")).startsWith("cli:");
              });
    }
  }

  @Test
  @DisplayName("without the store's keyset: refused, no key made, no keyset file created")
  void anotherKeyset_orNone_isRefused() {
    String store = "jdbc:sqlite:" + dir.resolve("secrets.db");
    assertThat(
            cli()
                .runWithStdin(
                    "v",
                    "--store",
                    store,
                    "--keyset",
                    dir.resolve("keyset.json").toString(),
                    "secret",
                    "set",
                    "app/a")
                .exit())
        .isZero();

    Path other = dir.resolve("other.json");
    DevelopmentKeyring.loadOrCreate(other);
    Result foreign =
        cli()
            .run(
                "--store",
                store,
                "--keyset",
                other.toString(),
                "apikey",
                "create",
                "--role",
                "ADMIN");
    assertThat(foreign.exit()).isEqualTo(ExitCode.AUTH);
    assertThat(foreign.err()).contains("does not open 1 tenant keyset");
    assertThat(foreign.out()).doesNotContain("lns_");

    Path missing = dir.resolve("missing.json");
    Result none =
        cli()
            .run(
                "--store",
                store,
                "--keyset",
                missing.toString(),
                "apikey",
                "create",
                "--role",
                "ADMIN");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("no keyset file at " + missing);
    assertThat(missing).doesNotExist();

    Result noStore =
        cli()
            .run(
                "--store",
                "jdbc:sqlite:" + dir.resolve("typo.db"),
                "--keyset",
                dir.resolve("keyset.json").toString(),
                "apikey",
                "create",
                "--role",
                "ADMIN");
    assertThat(noStore.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(dir.resolve("typo.db")).doesNotExist();
  }
}
