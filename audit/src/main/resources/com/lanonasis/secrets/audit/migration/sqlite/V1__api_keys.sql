-- Lanonasis Secrets server schema, SQLite: API keys. Only a SHA-256 hash of each key's secret part is
-- stored. Timestamps are microseconds since the epoch, as in the record store's tables.
CREATE TABLE server_api_keys (
  id             TEXT PRIMARY KEY CHECK (length(id) <= 32),
  tenant         TEXT NOT NULL CHECK (tenant <> '' AND length(tenant) <= 64),
  role           TEXT NOT NULL CHECK (role IN ('ADMIN', 'READ_WRITE', 'READ_ONLY')),
  name_prefix    TEXT NOT NULL CHECK (length(name_prefix) <= 256),
  secret_sha256  BLOB NOT NULL CHECK (length(secret_sha256) = 32),
  created_us     INTEGER NOT NULL,
  revoked_us     INTEGER
) STRICT;
