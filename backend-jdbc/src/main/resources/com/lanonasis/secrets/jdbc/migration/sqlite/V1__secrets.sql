-- Lanonasis Secrets schema, SQLite. SQLite has no row-level security: the library puts the tenant
-- into every statement's WHERE clause. STRICT tables refuse a value of the wrong type, and the
-- length checks are the other databases' column sizes. Text compares byte-wise (BINARY), as the
-- keyset paging expects. Placeholder ${prefix}: table-name prefix, may be empty.

CREATE TABLE ${prefix}tenants (
  tenant      TEXT PRIMARY KEY CHECK (tenant <> '' AND length(tenant) <= 64),
  created_us  INTEGER NOT NULL
) STRICT;

CREATE TABLE ${prefix}tenant_keysets (
  tenant      TEXT PRIMARY KEY CHECK (tenant <> '' AND length(tenant) <= 64),
  wrapped     BLOB NOT NULL CHECK (length(wrapped) <= 65536),
  generation  INTEGER NOT NULL CHECK (generation >= 1)
) STRICT;

CREATE TABLE ${prefix}secret_heads (
  tenant           TEXT NOT NULL CHECK (tenant <> '' AND length(tenant) <= 64),
  name             TEXT NOT NULL CHECK (length(name) <= 256),
  current_version  INTEGER NOT NULL CHECK (current_version >= 1),
  state            TEXT NOT NULL CHECK (state IN ('A', 'D', 'X')),
  created_us       INTEGER NOT NULL,
  updated_us       INTEGER NOT NULL,
  description      TEXT NOT NULL CHECK (length(description) <= 1024),
  labels           TEXT NOT NULL,
  expires_us       INTEGER,
  PRIMARY KEY (tenant, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE ${prefix}secret_versions (
  tenant      TEXT NOT NULL CHECK (tenant <> '' AND length(tenant) <= 64),
  name        TEXT NOT NULL CHECK (length(name) <= 256),
  version     INTEGER NOT NULL CHECK (version >= 1),
  key_id      INTEGER NOT NULL,
  ciphertext  BLOB CHECK (ciphertext IS NULL OR length(ciphertext) <= 1100000),
  created_us  INTEGER NOT NULL,
  PRIMARY KEY (tenant, name, version),
  FOREIGN KEY (tenant, name) REFERENCES ${prefix}secret_heads (tenant, name)
) STRICT;
