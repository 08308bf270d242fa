-- Lanonasis Secrets server schema, PostgreSQL: the tamper-evident audit log. The server only ever
-- INSERTs into and SELECTs from this table; a trigger refuses UPDATE, DELETE and TRUNCATE for every
-- role, the owner included (dropping the trigger is a deliberate, visible act). Each row's hash is
-- SHA-256 over a length-prefixed encoding of its fields and prev_hash (see AuditLog); seq is the
-- primary key, so two appends cannot both claim the same place in the chain. Appends from several
-- server instances are serialised by a transaction-scoped advisory lock (see AuditLog).
-- Never a secret value or an API key: key_id is the key's id.
CREATE TABLE server_audit_log (
  seq             BIGINT PRIMARY KEY CHECK (seq >= 1),
  time_us         BIGINT NOT NULL,
  tenant          VARCHAR(64),
  key_id          VARCHAR(32),
  action          VARCHAR(16) NOT NULL,
  secret_name     VARCHAR(256),
  outcome         VARCHAR(16) NOT NULL,
  client_address  VARCHAR(64),
  prev_hash       BYTEA NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash            BYTEA NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE FUNCTION server_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'server_audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER server_audit_log_no_update BEFORE UPDATE OR DELETE ON server_audit_log
  FOR EACH ROW EXECUTE FUNCTION server_audit_log_append_only();
CREATE TRIGGER server_audit_log_no_truncate BEFORE TRUNCATE ON server_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION server_audit_log_append_only();
