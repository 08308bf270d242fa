/**
 * The REST API's wire model, shared by its two ends (the server and {@code SecretManagerClient})
 * and by the CLI: the body records, the {@link com.lanonasis.secrets.wire.Role}s a key carries, the
 * {@link com.lanonasis.secrets.wire.ApiKeyFormat} and the one strict {@link
 * com.lanonasis.secrets.wire.WireJson#mapper() mapper}. One home for each rule, so the two ends
 * cannot drift apart.
 *
 * <p>The records, by route: {@link com.lanonasis.secrets.wire.SecretWrite} → {@link
 * com.lanonasis.secrets.wire.SecretWritten} ({@code POST /api/v1/secrets}); {@link
 * com.lanonasis.secrets.wire.SecretValueBody} (a read, {@code :reveal} with {@link
 * com.lanonasis.secrets.wire.SecretReveal}); {@link com.lanonasis.secrets.wire.SecretMetadataBody}
 * ({@code :metadata}, {@code :attributes} with {@link
 * com.lanonasis.secrets.wire.SecretAttributesWrite}, and the items of {@link
 * com.lanonasis.secrets.wire.SecretList}); {@link com.lanonasis.secrets.wire.SecretVersions};
 * {@link com.lanonasis.secrets.wire.ApiKeyCreate} → {@link
 * com.lanonasis.secrets.wire.ApiKeyCreated} and {@link com.lanonasis.secrets.wire.ApiKeyList} of
 * {@link com.lanonasis.secrets.wire.ApiKeyBody} ({@code /api/v1/keys}). A member absent on the wire
 * is {@code null} in a record; none prints a value or a key in its {@code toString}. They match the
 * schemas of the server's OpenAPI document ({@code OpenApiDriftTest} keeps the two in step).
 */
package com.lanonasis.secrets.wire;
