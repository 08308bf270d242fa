package com.lanonasis.secrets.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL split into what may be shown and what may not: {@code user} and {@code password} query
 * parameters are taken out (they go to the pool as properties, never into a log line), and {@link
 * #describe()} names only the database kind, host and database.
 */
record JdbcUrl(
    String urlWithoutCredentials,
    Optional<String> user,
    Optional<String> password,
    String described) {
  private static final Pattern HOST_DB =
      Pattern.compile("^jdbc:([a-z0-9]+):(?://([^/?;]*))?/?([^?;]*)");

  /** {@code //user:password@host}; greedy up to the last {@code @} of the authority. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*:)[^/?#]*@");

  /** Oracle's {@code jdbc:oracle:thin:user/password@host}. */
  private static final Pattern ORACLE_USER_INFO =
      Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:[^/@:;?]*/)[^@]*@");

  /**
   * {@code password=}, {@code sslpassword=}, {@code FILE_PASSWORD=}, {@code pwd=}... after {@code ?
   * ; & ,}.
   */
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile(
          "(?i)([?;&,]\\s*[a-z0-9_.-]*(?:password|passwd|pwd|secret)[a-z0-9_.-]*\\s*=)([^;&]*)");

  /** The URL with every password in it replaced by {@code ***}. */
  static String redact(String url) {
    String s = USER_INFO.matcher(url).replaceAll("$1***@");
    s = ORACLE_USER_INFO.matcher(s).replaceAll("$1***@");
    return PASSWORD_PARAMETER.matcher(s).replaceAll("$1***");
  }

  /** Whether the URL holds a non-empty password. */
  static boolean holdsPassword(String url) {
    if (USER_INFO.matcher(url).find() || ORACLE_USER_INFO.matcher(url).find()) {
      return true;
    }
    Matcher m = PASSWORD_PARAMETER.matcher(url);
    while (m.find()) {
      if (!m.group(2).isBlank()) {
        return true;
      }
    }
    return false;
  }

  static JdbcUrl parse(String url) {
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL (it must start with jdbc:)");
    }
    String base = url;
    String query = "";
    int q = url.indexOf('?');
    if (q >= 0) {
      base = url.substring(0, q);
      query = url.substring(q + 1);
    }
    Map<String, String> kept = new LinkedHashMap<>();
    String user = null;
    String password = null;
    if (!query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        if (k.equalsIgnoreCase("user")) {
          user = URLDecoder.decode(v, StandardCharsets.UTF_8);
        } else if (k.equalsIgnoreCase("password")) {
          password = URLDecoder.decode(v, StandardCharsets.UTF_8);
        } else if (!k.isEmpty()) {
          kept.put(k, v);
        }
      }
    }
    // H2 and others take ;USER=...;PASSWORD=... in the URL itself.
    StringBuilder cleanBase = new StringBuilder();
    for (String part : base.split(";", -1)) {
      String upper = part.toUpperCase(java.util.Locale.ROOT);
      if (upper.startsWith("USER=")) {
        user = part.substring(5);
      } else if (upper.startsWith("PASSWORD=")) {
        password = part.substring(9);
      } else {
        if (cleanBase.length() > 0) {
          cleanBase.append(';');
        }
        cleanBase.append(part);
      }
    }
    StringBuilder clean = new StringBuilder(cleanBase);
    if (!kept.isEmpty()) {
      clean.append('?');
      kept.forEach(
          (k, v) ->
              clean
                  .append(clean.charAt(clean.length() - 1) == '?' ? "" : "&")
                  .append(k)
                  .append('=')
                  .append(v));
    }
    return new JdbcUrl(
        clean.toString(), Optional.ofNullable(user), Optional.ofNullable(password), describe(base));
  }

  private static String describe(String base) {
    String noCreds = base.replaceAll("//[^/@]*@", "//");
    Matcher m = HOST_DB.matcher(noCreds);
    if (!m.find()) {
      return "database";
    }
    String kind = m.group(1);
    String host = m.group(2);
    String db = m.group(3);
    if (kind.equals("h2")) {
      return "h2 database '" + noCreds.substring("jdbc:h2:".length()).split(";", -1)[0] + "'";
    }
    if (kind.equals("sqlite")) {
      return "sqlite database '" + noCreds.substring("jdbc:sqlite:".length()) + "'";
    }
    return kind + " database '" + db + "'" + (host != null && !host.isEmpty() ? " at " + host : "");
  }

  /** For messages: the kind, host and database only. */
  String describe() {
    return described;
  }

  @Override
  public String toString() {
    return "JdbcUrl[" + described + "]";
  }
}
