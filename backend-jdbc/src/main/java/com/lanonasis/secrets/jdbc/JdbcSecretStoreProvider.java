package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.Storage;
import com.lanonasis.secrets.spi.StoreRequest;
import java.util.Set;

/**
 * Opens {@code jdbc:} stores: {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://…}, {@code
 * jdbc:h2:file:…}, {@code jdbc:h2:mem:…}, {@code jdbc:mariadb://…}. Credentials come from the URL's
 * {@code user} and {@code password} parameters, else from {@code LANONASIS_DB_USER} and {@code
 * LANONASIS_DB_PASSWORD}; they are kept out of the URL handed to the pool and out of every message.
 * The schema is migrated on open, after the facade has resolved the keyring. For a table prefix, an
 * owner role for migrations or the application's own {@code DataSource}, build a {@link
 * JdbcRecordStore} and pass it to {@code SecretStores.builder().recordStore(...)}.
 *
 * @since 0.1
 */
public final class JdbcSecretStoreProvider implements SecretStoreProvider {
  public static final String ENV_DB_USER = "LANONASIS_DB_USER";
  public static final String ENV_DB_PASSWORD = "LANONASIS_DB_PASSWORD";

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public Storage open(StoreRequest request) {
    JdbcDatabase.Builder b = JdbcDatabase.builder();
    JdbcUrl parsed = JdbcUrl.parse(request.uri());
    if (parsed.user().isEmpty()) {
      request.environment(ENV_DB_USER).ifPresent(b::username);
    }
    if (parsed.password().isEmpty()) {
      request.environment(ENV_DB_PASSWORD).ifPresent(p -> b.password(p.toCharArray()));
    }
    b.url(request.uri());
    // Connected only when the facade asks, after it has resolved the keyring: a missing keyring
    // fails without touching the database (or creating a SQLite file).
    return Storage.durable(() -> JdbcRecordStore.builder().database(b).build());
  }
}
