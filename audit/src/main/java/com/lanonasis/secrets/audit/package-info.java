/**
 * The hash-chained audit log beside a JDBC store: its canonical encoding and group-commit writer
 * ({@link com.lanonasis.secrets.audit.AuditLog}), signed checkpoints and their verifier, the
 * start-up rollback check, and the migrations of the server's tables ({@link
 * com.lanonasis.secrets.audit.ServerTables}). Used by the server and, without a server, by the CLI.
 */
package com.lanonasis.secrets.audit;
