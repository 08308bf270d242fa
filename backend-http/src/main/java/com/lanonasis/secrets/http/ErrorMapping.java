package com.lanonasis.secrets.http;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.VersionConflictException;
import java.util.OptionalLong;

/**
 * Turns an HTTP error answer into the exception a local store would throw for the same call, so a
 * caller's {@code catch} works the same on every backend:
 *
 * <table>
 *   <caption>status and problem {@code code} to exception</caption>
 *   <tr><th>answer</th><th>exception</th></tr>
 *   <tr><td>400 {@code invalid_name}</td><td>{@link InvalidSecretNameException}</td></tr>
 *   <tr><td>other 400</td><td>{@link InvalidInputException} with the server's detail</td></tr>
 *   <tr><td>401 / 403</td><td>{@link AccessDeniedException} ({@code isAuthenticationFailure()} for 401)</td></tr>
 *   <tr><td>404 ({@code not_found}, {@code expired})</td><td>{@link SecretNotFoundException} ({@code expiredAt()})</td></tr>
 *   <tr><td>409 {@code secret_deleted}</td><td>{@link SecretDeletedException}</td></tr>
 *   <tr><td>409 {@code version_conflict}</td><td>{@link VersionConflictException} with {@code currentVersion}</td></tr>
 *   <tr><td>404 / 409 revoking an API key</td><td>{@link ApiKeyNotFoundException} / {@link ApiKeyRevokedException}</td></tr>
 *   <tr><td>410 {@code keyset_destroyed}</td><td>{@link KeysetDestroyedException}: the tenant was crypto-shredded</td></tr>
 *   <tr><td>410 {@code value_gone}</td><td>{@link DataKeyGoneException}: sealed under a keyset shredded before a re-provision</td></tr>
 *   <tr><td>409 / 404 of the keyset administration</td><td>{@link InvalidInputException} with the server's detail, as {@link com.lanonasis.secrets.TenantKeyManager} throws</td></tr>
 *   <tr><td>413</td><td>{@link SecretTooLargeException} with size and limit</td></tr>
 *   <tr><td>429, 5xx</td><td>{@link BackendUnavailableException} (retryable)</td></tr>
 *   <tr><td>3xx, 405, 415, anything else</td><td>{@link ConfigurationException}: not the API this client speaks</td></tr>
 * </table>
 *
 * <p>Messages are the client's own, naming the operation and the secret; the server's
 * {@code detail} is added only where it is the explanation (400, 401, 403, 5xx), cut short and
 * stripped of control characters. Nothing from a non-problem body is ever quoted.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  /** What was being done, to choose the not-found wording and the exception's fields. */
  enum Op {
    GET, GET_VERSION, PUT, LIST, METADATA, ATTRIBUTES, VERSIONS, DELETE, RESTORE, DESTROY, DESTROY_VERSION, WHOAMI,
    KEY_CREATE, KEY_LIST, KEY_REVOKE, AUDIT_READ, AUDIT_CHECKPOINT,
    KEYSET_READ, KEYSET_LIST, KEYSET_CHANGE, KEYSET_RESEAL, KEYSET_RETIRE;

    /** A change the server may have made although no answer told so. */
    boolean changes() {
      return this == PUT || this == DELETE || this == RESTORE || this == DESTROY || this == DESTROY_VERSION
          || this == ATTRIBUTES || this == KEY_CREATE || this == KEY_REVOKE || this == KEYSET_CHANGE
          || this == KEYSET_RESEAL || this == KEYSET_RETIRE;
    }

    boolean keyset() {
      return this == KEYSET_READ || this == KEYSET_LIST || this == KEYSET_CHANGE || this == KEYSET_RESEAL
          || this == KEYSET_RETIRE;
    }
  }

  /**
   * @param name the secret's name, or the key id for {@link Op#KEY_REVOKE} ("" for list, whoami and key creation)
   * @param version the version asked for (get/destroy of one version) or expected (check-and-set)
   * @param valueSize the size of the value sent, for a 413 without members; -1 otherwise
   * @param limit the client's value limit, likewise
   */
  static SecretsException toException(Op op, String what, String name, OptionalLong version, int valueSize,
      int limit, Transport.Reply reply) {
    WireFormat.Problem p = reply.isProblem() ? WireFormat.problem(reply.body()) : WireFormat.Problem.NONE;
    String code = p.code().orElse("");
    int status = reply.status();
    switch (status) {
      case 400 -> {
        if (code.equals("invalid_name")) {
          return new InvalidSecretNameException("the server refused the name of secret " + quoted(name)
              + ": " + detail(p, "invalid secret name"));
        }
        return new InvalidInputException("cannot " + what + ": " + detail(p, "the server refused the request (HTTP 400)"));
      }
      case 401 -> {
        return new AccessDeniedException("cannot " + what + ": the server refused the API key (HTTP 401: "
            + detail(p, "missing, unknown or revoked") + ")", true);
      }
      case 403 -> {
        return new AccessDeniedException("cannot " + what + ": the API key lacks the right (HTTP 403: "
            + detail(p, "forbidden") + ")", false);
      }
      case 410 -> {
        if (code.equals("keyset_destroyed")) {
          return new KeysetDestroyedException(p.tenant().orElse(op.keyset() ? name : "?"));
        }
        if (code.equals("value_gone")) {
          return new DataKeyGoneException("cannot " + what + ": the data key that sealed it is gone (the tenant was "
              + "crypto-shredded and re-provisioned); the value cannot be read again");
        }
        return unexpected(what, reply);
      }
      case 404 -> {
        if (op == Op.KEYSET_RETIRE && reply.isProblem()) {
          return new InvalidInputException("cannot " + what + ": " + detail(p, "no such data key"));
        }
        if (!reply.isProblem() || op.keyset() || op == Op.KEY_CREATE || op == Op.KEY_LIST || op == Op.AUDIT_READ
            || op == Op.AUDIT_CHECKPOINT) {
          return unexpected(what, reply);
        }
        if (op == Op.KEY_REVOKE) {
          return new ApiKeyNotFoundException(name);
        }
        if (code.equals("expired") && p.expiresAt().isPresent()) {
          return SecretNotFoundException.expired(name, p.expiresAt().get());
        }
        if (code.equals("expired")) {
          return new SecretNotFoundException(name, "secret " + quoted(name) + " has expired");
        }
        return new SecretNotFoundException(name, notFound(op, name, version));
      }
      case 409 -> {
        if (op.keyset() && reply.isProblem()) {
          return new InvalidInputException("cannot " + what + ": " + detail(p, "the keyset's state forbids it"));
        }
        if (op == Op.KEY_REVOKE) {
          return new ApiKeyRevokedException(name);
        }
        if (op == Op.AUDIT_CHECKPOINT) {
          return new InvalidInputException("cannot " + what + ": " + detail(p, "the audit log is empty"));
        }
        if (code.equals("secret_deleted") || (code.isEmpty() && p.currentVersion().isEmpty() && op == Op.PUT)) {
          return new SecretDeletedException(name);
        }
        if (p.currentVersion().isPresent() && version.isPresent()) {
          return new VersionConflictException(name, version.getAsLong(), p.currentVersion().get());
        }
        return unexpected(what, reply);
      }
      case 413 -> {
        if (p.size().isPresent() && p.limit().isPresent()) {
          return new SecretTooLargeException(name, p.size().get(), p.limit().get());
        }
        if (valueSize >= 0) {
          // The server's cap on request bodies refused it before reading the value.
          return new SecretTooLargeException(name, valueSize, limit);
        }
        return unexpected(what, reply);
      }
      case 429 -> {
        return new BackendUnavailableException("cannot " + what + ": the server is throttling this client address "
            + "(HTTP 429" + retryAfter(reply) + attempts(reply) + ")");
      }
      default -> {
        if (status >= 500 && status <= 599) {
          return new BackendUnavailableException("cannot " + what + ": the server answered HTTP " + status + " ("
              + detail(p, "no details") + retryAfter(reply) + attempts(reply) + ")"
              + (op.changes() ? "; the change may or may not have been made" : ""));
        }
        return unexpected(what, reply);
      }
    }
  }

  /** A 2xx answer whose body is not what API v1 sends. */
  static BackendUnavailableException malformed(String what, WireFormat.BadResponse e) {
    return new BackendUnavailableException("cannot " + what + ": the server's answer is malformed ("
        + e.getMessage() + ")", e);
  }

  private static SecretsException unexpected(String what, Transport.Reply reply) {
    int status = reply.status();
    if (status >= 300 && status < 400) {
      return new ConfigurationException("cannot " + what + ": the server redirected (HTTP " + status
          + "); the client does not follow redirects (they would carry the API key): set apiUrl to the final address");
    }
    return new ConfigurationException("cannot " + what + ": unexpected HTTP " + status
        + (reply.isProblem() ? "" : " without a problem body")
        + ": is apiUrl the root of a Lanonasis server of this version (API v1)?");
  }

  private static String notFound(Op op, String name, OptionalLong version) {
    String q = quoted(name);
    long v = version.orElse(0);
    return switch (op) {
      case GET_VERSION -> "version " + v + " of secret " + q + " not found (or destroyed, or the secret is deleted)";
      case DESTROY_VERSION -> "version " + v + " of secret " + q + " not found (or already destroyed)";
      case DELETE -> "secret " + q + " not found (or already deleted)";
      case RESTORE -> "secret " + q + " is not deleted, so there is nothing to restore (or it does not exist)";
      default -> "secret " + q + " not found";
    };
  }

  private static String quoted(String name) {
    return "'" + name + "'";
  }

  /** The server's detail, cut to 200 printable characters; {@code fallback} when there is none. */
  private static String detail(WireFormat.Problem p, String fallback) {
    String d = p.detail().orElse(fallback);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < d.length() && out.length() < 200; i++) {
      char c = d.charAt(i);
      out.append(c >= 0x20 && c != 0x7f ? c : '?');
    }
    return out.toString();
  }

  private static String retryAfter(Transport.Reply reply) {
    return reply.retryAfter().map(d -> "; it asked to retry after " + d.toSeconds() + " s").orElse("");
  }

  private static String attempts(Transport.Reply reply) {
    return reply.attempts() > 1 ? "; " + reply.attempts() + " attempts" : "";
  }
}
