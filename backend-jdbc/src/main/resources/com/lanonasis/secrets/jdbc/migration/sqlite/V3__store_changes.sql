-- A counter of every change to what a read returns: secrets (heads and versions), tenants and their
-- keysets. Triggers keep it, so every writer counts, in every process, whatever it runs (this
-- library, an older one, the sqlite3 shell). A reader that remembers the count with a record it
-- read (in the same statement, so the same snapshot) knows the record is still current while the
-- count has not moved: the store's read cache (JdbcRecordStore) checks one one-page row instead of
-- reading three tables. PRAGMA data_version cannot tell it: the audit log in the same file changes
-- on every audited request.
CREATE TABLE ${prefix}store_changes (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL
) STRICT;
INSERT INTO ${prefix}store_changes (id, n) VALUES (1, 0);
CREATE TRIGGER ${prefix}secret_heads_insert AFTER INSERT ON ${prefix}secret_heads
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}secret_heads_update AFTER UPDATE ON ${prefix}secret_heads
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}secret_heads_delete AFTER DELETE ON ${prefix}secret_heads
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}secret_versions_insert AFTER INSERT ON ${prefix}secret_versions
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}secret_versions_update AFTER UPDATE ON ${prefix}secret_versions
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}secret_versions_delete AFTER DELETE ON ${prefix}secret_versions
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenant_keysets_insert AFTER INSERT ON ${prefix}tenant_keysets
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenant_keysets_update AFTER UPDATE ON ${prefix}tenant_keysets
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenant_keysets_delete AFTER DELETE ON ${prefix}tenant_keysets
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenants_insert AFTER INSERT ON ${prefix}tenants
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenants_update AFTER UPDATE ON ${prefix}tenants
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
CREATE TRIGGER ${prefix}tenants_delete AFTER DELETE ON ${prefix}tenants
  BEGIN UPDATE ${prefix}store_changes SET n = n + 1; END;
