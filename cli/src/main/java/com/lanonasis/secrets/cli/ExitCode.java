package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.SecretsException;

/**
 * The exit codes of {@code lanonasis}, documented in the README and in {@code lanonasis --help}.
 */
final class ExitCode {
  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int USAGE = 2;
  static final int CONFLICT = 3;
  static final int AUTH = 4;
  static final int UNAVAILABLE = 5;
  static final int INVALID = 6;
  static final int ERROR = 7;

  static final String HELP =
      "%nExit codes: 0 ok, 1 not found, 2 usage, 3 conflict or gone (version, deleted, "
          + "a shredded tenant, a value whose key was shredded), 4 authentication or permission, 5 unavailable, "
          + "6 invalid input, 7 other error (integrity, configuration, e.g. a redirect, an untrusted TLS certificate).%n";

  private ExitCode() {}

  static int of(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof SecretsException s) {
      return of(s.kind());
    }
    return ERROR;
  }

  /** The one switch from a failure's kind to the exit code (docs/errors.md). */
  static int of(SecretsException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> NOT_FOUND;
      // GONE: a shredded tenant or a lost data key is a state that forbids the command for good,
      // as a deleted secret forbids a write until it is restored.
      case CONFLICT, GONE -> CONFLICT;
      case INVALID -> INVALID;
      case DENIED, UNAUTHENTICATED -> AUTH;
      case UNAVAILABLE -> UNAVAILABLE;
      case INTEGRITY, CONFIGURATION -> ERROR;
    };
  }
}
