package com.lanonasis.secrets.http;

import com.lanonasis.secrets.server.testing.RealServer;

/** The client settings for a test's real server and one of its keys; callers add the rest. */
final class ClientConfigs {
  private ClientConfigs() {}

  static SecretManagerClientConfig.Builder of(RealServer server, String apiKey) {
    return SecretManagerClientConfig.builder().apiUrl(server.url()).apiKey(apiKey);
  }
}
