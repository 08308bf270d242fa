-- One hash chain per writer (server process) instead of one for the whole log, so that several
-- server instances on this database append without a global lock (see AuditLog). Each entry names
-- its chain and its place in it (chain_seq, 1, 2, 3 ... without gaps); seq stays the log's global
-- order and paging cursor, now drawn from a sequence (nextval is never held to commit). The rows
-- written before this migration form the legacy chain: chain '' and chain_seq NULL, their place
-- being seq, and they still hash as they always did. Adding columns with a constant default
-- rewrites no row, so the append-only trigger is not touched.
ALTER TABLE server_audit_log ADD COLUMN chain VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE server_audit_log ADD COLUMN chain_seq BIGINT CHECK (chain_seq IS NULL OR chain_seq >= 1);
ALTER TABLE server_audit_log ADD CONSTRAINT server_audit_log_legacy_chain
  CHECK ((chain = '') = (chain_seq IS NULL));
CREATE UNIQUE INDEX server_audit_log_chain_pos ON server_audit_log (chain, chain_seq);

CREATE SEQUENCE server_audit_log_seq AS BIGINT MINVALUE 1;
SELECT setval('server_audit_log_seq', COALESCE((SELECT MAX(seq) FROM server_audit_log), 0) + 1, false);

-- UPDATE on the sequence is setval: after a copy of the table from another store (migrate-store) the
-- sequence is behind MAX(seq), and the writer moves it past (it can only make appends fail, not
-- change an entry).
DO $$
BEGIN
  IF '${appRole}' <> '' THEN
    EXECUTE format('GRANT USAGE, UPDATE ON SEQUENCE server_audit_log_seq TO %I', '${appRole}');
  END IF;
END
$$;
