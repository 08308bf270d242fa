/**
 * The JDBC backend: {@link com.lanonasis.secrets.jdbc.JdbcRecordStore} over SQLite (the embedded
 * default), PostgreSQL (with row-level security), MariaDB and H2, on a {@link
 * com.lanonasis.secrets.jdbc.JdbcDatabase} (pools, transactions, migrations, online backup, copying
 * a store), and the provider for {@code jdbc:} URIs. See {@link
 * com.lanonasis.secrets.jdbc.JdbcRecordStore} for the isolation, check-and-set and failure rules,
 * and {@link com.lanonasis.secrets.jdbc.JdbcDatabase} for what the embedded databases keep when the
 * process is killed.
 */
package com.lanonasis.secrets.jdbc;
