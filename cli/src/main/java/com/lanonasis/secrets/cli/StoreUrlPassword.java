package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.jdbc.JdbcDatabase;

/**
 * Finds a password written into a store's JDBC URL: user info ({@code //user:password@host}), and a
 * {@code password=}, {@code ;PASSWORD=}, {@code sslpassword=}, {@code pwd=}... parameter with a
 * value. On the command line such a URL shows the password to every user of the machine ({@code
 * ps}) and keeps it in shell history, so the CLI refuses it there; in a profile it makes the file a
 * credential file, which must be 0600.
 */
final class StoreUrlPassword {
  private StoreUrlPassword() {}

  static boolean in(String jdbcUrl) {
    return JdbcDatabase.urlHoldsPassword(jdbcUrl);
  }

  /** Refuses {@code url} given with {@code option} on the command line if it holds a password. */
  static void refuseOnCommandLine(String option, String url) {
    if (url != null && in(url)) {
      throw new CliException(
          ExitCode.USAGE,
          option
              + " holds a database password, which the command line shows to "
              + "other users of this machine (ps) and keeps in shell history: take it out of the URL and set "
              + "LANONASIS_DB_PASSWORD (with the URL's user= or LANONASIS_DB_USER), and treat that password as exposed");
    }
  }
}
