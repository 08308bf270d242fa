package com.lanonasis.secrets.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What follows {@code /api/v1/secrets/} in a request's path: the secret's name and the {@code
 * :action} after it, parsed once per request by the chain and handed on in the {@link Call}, for
 * the audit filter (which action) and the handler (which secret) alike.
 *
 * <p>A name may contain {@code /} as it is ({@code prod/db/password}) or percent-encoded once
 * ({@code prod%2Fdb%2Fpassword}), as clients generated from the OpenAPI document send it. The path
 * is decoded exactly once and the strict name rules apply to the result, so whatever a second
 * decoding would make of it ({@code %252F}, {@code %2e%2e}, NUL) is refused as an invalid name,
 * never interpreted.
 *
 * @param name the decoded name (not yet validated), or the raw text when it cannot be decoded
 * @param action the text after the last {@code :}; empty when there is no {@code :}, and {@code
 *     ":"} when the path ends in one (an action nobody names)
 * @param problem why the path cannot be decoded, if it cannot
 */
record SecretPath(String name, String action, Optional<Problem> problem) {
  /**
   * The secret path of a request to {@code requestPath} (under {@link SecretRoutes#BASE}{@code /}).
   */
  static SecretPath of(String requestPath) {
    String base = SecretRoutes.BASE + "/";
    return parse(requestPath.startsWith(base) ? requestPath.substring(base.length()) : "");
  }

  static SecretPath parse(String raw) {
    Optional<Problem> problem = Optional.empty();
    String decoded;
    try {
      decoded = decodeOnce(raw);
    } catch (IllegalArgumentException e) {
      decoded = raw;
      problem = Optional.of(Problem.badRequest("the path is not valid percent-encoded UTF-8"));
    }
    int colon = decoded.lastIndexOf(':');
    if (colon < 0) {
      return new SecretPath(decoded, "", problem);
    }
    String action = decoded.substring(colon + 1);
    return new SecretPath(decoded.substring(0, colon), action.isEmpty() ? ":" : action, problem);
  }

  /** The audited action of a request with this method on this path. */
  String auditAction(String method) {
    return switch (method) {
      case "GET" -> action.equals("versions") || action.equals("metadata") ? action : "read";
      case "DELETE" -> "delete";
      case "POST" ->
          action.equals("restore")
                  || action.equals("destroy")
                  || action.equals("attributes")
                  || action.equals("reveal")
              ? action
              : "unknown";
      default -> "unknown";
    };
  }

  /**
   * RFC 3986 percent-decoding, once; {@code +} stays {@code +}. Bad escapes or bytes that are not
   * UTF-8 throw.
   */
  static String decodeOnce(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        throw new IllegalArgumentException("raw non-ASCII in a path");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8", e);
    }
  }
}
