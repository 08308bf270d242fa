package com.lanonasis.secrets.http;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ApiKeyNotFoundException;
import com.lanonasis.secrets.ApiKeyRevokedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import com.lanonasis.secrets.UnauthenticatedException;
import com.lanonasis.secrets.VersionConflictException;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Turns an HTTP error answer into the exception a local store would throw for the same call, so a
 * caller's {@code catch} works the same on every backend. The answer gives a {@link Kind} ({@link
 * #kindOf}, the server's table of docs/errors.md read backwards), and one switch over the kind
 * picks the exception:
 *
 * <table>
 *   <caption>status and problem {@code code} to exception</caption>
 *   <tr><th>answer</th><th>exception</th></tr>
 *   <tr><td>400 {@code invalid_name}</td><td>{@link InvalidSecretNameException}</td></tr>
 *   <tr><td>other 400</td><td>{@link InvalidInputException} with the server's detail</td></tr>
 *   <tr><td>401</td><td>{@link UnauthenticatedException}</td></tr>
 *   <tr><td>403</td><td>{@link AccessDeniedException}</td></tr>
 *   <tr><td>404 ({@code not_found}, {@code expired})</td><td>{@link SecretNotFoundException} ({@code expiredAt()})</td></tr>
 *   <tr><td>409 {@code secret_deleted}</td><td>{@link SecretDeletedException}</td></tr>
 *   <tr><td>409 {@code version_conflict}</td><td>{@link VersionConflictException} with {@code currentVersion}</td></tr>
 *   <tr><td>404 / 409 revoking an API key</td><td>{@link ApiKeyNotFoundException} / {@link ApiKeyRevokedException}</td></tr>
 *   <tr><td>410 {@code keyset_destroyed}</td><td>{@link KeysetDestroyedException}: the tenant was crypto-shredded</td></tr>
 *   <tr><td>410 {@code value_gone}</td><td>{@link DataKeyGoneException}: sealed under a keyset shredded before a re-provision</td></tr>
 *   <tr><td>409 / 404 of the keyset administration</td><td>{@link InvalidInputException} with the server's detail, as {@link com.lanonasis.secrets.TenantKeyManager} throws</td></tr>
 *   <tr><td>413</td><td>{@link SecretTooLargeException} with size and limit</td></tr>
 *   <tr><td>500 {@code integrity}</td><td>{@link IntegrityException} (not retryable)</td></tr>
 *   <tr><td>500 {@code configuration}</td><td>{@link ConfigurationException} (not retryable)</td></tr>
 *   <tr><td>429, other 5xx</td><td>{@link BackendUnavailableException} (retryable)</td></tr>
 *   <tr><td>3xx, 405, 415, anything else</td><td>{@link ConfigurationException}: not the API this client speaks</td></tr>
 * </table>
 *
 * <p>Messages are the client's own, naming the operation and the secret; the server's {@code
 * detail} is added only where it is the explanation (400, 401, 403, 5xx), cut short and stripped of
 * control characters. Nothing from a non-problem body is ever quoted.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  /** What was being done, to choose the not-found wording and the exception's fields. */
  enum Op {
    GET,
    GET_VERSION,
    PUT,
    LIST,
    METADATA,
    ATTRIBUTES,
    VERSIONS,
    DELETE,
    RESTORE,
    DESTROY,
    DESTROY_VERSION,
    WHOAMI,
    KEY_CREATE,
    KEY_LIST,
    KEY_REVOKE,
    AUDIT_READ,
    AUDIT_CHECKPOINT,
    KEYSET_READ,
    KEYSET_LIST,
    KEYSET_CHANGE,
    KEYSET_RESEAL,
    KEYSET_RETIRE;

    /** A change the server may have made although no answer told so. */
    boolean changes() {
      return this == PUT
          || this == DELETE
          || this == RESTORE
          || this == DESTROY
          || this == DESTROY_VERSION
          || this == ATTRIBUTES
          || this == KEY_CREATE
          || this == KEY_REVOKE
          || this == KEYSET_CHANGE
          || this == KEYSET_RESEAL
          || this == KEYSET_RETIRE;
    }

    boolean keyset() {
      return this == KEYSET_READ
          || this == KEYSET_LIST
          || this == KEYSET_CHANGE
          || this == KEYSET_RESEAL
          || this == KEYSET_RETIRE;
    }
  }

  /**
   * @param name the secret's name, or the key id for {@link Op#KEY_REVOKE} ("" for list, whoami and
   *     key creation)
   * @param version the version asked for (get/destroy of one version) or expected (check-and-set)
   * @param valueSize the size of the value sent, for a 413 without members; -1 otherwise
   * @param limit the client's value limit, likewise
   */
  static SecretsException toException(
      Op op,
      String what,
      String name,
      OptionalLong version,
      int valueSize,
      int limit,
      Transport.Reply reply) {
    WireFormat.Problem p =
        reply.isProblem() ? WireFormat.problem(reply.body()) : WireFormat.Problem.NONE;
    String code = p.code().orElse("");
    Kind kind = kindOf(op, reply, p);
    if (kind == null) {
      return unexpected(what, reply);
    }
    // The one switch from the kind to the exception (docs/errors.md); the problem's members only
    // choose among the exceptions of that kind and fill in their fields.
    return switch (kind) {
      case NOT_FOUND -> {
        if (op == Op.KEY_REVOKE) {
          yield new ApiKeyNotFoundException(name);
        }
        if (code.equals("expired") && p.expiresAt().isPresent()) {
          yield SecretNotFoundException.expired(name, p.expiresAt().get());
        }
        if (code.equals("expired")) {
          yield new SecretNotFoundException(name, "secret " + quoted(name) + " has expired");
        }
        yield new SecretNotFoundException(name, notFound(op, name, version));
      }
      case CONFLICT -> {
        if (op == Op.KEY_REVOKE) {
          yield new ApiKeyRevokedException(name);
        }
        if (code.equals("secret_deleted")
            || (code.isEmpty() && p.currentVersion().isEmpty() && op == Op.PUT)) {
          yield new SecretDeletedException(name);
        }
        if (p.currentVersion().isPresent() && version.isPresent()) {
          yield new VersionConflictException(name, version.getAsLong(), p.currentVersion().get());
        }
        yield unexpected(what, reply);
      }
      case GONE -> {
        if (code.equals("keyset_destroyed")) {
          yield new KeysetDestroyedException(p.tenant().orElse(op.keyset() ? name : "?"));
        }
        yield new DataKeyGoneException(
            "cannot "
                + what
                + ": the data key that sealed it is gone (the tenant was "
                + "crypto-shredded and re-provisioned); the value cannot be read again");
      }
      case INVALID -> {
        if (reply.status() == 413) {
          if (p.size().isPresent() && p.limit().isPresent()) {
            yield new SecretTooLargeException(name, p.size().get(), p.limit().get());
          }
          if (valueSize >= 0) {
            // The server's cap on request bodies refused it before reading the value.
            yield new SecretTooLargeException(name, valueSize, limit);
          }
          yield unexpected(what, reply);
        }
        if (code.equals("invalid_name")) {
          yield new InvalidSecretNameException(
              "the server refused the name of secret "
                  + quoted(name)
                  + ": "
                  + detail(p, "invalid secret name"));
        }
        yield new InvalidInputException(
            "cannot " + what + ": " + detail(p, invalidFallback(op, reply.status())));
      }
      case DENIED ->
          new AccessDeniedException(
              "cannot "
                  + what
                  + ": the API key lacks the right (HTTP 403: "
                  + detail(p, "forbidden")
                  + ")");
      case UNAUTHENTICATED ->
          new UnauthenticatedException(
              "cannot "
                  + what
                  + ": the server refused the API key "
                  + "(HTTP 401: "
                  + detail(p, "missing, unknown or revoked")
                  + ")");
      case UNAVAILABLE ->
          reply.status() == 429
              ? new BackendUnavailableException(
                  "cannot "
                      + what
                      + ": the server is throttling this client address "
                      + "(HTTP 429"
                      + retryAfter(reply)
                      + attempts(reply)
                      + ")")
              : new BackendUnavailableException(
                  "cannot "
                      + what
                      + ": the server answered HTTP "
                      + reply.status()
                      + " ("
                      + detail(p, "no details")
                      + retryAfter(reply)
                      + attempts(reply)
                      + ")"
                      + (op.changes() ? "; the change may or may not have been made" : ""));
      // The server keeps the cause in its log; the client says only that a retry will not help.
      case INTEGRITY ->
          new IntegrityException(
              "cannot "
                  + what
                  + ": the server's store failed an integrity check "
                  + "(HTTP "
                  + reply.status()
                  + ": "
                  + detail(p, "damaged data, or a keyset that does not open it")
                  + ")");
      case CONFIGURATION ->
          reply.status() >= 500
              ? new ConfigurationException(
                  "cannot "
                      + what
                      + ": the server's store is not usable as the server is set up "
                      + "(HTTP "
                      + reply.status()
                      + ": "
                      + detail(p, "see the server log")
                      + ")")
              : unexpected(what, reply);
    };
  }

  /**
   * The kind of an error answer, or null when it is not one API v1 gives for this call (a redirect,
   * 405, a 404 from a path the server does not have). The server maps each kind to one status
   * (docs/errors.md), so this is that table read backwards; 413 is the one status of a kind besides
   * its own (INVALID: 400), and 429 is the server's throttle (UNAVAILABLE). The keyset
   * administration and the audit checkpoint answer 404 and 409 for a request their state refuses,
   * which {@link com.lanonasis.secrets.TenantKeyManager} throws as invalid input.
   */
  static @Nullable Kind kindOf(Op op, Transport.Reply reply, WireFormat.Problem p) {
    int status = reply.status();
    String code = p.code().orElse("");
    return switch (status) {
      case 400, 413 -> Kind.INVALID;
      case 401 -> Kind.UNAUTHENTICATED;
      case 403 -> Kind.DENIED;
      case 404 -> {
        if (!reply.isProblem()) {
          yield null;
        }
        if (op == Op.KEYSET_RETIRE) {
          yield Kind.INVALID;
        }
        if (op.keyset()
            || op == Op.KEY_CREATE
            || op == Op.KEY_LIST
            || op == Op.AUDIT_READ
            || op == Op.AUDIT_CHECKPOINT) {
          yield null;
        }
        yield Kind.NOT_FOUND;
      }
      case 409 ->
          (op.keyset() && reply.isProblem()) || op == Op.AUDIT_CHECKPOINT
              ? Kind.INVALID
              : Kind.CONFLICT;
      case 410 -> code.equals("keyset_destroyed") || code.equals("value_gone") ? Kind.GONE : null;
      case 429 -> Kind.UNAVAILABLE;
      default -> {
        if (status < 500 || status > 599) {
          yield null;
        }
        // The two 500s a store causes that a retry does not cure; every other 5xx may pass.
        yield code.equals("integrity")
            ? Kind.INTEGRITY
            : code.equals("configuration") ? Kind.CONFIGURATION : Kind.UNAVAILABLE;
      }
    };
  }

  private static String invalidFallback(Op op, int status) {
    if (status == 404) {
      return "no such data key";
    }
    if (status == 409) {
      return op == Op.AUDIT_CHECKPOINT ? "the audit log is empty" : "the keyset's state forbids it";
    }
    return "the server refused the request (HTTP 400)";
  }

  /** A 2xx answer whose body is not what API v1 sends. */
  static BackendUnavailableException malformed(String what, WireFormat.BadResponse e) {
    return new BackendUnavailableException(
        "cannot " + what + ": the server's answer is malformed (" + e.getMessage() + ")", e);
  }

  private static SecretsException unexpected(String what, Transport.Reply reply) {
    int status = reply.status();
    if (status >= 300 && status < 400) {
      return new ConfigurationException(
          "cannot "
              + what
              + ": the server redirected (HTTP "
              + status
              + "); the client does not follow redirects (they would carry the API key): set apiUrl to the final address");
    }
    return new ConfigurationException(
        "cannot "
            + what
            + ": unexpected HTTP "
            + status
            + (reply.isProblem() ? "" : " without a problem body")
            + ": is apiUrl the root of a Lanonasis server of this version (API v1)?");
  }

  private static String notFound(Op op, String name, OptionalLong version) {
    String q = quoted(name);
    long v = version.orElse(0);
    return switch (op) {
      case GET_VERSION ->
          "version "
              + v
              + " of secret "
              + q
              + " not found (or destroyed, or the secret is deleted)";
      case DESTROY_VERSION ->
          "version " + v + " of secret " + q + " not found (or already destroyed)";
      case DELETE -> "secret " + q + " not found (or already deleted)";
      case RESTORE ->
          "secret " + q + " is not deleted, so there is nothing to restore (or it does not exist)";
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
    return reply
        .retryAfter()
        .map(d -> "; it asked to retry after " + d.toSeconds() + " s")
        .orElse("");
  }

  private static String attempts(Transport.Reply reply) {
    return reply.attempts() > 1 ? "; " + reply.attempts() + " attempts" : "";
  }
}
