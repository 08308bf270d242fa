package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@DisplayName("jdbc: URIs through ServiceLoader")
class JdbcUriProviderTest {
  private static final String DB_PASSWORD = "S3NTINEL-db-pw-3e8a";
  private static final String MARIA_USER = "lns_password_test";

  @TempDir Path dir;

  @Test
  @DisplayName(
      "an H2 file store opened by URI keeps secrets across restarts, with the keyset from the environment")
  void open_h2FileUri_persistsAcrossOpens() {
    Path keyset = dir.resolve("keyset.json");
    KeyringFile.writeCleartext(MasterKeyring.generate(), keyset);
    Map<String, String> env = Map.of(KeyringSources.ENV_KEYSET_FILE, keyset.toString());
    String uri = "jdbc:h2:file:" + dir.resolve("secrets").toAbsolutePath();
    try (SecretStore store = SecretStores.builder().uri(uri).environment(env).open()) {
      store.put("app/token", SecretValue.ofUtf8("persisted"));
    }
    try (SecretStore again = SecretStores.builder().uri(uri).environment(env).open();
        Secret s = again.get("app/token")) {
      assertThat(s.value().asUtf8()).isEqualTo("persisted");
    }
    assertThat(Files.exists(dir.resolve("secrets.mv.db"))).isTrue();
  }

  @Test
  @DisplayName(
      "PostgreSQL and MariaDB URIs work the same, with the password in the URL or in "
          + "LANONASIS_DB_PASSWORD, and the password shows in no message, toString or log line")
  void open_serverUrisWithPassword_workAndNeverShowIt() {
    TestDatabases.Target pg = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    pg.open().close(); // schema migrated by the owner, as in production
    TestDatabases.Target maria = TestDatabases.fresh(TestDatabases.Kind.MARIADB, dir);
    // PostgreSQL trusts loopback and ignores the password; MariaDB checks it, so it gets a user
    // whose password is the sentinel: a store that works there has really sent it.
    TestDatabases.mariaSql(
        "CREATE OR REPLACE USER '" + MARIA_USER + "'@'%' IDENTIFIED BY '" + DB_PASSWORD + "'");
    TestDatabases.mariaSql("GRANT ALL ON " + maria.schema() + ".* TO '" + MARIA_USER + "'@'%'");
    String pgBase = pg.appUrl().replace("&user=" + TestDatabases.PG_APP, "");
    String mariaBase = "jdbc:mariadb://" + TestDatabases.MARIADB_HOST + "/" + maria.schema();
    Map<String, String> pgEnv =
        Map.of(
            JdbcSecretStoreProvider.ENV_DB_USER,
            TestDatabases.PG_APP,
            JdbcSecretStoreProvider.ENV_DB_PASSWORD,
            DB_PASSWORD);
    Map<String, String> mariaEnv =
        Map.of(
            JdbcSecretStoreProvider.ENV_DB_USER,
            MARIA_USER,
            JdbcSecretStoreProvider.ENV_DB_PASSWORD,
            DB_PASSWORD);
    Map<String, Map<String, String>> uris = new LinkedHashMap<>();
    uris.put(pgBase + "&user=" + TestDatabases.PG_APP + "&password=" + DB_PASSWORD, Map.of());
    uris.put(pgBase, pgEnv);
    uris.put(mariaBase + "?user=" + MARIA_USER + "&password=" + DB_PASSWORD, Map.of());
    uris.put(mariaBase, mariaEnv);

    MasterKeyring keyring =
        MasterKeyring.generate(); // two URIs reach each database: one keyring for both
    List<String> seen = new ArrayList<>();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level oldLevel = root.getLevel();
    root.setLevel(
        Level.DEBUG); // pools and Flyway print their configuration, URL included, at DEBUG
    logs.start();
    root.addAppender(logs);
    try {
      uris.forEach(
          (uri, env) -> {
            try (SecretStore store =
                SecretStores.builder().uri(uri).keyring(keyring).environment(env).open()) {
              store.put("k", SecretValue.ofUtf8("v"));
              try (Secret s = store.get("k")) {
                assertThat(s.value().asUtf8()).isEqualTo("v");
              }
              seen.add(store.toString());
            }
            // The same credentials against a database that does not exist: the error path.
            String missing =
                uri.replace("/" + TestDatabases.PG_DB + "?", "/nowhere_db?")
                    .replace("/" + maria.schema(), "/nowhere_db");
            Throwable e =
                catchThrowable(
                    () ->
                        SecretStores.builder()
                            .uri(missing)
                            .keyring(keyring)
                            .environment(env)
                            .open());
            assertThat(e)
                .as("opening %s", missing.replace(DB_PASSWORD, "***"))
                .isInstanceOf(SecretsException.class);
            for (Throwable t = e; t != null; t = t.getCause()) {
              seen.add(t.toString());
            }
          });
    } finally {
      root.detachAppender(logs);
      root.setLevel(oldLevel);
      TestDatabases.mariaSql("DROP USER IF EXISTS '" + MARIA_USER + "'@'%'");
    }
    assertThat(logs.list)
        .extracting(ILoggingEvent::getLoggerName)
        .anyMatch(n -> n.startsWith("com.zaxxer.hikari"));
    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        seen.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    assertThat(seen)
        .hasSizeGreaterThan(uris.size() * 2)
        .allSatisfy(text -> assertThat(text).doesNotContain(DB_PASSWORD));
  }

