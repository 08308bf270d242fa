package com.lanonasis.secrets.apikey;

import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import com.lanonasis.secrets.wire.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How an API key is made and stored in the {@code server_api_keys} table (created by {@link
 * com.lanonasis.secrets.audit.ServerTables}): the one place that generates a key and hashes its
 * secret, used by the server's key routes and by the CLI's break-glass {@code apikey create
 * --store} on the host, which must work without the server.
 *
 * <p>A key reads {@code lns_<id>_<secret>} ({@link ApiKeyFormat}): {@code id} is 16 hex digits (8
 * random bytes) that find the row; {@code secret} is 32 bytes from {@link SecureRandom}, base64url
 * without padding. Only SHA-256 of the secret is stored. A slow password KDF protects low-entropy
 * passwords against guessing; a 256-bit random secret cannot be guessed, so one fast hash is as
 * strong and keeps authentication cheap on every request.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class ApiKeyTable {
  private static final int SECRET_BYTES = 32;

  private final JdbcDatabase database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Over {@code database}, whose tables exist already ({@code ServerTables.migrate}). */
  public ApiKeyTable(JdbcDatabase database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a key and returns it in full. This is the only time the full key exists outside the
   * caller.
   *
   * @param namePrefix empty for every name, else a valid secret name, optionally followed by '/'
   * @throws IllegalArgumentException when {@code namePrefix} is not one
   */
  public String create(String tenant, Role role, String namePrefix) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (!namePrefix.isEmpty()
        && !SecretName.isValid(
            namePrefix.endsWith("/")
                ? namePrefix.substring(0, namePrefix.length() - 1)
                : namePrefix)) {
      throw new IllegalArgumentException(
          "name prefix is not a valid secret name (or one followed by '/'): " + namePrefix);
    }
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[SECRET_BYTES];
    random.nextBytes(idBytes);
    random.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    long now = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    database.write(
        "create an API key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO server_api_keys "
                      + "(id, tenant, role, name_prefix, secret_sha256, created_us) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, tenant);
            ps.setString(3, role.name());
            ps.setString(4, namePrefix);
            ps.setBytes(5, secretHash(secret));
            ps.setLong(6, now);
            return ps.executeUpdate(); // the row count, unused: write() needs a non-null result
          }
        });
    return ApiKeyFormat.PREFIX + id + "_" + secret;
  }

  /** SHA-256 of a key's secret part, as the table stores it. */
  public static byte[] secretHash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeyTable[server_api_keys]";
  }
}
