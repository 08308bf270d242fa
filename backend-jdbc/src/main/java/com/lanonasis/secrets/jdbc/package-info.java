/**
 * The JDBC backend: {@link com.lanonasis.secrets.jdbc.JdbcRecordStore} over PostgreSQL (with
 * row-level security), H2 and MariaDB, and the provider for {@code jdbc:} URIs. See
 * {@link com.lanonasis.secrets.jdbc.JdbcRecordStore} for the isolation, check-and-set and failure
 * rules.
 */
package com.lanonasis.secrets.jdbc;
