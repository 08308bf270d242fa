-- Lanonasis Secrets server schema, PostgreSQL: API keys. Only a SHA-256 hash of each key's secret
-- part is stored. Timestamps are microseconds since the epoch, as in the record store's tables.
-- No row-level security here: the server authenticates keys of every tenant before it knows the
-- tenant, so this table is the server's own, not a tenant table.
CREATE TABLE server_api_keys (
  id             VARCHAR(32) PRIMARY KEY,
  tenant         VARCHAR(64) NOT NULL CHECK (tenant <> ''),
  role           VARCHAR(16) NOT NULL CHECK (role IN ('ADMIN', 'READ_WRITE', 'READ_ONLY')),
  name_prefix    VARCHAR(256) NOT NULL,
  secret_sha256  BYTEA NOT NULL CHECK (octet_length(secret_sha256) = 32),
  created_us     BIGINT NOT NULL,
  revoked_us     BIGINT
);
