-- Lanonasis Secrets server schema, H2: the tamper-evident audit log. The server only ever INSERTs
-- into and SELECTs from this table. Each row's hash is SHA-256 over a length-prefixed encoding of
-- its fields and prev_hash (see AuditLog); seq is the primary key, so two appends cannot both
-- claim the same place in the chain. Never a secret value or an API key: key_id is the key's id.
CREATE TABLE server_audit_log (
  seq             BIGINT PRIMARY KEY CHECK (seq >= 1),
  time_us         BIGINT NOT NULL,
  tenant          VARCHAR(64),
  key_id          VARCHAR(32),
  action          VARCHAR(16) NOT NULL,
  secret_name     VARCHAR(256),
  outcome         VARCHAR(16) NOT NULL,
  client_address  VARCHAR(64),
  prev_hash       VARBINARY(32) NOT NULL,
  hash            VARBINARY(32) NOT NULL
);
