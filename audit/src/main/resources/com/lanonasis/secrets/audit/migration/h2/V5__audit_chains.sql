-- Hash chains (see AuditLog): on PostgreSQL one per server process; here, where one process writes at
-- a time, every writer appends to the chain 'local'. Each entry names its chain and its place in it (chain_seq, 1, 2, 3 ... without gaps); seq stays the
-- log's global order and paging cursor (H2 is one process: MAX(seq) + 1, without gaps). The rows
-- written before this migration form the legacy chain: chain '' and chain_seq NULL, their place
-- being seq, and they still hash as they always did.
ALTER TABLE server_audit_log ADD COLUMN chain VARCHAR(32) DEFAULT '' NOT NULL;
ALTER TABLE server_audit_log ADD COLUMN chain_seq BIGINT;
ALTER TABLE server_audit_log ADD CONSTRAINT server_audit_log_legacy_chain
  CHECK ((chain_seq IS NULL AND chain = '') OR (chain_seq >= 1 AND chain <> ''));
CREATE UNIQUE INDEX server_audit_log_chain_pos ON server_audit_log (chain, chain_seq);
