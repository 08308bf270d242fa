package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /api/v1/openapi.json}: the hand-written OpenAPI 3.1 document of this API, read from
 * the classpath once at start-up and served from memory. Public like {@code /healthz} and not
 * audited: it describes the API and holds nothing of any tenant. {@code OpenApiDriftTest} keeps it
 * in step with the routes {@link SecretsServer} registers.
 */
final class OpenApiDocument {
  static final String PATH = "/api/v1/openapi.json";
  private static final String RESOURCE = "openapi.json";

  private final byte[] document;

  OpenApiDocument(ObjectMapper json) {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the OpenAPI document is missing from the classpath: " + RESOURCE);
      }
      document = in.readAllBytes();
      // A broken document fails the start, not the first client that asks for it.
      JsonNode root = json.readTree(document);
      if (root == null || !root.isObject()) {
        throw new IllegalStateException("the OpenAPI document is not a JSON object: " + RESOURCE);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the OpenAPI document " + RESOURCE, e);
    }
  }

  Reply serve(Call call) {
    return Reply.bytes(200, "application/json", document);
  }
}
