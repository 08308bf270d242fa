package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.BackendUnavailableException;
import com.lanonasis.secrets.DataKeyGoneException;
import com.lanonasis.secrets.InvalidInputException;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.http.ApiKeyNotFoundException;
import com.lanonasis.secrets.http.ApiKeyRevokedException;

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

  static final String HELP = "%nExit codes: 0 ok, 1 not found (or a value whose key was shredded), 2 usage, "
      + "3 conflict (version, deleted, a shredded tenant), 4 authentication or permission, 5 unavailable, "
      + "6 invalid input, 7 other error (e.g. a redirect, an untrusted TLS certificate).%n";

  private ExitCode() {}

  static int of(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    // A value whose data key is gone (shredded, then re-provisioned) will never be found again.
    if (e instanceof SecretNotFoundException || e instanceof ApiKeyNotFoundException
        || e instanceof DataKeyGoneException) {
      return NOT_FOUND;
    }
    // A shredded tenant: the state forbids the action, as a deleted secret forbids a write.
    if (e instanceof VersionConflictException || e instanceof SecretDeletedException
        || e instanceof ApiKeyRevokedException || e instanceof KeysetDestroyedException) {
      return CONFLICT;
    }
    if (e instanceof BackendUnavailableException) {
      return UNAVAILABLE;
    }
    if (e instanceof InvalidInputException) {
      return INVALID;
    }
    if (e instanceof AccessDeniedException) {
      return AUTH;
    }
    return ERROR;
  }
}
