package com.lanonasis.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jdbc: URIs through ServiceLoader")
class JdbcUriProviderTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("an H2 file store opened by URI keeps secrets across restarts, with the keyset from the environment")
  void open_h2FileUri_persistsAcrossOpens() {
    Path keyset = dir.resolve("keyset.json");
    MasterKeyring.generate().writeCleartextKeysetFile(keyset);
    Map<String, String> env = Map.of(MasterKeyring.ENV_KEYSET_FILE, keyset.toString());
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
  @DisplayName("PostgreSQL and MariaDB URIs work the same, credentials from LANONASIS_DB_USER")
  void open_serverUris_work() {
    TestDatabases.Target pg = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
    pg.open().close(); // schema migrated by the owner, as in production
    TestDatabases.Target maria = TestDatabases.fresh(TestDatabases.Kind.MARIADB, dir);
    String pgUri = pg.appUrl().replace("&user=" + TestDatabases.PG_APP, "");
    for (String uri : new String[] {pgUri, maria.appUrl()}) {
      try (SecretStore store = SecretStores.builder().uri(uri).keyring(MasterKeyring.generate())
          .environment(Map.of(JdbcSecretStoreProvider.ENV_DB_USER, TestDatabases.PG_APP)).open()) {
        store.put("k", SecretValue.ofUtf8("v"));
        try (Secret s = store.get("k")) {
          assertThat(s.value().asUtf8()).isEqualTo("v");
        }
        assertThat(store.toString()).doesNotContain("password");
      }
    }
  }

  @Test
  @DisplayName("without a keyring the store is refused before touching the database")
  void open_noKeyring_refused() {
    assertThatThrownBy(() -> SecretStores.builder().uri("jdbc:h2:mem:never").environment(Map.of()).open())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("LANONASIS_KEYSET");
  }

  @Test
  @DisplayName("a table prefix keeps two stores apart in one schema")
  void tablePrefix_separatesStores() {
    String url = "jdbc:h2:file:" + dir.resolve("prefixed").toAbsolutePath();
    MasterKeyring keyring = MasterKeyring.generate();
    try (SecretStore a = SecretStores.builder().keyring(keyring)
            .recordStore(JdbcRecordStore.builder().url(url).tablePrefix("app_a_").build()).open();
        SecretStore b = SecretStores.builder().keyring(keyring)
            .recordStore(JdbcRecordStore.builder().url(url).tablePrefix("app_b_").build()).open()) {
      a.put("same", SecretValue.ofUtf8("a"));
      b.put("same", SecretValue.ofUtf8("b"));
      assertThat(a.get("same").value().asUtf8()).isEqualTo("a");
      assertThat(b.get("same").value().asUtf8()).isEqualTo("b");
    }
    assertThatThrownBy(() -> JdbcRecordStore.builder().tablePrefix("Bad-Prefix"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad-Prefix");
  }
}
