package com.lanonasis.secrets.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem to send instead of a result. The detail is written by this module, never
 * copied from a driver or a request, so it cannot carry a value, an API key or SQL.
 */
final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The one answer for "no such secret", "another tenant's secret" and "outside your prefix". */
  static final String NOT_FOUND_DETAIL = "no such secret";

  private final int status;
  private final String title;
  private final Map<String, Object> extra = new LinkedHashMap<>();

  Problem(int status, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  static Problem badRequest(String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  static Problem notFound() {
    return new Problem(404, "Not Found", NOT_FOUND_DETAIL);
  }

  Problem with(String field, Object value) {
    extra.put(field, value);
    return this;
  }

  int status() {
    return status;
  }

  Map<String, Object> body() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "about:blank");
    out.put("title", title);
    out.put("status", status);
    out.put("detail", getMessage());
    out.putAll(extra);
    return out;
  }
}
