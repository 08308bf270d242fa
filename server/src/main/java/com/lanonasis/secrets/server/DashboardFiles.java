package com.lanonasis.secrets.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's files, served from the jar ({@code ui/} beside this class): {@code GET /} is its
 * page, {@code GET /ui/<file>} the scripts, styles and images it loads. Only plain file names of
 * known types are looked up; anything else is a 404. Nothing comes from a CDN or the network.
 */
final class DashboardFiles {
  static final String PREFIX = "/ui/";
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(js|css|html|svg|png)");
  private static final Map<String, String> TYPES =
      Map.of(
          "js",
          "text/javascript; charset=utf-8",
          "css",
          "text/css; charset=utf-8",
          "html",
          "text/html; charset=utf-8",
          "svg",
          "image/svg+xml",
          "png",
          "image/png");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  Reply index(Call call) throws IOException {
    return serve("index.html");
  }

  Reply file(Call call) throws IOException {
    return serve(call.http().path().substring(PREFIX.length()));
  }

  private Reply serve(String name) throws IOException {
    byte[] body = NAME.matcher(name).matches() ? load(name) : null;
    if (body == null) {
      throw new Problem(404, "Not Found", "no such resource");
    }
    // NAME admits only the extensions TYPES has.
    String type =
        Objects.requireNonNull(TYPES.get(name.substring(name.lastIndexOf('.') + 1)), "type");
    // Revalidated on every load: a new server version's files are picked up at once.
    return Reply.bytes(200, type, body).header("Cache-Control", "no-cache");
  }

  private byte @Nullable [] load(String name) throws IOException {
    byte[] cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = DashboardFiles.class.getResourceAsStream("ui/" + name)) {
      if (in == null) {
        return null;
      }
      byte[] body = in.readAllBytes();
      cache.put(name, body);
      return body;
    }
  }
}
