package com.lanonasis.secrets.jdbc;

/** Every statement the JDBC record store runs, built once per (dialect, table prefix). */
final class Sql {
  private static final String HEAD_COLUMNS =
      "name, current_version, state, created_us, updated_us, description, labels, expires_us";

  final String head;
  final String insertHead;
  final String advanceHead;
  final String advanceHeadWithAttributes;
  final String insertVersion;
  final String readLatest;

  /**
   * SQLite: {@link #readLatest} with the store's change count as a seventh column, from the same
   * snapshot (see the migration V3__store_changes).
   */
  final String readLatestCounted;

  /** SQLite: the store's change count alone. */
  final String storeChanges;

  final String readVersion;
  final String versions;
  final String listFrom;
  final String listAfter;
  final String updateAttributes;
  final String setState;
  final String destroyVersion;
  final String tombstoneHead;
  final String deleteVersions;
  final String keyset;
  final String lockKeyset;
  final String insertTenant;
  final String insertKeyset;
  final String replaceKeyset;
  final String reserveSeals;
  final String sealedCount;
  final String tenants;
  final String sealedFrom;
  final String sealedAfter;
  final String reseal;
  final String countsByKeyId;

  Sql(DatabaseKind d, String prefix) {
    String h = prefix + "secret_heads";
    String v = prefix + "secret_versions";
    String k = prefix + "tenant_keysets";
    String t = prefix + "tenants";
    head = "SELECT " + HEAD_COLUMNS + " FROM " + h + " WHERE tenant = ? AND name = ?";
    insertHead =
        d.insertIfAbsent(
            h,
            "tenant, name, current_version, state, created_us, updated_us, description, labels, expires_us",
            "?, ?, 1, 'A', ?, ?, ?, ?, ?");
    // created_us is assigned first: MariaDB evaluates SET left to right against updated values.
    String advance =
        "UPDATE "
            + h
            + " SET created_us = CASE WHEN state = 'X' THEN ? ELSE created_us END,"
            + " current_version = ?, state = 'A', updated_us = ?";
    String advanceWhere = " WHERE tenant = ? AND name = ? AND current_version = ? AND state <> 'D'";
    advanceHead = advance + advanceWhere;
    advanceHeadWithAttributes =
        advance + ", description = ?, labels = ?, expires_us = ?" + advanceWhere;
    insertVersion =
        "INSERT INTO "
            + v
            + " (tenant, name, version, key_id, ciphertext, created_us) VALUES (?, ?, ?, ?, ?, ?)";
    // The keyset's generation comes from the same statement, so it belongs to the same snapshot.
    String read =
        "SELECT v.version, v.key_id, v.ciphertext, v.created_us, h.expires_us, k.generation FROM "
            + h
            + " h JOIN "
            + v
            + " v ON v.tenant = h.tenant AND v.name = h.name LEFT JOIN "
            + k
            + " k ON k.tenant = h.tenant WHERE h.tenant = ? AND h.name = ? AND h.state = 'A' AND v.ciphertext IS NOT NULL";
    readLatest = read + " ORDER BY v.version DESC LIMIT 1";
    storeChanges = "SELECT n FROM " + prefix + "store_changes";
    int from = readLatest.indexOf(" FROM ");
    readLatestCounted =
        readLatest.substring(0, from) + ", (" + storeChanges + ")" + readLatest.substring(from);
    readVersion = read + " AND v.version = ?";
    versions =
        "SELECT version, created_us, CASE WHEN ciphertext IS NULL THEN 1 ELSE 0 END FROM "
            + v
            + " WHERE tenant = ? AND name = ? ORDER BY version";
    String list =
        "SELECT "
            + HEAD_COLUMNS
            + " FROM "
            + h
            + " WHERE tenant = ? AND name %s ?/*upper*/ AND state = 'A'"
            + " ORDER BY name LIMIT ?";
    listFrom = String.format(list, ">=");
    listAfter = String.format(list, ">");
    updateAttributes =
        "UPDATE "
            + h
            + " SET description = ?, labels = ?, expires_us = ?, updated_us = ?"
            + " WHERE tenant = ? AND name = ? AND state = 'A'";
    setState =
        "UPDATE "
            + h
            + " SET state = ?, updated_us = ? WHERE tenant = ? AND name = ? AND state = ?";
    destroyVersion =
        "UPDATE "
            + v
            + " SET ciphertext = NULL WHERE tenant = ? AND name = ? AND version = ?"
            + " AND ciphertext IS NOT NULL";
    tombstoneHead =
        "UPDATE "
            + h
            + " SET state = 'X', description = '', labels = '{}', expires_us = NULL,"
            + " updated_us = ? WHERE tenant = ? AND name = ? AND state <> 'X'";
    deleteVersions = "DELETE FROM " + v + " WHERE tenant = ? AND name = ?";
    keyset =
        "SELECT wrapped, generation, primary_sealed, primary_since_us FROM "
            + k
            + " WHERE tenant = ?";
    // Appends and re-seals read the live keyset's generation under a shared lock, so a keyset
    // change (an UPDATE of the row) waits for them and they wait for it.
    lockKeyset =
        "SELECT generation FROM "
            + k
            + " WHERE tenant = ? AND wrapped IS NOT NULL"
            + d.sharedRowLock();
    insertTenant = d.insertIfAbsent(t, "tenant, created_us", "?, ?");
    insertKeyset =
        d.insertIfAbsent(
            k, "tenant, wrapped, generation, primary_sealed, primary_since_us", "?, ?, ?, ?, ?");
    replaceKeyset =
        "UPDATE "
            + k
            + " SET wrapped = ?, generation = ?, primary_sealed = ?, primary_since_us = ?"
            + " WHERE tenant = ? AND generation = ?";
    reserveSeals =
        "UPDATE "
            + k
            + " SET primary_sealed = primary_sealed + ? WHERE tenant = ? AND generation = ?"
            + " AND wrapped IS NOT NULL";
    sealedCount = "SELECT primary_sealed FROM " + k + " WHERE tenant = ?";
    tenants = "SELECT tenant FROM " + t + " WHERE tenant > ? ORDER BY tenant LIMIT ?";
    String sealed =
        "SELECT name, version, key_id, ciphertext, created_us FROM "
            + v
            + " WHERE tenant = ? AND ciphertext IS NOT NULL AND key_id <> ?";
    sealedFrom = sealed + " ORDER BY name, version LIMIT ?";
    // "name >= ?" gives the index a lower bound to seek to; the OR alone would scan from the start.
    sealedAfter =
        sealed + " AND name >= ? AND (name > ? OR version > ?) ORDER BY name, version LIMIT ?";
    reseal =
        "UPDATE "
            + v
            + " SET ciphertext = ?, key_id = ? WHERE tenant = ? AND name = ? AND version = ?"
            + " AND key_id = ? AND ciphertext IS NOT NULL";
    countsByKeyId =
        "SELECT key_id, COUNT(*) FROM "
            + v
            + " WHERE tenant = ? AND ciphertext IS NOT NULL GROUP BY key_id";
  }
}
