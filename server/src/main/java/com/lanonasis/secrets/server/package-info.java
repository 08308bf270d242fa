/**
 * The Lanonasis Secrets REST server: {@link com.lanonasis.secrets.server.SecretsServer} (Javalin
 * over the JDBC record store), API keys ({@link com.lanonasis.secrets.server.ApiKeys}), the
 * hash-chained audit log ({@link com.lanonasis.secrets.audit.AuditLog}, module secrets-audit) and
 * the runnable {@link com.lanonasis.secrets.server.ServerMain}. See the module's README for the
 * API.
 */
package com.lanonasis.secrets.server;
