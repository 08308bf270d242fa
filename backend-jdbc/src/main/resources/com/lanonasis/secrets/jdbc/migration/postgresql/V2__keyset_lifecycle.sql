-- Key lifecycle: a destroyed (crypto-shredded) keyset stays as a row without key material whose
-- generation goes on counting, so generations never repeat; the primary key's usage is counted.
-- wrapped IS NULL marks a destroyed keyset. primary_sealed: encryptions reserved under the current
-- primary key; primary_since_us: when it became primary (0: before this migration, unknown).
ALTER TABLE ${prefix}tenant_keysets ALTER COLUMN wrapped DROP NOT NULL;
ALTER TABLE ${prefix}tenant_keysets ADD COLUMN primary_sealed BIGINT NOT NULL DEFAULT 0 CHECK (primary_sealed >= 0);
ALTER TABLE ${prefix}tenant_keysets ADD COLUMN primary_since_us BIGINT NOT NULL DEFAULT 0;
