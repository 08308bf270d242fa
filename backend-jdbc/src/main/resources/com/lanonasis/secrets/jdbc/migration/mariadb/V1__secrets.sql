-- Lanonasis Secrets schema, MariaDB. MariaDB has no row-level security: the library puts the
-- tenant into every statement's WHERE clause. Names use a binary ASCII collation so ordering and
-- uniqueness are byte-wise, as on the other databases. Placeholder ${prefix}: table-name prefix.

CREATE TABLE ${prefix}tenants (
  tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY CHECK (tenant <> ''),
  created_us  BIGINT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE ${prefix}tenant_keysets (
  tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY CHECK (tenant <> ''),
  wrapped     BLOB NOT NULL,
  generation  BIGINT NOT NULL CHECK (generation >= 1)
) ENGINE=InnoDB;

CREATE TABLE ${prefix}secret_heads (
  tenant           VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (tenant <> ''),
  name             VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  current_version  BIGINT NOT NULL CHECK (current_version >= 1),
  state            CHAR(1) CHARACTER SET ascii NOT NULL CHECK (state IN ('A', 'D', 'X')),
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  description      VARCHAR(1024) CHARACTER SET utf8mb4 NOT NULL,
  labels           TEXT CHARACTER SET utf8mb4 NOT NULL,
  expires_us       BIGINT,
  PRIMARY KEY (tenant, name)
) ENGINE=InnoDB;

CREATE TABLE ${prefix}secret_versions (
  tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (tenant <> ''),
  name        VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version     BIGINT NOT NULL CHECK (version >= 1),
  key_id      INT NOT NULL,
  ciphertext  MEDIUMBLOB,
  created_us  BIGINT NOT NULL,
  PRIMARY KEY (tenant, name, version),
  FOREIGN KEY (tenant, name) REFERENCES ${prefix}secret_heads (tenant, name)
) ENGINE=InnoDB;
