-- Key lifecycle: a destroyed (crypto-shredded) keyset stays as a row without key material whose
-- generation goes on counting, so generations never repeat; the primary key's usage is counted.
-- wrapped IS NULL marks a destroyed keyset. primary_sealed: encryptions reserved under the current
-- primary key; primary_since_us: when it became primary (0: before this migration, unknown).
-- SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt (nothing references it).
CREATE TABLE ${prefix}tenant_keysets_v2 (
  tenant            TEXT PRIMARY KEY CHECK (tenant <> '' AND length(tenant) <= 64),
  wrapped           BLOB CHECK (wrapped IS NULL OR length(wrapped) <= 65536),
  generation        INTEGER NOT NULL CHECK (generation >= 1),
  primary_sealed    INTEGER NOT NULL DEFAULT 0 CHECK (primary_sealed >= 0),
  primary_since_us  INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO ${prefix}tenant_keysets_v2 (tenant, wrapped, generation) SELECT tenant, wrapped, generation FROM ${prefix}tenant_keysets;
DROP TABLE ${prefix}tenant_keysets;
ALTER TABLE ${prefix}tenant_keysets_v2 RENAME TO ${prefix}tenant_keysets;
