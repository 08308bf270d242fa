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
  final String insertTenant;
  final String insertKeyset;
  final String replaceKeyset;
  final String deleteKeyset;
  final String deleteTenant;
  final String tenants;

  Sql(DatabaseKind d, String prefix) {
    String h = prefix + "secret_heads";
    String v = prefix + "secret_versions";
    String k = prefix + "tenant_keysets";
    String t = prefix + "tenants";
    head = "SELECT " + HEAD_COLUMNS + " FROM " + h + " WHERE tenant = ? AND name = ?";
    insertHead = d.insertIfAbsent(h,
        "tenant, name, current_version, state, created_us, updated_us, description, labels, expires_us",
        "?, ?, 1, 'A', ?, ?, ?, ?, ?");
    // created_us is assigned first: MariaDB evaluates SET left to right against updated values.
    String advance = "UPDATE " + h + " SET created_us = CASE WHEN state = 'X' THEN ? ELSE created_us END,"
        + " current_version = ?, state = 'A', updated_us = ?";
    String advanceWhere = " WHERE tenant = ? AND name = ? AND current_version = ? AND state <> 'D'";
    advanceHead = advance + advanceWhere;
    advanceHeadWithAttributes = advance + ", description = ?, labels = ?, expires_us = ?" + advanceWhere;
    insertVersion = "INSERT INTO " + v + " (tenant, name, version, key_id, ciphertext, created_us) VALUES (?, ?, ?, ?, ?, ?)";
    String read = "SELECT v.version, v.key_id, v.ciphertext, v.created_us, h.expires_us FROM " + h + " h JOIN " + v
        + " v ON v.tenant = h.tenant AND v.name = h.name WHERE h.tenant = ? AND h.name = ? AND h.state = 'A'"
        + " AND v.ciphertext IS NOT NULL";
    readLatest = read + " ORDER BY v.version DESC LIMIT 1";
    readVersion = read + " AND v.version = ?";
    versions = "SELECT version, created_us, CASE WHEN ciphertext IS NULL THEN 1 ELSE 0 END FROM " + v
        + " WHERE tenant = ? AND name = ? ORDER BY version";
    String list = "SELECT " + HEAD_COLUMNS + " FROM " + h + " WHERE tenant = ? AND name %s ?/*upper*/ AND state = 'A'"
        + " ORDER BY name LIMIT ?";
    listFrom = String.format(list, ">=");
    listAfter = String.format(list, ">");
    updateAttributes = "UPDATE " + h + " SET description = ?, labels = ?, expires_us = ?, updated_us = ?"
        + " WHERE tenant = ? AND name = ? AND state = 'A'";
    setState = "UPDATE " + h + " SET state = ?, updated_us = ? WHERE tenant = ? AND name = ? AND state = ?";
    destroyVersion = "UPDATE " + v + " SET ciphertext = NULL WHERE tenant = ? AND name = ? AND version = ?"
        + " AND ciphertext IS NOT NULL";
    tombstoneHead = "UPDATE " + h + " SET state = 'X', description = '', labels = '{}', expires_us = NULL,"
        + " updated_us = ? WHERE tenant = ? AND name = ? AND state <> 'X'";
    deleteVersions = "DELETE FROM " + v + " WHERE tenant = ? AND name = ?";
    keyset = "SELECT wrapped, generation FROM " + k + " WHERE tenant = ?";
    insertTenant = d.insertIfAbsent(t, "tenant, created_us", "?, ?");
    insertKeyset = d.insertIfAbsent(k, "tenant, wrapped, generation", "?, ?, ?");
    replaceKeyset = "UPDATE " + k + " SET wrapped = ?, generation = ? WHERE tenant = ? AND generation = ?";
    deleteKeyset = "DELETE FROM " + k + " WHERE tenant = ?";
    deleteTenant = "DELETE FROM " + t + " WHERE tenant = ?";
    tenants = "SELECT tenant FROM " + t + " WHERE tenant > ? ORDER BY tenant LIMIT ?";
  }
}
