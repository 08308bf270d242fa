package com.lanonasis.secrets.mcp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operator-defined command for {@code run_with_secrets}: a fixed program and argument template,
 * typed parameters the agent fills in, the secrets it gets (chosen by the operator, not the agent),
 * and what it may do and return. With recipes, the agent chooses only what the operator made a
 * parameter, and each parameter must match the operator's pattern.
 *
 * <p>The recipes file (JSON; {@link #load}):
 *
 * <pre>{@code
 * {"recipes": {
 *   "db_migrate": {
 *     "description": "Apply the pending migrations to the staging database",
 *     "command": "flyway",
 *     "args": ["-url=jdbc:postgresql://db.staging:5432/app", "-user=app", "migrate", "-target={target}"],
 *     "parameters": {"target": {"description": "version to migrate to", "pattern": "[0-9]+(\\.[0-9]+)*"}},
 *     "env": {"FLYWAY_PASSWORD": "staging/db/password"},
 *     "output": "redacted", "network": true, "proc": true, "timeoutSeconds": 300}}}
 * }</pre>
 *
 * <p>Defaults: no parameters; {@code output} {@code none} (exit code only); no network; no {@code
 * /proc} (JVM programs need it: {@code "proc": true}, which also lets the program read its own
 * environment as a file); the workspace read-only ({@code "workspace": "read-write"} to let it
 * write); the server's default timeout. A parameter's default pattern is {@value #DEFAULT_PATTERN},
 * at most 256 characters.
 *
 * @param name how the agent names it: {@code [a-z][a-z0-9_-]*}, at most 64 characters
 * @param args the template: each {@code {parameter}} is replaced by the parameter's value
 */
record Recipe(
    String name,
    String description,
    String command,
    List<String> args,
    Map<String, Parameter> parameters,
    Map<String, String> env,
    Map<String, String> setenv,
    CommandOutput output,
    boolean network,
    boolean proc,
    Sandbox.WorkspaceAccess workspace,
    Optional<Duration> timeout) {
  static final String DEFAULT_PATTERN = "[A-Za-z0-9._:/@=+-]*";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");
  private static final Set<String> KEYS =
      Set.of(
          "description",
          "command",
          "args",
          "parameters",
          "env",
          "setenv",
          "output",
          "network",
          "proc",
          "workspace",
          "timeoutSeconds");

  Recipe {
    Objects.requireNonNull(name, "name");
    args = List.copyOf(args);
    parameters = Map.copyOf(parameters);
    env = Map.copyOf(env);
    setenv = Map.copyOf(setenv);
  }

  /** What the agent fills in. */
  record Parameter(String description, Pattern pattern, int maxLength) {}

  /**
   * The argument vector after the program, with {@code values} put in; checks every value first.
   */
  List<String> arguments(Map<String, String> values) {
    for (String given : values.keySet()) {
      if (!parameters.containsKey(given)) {
        throw new CommandRunner.CommandRefusedException(
            "recipe '"
                + name
                + "' has no parameter '"
                + ControlCharacters.escape(given)
                + "'; its parameters: "
                + (parameters.isEmpty() ? "none" : String.join(", ", parameters.keySet())));
      }
    }
    for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
      String value = values.get(p.getKey());
      if (value == null) {
        throw new CommandRunner.CommandRefusedException(
            "recipe '"
                + name
                + "' needs the parameter '"
                + p.getKey()
                + "' ("
                + p.getValue().description()
                + ")");
      }
      if (value.length() > p.getValue().maxLength()
          || value.indexOf('\0') >= 0
          || !p.getValue().pattern().matcher(value).matches()) {
        // The value is not quoted: it is the agent's, and the rule is what it needs.
        throw new CommandRunner.CommandRefusedException(
            "parameter '"
                + p.getKey()
                + "' of recipe '"
                + name
                + "' must match "
                + p.getValue().pattern().pattern()
                + " and have at most "
                + p.getValue().maxLength()
                + " characters");
      }
    }
    List<String> out = new ArrayList<>();
    for (String template : args) {
      Matcher m = PLACEHOLDER.matcher(template);
      out.add(m.replaceAll(r -> Matcher.quoteReplacement(values.get(r.group(1)))));
    }
    return out;
  }

  /**
   * Reads a recipes file.
   *
   * @param resolve turns a recipe's {@code command} into the absolute path it runs, or throws
   *     {@link IllegalArgumentException}
   * @throws IllegalArgumentException naming the file, the recipe and the field that is wrong
   */
  static List<Recipe> load(Path file, Function<String, Path> resolve) {
    JsonNode root;
    try {
      ObjectMapper json =
          JsonMapper.builder()
              .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .build();
      root = json.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the recipes file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || root.size() != 1 || !root.path("recipes").isObject()) {
      throw new IllegalArgumentException(
          "the recipes file "
              + file
              + " must be a JSON object with one member, "
              + "\"recipes\", an object of recipe name to recipe");
    }
    List<Recipe> recipes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.get("recipes").properties()) {
      String where = "recipe '" + ControlCharacters.escape(e.getKey()) + "' in " + file;
      try {
        recipes.add(parse(e.getKey(), e.getValue(), resolve));
      } catch (IllegalArgumentException | SecretsException ex) {
        throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
      }
    }
    return List.copyOf(recipes);
  }

  private static Recipe parse(String name, JsonNode r, Function<String, Path> resolve) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a recipe name is [a-z][a-z0-9_-]*, at most 64 characters");
    }
    if (!r.isObject()) {
      throw new IllegalArgumentException("must be an object");
    }
    for (Iterator<String> keys = r.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown member '"
                + ControlCharacters.escape(key)
                + "'; the members are "
                + String.join(", ", KEYS));
      }
    }
    String description =
        text(r, "description")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'description' is required: it is what the agent reads"));
    String command =
        text(r, "command").orElseThrow(() -> new IllegalArgumentException("'command' is required"));
    Path executable = resolve.apply(command);
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> p : members(r, "parameters")) {
      if (!PARAMETER.matcher(p.getKey()).matches()) {
        throw new IllegalArgumentException(
            "parameter name '"
                + ControlCharacters.escape(p.getKey())
                + "' must be [a-z][a-z0-9_]*");
      }
      JsonNode spec = p.getValue();
      if (!spec.isObject()) {
        throw new IllegalArgumentException("parameter '" + p.getKey() + "' must be an object");
      }
      for (Iterator<String> keys = spec.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!Set.of("description", "pattern", "maxLength").contains(key)) {
          throw new IllegalArgumentException(
              "parameter '"
                  + p.getKey()
                  + "': unknown member '"
                  + ControlCharacters.escape(key)
                  + "'; the members are description, pattern, maxLength");
        }
      }
      String pattern = text(spec, "pattern").orElse(DEFAULT_PATTERN);
      int max = spec.has("maxLength") ? spec.get("maxLength").asInt(-1) : 256;
      if (max < 1 || max > 65536 || (spec.has("maxLength") && !spec.get("maxLength").isInt())) {
        throw new IllegalArgumentException(
            "parameter '" + p.getKey() + "': maxLength must be from 1 to 65536");
      }
      parameters.put(
          p.getKey(),
          new Parameter(
              text(spec, "description").orElse(p.getKey()), Pattern.compile(pattern), max));
    }
    List<String> args = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    JsonNode a = r.path("args");
    if (!a.isMissingNode()) {
      if (!a.isArray()) {
        throw new IllegalArgumentException("'args' must be an array of strings");
      }
      for (JsonNode each : a) {
        if (!each.isTextual() || each.asText().indexOf('\0') >= 0) {
          throw new IllegalArgumentException("'args' must be an array of strings without NUL");
        }
        String template = each.asText();
        String rest =
            PLACEHOLDER
                .matcher(template)
                .replaceAll(
                    m -> {
                      if (!parameters.containsKey(m.group(1))) {
                        throw new IllegalArgumentException(
                            "argument '"
                                + ControlCharacters.escape(template)
                                + "' names '{"
                                + ControlCharacters.escape(m.group(1))
                                + "}', which is not one of the parameters");
                      }
                      used.add(m.group(1));
                      return "";
                    });
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
          throw new IllegalArgumentException(
              "argument '"
                  + ControlCharacters.escape(template)
                  + "' has a '{' or '}' that is not "
                  + "a {parameter}");
        }
        args.add(template);
      }
    }
    for (String p : parameters.keySet()) {
      if (!used.contains(p)) {
        throw new IllegalArgumentException("parameter '" + p + "' is not used in 'args'");
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : members(r, "env")) {
      variable(v.getKey());
      if (!v.getValue().isTextual()) {
        throw new IllegalArgumentException("'env' maps a variable to a secret's name (a string)");
      }
      env.put(v.getKey(), SecretName.of(v.getValue().asText()).value());
    }
    Map<String, String> setenv = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : members(r, "setenv")) {
      variable(v.getKey());
      if (env.containsKey(v.getKey())) {
        throw new IllegalArgumentException(
            "variable " + v.getKey() + " is in both 'env' and 'setenv'");
      }
      if (!v.getValue().isTextual() || v.getValue().asText().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "'setenv' maps a variable to a plain value (a string without NUL)");
      }
      setenv.put(v.getKey(), v.getValue().asText());
    }
    CommandOutput output = CommandOutput.parse(text(r, "output").orElse("none"));
    Sandbox.WorkspaceAccess workspace =
        switch (text(r, "workspace").orElse("read-only")) {
          case "read-only" -> Sandbox.WorkspaceAccess.READ_ONLY;
          case "read-write" -> Sandbox.WorkspaceAccess.READ_WRITE;
          default ->
              throw new IllegalArgumentException("'workspace' must be 'read-only' or 'read-write'");
        };
    Optional<Duration> timeout = Optional.empty();
    if (r.has("timeoutSeconds")) {
      JsonNode t = r.get("timeoutSeconds");
      if (!t.isInt() || t.asInt() < 1) {
        throw new IllegalArgumentException("'timeoutSeconds' must be a positive integer");
      }
      timeout = Optional.of(Duration.ofSeconds(t.asInt()));
    }
    return new Recipe(
        name,
        description,
        executable.toString(),
        args,
        parameters,
        env,
        setenv,
        output,
        bool(r, "network"),
        bool(r, "proc"),
        workspace,
        timeout);
  }

  private static void variable(String name) {
    if (!VARIABLE.matcher(name).matches() || name.equals("PATH") || name.equals("HOME")) {
      throw new IllegalArgumentException(
          "'"
              + ControlCharacters.escape(name)
              + "' is not a variable a recipe may set (letters, "
              + "digits and _; not PATH or HOME, which the sandbox sets)");
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> members(JsonNode r, String key) {
    JsonNode n = r.path(key);
    if (n.isMissingNode()) {
      return List.of();
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException("'" + key + "' must be an object");
    }
    return n.properties();
  }

  private static Optional<String> text(JsonNode r, String key) {
    JsonNode n = r.path(key);
    if (n.isMissingNode()) {
      return Optional.empty();
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new IllegalArgumentException("'" + key + "' must be a non-empty string");
    }
    return Optional.of(n.asText());
  }

  private static boolean bool(JsonNode r, String key) {
    JsonNode n = r.path(key);
    if (n.isMissingNode()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException("'" + key + "' must be true or false");
    }
    return n.asBoolean();
  }
}
