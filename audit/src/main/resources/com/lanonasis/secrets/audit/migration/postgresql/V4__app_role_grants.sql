-- When the server connects as an application role that does not own these tables (migrations run as
-- the owner: migration-db-user), that role gets exactly what the server does with them: keys are
-- created, read and revoked (UPDATE of revoked_us); audit entries are only ever inserted and read.
-- It owns nothing, so it can neither drop the append-only trigger nor disable row-level security.
-- Placeholder ${appRole}: that role, or empty when the server connects as the owner.
DO $$
BEGIN
  IF '${appRole}' <> '' THEN
    EXECUTE format('GRANT SELECT, INSERT ON server_api_keys TO %I', '${appRole}');
    EXECUTE format('GRANT UPDATE (revoked_us) ON server_api_keys TO %I', '${appRole}');
    EXECUTE format('GRANT SELECT, INSERT ON server_audit_log TO %I', '${appRole}');
    EXECUTE format('GRANT SELECT ON %I TO %I', '${flyway:table}', '${appRole}');
  END IF;
END
$$;
