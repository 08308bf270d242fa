/**
 * The REST API's wire model, shared by its two ends (the server and {@code SecretManagerClient})
 * and by the CLI: the body records, the {@link com.lanonasis.secrets.wire.Role}s a key carries, the
 * {@link com.lanonasis.secrets.wire.ApiKeyFormat} and the one strict {@link
 * com.lanonasis.secrets.wire.WireJson#mapper() mapper}. One home for each rule, so the two ends
 * cannot drift apart.
 */
package com.lanonasis.secrets.wire;
