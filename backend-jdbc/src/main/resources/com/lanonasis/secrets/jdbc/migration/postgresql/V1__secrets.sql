-- Lanonasis Secrets schema, PostgreSQL. Run by the owner role; applications connect as another
-- role that does not own these tables, so FORCE ROW LEVEL SECURITY binds it.
-- Placeholders: ${prefix} (table-name prefix, may be empty), ${appRole} (role granted DML, may be empty).

CREATE TABLE ${prefix}tenants (
  tenant      VARCHAR(64) COLLATE "C" PRIMARY KEY CHECK (tenant <> ''),
  created_us  BIGINT NOT NULL
);

CREATE TABLE ${prefix}tenant_keysets (
  tenant      VARCHAR(64) COLLATE "C" PRIMARY KEY CHECK (tenant <> ''),
  wrapped     BYTEA NOT NULL,
  generation  BIGINT NOT NULL CHECK (generation >= 1)
);

CREATE TABLE ${prefix}secret_heads (
  tenant           VARCHAR(64) COLLATE "C" NOT NULL CHECK (tenant <> ''),
  name             VARCHAR(256) COLLATE "C" NOT NULL,
  current_version  BIGINT NOT NULL CHECK (current_version >= 1),
  state            CHAR(1) NOT NULL CHECK (state IN ('A', 'D', 'X')),
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  description      VARCHAR(1024) NOT NULL,
  labels           TEXT NOT NULL,
  expires_us       BIGINT,
  PRIMARY KEY (tenant, name)
);

CREATE TABLE ${prefix}secret_versions (
  tenant      VARCHAR(64) COLLATE "C" NOT NULL CHECK (tenant <> ''),
  name        VARCHAR(256) COLLATE "C" NOT NULL,
  version     BIGINT NOT NULL CHECK (version >= 1),
  key_id      INTEGER NOT NULL,
  ciphertext  BYTEA,
  created_us  BIGINT NOT NULL,
  PRIMARY KEY (tenant, name, version),
  FOREIGN KEY (tenant, name) REFERENCES ${prefix}secret_heads (tenant, name)
);

-- Tenant isolation. The context is a transaction-local setting (set_config(..., true)), so a pooled
-- connection can never carry one tenant's context into another's work. With no tenant set,
-- current_setting(..., true) is NULL or '' and the policy matches no row.
ALTER TABLE ${prefix}tenant_keysets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${prefix}tenant_keysets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${prefix}tenant_keysets
  USING (tenant = current_setting('lanonasis.tenant', true))
  WITH CHECK (tenant = current_setting('lanonasis.tenant', true));

ALTER TABLE ${prefix}secret_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${prefix}secret_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${prefix}secret_heads
  USING (tenant = current_setting('lanonasis.tenant', true))
  WITH CHECK (tenant = current_setting('lanonasis.tenant', true));

ALTER TABLE ${prefix}secret_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${prefix}secret_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${prefix}secret_versions
  USING (tenant = current_setting('lanonasis.tenant', true))
  WITH CHECK (tenant = current_setting('lanonasis.tenant', true));

-- The tenants table holds ids only (no key material, no secrets) so that key administration can
-- enumerate tenants; it is the one table without row security, and the app role may only read and
-- add to it.
DO $$
BEGIN
  IF '${appRole}' <> '' THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), '${appRole}');
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON %I TO %I', '${prefix}tenants', '${appRole}');
    -- Read-only on the history, so an instance started with migrate(false) can check the schema.
    EXECUTE format('GRANT SELECT ON %I TO %I', '${flyway:table}', '${appRole}');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I, %I, %I TO %I',
      '${prefix}tenant_keysets', '${prefix}secret_heads', '${prefix}secret_versions', '${appRole}');
  END IF;
END
$$;
