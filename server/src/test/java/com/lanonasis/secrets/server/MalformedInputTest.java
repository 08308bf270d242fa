package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of generated malformed requests, each over real HTTP (the JDK client, or raw bytes on a
 * socket for what it refuses to send). Every answer must be a 4xx RFC 9457 problem whose title and
 * status match the HTTP status, carrying no stack trace, class name, SQL, planted sentinel or API
 * key; and the store, the keys and the audit chain must be the same after all of them as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest {
  static final String SENTINEL = "S3NTINEL-malformed-5d3a";
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SEEDS = List.of("seed/a", "seed/b", "seed/versions");

  /**
   * The body of a valid write to a seeded secret: any variant the server accepted would change the
   * snapshot.
   */
  static final String VALID = "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\"}";

  static final String VALID_KEY = "{\"role\":\"READ_ONLY\",\"tenant\":\"default\"}";
  static final int KIB = 1024;
  static final Map<Integer, String> TITLES =
      Map.ofEntries(
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(409, "Conflict"),
          Map.entry(413, "Content Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(431, "Request Header Fields Too Large"));

  /**
   * What an error body must never carry: stack frames, class or package names, SQL, table names,
   * HTML.
   */
  static final List<String> FORBIDDEN =
      List.of(
          "S3NTINEL",
          "Exception",
          "\tat ",
          "at com.",
          "at org.",
          "java.",
          "javax.",
          "jakarta.",
          "com.fasterxml",
          "org.eclipse",
          "org.h2",
          "io.javalin",
          "com.zaxxer",
          "Caused by",
          "SQL",
          "SELECT ",
          "INSERT ",
          "UPDATE ",
          "DELETE FROM",
          " WHERE ",
          "server_api_keys",
          "server_audit_log",
          "secret_heads",
          "secret_versions",
          "tenant_keysets",
          "<html",
          "<body");

  /**
   * One generated request: what it tries, the statuses the README allows for it (empty: any 4xx).
   */
  record Bad(String category, String what, Set<Integer> expected, Supplier<Reply> send) {}

  SecretsServer server;
  final HttpTestClient client = new HttpTestClient();
  String admin;
  String adminSecret;
  String victimId;
  List<String> before;
  final AtomicInteger sent = new AtomicInteger();

  @BeforeAll
  void start(@TempDir Path dir) {
    // Hundreds of deliberate bad keys from one address: throttling has its own test
    // (AuthThrottleTest).
    RealServer started =
        RealServer.start(dir, b -> b.authFailureLimit(1_000_000, java.time.Duration.ofMinutes(1)));
    server = started.server();
    admin = started.adminKey();
    adminSecret = RealServer.secretPart(admin);
    seed("seed/a", "seed-a-1", null);
    seed("seed/a", "seed-a-2", null);
    seed("seed/b", "seed-b-1", ",\"description\":\"the b one\",\"labels\":{\"env\":\"prod\"}");
    seed("seed/versions", "seed-v-1", null);
    victimId = ApiKeys.idOf(server.apiKeys().create("default", Role.READ_ONLY, ""));
    before = snapshot();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  void seed(String name, String value, String extra) {
    Reply r =
        client.call(
            server.port(),
            "POST",
            "/api/v1/secrets",
            admin,
            "application/json",
            "{\"key\":\""
                + name
                + "\",\"value\":\""
                + value
                + "\""
                + (extra == null ? "" : extra)
                + "}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  /**
   * Every name with its version and attributes as the admin lists them (following the cursor),
   * every version's value and destroyed flag of the seeded secrets, and every API key with its
   * revocation.
   */
  List<String> snapshot() {
    List<String> out = new ArrayList<>();
    String cursor = null;
    do {
      Reply page = get("/api/v1/secrets?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      for (JsonNode i : page.json().get("items")) {
        out.add(
            i.get("key").asText()
                + "@"
                + i.get("version").asLong()
                + " "
                + i.get("updatedAt").asText()
                + " "
                + i.get("description").asText()
                + " "
                + i.get("labels"));
      }
      cursor = page.json().has("nextCursor") ? page.json().get("nextCursor").asText() : null;
    } while (cursor != null);
    for (String name : SEEDS) {
      Reply versions = get("/api/v1/secrets/" + name + ":versions");
      assertThat(versions.status()).isEqualTo(200);
      out.add(versions.body());
      for (JsonNode v : versions.json().get("versions")) {
        out.add(
            name
                + "@"
                + v.get("version").asLong()
                + "="
                + get("/api/v1/secrets/" + name + "?version=" + v.get("version").asLong())
                    .json()
                    .get("value")
                    .asText());
      }
    }
    for (JsonNode k : get("/api/v1/keys").json().get("items")) {
      out.add(k.toString());
    }
    return out;
  }

  Reply get(String path) {
    return client.call(server.port(), "GET", path, admin, null, null);
  }

  @TestFactory
  Stream<DynamicTest> malformedRequests_areProblems_andChangeNothing() {
    List<Bad> requests = requests();
    // Pinned: server/README.md states the number; a generator change must show up here and there.
    assertThat(requests).hasSize(687);
    Stream<DynamicTest> each =
        requests.stream()
            .map(
                b ->
                    DynamicTest.dynamicTest(
                        b.category() + ": " + printable(b.what()), () -> check(b)));
    DynamicTest after =
        DynamicTest.dynamicTest(
            "after all " + requests.size() + ": the store, keys and audit chain",
            () -> unchanged(requests.size()));
    return Stream.concat(each, Stream.of(after));
  }

  void check(Bad b) {
    sent.incrementAndGet();
    Reply r = b.send().get();
    assertThat(r.status()).as("status of %s: %s", b.what(), r.body()).isBetween(400, 499);
    if (!b.expected().isEmpty()) {
      assertThat(r.status()).as(r.body()).isIn(b.expected());
    }
    assertThat(r.contentType())
        .as("content type of %s (%d)", b.what(), r.status())
        .startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("type").isTextual()).isTrue();
    assertThat(p.get("type").asText()).isNotEmpty();
    assertThat(p.get("title").isTextual()).isTrue();
    assertThat(p.get("title").asText())
        .as("title of a %d", r.status())
        .isEqualTo(TITLES.get(r.status()));
    assertThat(p.get("status").isInt()).isTrue();
    assertThat(p.get("status").asInt()).isEqualTo(r.status());
    assertThat(p.get("detail").isTextual()).isTrue();
    assertThat(r.body()).doesNotContain(admin).doesNotContain(adminSecret);
    assertThat(r.body().toLowerCase(Locale.ROOT)).doesNotContain(SENTINEL.toLowerCase(Locale.ROOT));
    for (String s : FORBIDDEN) {
      assertThat(r.body()).as("body of a %d", r.status()).doesNotContain(s);
    }
    if (r.status() == 401) {
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    // S17: Jetty's own refusals (bad framing, 431, 414) too, not only the ones Javalin's chain
    // writes.
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .as("CSP of %s", b.what())
        .hasValue(Chain.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options"))
        .as("nosniff of %s", b.what())
        .hasValue("nosniff");
    assertThat(r.headers().firstValue("Cache-Control"))
        .as("no-store of %s", b.what())
        .hasValue("no-store");
  }

  // ---- what the suite found, one focused test each ----------------------------------------------

  @Test
  void jettysOwnRefusals_carryEverySecurityHeader() {
    for (String head :
        List.of(
            "GARBAGE",
            "GET /api/v1/whoami HTTP/1.1 extra",
            "GET /api/v1/whoami HTTP/1.1\r\nX-Big: " + "a".repeat(20 * KIB),
            "GET /" + "a".repeat(20 * KIB) + " HTTP/1.1")) {
      Reply r = client.rawRequest(server.port(), head, null);
      String what = shorten(head);
      assertThat(r.status()).as(what).isIn(400, 414, 431);
      assertThat(r.contentType()).as(what).startsWith("application/problem+json");
      Chain.SECURITY_HEADERS.forEach(
          (name, value) ->
              assertThat(r.headers().firstValue(name)).as("%s of %s", name, what).hasValue(value));
    }
  }

  @Test
  void methodOverride_isRefused_andDeletesNothing() {
    for (String method : List.of("GET", "POST")) {
      Reply r =
          client.call(
              server.port(),
              method,
              "/api/v1/secrets/seed/b",
              admin,
              method.equals("POST") ? "application/json" : null,
              method.equals("POST") ? "{}" : null,
              Map.of("X-HTTP-Method-Override", "DELETE"));
      assertThat(r.status()).as(method).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).contains("X-HTTP-Method-Override");
      assertThat(get("/api/v1/secrets/seed/b").json().get("value").asText())
          .as("still there")
          .isEqualTo("seed-b-1");
    }
  }

  @Test
  void brokenChunkedBody_is400_not500() {
    for (String path : List.of("/api/v1/secrets", "/api/v1/keys")) {
      Reply r =
          client.rawRequest(
              server.port(),
              "POST "
                  + path
                  + " HTTP/1.1\r\nAuthorization: Bearer "
                  + admin
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
              "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).isEqualTo("the body could not be read");
    }
  }

  @Test
  void unroutedRequest_hasTheTitleOfItsStatus() {
    Reply r =
        client.call(
            server.port(), "PUT", "/api/v1/secrets/seed/a", admin, "application/json", VALID);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("title").asText()).isEqualTo("Not Found");
  }

  @Test
  void details_neverQuoteALabelKeyAnUnknownFieldOrAPrefix() {
    String marker = "quoted-marker";
    List<Reply> replies =
        List.of(
            client.call(
                server.port(),
                "POST",
                "/api/v1/secrets",
                admin,
                "application/json",
                withField("labels", "{\"" + marker + " x\":\"v\"}")),
            client.call(
                server.port(),
                "POST",
                "/api/v1/secrets",
                admin,
                "application/json",
                withField(marker, "1")),
            client.call(
                server.port(),
                "GET",
                "/api/v1/secrets?prefix=" + marker + "%20x",
                admin,
                null,
                null));
    for (Reply r : replies) {
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).doesNotContain(marker);
    }
  }

  @Test
  void illFormedUtf8_orAnotherEncoding_is400() {
    byte[] overlongSlash = overlong("{\"key\":\"seed/a\",\"value\":\"x/y\"}", '/');
    for (byte[] body : List.of(overlongSlash, VALID.getBytes(StandardCharsets.UTF_16))) {
      Reply r =
          client.callBytes(
              server.port(), "POST", "/api/v1/secrets", admin, "application/json", body);
      assertThat(r.status()).as(r.body()).isEqualTo(400);
    }
    assertThat(
            client
                .callBytes(
                    server.port(),
                    "POST",
                    "/api/v1/keys",
                    admin,
                    "application/json",
                    overlong(VALID_KEY, 'd'))
                .status())
        .isEqualTo(400);
  }

  @Test
  void httpLayerRefusal_saysItClosesTheConnection() {
    Reply r = client.call(server.port(), "GET", "/api/v1/secrets/seed/a%00", admin, null, null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("detail").asText())
        .isEqualTo("the request was refused by the HTTP layer");
    assertThat(r.headers().firstValue("Connection")).hasValue("close");
  }

  void unchanged(int generated) throws IOException {
    assertThat(sent.get()).isEqualTo(generated);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(server.auditLog().verify().intact()).isTrue();
    assertThat(Files.readString(Path.of("target/server-test.log")))
        .doesNotContain("S3NTINEL-malformed")
        .doesNotContain(adminSecret);
  }

  // ---- the generated requests -------------------------------------------------------------------

  List<Bad> requests() {
    List<Bad> out = new ArrayList<>();
    badJson(out);
    wrongTypes(out);
    missingAndUnknownFields(out);
    tooLarge(out);
    invalidNames(out);
    badQueryParameters(out);
    contentTypes(out);
    methodsAndActions(out);
    credentials(out);
    protocol(out);
    return out;
  }

  void badJson(List<Bad> out) {
    for (int i = 0; i < VALID.length(); i++) {
      out.add(post("truncated JSON", VALID.substring(0, i), 400));
    }
    for (int i = 0; i < VALID_KEY.length(); i += 3) {
      out.add(keyPost("truncated JSON", VALID_KEY.substring(0, i), 400));
    }
    for (String garbage :
        List.of(
            "x", "}", "]", "{}", "[]", ",", ",{}", "\"a\"", "0", "null", VALID, "\u0000", "//c",
            "/*c*/")) {
      out.add(post("trailing garbage", VALID + garbage, 400));
      if (garbage.length() < 3) {
        out.add(keyPost("trailing garbage", VALID_KEY + garbage, 400));
      }
    }
    for (String notObject :
        List.of(
            "[]",
            "[" + VALID + "]",
            "\"" + SENTINEL + "\"",
            "42",
            "-1",
            "true",
            "null",
            "   ",
            "\n",
            "")) {
      out.add(post("not an object", notObject, 400));
    }
    out.add(keyPost("not an object", "[" + VALID_KEY + "]", 400));
    for (String notJson :
        List.of(
            "{key:\"seed/a\",value:\"" + SENTINEL + "\"}",
            "{'key':'seed/a','value':'" + SENTINEL + "'}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\",}",
            "{\"key\":\"seed/a\" \"value\":\"" + SENTINEL + "\"}",
            "{\"key\":\"seed/a\",\"value\":NaN}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\"/*c*/}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\\x41\"}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\\u12\"}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\nraw newline\"}",
            "<secret key=\"seed/a\">" + SENTINEL + "</secret>",
            "key=seed/a&value=" + SENTINEL,
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "\",\"labels\":"
                + "[".repeat(5000)
                + "]".repeat(5000)
                + "}",
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "\",\"labels\":"
                + "{\"a\":".repeat(3000)
                + "1"
                + "}".repeat(3000)
                + "}")) {
      out.add(post("not JSON", notJson, 400));
    }
    byte[] prefix = "{\"key\":\"seed/a\",\"value\":\"S3NTINEL".getBytes(StandardCharsets.US_ASCII);
    // A stray 0xff, an overlong '/', a cut euro sign, a lone continuation byte, a 5-byte form, a
    // UTF-16 surrogate written as UTF-8 (CESU-8).
    for (byte[] tail :
        List.of(
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xe2, (byte) 0x82, '"'},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
      byte[] body = new byte[prefix.length + tail.length + 2];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(tail, 0, body, prefix.length, tail.length);
      body[body.length - 2] = '"';
      body[body.length - 1] = '}';
      out.add(
          bytes(
              "invalid UTF-8",
              "bytes " + java.util.HexFormat.of().formatHex(tail),
              "POST",
              "/api/v1/secrets",
              "application/json",
              body,
              400));
    }
    out.add(
        bytes(
            "invalid UTF-8",
            "an overlong 'd' in the tenant",
            "POST",
            "/api/v1/keys",
            "application/json",
            overlong(VALID_KEY, 'd'),
            400));
    for (java.nio.charset.Charset cs :
        List.of(
            StandardCharsets.UTF_16,
            StandardCharsets.UTF_16LE,
            java.nio.charset.Charset.forName("UTF-32BE"))) {
      out.add(
          bytes(
              "not UTF-8",
              cs.name(),
              "POST",
              "/api/v1/secrets",
              "application/json",
              VALID.getBytes(cs),
              400));
      out.add(
          bytes(
              "not UTF-8",
              cs.name(),
              "POST",
              "/api/v1/keys",
              "application/json",
              VALID_KEY.getBytes(cs),
              400));
    }
    for (String dup :
        List.of(
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\",\"key\":\"seed/b\"}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\",\"value\":\"other\"}",
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "\",\"expectedVersion\":2,\"expectedVersion\":2}",
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "\",\"description\":\"a\",\"description\":\"b\"}",
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "\",\"labels\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\",\"labels\":{},\"labels\":{}}")) {
      out.add(post("duplicate key", dup, 400));
    }
    out.add(keyPost("duplicate key", "{\"role\":\"READ_ONLY\",\"role\":\"ADMIN\"}", 400));
    out.add(
        keyPost(
            "duplicate key",
            "{\"role\":\"READ_ONLY\",\"tenant\":\"default\",\"tenant\":\"other\"}",
            400));
  }

  void wrongTypes(List<Bad> out) {
    for (String v : List.of("1", "1.5", "true", "[]", "[\"seed/a\"]", "{}", "{\"k\":\"seed/a\"}")) {
      out.add(post("wrong type: key", "{\"key\":" + v + ",\"value\":\"" + SENTINEL + "\"}", 400));
    }
    for (String v :
        List.of(
            "1",
            "true",
            "[]",
            "[\"" + SENTINEL + "\"]",
            "{}",
            "{\"v\":\"" + SENTINEL + "\"}",
            "1e10")) {
      out.add(post("wrong type: value", "{\"key\":\"seed/a\",\"value\":" + v + "}", 400));
    }
    for (String v :
        List.of(
            "\"2\"",
            "true",
            "[]",
            "{}",
            "1.5",
            "2.0",
            "-1",
            "1e3",
            "9223372036854775808",
            "-9223372036854775809",
            "\"" + SENTINEL + "\"")) {
      out.add(post("wrong type: expectedVersion", withField("expectedVersion", v), 400));
    }
    for (String v :
        List.of(
            "1",
            "true",
            "[]",
            "{}",
            "\"a\\u0001b\"",
            "\"" + "d".repeat(1025) + "\"",
            "\"" + SENTINEL + "\\u0000\"")) {
      out.add(post("wrong type: description", withField("description", v), 400));
    }
    StringBuilder tooMany = new StringBuilder("{");
    for (int i = 0; i < 65; i++) {
      tooMany.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
    }
    for (String v :
        List.of(
            "\"x\"",
            "1",
            "true",
            "[]",
            "[\"a\"]",
            "{\"a\":1}",
            "{\"a\":true}",
            "{\"a\":{}}",
            "{\"a\":[]}",
            "{\"a\":null}",
            "{\"Bad Key\":\"v\"}",
            "{\"\":\"v\"}",
            "{\"" + SENTINEL + " x\":\"v\"}",
            "{\"" + SENTINEL.toLowerCase(Locale.ROOT) + "/x\":\"v\"}",
            "{\"a\":\"" + "x".repeat(257) + "\"}",
            "{\"a\":\"x\\u0001\"}",
            tooMany.append("}").toString())) {
      out.add(post("wrong type: labels", withField("labels", v), 400));
    }
    for (String v :
        List.of(
            "1", "true", "[]", "{}", "\"ROOT\"", "\"\"", "\"admin \"", "\"" + SENTINEL + "\"")) {
      out.add(keyPost("wrong type: role", "{\"role\":" + v + "}", 400));
    }
    for (String v :
        List.of(
            "1",
            "[]",
            "\"\"",
            "\"a/b\"",
            "\"" + "t".repeat(65) + "\"",
            "\"t\\u00e4\"",
            "\"" + SENTINEL + " x\"")) {
      out.add(keyPost("wrong type: tenant", "{\"role\":\"READ_ONLY\",\"tenant\":" + v + "}", 400));
    }
    for (String v :
        List.of("1", "[]", "\"../x\"", "\"/a\"", "\"a//b\"", "\"" + SENTINEL + " x\"")) {
      out.add(keyPost("wrong type: prefix", "{\"role\":\"READ_ONLY\",\"prefix\":" + v + "}", 400));
    }
  }

  /**
   * {@code json} in UTF-8 with the first {@code c} (ASCII) written in two bytes, as no encoder may.
   */
  static byte[] overlong(String json, char c) {
    int at = json.indexOf(c);
    byte[] head = json.substring(0, at).getBytes(StandardCharsets.US_ASCII);
    byte[] tail = json.substring(at + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) (0xc0 | (c >> 6));
    out[head.length + 1] = (byte) (0x80 | (c & 0x3f));
    System.arraycopy(tail, 0, out, head.length + 2, tail.length);
    return out;
  }

  static String withField(String field, String json) {
    return "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "\",\"" + field + "\":" + json + "}";
  }

  void missingAndUnknownFields(List<Bad> out) {
    for (String body :
        List.of(
            "{}",
            "{\"key\":\"seed/a\"}",
            "{\"value\":\"" + SENTINEL + "\"}",
            "{\"expectedVersion\":2}",
            "{\"description\":\"d\",\"labels\":{}}",
            "{\"key\":null,\"value\":\"" + SENTINEL + "\"}",
            "{\"key\":\"seed/a\",\"value\":null}")) {
      out.add(post("missing field", body, 400));
    }
    for (String body : List.of("{}", "{\"tenant\":\"default\"}", "{\"role\":null}")) {
      out.add(keyPost("missing field", body, 400));
    }
    for (String field :
        List.of(
            "extra",
            "Key",
            "VALUE",
            "expected_version",
            "expectedversion",
            "label",
            "tenant",
            "version",
            "id",
            "",
            "__proto__",
            "createdAt",
            "key ",
            SENTINEL)) {
      out.add(post("unknown field", withField(jsonString(field), "1"), 400));
    }
    for (String field : List.of("name", "Role", "secret", "expiresAt", SENTINEL)) {
      out.add(keyPost("unknown field", "{\"role\":\"READ_ONLY\",\"" + field + "\":1}", 400));
    }
  }

  static String jsonString(String s) {
    try {
      String quoted = JSON.writeValueAsString(s);
      return quoted.substring(1, quoted.length() - 1);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  void tooLarge(List<Bad> out) {
    String hugeValue =
        "{\"key\":\"seed/a\",\"value\":\"" + SENTINEL + "x".repeat(300 * KIB) + "\"}";
    byte[] huge = hugeValue.getBytes(StandardCharsets.UTF_8);
    out.add(post("too large", "a 300 KiB body", hugeValue, 413));
    out.add(
        bad(
            "too large",
            "a 300 KiB chunked body",
            Set.of(413),
            () ->
                client.callChunked(
                    server.port(), "POST", "/api/v1/secrets", admin, "application/json", huge)));
    out.add(post("too large", "300 KiB that is not JSON", SENTINEL + "{".repeat(300 * KIB), 413));
    out.add(
        post(
            "too large",
            "a value of 64 KiB + 1 byte",
            "{\"key\":\"seed/a\",\"value\":\""
                + SENTINEL
                + "x".repeat(64 * KIB + 1 - SENTINEL.length())
                + "\"}",
            413));
    out.add(
        post(
            "too large",
            "a value of 21846 euro signs (65538 UTF-8 bytes)",
            "{\"key\":\"seed/a\",\"value\":\"" + "\u20ac".repeat(21846) + "\"}",
            413));
    out.add(
        bad(
            "too large",
            "a 300 KiB body to POST /api/v1/keys",
            Set.of(413),
            () ->
                client.call(
                    server.port(),
                    "POST",
                    "/api/v1/keys",
                    admin,
                    "application/json",
                    "{\"role\":\"READ_ONLY\",\"prefix\":\"" + "x".repeat(300 * KIB) + "\"}")));
    out.add(
        bad(
            "too large",
            "a 300 KiB chunked body to POST /api/v1/keys",
            Set.of(413),
            () ->
                client.callChunked(
                    server.port(), "POST", "/api/v1/keys", admin, "application/json", huge)));
    for (String[] mp :
        new String[][] {
          {"GET", "/api/v1/whoami"},
          {"DELETE", "/api/v1/secrets/seed/a"},
          {"POST", "/api/v1/secrets/seed/a:restore"},
          {"POST", "/api/v1/secrets/seed/a:destroy"},
          {"GET", "/api/v1/secrets/seed/a"}
        }) {
      out.add(
          bad(
              "too large",
              "a 300 KiB body with " + mp[0] + " " + mp[1],
              Set.of(413),
              () ->
                  client.callBytes(server.port(), mp[0], mp[1], admin, "application/json", huge)));
    }
    out.add(
        raw(
            "too large",
            "POST /api/v1/secrets HTTP/1.1\r\n"
                + "Authorization: Bearer "
                + admin
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000000",
            VALID.getBytes(StandardCharsets.UTF_8),
            413,
            400));
  }

  /**
   * Names that are not names: dot segments, empty segments, slashes at the ends, characters outside
   * the set, length.
   */
  static final List<String> BAD_NAMES =
      List.of(
          "..",
          ".",
          "../seed/a",
          "seed/..",
          "seed/../seed/a",
          "seed/./a",
          "seed//a",
          "/seed/a",
          "seed/a/",
          "/",
          "",
          " ",
          "seed/a ",
          " seed/a",
          "seed /a",
          "seed/a\t",
          "seed/a\n",
          "seed/a\u0000",
          "seed/a\u007f",
          "seed/\u00e4",
          "\u65e5\u672c/a",
          "seed/a:versions",
          "seed:a",
          "seed%2fa",
          "seed\\a",
          "seed/a;x",
          "seed/a?x",
          "seed/a#x",
          "seed/*",
          "x".repeat(257),
          "a/".repeat(128) + "b",
          SENTINEL + " x",
          "seed/a\u2028",
          "\uff53eed/a");

  /**
   * The same ideas in a URL path, percent-encoded where a URL needs it; every one aims at a seeded
   * secret. A name percent-encoded once ({@code seed%2Fa}) is a name ({@code
   * PercentEncodedNamesTest}).
   */
  static final List<String> BAD_PATH_NAMES =
      List.of(
          "x/../seed/a",
          "..",
          "../seed/a",
          "..%2fseed/a",
          "x/..%2fseed/a",
          "%2e%2e/seed/a",
          "x/%2e%2e/seed/a",
          ".%2e/seed/a",
          "seed/.",
          "seed/./a",
          "seed//a",
          "/seed/a",
          "seed/a/",
          "seed/a%00",
          "seed/a%0a",
          "seed/a%20",
          "seed/%C3%A4",
          "seed/a;x",
          "seed/a;jsessionid=1",
          "x".repeat(257),
          "seed/~a",
          // Decoded once, these are still not names: a second decoding is never made.
          "seed%252fa",
          "%252e%252e/seed/a",
          "seed%252Fa",
          "seed%2F..%2Fa",
          "seed%2F%2Fa",
          "seed%2Fa%2F",
          "seed%25",
          "seed%C3%28",
          "seed/a:");

  /**
   * What the JDK client will not put in a URL: raw spaces, control bytes, non-ASCII, backslashes,
   * quotes.
   */
  static final List<String> RAW_PATH_NAMES =
      List.of(
          "seed/a b",
          "seed/a\tb",
          "seed/a\u0000",
          "seed/\u00c3\u00a4",
          "seed\\a",
          "seed/a\u007f",
          "seed/a\"",
          "seed/a<x>");

  void invalidNames(List<Bad> out) {
    for (String name : BAD_NAMES) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("key", name);
      body.put("value", SENTINEL);
      out.add(post("invalid name in the body", name, toJson(body), 400));
    }
    for (String name : BAD_PATH_NAMES) {
      String path = "/api/v1/secrets/" + name;
      out.add(call("invalid name in the path", "GET", path, null, null, 400));
      out.add(call("invalid name in the path", "GET", path + ":versions", null, null, 400));
      out.add(call("invalid name in the path", "DELETE", path, null, null, 400));
      out.add(call("invalid name in the path", "POST", path + ":restore", null, null, 400));
      out.add(call("invalid name in the path", "POST", path + ":destroy", null, null, 400));
    }
    for (String name : RAW_PATH_NAMES) {
      for (String method : List.of("GET", "DELETE")) {
        out.add(
            raw(
                "invalid name in the path",
                method
                    + " /api/v1/secrets/"
                    + name
                    + " HTTP/1.1\r\n"
                    + "Authorization: Bearer "
                    + admin,
                null,
                400));
      }
    }
  }

  void badQueryParameters(List<Bad> out) {
    for (String v :
        List.of(
            "0",
            "-1",
            "abc",
            "100000",
            "1001",
            "",
            "1.5",
            "2147483648",
            "%201",
            "0x10",
            SENTINEL)) {
      out.add(call("bad query parameter", "GET", "/api/v1/secrets?limit=" + v, null, null, 400));
    }
    for (String v :
        List.of(
            "!!!",
            "bm9wZQ",
            SENTINEL,
            "%00",
            Base64.getUrlEncoder().encodeToString(SENTINEL.getBytes(StandardCharsets.US_ASCII)),
            "A".repeat(5000),
            "==")) {
      out.add(call("bad query parameter", "GET", "/api/v1/secrets?cursor=" + v, null, null, 400));
    }
    for (String v :
        List.of(SENTINEL + "%20x", "%00", "a%0Ab", "x".repeat(257), "%C3%A4", "a%5Cb")) {
      out.add(call("bad query parameter", "GET", "/api/v1/secrets?prefix=" + v, null, null, 400));
    }
    for (String v :
        List.of("0", "-1", "abc", "1.0", "99999999999999999999", "", SENTINEL, "%201", "0x1")) {
      out.add(
          call(
              "bad query parameter",
              "GET",
              "/api/v1/secrets/seed/a?version=" + v,
              null,
              null,
              400));
      out.add(
          call(
              "bad query parameter",
              "POST",
              "/api/v1/secrets/seed/a:destroy?version=" + v,
              null,
              null,
              400));
    }
    out.add(
        call(
            "bad query parameter",
            "GET",
            "/api/v1/secrets/seed/a?version=9223372036854775807",
            null,
            null,
            404));
    out.add(
        call(
            "bad query parameter",
            "POST",
            "/api/v1/secrets/seed/a:destroy?version=9223372036854775807",
            null,
            null,
            404));
    for (String v : List.of("0", "-1", "abc", "100000", "1001")) {
      out.add(call("bad query parameter", "GET", "/api/v1/audit?limit=" + v, null, null, 400));
    }
    for (String v : List.of("-1", "abc", "99999999999999999999", SENTINEL)) {
      out.add(call("bad query parameter", "GET", "/api/v1/audit?after=" + v, null, null, 400));
    }
  }

  void contentTypes(List<Bad> out) {
    List<String> types =
        new ArrayList<>(
            List.of(
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "",
                "application/xml",
                "text/json",
                "application/jsonx",
                "application/json-patch+json",
                "application/merge-patch+json",
                "application/problem+json",
                "*/*",
                "application/*",
                "json",
                "application/ json"));
    types.add(null);
    for (String type : types) {
      out.add(
          call(
              "content type " + (type == null ? "(none)" : "'" + type + "'"),
              "POST",
              "/api/v1/secrets",
              type,
              VALID,
              415));
      if (type == null
          || type.startsWith("text/")
          || type.startsWith("multipart")
          || type.startsWith("application/x")) {
        out.add(
            call(
                "content type " + (type == null ? "(none)" : "'" + type + "'"),
                "POST",
                "/api/v1/keys",
                type,
                VALID_KEY,
                415));
      }
    }
  }

  void methodsAndActions(List<Bad> out) {
    String revoke = "/api/v1/keys/" + victimId + ":revoke";
    List<String> paths =
        List.of(
            "/api/v1/secrets",
            "/api/v1/secrets/seed/a",
            "/api/v1/secrets/seed/a:versions",
            "/api/v1/secrets/seed/a:restore",
            "/api/v1/secrets/seed/a:destroy",
            "/api/v1/keys",
            revoke,
            "/api/v1/audit",
            "/api/v1/audit/verify",
            "/api/v1/whoami");
    for (String method : List.of("PUT", "PATCH")) {
      for (String path : paths) {
        out.add(call("method", method, path, "application/json", VALID, 404, 405));
      }
    }
    for (String path : paths) {
      if (!path.equals("/api/v1/secrets/seed/a")) {
        out.add(call("method", "DELETE", path, null, null, 404, 405));
      }
    }
    for (String path :
        List.of(
            "/api/v1/secrets/seed/a", "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/whoami")) {
      out.add(call("method", "POST", path, "application/json", VALID, 404, 405));
    }
    for (String path :
        List.of("/api/v1/secrets/seed/a:restore", "/api/v1/secrets/seed/a:destroy", revoke)) {
      out.add(call("method", "GET", path, null, null, 404, 405));
    }
    for (String method : List.of("OPTIONS", "TRACE")) {
      out.add(call("method", method, "/api/v1/secrets/seed/a", null, null, 404, 405));
    }
    for (String action :
        List.of(
            "bogus",
            "VERSIONS",
            "Versions",
            "versions2",
            "",
            ":versions",
            "versions:versions",
            "delete",
            "undelete",
            "Destroy",
            "RESTORE",
            "destroy:x",
            "restore%3Adestroy")) {
      out.add(call("unknown action", "GET", "/api/v1/secrets/seed/a:" + action, null, null, 400));
      out.add(call("unknown action", "POST", "/api/v1/secrets/seed/a:" + action, null, null, 400));
      out.add(
          call("unknown action", "DELETE", "/api/v1/secrets/seed/a:" + action, null, null, 400));
    }
    for (String path :
        List.of(
            victimId + ":explode",
            victimId,
            victimId + ":REVOKE",
            victimId + ":revoke:revoke",
            "notanid:revoke",
            victimId.toUpperCase(Locale.ROOT) + ":revoke",
            ":revoke",
            victimId + "x:revoke",
            "../keys/" + victimId + ":revoke",
            victimId + "%3Arevoke")) {
      out.add(
          call("unknown action or key id", "POST", "/api/v1/keys/" + path, null, null, 400, 404));
    }
  }

  void credentials(List<Bad> out) {
    for (String param :
        List.of(
            "api_key",
            "key",
            "token",
            "access_token",
            "authorization",
            "API_KEY",
            "apikey",
            "api-key",
            "x",
            "prefix")) {
      String query = "?" + param + "=" + admin;
      out.add(call("API key in the query", "GET", "/api/v1/secrets" + query, null, null, 400));
      out.add(
          bad(
              "API key in the query",
              "GET /api/v1/whoami" + query + " without a header",
              Set.of(400),
              () -> client.call(server.port(), "GET", "/api/v1/whoami" + query, null, null, null)));
    }
    for (String[] mp :
        new String[][] {
          {"GET", "/api/v1/secrets/seed/a"},
          {"DELETE", "/api/v1/secrets/seed/a"},
          {"POST", "/api/v1/secrets/seed/a:destroy"},
          {"GET", "/api/v1/audit"},
          {"GET", "/api/v1/keys"},
          {"POST", revokePath()}
        }) {
      out.add(call("API key in the query", mp[0], mp[1] + "?api_key=" + admin, null, null, 400));
    }
    out.add(
        call(
            "API key in the query",
            "POST",
            "/api/v1/secrets?token=" + admin,
            "application/json",
            VALID,
            400));
    out.add(
        call(
            "API key in the query",
            "POST",
            "/api/v1/keys?access_token=" + admin,
            "application/json",
            VALID_KEY,
            400));
    String id = admin.substring(4, 20);
    List<String> headers =
        List.of(
            "",
            "Bearer",
            "Bearer ",
            "Bearer    ",
            "Basic YWRtaW46c2VjcmV0",
            "Token " + admin,
            admin,
            "Bearer\t" + admin,
            "Bearer " + admin + "x",
            "Bearer " + admin.substring(0, admin.length() - 1),
            "Bearer lns_",
            "Bearer lns_" + id.toUpperCase(Locale.ROOT) + "_" + adminSecret,
            "Bearer lns_" + id + "_",
            "Bearer lns_" + id,
            "Bearer " + "A".repeat(4000),
            "Bearer " + admin + ", Bearer " + admin,
            "Bearer lns_" + id + "_" + SENTINEL,
            "Bearer lns_" + id + "__" + adminSecret);
    for (String header : headers) {
      for (String target : List.of("GET /api/v1/whoami", "DELETE /api/v1/secrets/seed/a")) {
        out.add(
            raw("bad credentials", target + " HTTP/1.1\r\nAuthorization: " + header, null, 401));
      }
    }
    out.add(raw("bad credentials", "GET /api/v1/whoami HTTP/1.1", null, 401));
    out.add(
        raw(
            "bad credentials",
            "GET /api/v1/whoami HTTP/1.1\r\nAuthorization: Bearer \u00e4\u00e4",
            null,
            401,
            400));
    out.add(
        raw(
            "bad credentials",
            "GET /api/v1/whoami HTTP/1.1\r\nAuthorization: Bearer " + admin + "\u0001",
            null,
            401,
            400));
  }

  String revokePath() {
    return "/api/v1/keys/" + victimId + ":revoke";
  }

  void protocol(List<Bad> out) {
    String post =
        "POST /api/v1/secrets HTTP/1.1\r\nAuthorization: Bearer "
            + admin
            + "\r\nContent-Type: application/json";
    byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
    out.add(raw("HTTP framing", post + "\r\nContent-Length: abc", body));
    out.add(raw("HTTP framing", post + "\r\nContent-Length: -1", body));
    out.add(raw("HTTP framing", post + "\r\nContent-Length: 99999999999999999999", body));
    out.add(
        raw(
            "HTTP framing",
            post + "\r\nContent-Length: " + body.length + "\r\nContent-Length: 3",
            body));
    out.add(
        raw(
            "HTTP framing",
            post + "\r\nTransfer-Encoding: chunked",
            ("zz\r\n" + VALID + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
    out.add(
        raw(
            "HTTP framing",
            post + "\r\nTransfer-Encoding: chunked",
            ("fffffffffffffffffff\r\n" + VALID + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8)));
    out.add(
        raw(
            "HTTP framing",
            post + "\r\nTransfer-Encoding: chunked",
            ("1000\r\n" + VALID + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
    out.add(
        raw(
            "HTTP framing",
            post + "\r\nTransfer-Encoding: chunked\r\nContent-Length: " + body.length,
            ("" + Integer.toHexString(body.length) + "\r\n" + VALID + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8)));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " + admin,
            null));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1\r\nX-Broken\r\nAuthorization: Bearer " + admin,
            null));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1\r\nBad Header: x\r\nAuthorization: Bearer " + admin,
            null));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1\r\nX-Folded: a\r\n b\r\nAuthorization: Bearer " + admin,
            null));
    out.add(raw("HTTP framing", "GARBAGE", null));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1 extra\r\nAuthorization: Bearer " + admin,
            null));
    out.add(
        raw("HTTP framing", "GET api/v1/whoami HTTP/1.1\r\nAuthorization: Bearer " + admin, null));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/whoami HTTP/1.1\r\nX-Big: "
                + "a".repeat(20 * KIB)
                + "\r\nAuthorization: Bearer "
                + admin,
            null,
            431));
    out.add(
        raw(
            "HTTP framing",
            "GET /api/v1/secrets/"
                + "a".repeat(20 * KIB)
                + " HTTP/1.1\r\nAuthorization: Bearer "
                + admin,
            null,
            414));
  }

  // ---- builders ---------------------------------------------------------------------------------

  Bad bad(String category, String what, Set<Integer> expected, Supplier<Reply> send) {
    return new Bad(category, what, expected, send);
  }

  Bad post(String category, String body, Integer... expected) {
    return post(category, body, body, expected);
  }

  Bad post(String category, String what, String body, Integer... expected) {
    return bad(
        category,
        "POST /api/v1/secrets " + shorten(what),
        Set.of(expected),
        () ->
            client.call(server.port(), "POST", "/api/v1/secrets", admin, "application/json", body));
  }

  Bad keyPost(String category, String body, Integer... expected) {
    return bad(
        category,
        "POST /api/v1/keys " + shorten(body),
        Set.of(expected),
        () -> client.call(server.port(), "POST", "/api/v1/keys", admin, "application/json", body));
  }

  Bad call(
      String category,
      String method,
      String path,
      String contentType,
      String body,
      Integer... expected) {
    return bad(
        category,
        method + " " + shorten(path),
        Set.of(expected),
        () -> client.call(server.port(), method, path, admin, contentType, body));
  }

  Bad bytes(
      String category,
      String what,
      String method,
      String path,
      String contentType,
      byte[] body,
      Integer... expected) {
    return bad(
        category,
        method + " " + path + " " + what,
        Set.of(expected),
        () -> client.callBytes(server.port(), method, path, admin, contentType, body));
  }

  Bad raw(String category, String head, byte[] body, Integer... expected) {
    // The admin's own header and the JSON content type are the common case: show what differs.
    String shown =
        head.replaceAll(
                "\r\n(Authorization: Bearer "
                    + Pattern.quote(admin)
                    + "|Content-Type: application/json)"
                    + "(?=\r\n|$)",
                "")
            .replace(admin, "<admin key>")
            .replace("\r\n", " | ");
    return bad(
        category,
        shorten(shown),
        Set.of(expected),
        () -> client.rawRequest(server.port(), head, body));
  }

  static String toJson(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static String shorten(String s) {
    return s.length() > 120 ? s.substring(0, 100) + "...(" + s.length() + " chars)" : s;
  }

  /** Display names go into XML reports: no control characters there. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
