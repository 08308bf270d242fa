package com.lanonasis.secrets.server;

import com.lanonasis.secrets.MasterKeyring;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts the servers the tests talk to: an ephemeral port, H2 in a temporary file, a fresh keyring. */
final class TestServers {
  static final Pattern API_KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");

  private TestServers() {}

  /** A started server and the bootstrap admin key it printed. */
  record Started(SecretsServer server, String admin) {}

  /**
   * The secret part of an API key: what follows "lns_", 16 hex digits and '_'. It may itself
   * contain '_', so it is cut at a fixed offset, never at the last '_' (which can leave a
   * fragment of a character or two, found in any log).
   */
  static String secretPart(String apiKey) {
    if (!API_KEY.matcher(apiKey).matches()) {
      throw new IllegalArgumentException("not an API key");
    }
    return apiKey.substring("lns_".length() + 16 + 1);
  }

  static Started start(Path dir) {
    return start(dir, b -> b);
  }

  /** Starts a server with the common settings, then {@code options} applied to its builder. */
  static Started start(Path dir, UnaryOperator<SecretsServerBuilder> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SecretsServer server = options.apply(SecretsServer.builder()
        .jdbcUrl("jdbc:sqlite:" + dir.resolve("db/secrets.db"))
        .keyring(MasterKeyring.generate())
        .port(0)
        .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8))).start();
    Matcher m = API_KEY.matcher(out.toString(StandardCharsets.UTF_8));
    if (!m.find()) {
      server.close();
      throw new AssertionError("the server printed no admin key");
    }
    return new Started(server, m.group());
  }
}
