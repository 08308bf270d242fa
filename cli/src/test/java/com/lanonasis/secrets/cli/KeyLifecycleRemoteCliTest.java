package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.SecretsServer;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key lifecycle commands against a real server on an ephemeral port (SQLite behind it), with
 * its bootstrap admin key as the operator key. Every output of a key command, and every error, is
 * checked afterwards for the sentinel value and the API keys used.
 */
class KeyLifecycleRemoteCliTest {
  static final String VALUE = "S3NTINEL-remote-key-lifecycle";

  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final List<Result> outputs = new ArrayList<>();
  final List<String> apiKeys = new ArrayList<>();
  SecretsServer server;
  String operator;

  @BeforeEach
  void start() {
    RealServer started = RealServer.start(dir.resolve("db"));
    server = started.server();
    operator = started.adminKey();
    apiKeys.add(operator);
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("LANONASIS_URL", started.url());
  }

  @AfterEach
  void stopAndCheckForLeaks() {
    server.close();
    for (Result r : outputs) {
      assertThat(r.out() + r.err()).doesNotContain(VALUE);
      for (String key : apiKeys) {
        assertThat(r.out() + r.err()).doesNotContain(key).doesNotContain(key.substring(21));
      }
    }
  }

  /** Runs as the holder of {@code apiKey}. */
  Result as(String apiKey, String... args) {
    cli.env.put("LANONASIS_API_KEY", apiKey);
    Result r = cli.run(args);
    if (args[0].equals("key")
        || args[0].equals("--json") && args[1].equals("key")
        || r.exit() != 0) {
      outputs.add(
          r); // secret get prints the value by design; its errors, and every key command, must not
    }
    return r;
  }

