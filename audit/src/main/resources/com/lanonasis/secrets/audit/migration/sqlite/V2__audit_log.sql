-- Lanonasis Secrets server schema, SQLite: the tamper-evident audit log. The server only ever
-- INSERTs into and SELECTs from this table; triggers refuse UPDATE and DELETE through SQL (anyone who
-- can write the file can still change it: the hash chain is what shows it). Each row's hash is
-- SHA-256 over a length-prefixed encoding of its fields and prev_hash (see AuditLog); seq is the
-- primary key, so two appends cannot both claim the same place in the chain. Never a secret value
-- or an API key: key_id is the key's id.
CREATE TABLE server_audit_log (
  seq             INTEGER PRIMARY KEY CHECK (seq >= 1),
  time_us         INTEGER NOT NULL,
  tenant          TEXT CHECK (length(tenant) <= 64),
  key_id          TEXT CHECK (length(key_id) <= 32),
  action          TEXT NOT NULL CHECK (length(action) <= 16),
  secret_name     TEXT CHECK (length(secret_name) <= 256),
  outcome         TEXT NOT NULL CHECK (length(outcome) <= 16),
  client_address  TEXT CHECK (length(client_address) <= 64),
  prev_hash       BLOB NOT NULL CHECK (length(prev_hash) = 32),
  hash            BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TRIGGER server_audit_log_no_update BEFORE UPDATE ON server_audit_log
BEGIN
  SELECT RAISE(ABORT, 'server_audit_log is append-only');
END;

CREATE TRIGGER server_audit_log_no_delete BEFORE DELETE ON server_audit_log
BEGIN
  SELECT RAISE(ABORT, 'server_audit_log is append-only');
END;
