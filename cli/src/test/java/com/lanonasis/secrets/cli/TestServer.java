package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.SecretsServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real server for the CLI's tests, on an ephemeral port, with the admin key its first start printed. */
record TestServer(SecretsServer server, String admin, String url) implements AutoCloseable {
  static final Pattern KEY = Pattern.compile("lns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");

  /** A server on a SQLite store at {@code db}, a fresh keyring, and the builder options given. */
  static TestServer start(Path db, UnaryOperator<SecretsServerBuilder> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SecretsServer server = options.apply(SecretsServer.builder().jdbcUrl("jdbc:sqlite:" + db)
        .keyring(MasterKeyring.generate()).port(0).bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8)))
        .start();
    return new TestServer(server, key(out), "http://127.0.0.1:" + server.port());
  }

  static TestServer start(Path db) {
    return start(db, b -> b);
  }

  /** The admin key a first start printed. */
  static String key(ByteArrayOutputStream bootstrap) {
    Matcher m = KEY.matcher(bootstrap.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).as("the server printed its admin key").isTrue();
    return m.group();
  }

  @Override
  public void close() {
    server.close();
  }
}