  Result ok(String apiKey, String... args) {
    Result r = as(apiKey, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  JsonNode status(String tenant) {
    return ok(operator, "--json", "key", "status", "--tenant", tenant).json().get("tenants").get(0);
  }

  static long primaryOf(JsonNode s) {
    return s.get("keys").get(0).get("id").asLong();
  }

  static long recordsOf(JsonNode s, long keyId) {
    for (JsonNode k : s.get("keys")) {
      if (k.get("id").asLong() == keyId) {
        return k.get("records").asLong();
      }
    }
    throw new AssertionError("no data key " + keyId + " in " + s);
  }

  /**
   * A new key of {@code tenant} with {@code role}, from the operator, through {@code apikey
   * create}.
   */
  String newKey(String tenant, String role, String... more) {
    List<String> args =
        new ArrayList<>(List.of("--json", "apikey", "create", "--tenant", tenant, "--role", role));
    args.addAll(List.of(more));
    String key = ok(operator, args.toArray(String[]::new)).json().get("key").asText();
    apiKeys.add(key);
    return key;
  }

  @Test
  void statusRotateResealRetire_throughTheServer() {
    ok(operator, "secret", "set", "app/a", VALUE);
    ok(operator, "secret", "set", "app/a", VALUE + "-2");
    ok(operator, "secret", "set", "app/b", VALUE + "-b");

    JsonNode all = ok(operator, "--json", "key", "status").json();
    JsonNode s = all.get("tenants").get(0);
    assertThat(s.get("tenant").asText()).isEqualTo("default");
    assertThat(s.get("keys")).hasSize(1);
    long old = primaryOf(s);
    assertThat(recordsOf(s, old)).isEqualTo(3);
    JsonNode masters = all.get("masterKeys");
    assertThat(masters.get("keys")).hasSize(1);
    assertThat(masters.get("keys").get(0).get("primary").asBoolean()).isTrue();
    assertThat(masters.get("keys").get(0).get("keysets").asLong()).isPositive();
    assertThat(s.get("masterKeyId").asLong()).isEqualTo(masters.get("primaryKeyId").asLong());
    assertThat(ok(operator, "key", "status").out())
        .contains("  data key " + old + " (primary): 3 records\n");

    long fresh = ok(operator, "--json", "key", "rotate-data").json().get("primaryKeyId").asLong();
    assertThat(fresh).isNotEqualTo(old);
    Result refused = as(operator, "key", "retire", Long.toString(old));
    assertThat(refused.exit()).isEqualTo(ExitCode.INVALID);
    assertThat(refused.err())
        .isEqualTo(
            "lanonasis: data key "
                + old
                + " of tenant 'default' still seals 3 records; "
                + "run 'lanonasis key reseal --tenant default' first, then retire it\n");

    JsonNode before = status("default");
    Result dry = ok(operator, "key", "reseal", "--dry-run");
    assertThat(dry.out())
        .isEqualTo(
            "tenant default: would re-seal 3 records under data key "
                + fresh
                + " (from data key "
                + old
                + ": 3); dry run, nothing was changed\n");
    assertThat(status("default")).isEqualTo(before);

    Result reseal = ok(operator, "key", "reseal", "--batch", "2");
    assertThat(reseal.out())
        .isEqualTo(
            "tenant default: re-sealed 3 records under data key "
                + fresh
                + " (from data key "
                + old
                + ": 3); 0 skipped (changed meanwhile), 0 unreadable\n");
    JsonNode after = status("default");
    assertThat(recordsOf(after, old)).isZero();
    assertThat(recordsOf(after, fresh)).isEqualTo(3);

    assertThat(ok(operator, "key", "retire", Long.toString(old)).out())
        .isEqualTo("tenant default: retired data key " + old + "\n");
    assertThat(status("default").get("keys"))
        .extracting(k -> k.get("id").asLong())
        .containsExactly(fresh);
    assertThat(ok(operator, "secret", "get", "app/a", "--version", "1").out()).isEqualTo(VALUE);
    Result primary = as(operator, "key", "retire", Long.toString(fresh));
    assertThat(primary.exit()).isEqualTo(ExitCode.INVALID);
  }

  @Test
  void shredThenReprovision_ofATenant_refusesItsReadsAndWritesUntilThen() {
    String acme = newKey("acme", "READ_WRITE");
    ok(acme, "secret", "set", "acme/db", VALUE);
    ok(operator, "secret", "set", "app/a", VALUE);

    Result unconfirmed = as(operator, "key", "shred", "--tenant", "acme");
    assertThat(unconfirmed.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(ok(acme, "secret", "get", "acme/db").out()).as("nothing was done").isEqualTo(VALUE);

    Result shred = ok(operator, "key", "shred", "--tenant", "acme", "--confirm", "acme");
    assertThat(shred.out())
        .contains(
            "data keyset destroyed (crypto-shredded)",
            "gone for good",
            "'lanonasis key reprovision --tenant acme', the only way to write again");
    Result set = as(acme, "secret", "set", "acme/new", "x");
    assertThat(set.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(as(acme, "secret", "get", "acme/db").exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(as(operator, "key", "rotate-data", "--tenant", "acme").exit())
        .isEqualTo(ExitCode.CONFLICT);
    assertThat(status("acme").get("destroyed").asBoolean()).isTrue();
    assertThat(ok(operator, "secret", "get", "app/a").out())
        .as("other tenants go on")
        .isEqualTo(VALUE);

    JsonNode all = ok(operator, "--json", "key", "status", "--all").json().get("tenants");
    assertThat(all).extracting(t -> t.get("tenant").asText()).containsExactly("acme", "default");
    JsonNode resealAll = ok(operator, "--json", "key", "reseal", "--all").json();
    assertThat(resealAll.get("tenants"))
        .extracting(t -> t.get("tenant").asText())
        .containsExactly("default");

    Result reprovisioned = ok(operator, "--json", "key", "reprovision", "--tenant", "acme");
    long primary = reprovisioned.json().get("primaryKeyId").asLong();
    assertThat(primaryOf(status("acme"))).isEqualTo(primary);
    ok(acme, "secret", "set", "acme/new", VALUE + "-new");
    assertThat(ok(acme, "secret", "get", "acme/new").out()).isEqualTo(VALUE + "-new");
    Result gone = as(acme, "secret", "get", "acme/db");
    assertThat(gone.exit())
        .as(
            "a value sealed before the shred is gone (the server's 410 value_gone): exit 3, as every GONE kind")
        .isEqualTo(ExitCode.CONFLICT);
    assertThat(gone.err()).contains("data key that sealed it is gone");
    Result old = as(acme, "secret", "get", "acme/db");
    assertThat(old.exit()).as("the old value stays unreadable").isNotZero();
    assertThat(old.out()).isEmpty();

    Result live = as(operator, "key", "reprovision", "--tenant", "acme");
    assertThat(live.exit()).isEqualTo(ExitCode.INVALID);
  }

  @Test
  void aKeyThatIsNotAnOperatorKey_isRefusedWithExit4_andNothingIsDone() {
    ok(operator, "secret", "set", "app/a", VALUE);
    List<String> notOperators =
        List.of(
            server.apiKeys().create("default", Role.READ_WRITE, ""),
            server.apiKeys().create("default", Role.ADMIN, "app/"),
            newKey("acme", "ADMIN"));
    apiKeys.addAll(notOperators);
    long primary = primaryOf(status("default"));
    for (String key : notOperators) {
      for (String[] args :
          new String[][] {
            {"key", "status"},
            {"key", "rotate-data"},
            {"key", "shred", "--tenant", "default", "--confirm", "default"},
            {"key", "reseal"}
          }) {
        Result r = as(key, args);
        assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(ExitCode.AUTH);
        assertThat(r.err()).hasLineCount(1);
      }
    }
    JsonNode s = status("default");
    assertThat(s.get("destroyed").asBoolean()).isFalse();
    assertThat(primaryOf(s)).isEqualTo(primary);
  }

  @Test
  void retireMaster_isAUsageErrorAgainstAServer() {
    Result r = as(operator, "key", "retire", "--master", "1");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err())
        .contains("a server's master keyset file is rotated and retired where the server runs");
  }
}
