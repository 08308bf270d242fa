package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Secrets as environment variables, the one place {@code run}, {@code secret export} and {@code
 * secret import} take their names from.
 *
 * <p>Name to variable: the prefix is dropped (and a {@code /} right after it), {@code /}, {@code -}
 * and {@code .} become {@code _}, the rest is upper-cased: {@code prod/db/password} under {@code
 * prod/} is {@code DB_PASSWORD}. Variable (a {@code .env} key) to name: the prefix followed by the
 * key in lower case: {@code DB_PASSWORD} under {@code prod/} is {@code prod/db_password}. So names
 * of lower-case letters, digits and {@code _} after the prefix come back as they were; any other
 * name comes back as its variable says.
 */
final class SecretVariables {
  static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SecretVariables() {}

  /**
   * The variable {@code name} becomes under {@code prefix} (which need not match: then it is kept).
   */
  static String variableOf(String name, String prefix) {
    String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    if (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    return rest.replace('/', '_').replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** The secret name a {@code .env} key becomes under {@code prefix}. */
  static String nameOf(String prefix, String key) {
    return prefix + key.toLowerCase(Locale.ROOT);
  }

  /** One secret as a variable. Not a record: it holds the value. */
  static final class Binding {
    final String name;
    final String variable;
    private String value;

    Binding(String name, String variable) {
      this.name = name;
      this.variable = variable;
    }

    String value() {
      return value;
    }

    @Override
    public String toString() {
      return "Binding[" + name + " -> " + variable + ", value=redacted]";
    }
  }

  /**
   * The secrets under each of {@code prefixes} and those {@code specs} name ({@code NAME} or {@code
   * NAME=VAR}), as variable → binding in name order, values read. Every mapping is checked before
   * any value is read: a name that makes no variable, a bad {@code VAR}, or two names making one
   * variable is a usage error naming them; a value that is not UTF-8 text, or holds a NUL, is
   * invalid input naming its secret.
   */
  static Map<String, Binding> read(SecretStore store, List<String> prefixes, List<String> specs) {
    Map<String, Binding> byVariable = new LinkedHashMap<>();
    for (String prefix : prefixes) {
      for (String name : names(store, prefix)) {
        String variable = variableOf(name, prefix);
        if (!VARIABLE.matcher(variable).matches()) {
          throw new CliException(
              ExitCode.USAGE,
              "secret '"
                  + name
                  + "' under prefix '"
                  + prefix
                  + "' makes no "
                  + "variable name ('"
                  + variable
                  + "' is not [A-Za-z_][A-Za-z0-9_]*); name it with --secret NAME=VAR, "
                  + "or use another prefix");
        }
        add(byVariable, new Binding(name, variable));
      }
    }
    for (String spec : specs) {
      add(byVariable, binding(spec));
    }
    Map<String, Secret> values = readAll(store, byVariable.values(), specs);
    try {
      for (Binding b : byVariable.values()) {
        Secret s = values.get(b.name);
        b.value = s == null ? null : text(b.name, s);
      }
    } finally {
      values.values().forEach(Secret::close);
    }
    byVariable.values().removeIf(b -> b.value == null);
    return byVariable;
  }

  /**
   * The values of the bindings' names, read with one {@link SecretStore#getAll} (one request per
   * 100 names on a remote store, not one per name). A listed name that went away after the listing
   * (deleted, expired) is left out and the rest read again; a name given by {@code --secret} that
   * is missing is an error.
   */
  private static Map<String, Secret> readAll(
      SecretStore store, Collection<Binding> bindings, List<String> specs) {
    Set<String> names = new LinkedHashSet<>();
    bindings.forEach(b -> names.add(b.name));
    while (true) {
      try {
        return store.getAll(names);
      } catch (SecretNotFoundException gone) {
        boolean listed = specs.isEmpty() || !named(specs, gone.name());
        if (!listed || !names.remove(gone.name())) {
          throw gone;
        }
      }
    }
  }

  /**
   * Checks the {@code --secret NAME[=VAR]} specs without a store, so a usage error comes before any
   * connection.
   */
  static void check(List<String> specs) {
    specs.forEach(SecretVariables::binding);
  }

  private static Binding binding(String spec) {
    int eq = spec.indexOf('=');
    String name = eq < 0 ? spec : spec.substring(0, eq);
    SecretName.of(name);
    String variable = eq < 0 ? variableOf(name, "") : spec.substring(eq + 1);
    if (!VARIABLE.matcher(variable).matches()) {
      throw new CliException(
          ExitCode.USAGE,
          "--secret "
              + name
              + ": '"
              + variable
              + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"
              + (eq < 0 ? "; give one: --secret NAME=VAR" : ""));
    }
    return new Binding(name, variable);
  }

  private static boolean named(List<String> specs, String name) {
    return specs.stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "="));
  }

  private static void add(Map<String, Binding> byVariable, Binding b) {
    Binding other = byVariable.putIfAbsent(b.variable, b);
    if (other != null && !other.name.equals(b.name)) {
      throw new CliException(
          ExitCode.USAGE,
          "secrets '"
              + other.name
              + "' and '"
              + b.name
              + "' both become the "
              + "variable "
              + b.variable
              + "; give one another variable (run: --secret NAME=VAR) or narrow the prefix");
    }
  }

  private static List<String> names(SecretStore store, String prefix) {
    List<String> names = new ArrayList<>();
    ListOptions options =
        (prefix.isEmpty() ? ListOptions.all() : ListOptions.prefix(prefix))
            .withLimit(ListOptions.MAX_LIMIT);
    while (true) {
      Page<SecretMetadata> page = store.list(options);
      page.items().forEach(m -> names.add(m.name().value()));
      if (page.nextCursor().isEmpty()) {
        return names;
      }
      options = options.after(page.nextCursor().get());
    }
  }

  /** The value of {@code s} as text, which an environment variable and a text format can carry. */
  private static String text(String name, Secret s) {
    byte[] bytes = s.value().bytes();
    try {
      for (byte b : bytes) {
        if (b == 0) {
          throw new CliException(
              ExitCode.INVALID,
              "secret '"
                  + name
                  + "' holds a NUL byte, which no environment "
                  + "variable or text format can carry");
        }
      }
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CliException(
          ExitCode.INVALID,
          "secret '"
              + name
              + "' is not UTF-8 text, which no environment "
              + "variable or text format can carry");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
