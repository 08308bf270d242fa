package com.lanonasis.secrets.cli;

/**
 * A failure the CLI explains itself, with its exit code. Its message never holds a value or key.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
