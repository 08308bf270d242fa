package com.lanonasis.secrets.http;

import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.http.ErrorMapping.Op;
import com.lanonasis.secrets.http.Transport.Reply;
import com.lanonasis.secrets.http.Transport.Safety;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * What the administration clients (API keys, audit log, keysets) share: one transport of their own,
 * closed once, and a call that decodes the expected answer and maps every other one with {@link
 * ErrorMapping}, the reply wiped however it ends.
 */
final class AdminCalls implements AutoCloseable {
  private final String client;
  private final SecretManagerClientConfig config;
  private final Transport transport;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param client the class's simple name, for {@link #toString} and the closed-client error
   */
  AdminCalls(String client, SecretManagerClientConfig config) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new Transport(config);
  }

  HttpUrl.Builder url(String path) {
    return transport.url(path);
  }

  void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException(client + " is closed");
    }
  }

  /**
   * Sends {@code request} and decodes the answer if its status is {@code expected}.
   *
   * @param name the secret, key id or tenant the call is about, for {@link ErrorMapping}
   */
  <T> T call(
      Op op,
      String what,
      String name,
      int expected,
      Request.Builder request,
      Safety safety,
      Function<byte[], T> decoder) {
    checkOpen();
    Reply reply = transport.send(what, request, safety);
    try {
      if (reply.status() != expected) {
        throw ErrorMapping.toException(op, what, name, OptionalLong.empty(), -1, -1, reply);
      }
      return decoder.apply(reply.body());
    } catch (WireFormat.BadResponse e) {
      throw ErrorMapping.malformed(what, e);
    } finally {
      reply.wipe();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      transport.close();
    }
  }

  @Override
  public String toString() {
    return client + "[apiUrl=" + config.apiUrl() + ", apiKey=" + config.apiKeyHint() + "]";
  }
}
