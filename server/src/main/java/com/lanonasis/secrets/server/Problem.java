package com.lanonasis.secrets.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem to send instead of a result. The detail is written by this module, never
 * copied from a driver or a request, so it cannot carry a value, an API key or SQL.
 */
final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The one answer for "no such secret", "another tenant's secret" and "outside your prefix". */
  static final String NOT_FOUND_DETAIL = "no such secret";

  /*
   * Stable, machine-readable reasons in the `code` member, for clients that must tell apart
   * problems sharing a status (the HTTP backend maps them to its typed exceptions). Documented in
   * server/README.md and openapi.json; never renamed.
   */
  static final String NOT_FOUND = "not_found";
  static final String EXPIRED = "expired";
  static final String VERSION_CONFLICT = "version_conflict";
  static final String SECRET_DELETED = "secret_deleted";
  static final String INVALID_NAME = "invalid_name";
  static final String INVALID_INPUT = "invalid_input";
  static final String TOO_LARGE = "too_large";
  static final String KEYSET_DESTROYED = "keyset_destroyed";
  static final String VALUE_GONE = "value_gone";

  /**
   * 500: the store failed an integrity check; a retry will not help (the SDKs throw their integrity
   * error).
   */
  static final String INTEGRITY = "integrity";

  /** 500: the store is not usable as the server set it up (closed, misconfigured). */
  static final String CONFIGURATION = "configuration";

  static final String KEY_IN_USE = "key_in_use";
  static final String PRIMARY_KEY = "primary_key";
  static final String KEYSET_NOT_DESTROYED = "keyset_not_destroyed";

  /** More than one session cookie came with the request (one was planted); all were cleared. */
  static final String SESSION_CONFLICT = "session_conflict";

  /** A session cookie came without its session's X-CSRF-Token. */
  static final String SESSION_TOKEN = "session_token";

  private final int status;
  private final String title;
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private @Nullable String outcome;

  Problem(int status, String title, @Nullable String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  static Problem badRequest(@Nullable String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  static Problem notFound() {
    return new Problem(404, "Not Found", NOT_FOUND_DETAIL).code(NOT_FOUND);
  }

  Problem with(String field, Object value) {
    extra.put(field, value);
    return this;
  }

  /** Adds the machine-readable {@code code} member; see the constants above. */
  Problem code(String code) {
    return with("code", code);
  }

  int status() {
    return status;
  }

  /** Sets the audit outcome, as {@link Problems} decides it from a failure's kind. */
  Problem outcome(String outcome) {
    this.outcome = outcome;
    return this;
  }

  /** The audit outcome: the one its kind gave it, else the one of its status. */
  String outcome() {
    return outcome != null ? outcome : Problems.outcome(status);
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
