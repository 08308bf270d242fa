-- Refused authentications are aggregated per client address: one entry then stands for `repeated`
-- refusals (NULL: a single event). Part of the entry's hash when set (see AuditLog).
ALTER TABLE server_audit_log ADD COLUMN repeated INTEGER CHECK (repeated IS NULL OR repeated >= 1);
