-- Hash chains (see AuditLog): on PostgreSQL one per server process; here, where one process writes at
-- a time, every writer appends to the chain 'local'. Each entry names its chain and its place in it
-- (chain_seq, 1, 2, 3 ... without gaps); seq stays the log's global order and paging cursor (on SQLite one process writes at a time, so it stays
-- MAX(seq) + 1, without gaps). The rows written before this migration form the legacy chain: chain
-- '' and chain_seq NULL, their place being seq, and they still hash as they always did. Adding
-- columns rewrites no row, so the append-only triggers are not touched.
ALTER TABLE server_audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT '' CHECK (length(chain) <= 32);
ALTER TABLE server_audit_log ADD COLUMN chain_seq INTEGER
  CHECK ((chain_seq IS NULL AND chain = '') OR (chain_seq >= 1 AND chain <> ''));
CREATE UNIQUE INDEX server_audit_log_chain_pos ON server_audit_log (chain, chain_seq);
