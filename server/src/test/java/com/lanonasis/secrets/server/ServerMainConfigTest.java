package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerMainConfigTest {
  @TempDir Path dir;

  static ServerConfig parse(List<String> args, Map<String, String> env) {
    return ServerConfigParser.parse(args.toArray(new String[0]), env);
  }

  /** A config file with these lines, mode 0600 unless {@code mode} says otherwise. */
  Path file(String mode, String... lines) throws IOException {
    Path f = Files.createTempFile(dir, "server", ".conf");
    Files.write(f, List.of(lines));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  /** The printed line of one setting. */
  static String line(ServerConfig c, String key) {
    return c.description().stream()
        .filter(l -> l.startsWith(key + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + key + " in " + c.description()));
  }

  @Test
  void parse_noStoreAndAnEarlierVersionsH2File_keepsUsingIt(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/secrets.mv.db"), "an H2 file");
    ServerConfig c = ServerConfigParser.parse(new String[0], Map.of(), dir);
    assertThat(c.store()).isEqualTo("jdbc:h2:file:./data/secrets");
    assertThat(c.legacyStoreNotice().orElse(null))
        .contains(
            "lanonasis migrate-store --from jdbc:h2:file:./data/secrets "
                + "--to jdbc:sqlite:./data/secrets.db");
    assertThat(line(c, "store")).contains("./data/secrets.mv.db exists");
  }

  @Test
  void parse_bothStoreFiles_usesSqlite(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/secrets.mv.db"), "an H2 file");
    Files.writeString(dir.resolve("data/secrets.db"), "");
    ServerConfig c = ServerConfigParser.parse(new String[0], Map.of(), dir);
    assertThat(c.store()).isEqualTo("jdbc:sqlite:./data/secrets.db");
    assertThat(c.legacyStoreNotice().orElse(null)).isNull();
  }

  @Test
  void parse_storeConfiguredAndAnH2FileThere_usesTheConfiguredStore(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/secrets.mv.db"), "an H2 file");
    ServerConfig c =
        ServerConfigParser.parse(
            new String[0], Map.of("LANONASIS_STORE", "jdbc:sqlite:/tmp/x.db"), dir);
    assertThat(c.store()).isEqualTo("jdbc:sqlite:/tmp/x.db");
    assertThat(c.legacyStoreNotice().orElse(null)).isNull();
  }

  @Test
  void parse_noSettings_usesTheEmbeddedDefaults() {
    ServerConfig c = ServerConfigParser.parse(new String[0], Map.of());
    assertThat(c.store()).isEqualTo("jdbc:sqlite:./data/secrets.db");
    assertThat(c.keyset().orElse(null)).isNull();
    assertThat(ServerConfig.DEFAULT_KEYSET).isEqualTo(Path.of("./data/keyset.json"));
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.adminKeyFile().orElse(null)).isNull();
    assertThat(c.tls()).isFalse();
    assertThat(c.configFile().orElse(null)).isNull();
    assertThat(c.description()).allSatisfy(l -> assertThat(l).endsWith("(default)"));
    assertThat(c.description())
        .extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactly(
            "config",
            "store",
            "keyset",
            "bind",
            "port",
            "admin-key-file",
            "tls-cert",
            "tls-key",
            "tls-pkcs12",
            "insecure-no-tls",
            "dev-keyset-ok",
            "db-user",
            "db-password",
            "migration-db-user",
            "migration-db-password",
            "audit-signing-key",
            "audit-checkpoints",
            "accept-store-rollback",
            "mcp-allow-reveal",
            "mcp-allow-write",
            "mcp-allow-commands",
            "mcp-allowed-hosts",
            "mcp-recipes",
            "mcp-command-output",
            "mcp-workspace");
    assertThat(c.mcp()).isEqualTo(new ServerConfig.McpSettings(false, false, List.of(), List.of()));
    assertThat(line(c, "keyset"))
        .isEqualTo(
            "keyset                = ./data/keyset.json, a development keyset created if "
                + "missing (default)");
  }

  @Test
  void parse_mcpSettings_switchesListsAndTheirSources() {
    ServerConfig c =
        ServerConfigParser.parse(
            new String[] {
              "--mcp-allow-reveal", "--mcp-allowed-hosts", "secrets.example.com, secrets.internal:*"
            },
            Map.of(
                "LANONASIS_MCP_ALLOW_COMMANDS",
                "psql,/usr/bin/make",
                "LANONASIS_MCP_ALLOW_WRITE",
                "false"));
    assertThat(c.mcp())
        .isEqualTo(
            new ServerConfig.McpSettings(
                true,
                false,
                List.of("psql", "/usr/bin/make"),
                List.of("secrets.example.com", "secrets.internal:*")));
    assertThat(line(c, "mcp-allow-reveal")).endsWith("true (flag --mcp-allow-reveal)");
    assertThat(line(c, "mcp-allow-commands"))
        .endsWith("psql,/usr/bin/make (env LANONASIS_MCP_ALLOW_COMMANDS)");
  }

  @Test
  void parse_flagsWinOverEnvironment() {
    ServerConfig c =
        ServerConfigParser.parse(
            new String[] {"--port", "9000", "--admin-key-file", "k.txt", "--keyset", "ks.json"},
            Map.of("LANONASIS_PORT", "7000", "LANONASIS_STORE", "jdbc:h2:mem:x"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.store()).isEqualTo("jdbc:h2:mem:x");
    assertThat(c.keyset().orElse(null)).isEqualTo(Path.of("ks.json"));
    assertThat(c.adminKeyFile().orElse(null)).isEqualTo(Path.of("k.txt"));
  }

  @Test
  void parse_nonLoopbackBindWithoutTls_isRefused() {
    assertThatThrownBy(
            () -> ServerConfigParser.parse(new String[0], Map.of("LANONASIS_BIND", "0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing to listen on 0.0.0.0 without TLS")
        .hasMessageContaining("--tls-cert and --tls-key, or --tls-pkcs12")
        .hasMessageContaining("--insecure-no-tls");
    assertThatThrownBy(
            () -> ServerConfigParser.parse(new String[] {"--bind", "example.org"}, Map.of()))
        .hasMessageContaining("without TLS");
  }

  @Test
  void parse_nonLoopbackBindWithInsecureFlag_isAccepted() {
    assertThat(
            ServerConfigParser.parse(
                    new String[] {"--bind", "0.0.0.0", "--insecure-no-tls", "--dev-keyset-ok"},
                    Map.of())
                .bind())
        .isEqualTo("0.0.0.0");
    assertThat(ServerConfigParser.parse(new String[] {"--bind", "::1"}, Map.of()).bind())
        .isEqualTo("::1");
    assertThat(ServerConfigParser.parse(new String[] {"--bind", "localhost"}, Map.of()).bind())
        .isEqualTo("localhost");
  }

  @Test
  void parse_badPortOrUnknownFlag_isRefused() {
    assertThatThrownBy(() -> ServerConfigParser.parse(new String[] {"--port", "http"}, Map.of()))
        .hasMessage("port must be 0..65535: http (flag --port)");
    assertThatThrownBy(() -> ServerConfigParser.parse(new String[] {"--verbose"}, Map.of()))
        .hasMessageStartingWith("unknown argument: --verbose")
        .hasMessageContaining("--config")
        .hasMessageContaining("--tls-pkcs12");
  }

  @Test
  void parse_strayValue_isRefusedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                ServerConfigParser.parse(
                    new String[] {"--db-user", "app", "S3NTINEL-stray"}, Map.of()))
        .hasMessageStartingWith("argument 3 is not a --flag")
        .message()
        .doesNotContain("S3NTINEL");
  }

  @Test
  void parse_passwordFlag_isRefused_soItNeverShowsInTheProcessList() {
    assertThatThrownBy(
            () -> ServerConfigParser.parse(new String[] {"--db-password", "S3NTINEL-pw"}, Map.of()))
        .hasMessageContaining("--db-password is not a flag")
        .hasMessageContaining("LANONASIS_DB_PASSWORD")
        .message()
        .doesNotContain("S3NTINEL");
  }

  @Nested
  @DisplayName("precedence: flag > env > file > default, for every setting")
  class Precedence {
    /**
     * A setting, how to read it back, a value for each layer, its default, and what else it needs
     * to be valid.
     */
    record Layered(
        String key,
        Function<ServerConfig, Object> read,
        String file,
        String env,
        String flag,
        Object byDefault,
        List<String> needs) {
      @Override
      public String toString() {
        return key;
      }
    }

    static Stream<Layered> settings() {
      return Stream.of(
          new Layered(
              "store",
              c -> c.store(),
              "jdbc:h2:mem:file",
              "jdbc:h2:mem:env",
              "jdbc:h2:mem:flag",
              "jdbc:sqlite:./data/secrets.db",
              List.of()),
          new Layered(
              "bind", c -> c.bind(), "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1", List.of()),
          new Layered(
              "port", c -> String.valueOf(c.port()), "1001", "1002", "1003", "8080", List.of()),
          new Layered(
              "admin-key-file",
              c -> c.adminKeyFile().orElse(null),
              "file.key",
              "env.key",
              "flag.key",
              null,
              List.of()),
          new Layered(
              "tls-cert",
              c -> c.tlsCert().orElse(null),
              "file.pem",
              "env.pem",
              "flag.pem",
              null,
              List.of("--tls-key", "k.pem")),
          new Layered(
              "tls-key",
              c -> c.tlsKey().orElse(null),
              "file.pem",
              "env.pem",
              "flag.pem",
              null,
              List.of("--tls-cert", "c.pem")),
          new Layered(
              "tls-pkcs12",
              c -> c.tlsPkcs12().orElse(null),
              "file.p12",
              "env.p12",
              "flag.p12",
              null,
              List.of()),
          new Layered(
              "insecure-no-tls",
              c -> String.valueOf(c.insecureNoTls()),
              "true",
              "false",
              "true",
              "false",
              List.of()),
          new Layered(
              "dev-keyset-ok",
              c -> String.valueOf(c.devKeysetOk()),
              "true",
              "false",
              "true",
              "false",
              List.of()),
          new Layered(
              "accept-store-rollback",
              c -> String.valueOf(c.acceptStoreRollback()),
              "true",
              "false",
              "true",
              "false",
              List.of()),
          new Layered(
              "db-user",
              c -> c.dbUser().orElse(null),
              "file-user",
              "env-user",
              "flag-user",
              null,
              List.of()),
          new Layered(
              "db-password",
              c -> c.dbPassword().orElse(null),
              "file-pw",
              "env-pw",
              null,
              null,
              List.of("--db-user", "u")));
    }

    static Object expected(Layered s, String raw) {
      return s.key().endsWith("-file") || s.key().startsWith("tls-") ? Path.of(raw) : raw;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void eachLayer_winsOverTheOnesBelow(Layered s) throws IOException {
      String env = ServerConfigParser.envName(s.key());
      Path file = file("rw-------", s.key() + " = " + s.file());
      ServerConfig byDefault = parse(List.of(), Map.of());
      assertThat(s.read().apply(byDefault)).isEqualTo(s.byDefault());
      assertThat(line(byDefault, s.key())).endsWith("(default)");

      List<String> args = new ArrayList<>(s.needs());
      args.addAll(List.of("--config", file.toString()));
      ServerConfig fromFile = parse(args, Map.of());
      assertThat(s.read().apply(fromFile)).isEqualTo(expected(s, s.file()));
      assertThat(line(fromFile, s.key())).endsWith("(file " + file + ")");

      ServerConfig fromEnv = parse(args, Map.of(env, s.env()));
      assertThat(s.read().apply(fromEnv)).isEqualTo(expected(s, s.env()));
      assertThat(line(fromEnv, s.key())).endsWith("(env " + env + ")");

      if (s.flag() != null) {
        args.add("--" + s.key());
        if (!Set.of("insecure-no-tls", "dev-keyset-ok", "accept-store-rollback")
            .contains(s.key())) {
          args.add(s.flag());
        }
        ServerConfig fromFlag = parse(args, Map.of(env, s.env()));
        assertThat(s.read().apply(fromFlag)).isEqualTo(expected(s, s.flag()));
        assertThat(line(fromFlag, s.key())).endsWith("(flag --" + s.key() + ")");
      }
    }

    @Test
    void keyset_flagThenLibraryVariablesThenFileThenDefault() throws IOException {
      Path file = file("rw-------", "keyset                = file-keyset.json");
      ServerConfig fromFile = parse(List.of("--config", file.toString()), Map.of());
      assertThat(fromFile.keyset().orElse(null)).isEqualTo(Path.of("file-keyset.json"));
      assertThat(line(fromFile, "keyset"))
          .isEqualTo(
              "keyset                = file-keyset.json, a development keyset "
                  + "created if missing (file "
                  + file
                  + ")");

      Map<String, String> env =
          Map.of(
              "LANONASIS_KEYSET_FILE",
              "/etc/lanonasis/keyset.json",
              "LANONASIS_KEYSET_PASSPHRASE",
              "S3NTINEL-passphrase");
      ServerConfig fromEnv = parse(List.of("--config", file.toString()), env);
      assertThat(fromEnv.keyset().orElse(null))
          .as("null: the library's variables are read at start")
          .isNull();
      assertThat(line(fromEnv, "keyset"))
          .isEqualTo(
              "keyset                = /etc/lanonasis/keyset.json from "
                  + "LANONASIS_KEYSET_FILE, passphrase from LANONASIS_KEYSET_PASSPHRASE (env)");

      ServerConfig fromFlag =
          parse(List.of("--config", file.toString(), "--keyset", "flag.json"), env);
      assertThat(fromFlag.keyset().orElse(null)).isEqualTo(Path.of("flag.json"));
      assertThat(line(fromFlag, "keyset")).endsWith("(flag --keyset)");
    }

    @Test
    @DisplayName(
        "the keyset line says what is loaded: a passphrase or KMS key in the environment means a protected file")
    void keyset_printedAsWhatIsLoaded() throws IOException {
      Map<String, String> passphrase = Map.of("LANONASIS_KEYSET_PASSPHRASE", "S3NTINEL-passphrase");
      // As the refusal after 'key protect' advises: LANONASIS_KEYSET_PASSPHRASE=... lanonasis serve
      assertThat(line(parse(List.of(), passphrase), "keyset"))
          .isEqualTo(
              "keyset                = ./data/keyset.json, "
                  + "passphrase-protected, passphrase from LANONASIS_KEYSET_PASSPHRASE (default)");
      assertThat(line(parse(List.of("--keyset", "k.json"), passphrase), "keyset"))
          .isEqualTo(
              "keyset                "
                  + "= k.json, passphrase-protected, passphrase from LANONASIS_KEYSET_PASSPHRASE (flag --keyset)");
      assertThat(
              line(
                  parse(List.of("--keyset", "k.json"), Map.of("LANONASIS_KEK_URI", "aws-kms://x")),
                  "keyset"))
          .contains("k.json, encrypted under the KMS key LANONASIS_KEK_URI names")
          .doesNotContain("development");
      Path existing = file("rw-------", "{}");
      assertThat(line(parse(List.of("--keyset", existing.toString()), Map.of()), "keyset"))
          .isEqualTo(
              "keyset                = "
                  + existing
                  + ", a development keyset (cleartext) (flag --keyset)");
    }

    @Test
    void config_flagWinsOverEnv() throws IOException {
      Path fromFlag = file("rw-------", "port                  = 1");
      Path fromEnv = file("rw-------", "port                  = 2");
      ServerConfig c =
          parse(
              List.of("--config", fromFlag.toString()),
              Map.of("LANONASIS_CONFIG", fromEnv.toString()));
      assertThat(c.port()).isEqualTo(1);
      assertThat(line(c, "config"))
          .isEqualTo("config                = " + fromFlag + " (flag --config)");
      ServerConfig e = parse(List.of(), Map.of("LANONASIS_CONFIG", fromEnv.toString()));
      assertThat(e.port()).isEqualTo(2);
      assertThat(line(e, "config")).endsWith("(env LANONASIS_CONFIG)");
    }

    @Test
    void emptyEnvAndFileValues_countAsNotSet() throws IOException {
      Path file =
          file("rw-------", "port                  = ", "bind                  = 127.0.0.5");
      ServerConfig c = parse(List.of("--config", file.toString()), Map.of("LANONASIS_BIND", ""));
      assertThat(c.port()).isEqualTo(8080);
      assertThat(c.bind()).isEqualTo("127.0.0.5");
    }
  }

  @Nested
  @DisplayName("the config file")
  class ConfigFile {
    @Test
    void unknownKey_isRefused_listingTheKnownOnes() throws IOException {
      Path file =
          file(
              "rw-------", "store                 = jdbc:h2:mem:x", "prot                  = 8080");
      assertThatThrownBy(() -> parse(List.of("--config", file.toString()), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "unknown setting 'prot' in the config file "
                  + file
                  + " (known: store, keyset, bind, port, "
                  + "admin-key-file, tls-cert, tls-key, tls-pkcs12, insecure-no-tls, dev-keyset-ok, db-user, db-password, migration-db-user, migration-db-password, audit-signing-key, audit-checkpoints, accept-store-rollback, mcp-allow-reveal, mcp-allow-write, "
                  + "mcp-allow-commands, mcp-allowed-hosts, mcp-recipes, mcp-command-output, mcp-workspace)");
    }

    @Test
    void pkcs12Password_isNotReadFromTheFile() throws IOException {
      Path file = file("rw-------", "tls-pkcs12-password = S3NTINEL-p12");
      assertThatThrownBy(() -> parse(List.of("--config", file.toString()), Map.of()))
          .hasMessageContaining("read from LANONASIS_TLS_PKCS12_PASSWORD only")
          .message()
          .doesNotContain("S3NTINEL");
    }

    @Test
    void duplicateKey_isRefused() throws IOException {
      Path file = file("rw-------", "port                  = 1", "port                  = 2");
      assertThatThrownBy(() -> parse(List.of("--config", file.toString()), Map.of()))
          .hasMessage("the config file " + file + " sets port more than once");
    }

    @Test
    void missingFile_namesWhereItWasNamed() {
      Path missing = dir.resolve("missing.conf");
      assertThatThrownBy(() -> parse(List.of(), Map.of("LANONASIS_CONFIG", missing.toString())))
          .hasMessage("config file not found: " + missing + " (env LANONASIS_CONFIG)");
    }

    @Test
    void badValues_nameTheFile() throws IOException {
      Path port = file("rw-------", "port                  = eighty");
      assertThatThrownBy(() -> parse(List.of("--config", port.toString()), Map.of()))
          .hasMessage("port must be 0..65535: eighty (file " + port + ")");
      Path insecure = file("rw-------", "insecure-no-tls       = yes");
      assertThatThrownBy(() -> parse(List.of("--config", insecure.toString()), Map.of()))
          .hasMessage("insecure-no-tls must be true or false: yes (file " + insecure + ")");
    }

    @Test
    void passwordInAGroupReadableFile_isRefused() throws IOException {
      Path file =
          file(
              "rw-r-----",
              "db-user               = app",
              "db-password           = S3NTINEL-db-password");
      assertThatThrownBy(() -> parse(List.of("--config", file.toString()), Map.of()))
          .hasMessage(
              "the config file "
                  + file
                  + " holds a secret (db-password) but group or others may read or "
                  + "change it (rw-r-----); restrict it: chmod 600 "
                  + file);
    }

    @Test
    void passwordInTheStoreUrlOfAWorldReadableFile_isRefused() throws IOException {
      Path file =
          file(
              "rw-r--r--",
              "store                 = jdbc:postgresql://db/secrets?user=app&password=S3NTINEL-url");
      assertThatThrownBy(() -> parse(List.of("--config", file.toString()), Map.of()))
          .hasMessageContaining("holds a secret (a password in store)")
          .message()
          .doesNotContain("S3NTINEL");
    }

    @Test
    void fileWithoutSecrets_mayBeReadableByOthers_andOwnerOnlyFileMayHoldThePassword()
        throws IOException {
      Path open = file("rw-r--r--", "port                  = 9090");
      assertThat(parse(List.of("--config", open.toString()), Map.of()).port()).isEqualTo(9090);
      Path closed =
          file(
              "r--------",
              "db-user               = app",
              "db-password           = pw with trailing space ");
      ServerConfig c = parse(List.of("--config", closed.toString()), Map.of());
      assertThat(c.dbPassword().orElse(null))
          .as("a password is taken as written")
          .isEqualTo("pw with trailing space ");
    }
  }

  @Nested
  @DisplayName("rules across settings")
  class Rules {
    @Test
    void tls_allowsANonLoopbackBind() {
      ServerConfig c =
          parse(
              List.of("--bind", "0.0.0.0", "--tls-pkcs12", "server.p12"),
              Map.of("LANONASIS_KEYSET_PASSPHRASE", "S3NTINEL-passphrase"));
      assertThat(c.tls()).isTrue();
      assertThat(c.baseUrl(8443)).isEqualTo("https://0.0.0.0:8443");
      ServerConfig pem =
          parse(
              List.of("--bind", "10.0.0.1", "--dev-keyset-ok"),
              Map.of("LANONASIS_TLS_CERT", "c.pem", "LANONASIS_TLS_KEY", "k.pem"));
      assertThat(pem.tls()).isTrue();
      assertThat(parse(List.of("--bind", "::1"), Map.of()).baseUrl(80))
          .isEqualTo("http://[::1]:80");
    }

    @Test
    void developmentKeyset_beyondLoopback_isRefusedSayingHowToProtectIt() {
      for (Map<String, String> env :
          List.of(
              Map.<String, String>of(),
              Map.of("LANONASIS_KEYSET_FILE", "/srv/keyset.json"),
              Map.of("LANONASIS_KEYSET", "{\"S3NTINEL-keyset\":1}"))) {
        assertThatThrownBy(
                () -> parse(List.of("--bind", "0.0.0.0", "--tls-pkcs12", "server.p12"), env))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("refusing to listen on 0.0.0.0 with a development keyset")
            .hasMessageContaining("lanonasis key protect --keyset FILE")
            .hasMessageContaining("lanonasis key init --passphrase")
            .hasMessageContaining("--dev-keyset-ok (LANONASIS_DEV_KEYSET_OK=true)")
            .message()
            .doesNotContain("S3NTINEL");
      }
      assertThatThrownBy(
              () ->
                  parse(
                      List.of("--bind", "10.0.0.1", "--insecure-no-tls", "--keyset", "dev.json"),
                      Map.of()))
          .hasMessageContaining("master key is in cleartext (dev.json)");
      assertThatThrownBy(() -> parse(List.of("--bind", "10.0.0.1", "--insecure-no-tls"), Map.of()))
          .hasMessageContaining("(./data/keyset.json, created if missing)");
    }

    @Test
    void developmentKeyset_acceptedOnLoopback_whenProtected_orWhenToldSo() throws IOException {
      assertThat(parse(List.of(), Map.of()).devKeysetOk()).isFalse();
      assertThat(parse(List.of("--bind", "::1"), Map.of()).bind()).isEqualTo("::1");
      List<String> open = List.of("--bind", "0.0.0.0", "--insecure-no-tls");
      assertThat(
              parse(
                      open,
                      Map.of(
                          "LANONASIS_KEYSET_FILE",
                          "k.json",
                          "LANONASIS_KEYSET_PASSPHRASE",
                          "S3NTINEL-pass"))
                  .bind())
          .isEqualTo("0.0.0.0");
      assertThat(
              parse(
                      open,
                      Map.of("LANONASIS_KEYSET_FILE", "k.json", "LANONASIS_KEK_URI", "aws-kms://k"))
                  .bind())
          .isEqualTo("0.0.0.0");
      List<String> flag = new ArrayList<>(open);
      flag.add("--dev-keyset-ok");
      assertThat(line(parse(flag, Map.of()), "dev-keyset-ok"))
          .endsWith("= true (flag --dev-keyset-ok)");
      assertThat(line(parse(open, Map.of("LANONASIS_DEV_KEYSET_OK", "true")), "dev-keyset-ok"))
          .endsWith("= true (env LANONASIS_DEV_KEYSET_OK)");
      Path file = file("rw-------", "dev-keyset-ok         = true");
      List<String> withFile = new ArrayList<>(open);
      withFile.addAll(List.of("--config", file.toString()));
      assertThat(parse(withFile, Map.of()).devKeysetOk()).isTrue();
      assertThatThrownBy(() -> parse(open, Map.of("LANONASIS_DEV_KEYSET_OK", "yes")))
          .hasMessage("dev-keyset-ok must be true or false: yes (env LANONASIS_DEV_KEYSET_OK)");
    }

    @Test
    void tlsCertWithoutKey_isRefused() {
      assertThatThrownBy(() -> parse(List.of("--tls-cert", "c.pem"), Map.of()))
          .hasMessage(
              "tls-cert and tls-key go together: tls-cert is set (flag --tls-cert) but tls-key is not");
    }

    @Test
    void pemAndPkcs12_isRefused_namingWhereEachCameFrom() throws IOException {
      Path file = file("rw-------", "tls-pkcs12 = server.p12");
      assertThatThrownBy(
              () ->
                  parse(
                      List.of(
                          "--config", file.toString(), "--tls-cert", "c.pem", "--tls-key", "k.pem"),
                      Map.of()))
          .hasMessage(
              "set either tls-cert and tls-key (PEM) or tls-pkcs12, not both: tls-cert from flag --tls-cert, "
                  + "tls-pkcs12 from file "
                  + file);
    }

    @Test
    void dbPasswordWithoutUser_isRefused() {
      assertThatThrownBy(() -> parse(List.of(), Map.of("LANONASIS_DB_PASSWORD", "S3NTINEL-pw")))
          .hasMessage("db-password is set (env LANONASIS_DB_PASSWORD) but db-user is not");
    }
  }

  @Nested
  @DisplayName("the printed configuration")
  class Printed {
    @Test
    void description_masksEverySecret_fromEveryLayer() throws IOException {
      Path file =
          file(
              "rw-------",
              "store                 = jdbc:postgresql://app:S3NTINEL-userinfo@db:5432/secrets?sslmode=require&password=S3NTINEL-param",
              "db-user               = app",
              "db-password           = S3NTINEL-db-password");
      Map<String, String> env = new HashMap<>();
      env.put("LANONASIS_KEYSET", "{\"primaryKeyId\":1,\"key\":[{\"S3NTINEL-keyset\":true}]}");
      env.put("LANONASIS_TLS_PKCS12_PASSWORD", "S3NTINEL-p12-password");
      ServerConfig c =
          parse(List.of("--config", file.toString(), "--tls-pkcs12", "server.p12"), env);

      assertThat(String.join("\n", c.description())).doesNotContain("S3NTINEL");
      assertThat(line(c, "store"))
          .isEqualTo(
              "store                 = jdbc:postgresql://app:***@db:5432/secrets"
                  + "?sslmode=require&password=*** (file "
                  + file
                  + ")");
      assertThat(line(c, "keyset"))
          .isEqualTo("keyset                = from LANONASIS_KEYSET (env)");
      assertThat(line(c, "db-password"))
          .isEqualTo("db-password           = *** (file " + file + ")");
      assertThat(line(c, "tls-pkcs12-password"))
          .isEqualTo("tls-pkcs12-password   = *** (env LANONASIS_TLS_PKCS12_PASSWORD)");
      assertThat(c.dbPassword().orElse(null)).isEqualTo("S3NTINEL-db-password");
      assertThat(c.tlsPkcs12Password()).isEqualTo("S3NTINEL-p12-password");
    }

    @Test
    void description_saysWhenThePkcs12PasswordIsMissing() {
      ServerConfig c = parse(List.of("--tls-pkcs12", "server.p12"), Map.of());
      assertThat(line(c, "tls-pkcs12-password"))
          .isEqualTo("tls-pkcs12-password   = empty (LANONASIS_TLS_PKCS12_PASSWORD " + "not set)");
      assertThat(c.tlsPkcs12Password()).isEmpty();
    }

    @Test
    void redactJdbcUrl_masksPasswordsInEveryUsualPlace() {
      assertThat(ServerConfigParser.redactJdbcUrl("jdbc:postgresql://u:p%40ss@db/x"))
          .isEqualTo("jdbc:postgresql://u:***@db/x");
      assertThat(ServerConfigParser.redactJdbcUrl("jdbc:mariadb://u:p@ss@db:3306/x?a=b"))
          .isEqualTo("jdbc:mariadb://u:***@db:3306/x?a=b");
      assertThat(
              ServerConfigParser.redactJdbcUrl(
                  "jdbc:postgresql://db/x?user=u&password=p&sslpassword=q&ssl=true"))
          .isEqualTo("jdbc:postgresql://db/x?user=u&password=***&sslpassword=***&ssl=true");
      assertThat(
              ServerConfigParser.redactJdbcUrl(
                  "jdbc:sqlserver://db;user=u;Password=p;encrypt=true"))
          .isEqualTo("jdbc:sqlserver://db;user=u;Password=***;encrypt=true");
      assertThat(
              ServerConfigParser.redactJdbcUrl("jdbc:h2:file:./data/s;CIPHER=AES;FILE_PASSWORD=p"))
          .isEqualTo("jdbc:h2:file:./data/s;CIPHER=AES;FILE_PASSWORD=***");
      assertThat(ServerConfigParser.redactJdbcUrl("jdbc:oracle:thin:scott/tiger@//db:1521/svc"))
          .isEqualTo("jdbc:oracle:thin:scott/***@//db:1521/svc");
      assertThat(ServerConfigParser.redactJdbcUrl("jdbc:postgresql://db:5432/x?user=u"))
          .isEqualTo("jdbc:postgresql://db:5432/x?user=u");
      assertThat(ServerConfigParser.redactJdbcUrl("jdbc:h2:file:./data/secrets"))
          .isEqualTo("jdbc:h2:file:./data/secrets");
    }
  }

  @Test
  @DisplayName(
      "--help prints the usage with every setting (flag, variable, file key) and returns: exit 0, nothing started")
  void help_printsEverySetting() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      ServerMain.main(new String[] {"--help"});
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      System.setOut(saved);
    }
    String help = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(help)
        .startsWith("Usage: java -jar lanonasis-server.jar")
        .doesNotContain("configuration:");
    for (String key : ServerConfigParser.KEYS) {
      assertThat(help).as(key).contains(ServerConfigParser.envName(key));
    }
    assertThat(help)
        .contains(
            "--audit-signing-key FILE",
            "--audit-checkpoints FILE",
            "--migration-db-user USER",
            "--config FILE");
    assertThat(help)
        .as("a password is never a flag")
        .doesNotContain("--db-password", "--migration-db-password");
  }
}
