package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.http.SecretManagerClient;
import com.lanonasis.secrets.http.SecretManagerClientConfig;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis login}, {@code logout} and {@code whoami}: an API key kept in a profile of the
 * config file ({@link Profiles}) instead of {@code LANONASIS_API_KEY}. The key is never a flag:
 * {@code login} reads it without echo from the terminal, or from stdin when that is not one, and
 * checks it with the server ({@code GET /api/v1/whoami}, through the SDK) before writing anything.
 */
final class LoginCommands {
  /** Profile names that stay one {@code <profile>.<setting>} key in the file. */
  private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  // The %s is part of a shell command shown to the user, not a Java format.
  @SuppressWarnings("OrphanedFormatString")
  private static final String NO_KEY_GIVEN =
      "no API key given: type it at the prompt, or pipe it on stdin "
          + "(printf %s \"$KEY\" | lanonasis login --url URL)";

  private LoginCommands() {}

  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      footer = ExitCode.HELP,
      description = {
        "Sign in to a server: check an API key with it, then keep the key and the URL in a profile (--profile NAME, "
            + "default 'default') of ~/.config/lanonasis/config (or LANONASIS_CLI_CONFIG), written 0600.",
        "The URL comes from --url, else LANONASIS_URL, else a prompt. The key is typed at a prompt that does not "
            + "echo, or read from stdin when stdin is not a terminal (printf %%s \"$KEY\" | lanonasis login --url URL); "
            + "it is never a flag. Nothing is written unless the server accepts the key."
      })
  static final class Login implements Callable<Integer> {
    @ParentCommand Lanonasis cli;

    @Override
    public Integer call() throws IOException {
      String profile = profileName(cli);
      Path file = Profiles.location(cli.env);
      // Before asking for anything: a file that cannot take the key refuses now, not after the
      // prompt.
      ProfilesFileEdit edit = ProfilesFileEdit.open(file);
      Profiles existing = Profiles.load(file);
      if (existing.get(profile, "store").isPresent()) {
        throw new CliException(
            ExitCode.USAGE,
            "profile '"
                + profile
                + "' of "
                + file
                + " names a store; a profile "
                + "names a server or a store, not both: sign in to another profile (--profile NAME)");
      }
      Optional<Console> console = cli.stdin == System.in ? Terminal.console() : Optional.empty();
      String url = url(console);
      if (url.contains(ApiKeyFormat.PREFIX)) {
        throw new CliException(
            ExitCode.USAGE,
            "an API key does not belong in the URL (and treat the one in it as "
                + "leaked); give the server's address alone");
      }
      char[] key = key(console, url);
      try {
        SecretManagerClientConfig config =
            new Target(url, new String(key), null, null).httpConfig(cli);
        try (SecretManagerClient client = new SecretManagerClient(config)) {
          edit.set(profile, settings(url, new String(key))).save();
          if (cli.json) {
            ObjectNode node =
                identity(client)
                    .put("url", url)
                    .put("profile", profile)
                    .put("config", file.toString());
            cli.out.println(SecretCommands.JSON.writeValueAsString(node));
          } else {
            cli.out.println("signed in to " + url + " as " + describe(client));
            cli.out.println("saved in profile '" + profile + "' of " + file);
          }
        }
      } finally {
        Arrays.fill(key, '\0');
      }
      return ExitCode.OK;
    }

    private static Map<String, String> settings(String url, String key) {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("url", url);
      s.put("api-key", key);
      return s;
    }

    private String url(Optional<Console> console) {
      String url = firstNonBlank(cli.url, cli.env.get("LANONASIS_URL"));
      if (url != null) {
        return url;
      }
      if (console.isEmpty()) {
        throw new CliException(
            ExitCode.USAGE,
            "no server named: give --url URL (or LANONASIS_URL); the URL is "
                + "asked for only at a terminal");
      }
      String typed = console.get().readLine("Server URL (e.g. https://secrets.example.com): ");
      if (typed == null || typed.isBlank()) {
        throw new CliException(ExitCode.USAGE, "no server URL given");
      }
      return typed.strip();
    }

    /**
     * Typed without echo at a terminal, else all of stdin; surrounding whitespace (a final newline)
     * dropped.
     */
    private char[] key(Optional<Console> console, String url) throws IOException {
      char[] raw;
      if (console.isPresent()) {
        raw = console.get().readPassword("API key for %s (not shown): ", url);
        if (raw == null) {
          raw = new char[0];
        }
      } else {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cli.stdin.transferTo(bytes);
        byte[] read = bytes.toByteArray();
        raw = new String(read, StandardCharsets.UTF_8).toCharArray();
        Arrays.fill(read, (byte) 0);
      }
      int start = 0;
      int end = raw.length;
      while (start < end && Character.isWhitespace(raw[start])) {
        start++;
      }
      while (end > start && Character.isWhitespace(raw[end - 1])) {
        end--;
      }
      char[] key = Arrays.copyOfRange(raw, start, end);
      Arrays.fill(raw, '\0');
      if (key.length == 0) {
        throw new CliException(ExitCode.USAGE, NO_KEY_GIVEN);
      }
      return key;
    }
  }

  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = {
        "Remove the API key from a profile (--profile NAME, default 'default') of the config file; its url stays."
      })
  static final class Logout implements Callable<Integer> {
    @ParentCommand Lanonasis cli;

    @Override
    public Integer call() {
      String profile = profileName(cli);
      Path file = Profiles.location(cli.env);
      ProfilesFileEdit edit = ProfilesFileEdit.open(file);
      if (!edit.remove(profile, "api-key")) {
        cli.out.println(
            "profile '" + profile + "' of " + file + " holds no API key: nothing to remove");
        return ExitCode.OK;
      }
      edit.save();
      cli.out.println(
          "removed the API key of profile '"
              + profile
              + "' from "
              + file
              + " (its url is kept; the key itself stays valid until revoked: lanonasis apikey revoke ID)");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "whoami",
      mixinStandardHelpOptions = true,
      footer = ExitCode.HELP,
      description = {
        "The API key this invocation uses: its id, tenant, role and name prefix, as the server knows it."
      })
  static final class Whoami implements Callable<Integer> {
    @ParentCommand Lanonasis cli;

    @Override
    public Integer call() throws IOException {
      Target target = cli.target();
      if (!target.remote()) {
        throw new CliException(
            ExitCode.USAGE,
            "whoami asks a server about an API key, and an embedded store (--store) "
                + "has none: give --url (or LANONASIS_URL), or sign in with lanonasis login");
      }
      try (SecretManagerClient client = new SecretManagerClient(target.httpConfig(cli))) {
        if (cli.json) {
          cli.out.println(
              SecretCommands.JSON.writeValueAsString(identity(client).put("url", target.url())));
        } else {
          cli.out.println("key " + client.keyId() + " on " + target.url());
          cli.out.println("tenant " + client.tenant());
          cli.out.println("role   " + client.role());
          cli.out.println(
              "prefix " + client.namePrefix().orElse("(none: every name of the tenant)"));
        }
      }
      return ExitCode.OK;
    }
  }

  /**
   * {@code --profile}, else {@code LANONASIS_PROFILE}, else {@code default}; a name that fits in a
   * key.
   */
  static String profileName(Lanonasis cli) {
    String name = firstNonBlank(cli.profile, cli.env.get("LANONASIS_PROFILE"));
    name = name == null ? "default" : name;
    if (!PROFILE_NAME.matcher(name).matches()) {
      throw new CliException(
          ExitCode.USAGE, "a profile name is 1 to 64 letters, digits, '-' or '_'");
    }
    return name;
  }

  private static String describe(SecretManagerClient client) {
    return "key "
        + client.keyId()
        + " (tenant "
        + client.tenant()
        + ", role "
        + client.role()
        + client.namePrefix().map(p -> ", prefix " + p).orElse("")
        + ")";
  }

  private static ObjectNode identity(SecretManagerClient client) {
    return SecretCommands.JSON
        .createObjectNode()
        .put("keyId", client.keyId())
        .put("tenant", client.tenant())
        .put("role", client.role())
        .put("prefix", client.namePrefix().orElse(""));
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
