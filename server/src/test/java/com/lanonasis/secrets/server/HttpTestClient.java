package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/**
 * The HTTP client the server tests talk through: real requests to a server on loopback. {@link
 * #call} and {@link #callBytes} go through the JDK client; {@link #rawRequest} writes bytes on a
 * socket for what the JDK client refuses to send (control characters in the path, a bad
 * Content-Length...).
 */
final class HttpTestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * A response: status, body and headers; {@code raw} is the JDK's response, or null for one read
   * off a raw socket.
   */
  record Reply(int status, String body, HttpResponse<String> raw, HttpHeaders headers) {
    Reply(int status, String body, HttpResponse<String> raw) {
      this(status, body, raw, raw.headers());
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }
  }

  /** Sends a request; {@code key}, {@code contentType} and {@code body} may be null. */
  Reply call(int port, String method, String path, String key, String contentType, String body) {
    return call(port, method, path, key, contentType, body, Map.of());
  }

  /** The same, with extra request headers. */
  Reply call(
      int port,
      String method,
      String path,
      String key,
      String contentType,
      String body,
      Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(
                        body.getBytes(StandardCharsets.UTF_8)));
    headers.forEach(b::header);
    return send(b, key, contentType);
  }

  /** Like {@link #call}, with the body as raw bytes (which need not be valid UTF-8). */
  Reply callBytes(
      int port, String method, String path, String key, String contentType, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b, key, contentType);
  }

  /** Sends the body chunked, without a Content-Length, so only reading it can tell its size. */
  Reply callChunked(
      int port, String method, String path, String key, String contentType, byte[] body) {
    HttpRequest.BodyPublisher sized = HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.BodyPublisher unsized =
        new HttpRequest.BodyPublisher() {
          @Override
          public long contentLength() {
            return -1;
          }

          @Override
          public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            sized.subscribe(subscriber);
          }
        };
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, unsized),
        key,
        contentType);
  }

  private Reply send(HttpRequest.Builder b, String key, String contentType) {
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Writes {@code head} (request line and headers, without the blank line; {@code Host} and {@code
   * Connection: close} are added) and {@code body} as they are, and reads the response up to the
   * server's close. ISO-8859-1 keeps every byte of {@code head} as given.
   */
  Reply rawRequest(int port, String head, byte[] body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (head + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      // Half-close: a request whose body is shorter than it claims ends here instead of waiting.
      socket.shutdownOutput();
      return parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Reply parse(byte[] response) {
    String all = new String(response, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response head: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
    boolean chunked =
        headers.getOrDefault("Transfer-Encoding", List.of()).stream()
            .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
    if (chunked) {
      body = dechunk(body);
    }
    return new Reply(
        status,
        new String(body, StandardCharsets.UTF_8),
        null,
        HttpHeaders.of(headers, (k, v) -> true));
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    try {
      while (true) {
        StringBuilder size = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
          if (c < 0) {
            throw new AssertionError("truncated chunked body");
          }
          if (c != '\r') {
            size.append((char) c);
          }
        }
        int n = Integer.parseInt(size.toString().split(";", 2)[0].trim(), 16);
        if (n == 0) {
          return out.toByteArray();
        }
        out.write(in.readNBytes(n));
        in.readNBytes(2);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
