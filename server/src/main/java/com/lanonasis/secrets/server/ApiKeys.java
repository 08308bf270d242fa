package com.lanonasis.secrets.server;

import com.lanonasis.secrets.apikey.ApiKeyTable;
import com.lanonasis.secrets.audit.ServerTables;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import com.lanonasis.secrets.wire.Role;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's API keys, kept in the {@code server_api_keys} table of the store's own database.
 *
 * <p>Keys are made and hashed by {@link ApiKeyTable} (module secrets-audit, which the CLI's
 * break-glass uses too). A key reads {@code lns_<id>_<secret>}: {@code id} is 16 hex digits (8
 * random bytes) that find the row; {@code secret} is 32 bytes from {@code SecureRandom}, base64url
 * without padding. Only SHA-256 of the secret is stored. A slow password KDF (PBKDF2, Argon2)
 * protects low-entropy passwords against guessing; a 256-bit random secret cannot be guessed, so
 * one fast hash is as strong and keeps authentication cheap on every request. Hashes are compared
 * with {@link MessageDigest#isEqual}.
 *
 * <p>Thread-safe. Every check reads the database, so a revoked key stops working at once on every
 * instance sharing it.
 *
 * @since 0.1
 */
public final class ApiKeys {
  private static final String PREFIX = ApiKeyFormat.PREFIX;
  private static final byte[] NO_HASH = new byte[32];

  private final JdbcDatabase database;
  private final Clock clock;
  private final ApiKeyTable table;

  ApiKeys(JdbcDatabase database, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.table = new ApiKeyTable(database, clock);
  }

  /**
   * Creates or upgrades the server's tables (API keys, audit log): see {@link
   * ServerTables#migrate}.
   */
  static void migrate(JdbcDatabase database, String appRole) {
    ServerTables.migrate(database, appRole);
  }

  /**
   * Creates a key and returns it in full. This is the only time the full key exists outside the
   * caller.
   */
  public String create(String tenant, Role role, String namePrefix) {
    Objects.requireNonNull(role, "role");
    return table.create(tenant, com.lanonasis.secrets.wire.Role.valueOf(role.name()), namePrefix);
  }

  /** Revokes a key by id; true if it was active. */
  public boolean revoke(String id) {
    long now = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, clock.instant());
    return database.write(
        "revoke an API key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE server_api_keys SET revoked_us = ? WHERE id = ? AND revoked_us IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** A key's row as an admin may see it: never the secret nor its hash. */
  record StoredKey(
      String id,
      String tenant,
      Role role,
      String namePrefix,
      java.time.Instant createdAt,
      Optional<java.time.Instant> revokedAt) {}

  /** Every key, oldest first; only the given tenant's when one is given. */
  java.util.List<StoredKey> list(Optional<String> tenant) {
    return database.read(
        "list API keys",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, tenant, role, name_prefix, created_us, revoked_us "
                      + "FROM server_api_keys"
                      + (tenant.isPresent() ? " WHERE tenant = ?" : "")
                      + " ORDER BY created_us, id")) {
            if (tenant.isPresent()) {
              ps.setString(1, tenant.get());
            }
            java.util.List<StoredKey> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(stored(rs));
              }
            }
            return out;
          }
        });
  }

  /** The key with this id, revoked or not. */
  /** The key with this id as a principal, unless it is unknown or revoked. */
  Optional<ApiKey> active(String id) {
    return find(id)
        .filter(k -> k.revokedAt().isEmpty())
        .map(k -> new ApiKey(k.id(), k.tenant(), k.role(), k.namePrefix()));
  }

  Optional<StoredKey> find(String id) {
    return database.read(
        "find an API key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, tenant, role, name_prefix, created_us, revoked_us "
                      + "FROM server_api_keys WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
          }
        });
  }

  private static StoredKey stored(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(6);
    boolean active = rs.wasNull();
    return new StoredKey(
        rs.getString(1),
        rs.getString(2),
        Role.valueOf(rs.getString(3)),
        rs.getString(4),
        micros(rs.getLong(5)),
        active ? Optional.empty() : Optional.of(micros(revoked)));
  }

  private static java.time.Instant micros(long us) {
    return java.time.Instant.EPOCH.plus(us, ChronoUnit.MICROS);
  }

  /** The id part of a key this class created (the 16 hex digits after {@code lns_}). */
  static String idOf(String key) {
    return key.substring(PREFIX.length(), PREFIX.length() + 16);
  }

  /** How many keys exist, revoked ones included. */
  long count() {
    return database.read(
        "count API keys",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM server_api_keys");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The active key this presented token is, if any. Never says why a token was refused. */
  Optional<ApiKey> authenticate(String token) {
    String id = null;
    String secret = "";
    if (token.startsWith(PREFIX)) {
      int sep = token.indexOf('_', PREFIX.length());
      if (sep == PREFIX.length() + 16) {
        id = token.substring(PREFIX.length(), sep);
        secret = token.substring(sep + 1);
      }
    }
    byte[] presented = sha256(secret);
    if (id == null
        || !id.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
      MessageDigest.isEqual(presented, NO_HASH);
      return Optional.empty();
    }
    String keyId = id;
    return database.read(
        "check an API key",
        c -> {
          try (JdbcDatabase.Prepared p =
              database.prepare(
                  c,
                  "SELECT tenant, role, name_prefix, secret_sha256, revoked_us "
                      + "FROM server_api_keys WHERE id = ?")) {
            PreparedStatement ps = p.statement();
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                MessageDigest.isEqual(presented, NO_HASH);
                return Optional.empty();
              }
              boolean match = MessageDigest.isEqual(presented, rs.getBytes(4));
              rs.getLong(5);
              boolean revoked = !rs.wasNull();
              if (!match || revoked) {
                return Optional.empty();
              }
              return Optional.of(
                  new ApiKey(
                      keyId, rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3)));
            }
          }
        });
  }

  private static byte[] sha256(String secret) {
    return ApiKeyTable.secretHash(secret);
  }

  @Override
  public String toString() {
    return "ApiKeys[server_api_keys]";
  }
}
