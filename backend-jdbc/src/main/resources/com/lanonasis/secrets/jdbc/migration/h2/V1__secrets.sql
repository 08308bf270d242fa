-- Lanonasis Secrets schema, H2. H2 has no row-level security: the library puts the tenant into
-- every statement's WHERE clause. Placeholder ${prefix}: table-name prefix, may be empty.

CREATE TABLE ${prefix}tenants (
  tenant      VARCHAR(64) PRIMARY KEY CHECK (tenant <> ''),
  created_us  BIGINT NOT NULL
);

CREATE TABLE ${prefix}tenant_keysets (
  tenant      VARCHAR(64) PRIMARY KEY CHECK (tenant <> ''),
  wrapped     VARBINARY(65536) NOT NULL,
  generation  BIGINT NOT NULL CHECK (generation >= 1)
);

CREATE TABLE ${prefix}secret_heads (
  tenant           VARCHAR(64) NOT NULL CHECK (tenant <> ''),
  name             VARCHAR(256) NOT NULL,
  current_version  BIGINT NOT NULL CHECK (current_version >= 1),
  state            CHAR(1) NOT NULL CHECK (state IN ('A', 'D', 'X')),
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  description      VARCHAR(1024) NOT NULL,
  labels           CHARACTER LARGE OBJECT NOT NULL,
  expires_us       BIGINT,
  PRIMARY KEY (tenant, name)
);

CREATE TABLE ${prefix}secret_versions (
  tenant      VARCHAR(64) NOT NULL CHECK (tenant <> ''),
  name        VARCHAR(256) NOT NULL,
  version     BIGINT NOT NULL CHECK (version >= 1),
  key_id      INTEGER NOT NULL,
  ciphertext  VARBINARY(1100000),
  created_us  BIGINT NOT NULL,
  PRIMARY KEY (tenant, name, version),
  FOREIGN KEY (tenant, name) REFERENCES ${prefix}secret_heads (tenant, name)
);