  @Test
  @DisplayName("without a keyring the store is refused before touching the database")
  void open_noKeyring_refused() {
    assertThatThrownBy(
            () -> SecretStores.builder().uri("jdbc:h2:mem:never").environment(Map.of()).open())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LANONASIS_KEYSET");
  }

  @Test
  @DisplayName("without a keyring a SQLite or H2 file URI is refused before any file is created")
  void open_noKeyring_fileUris_createNoFile() throws Exception {
    Path sqlite = dir.resolve("never.db");
    Path h2 = dir.resolve("never-h2");
    for (String uri :
        List.of("jdbc:sqlite:" + sqlite.toAbsolutePath(), "jdbc:h2:file:" + h2.toAbsolutePath())) {
      assertThatThrownBy(() -> SecretStores.builder().uri(uri).environment(Map.of()).open())
          .as(uri)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(KeyringSources.ENV_KEYSET);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).as("nothing opened: no database, journal or lock file").isEmpty();
    }
    // The same URI with a keyring does create the file: the refusal above came before connecting.
    try (SecretStore store =
        SecretStores.builder()
            .uri("jdbc:sqlite:" + sqlite.toAbsolutePath())
            .keyring(MasterKeyring.generate())
            .environment(Map.of())
            .open()) {
      assertThat(store.tenant()).isEqualTo("default");
    }
    assertThat(Files.exists(sqlite)).isTrue();
  }

  @Test
  @DisplayName("a table prefix keeps two stores apart in one schema")
  void tablePrefix_separatesStores() {
    String url = "jdbc:h2:file:" + dir.resolve("prefixed").toAbsolutePath();
    MasterKeyring keyring = MasterKeyring.generate();
    try (SecretStore a =
            SecretStores.builder()
                .keyring(keyring)
                .recordStore(JdbcRecordStore.builder().url(url).tablePrefix("app_a_").build())
                .open();
        SecretStore b =
            SecretStores.builder()
                .keyring(keyring)
                .recordStore(JdbcRecordStore.builder().url(url).tablePrefix("app_b_").build())
                .open()) {
      a.put("same", SecretValue.ofUtf8("a"));
      b.put("same", SecretValue.ofUtf8("b"));
      assertThat(a.get("same").value().asUtf8()).isEqualTo("a");
      assertThat(b.get("same").value().asUtf8()).isEqualTo("b");
    }
    assertThatThrownBy(() -> JdbcRecordStore.builder().tablePrefix("Bad-Prefix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad-Prefix");
  }
}
