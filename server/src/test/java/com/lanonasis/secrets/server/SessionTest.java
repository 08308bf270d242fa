package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's sessions over real HTTP: the cookie's flags, the CSRF and Origin checks (a
 * refused change changes nothing), timeouts on the server's clock, sign-out, no fixation, a revoked
 * key's sessions, the throttle, and the security headers and file rules of the dashboard's pages.
 */
@DisplayName("dashboard sessions")
class SessionTest {
  @TempDir Path dir;
  final AuthThrottleTest.ManualClock clock = new AuthThrottleTest.ManualClock();
  final HttpTestClient client = new HttpTestClient();
  SecretsServer server;
  String admin;

  @BeforeEach
  void start() {
    RealServer started =
        RealServer.start(
            dir,
            b ->
                b.clock(clock)
                    .sessionTimeouts(Duration.ofMinutes(15), Duration.ofHours(8))
                    .authFailureLimit(3, Duration.ofMinutes(1)));
    server = started.server();
    admin = started.adminKey();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * The {@code Set-Cookie} that sets the session (the others of a sign-in answer clear longer
   * paths).
   */
  static String sessionCookie(java.net.http.HttpHeaders headers) {
    List<String> set =
        headers.allValues("Set-Cookie").stream().filter(c -> !c.contains("Max-Age=0")).toList();
    assertThat(set).as(headers.allValues("Set-Cookie").toString()).hasSize(1);
    return set.get(0);
  }

  /** Signs in with {@code key}; answers the cookie value and the CSRF token. */
  String[] signIn(String key) {
    Reply r = client.call(server.port(), "POST", "/api/v1/session", key, null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String setCookie = sessionCookie(r.headers());
    String id = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    return new String[] {id, r.json().get("csrfToken").asText()};
  }

  /** The paths the answer's {@code Set-Cookie} headers remove the session cookie from. */
  static List<String> clearedPaths(Reply r) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.contains("Max-Age=0"))
        .map(c -> c.replaceAll(".*; Path=([^;]*);.*", "$1"))
        .toList();
  }

  Reply withSession(
      String method, String path, String cookie, String csrf, String origin, String body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Cookie", Sessions.COOKIE + "=" + cookie);
    if (csrf != null) {
      headers.put(Sessions.CSRF_HEADER, csrf);
    }
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return client.call(
        server.port(), method, path, null, body == null ? null : "application/json", body, headers);
  }

  Reply write(String cookie, String csrf, String origin, String name) {
    return withSession(
        "POST",
        "/api/v1/secrets",
        cookie,
        csrf,
        origin,
        "{\"key\":\"" + name + "\",\"value\":\"v\"}");
  }

  @Test
  void signIn_setsAStrictHttpOnlyCookie_andTheKeyNeverComesBack() {
    Reply r = client.call(server.port(), "POST", "/api/v1/session", admin, null, null);
    assertThat(r.status()).isEqualTo(201);
    String setCookie = sessionCookie(r.headers());
    // Plain http on loopback: no Secure, so no __Host- name either (ServerTlsTest has both).
    assertThat(setCookie)
        .startsWith("lns_session=")
        .contains("; HttpOnly", "; SameSite=Strict", "; Path=/;")
        .doesNotContain("Secure");
    // A cookie planted under a longer path would be sent before this one: sign-in removes it.
    assertThat(clearedPaths(r)).contains("/api", "/api/v1", "/api/v1/session").doesNotContain("/");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.body()).doesNotContain(admin.substring("lns_0123456789abcdef_".length()));
    assertThat(r.json().get("keyId").asText()).isEqualTo(ApiKeys.idOf(admin));
    assertThat(r.json().get("idleTimeoutSeconds").asLong()).isEqualTo(900);
  }

  @Test
  void aSessionReadsLikeItsKey_andAChangeNeedsTheTokenAndTheOrigin_elseNothingChanges() {
    String[] s = signIn(admin);
    assertThat(withSession("GET", "/api/v1/secrets", s[0], s[1], null, null).status())
        .isEqualTo(200);
    Reply who = withSession("GET", "/api/v1/session", s[0], s[1], null, null);
    assertThat(who.status()).isEqualTo(200);
    assertThat(who.json().get("keyId").asText()).isEqualTo(ApiKeys.idOf(admin));
    assertThat(who.json().has("csrfToken"))
        .as("only the sign-in answer carries the token")
        .isFalse();

    assertThat(write(s[0], null, origin(), "csrf/none").status()).as("no token").isEqualTo(401);
    assertThat(write(s[0], "wrong", origin(), "csrf/wrong").status())
        .as("wrong token")
        .isEqualTo(401);
    assertThat(write(s[0], s[1], null, "csrf/no-origin").status()).as("no Origin").isEqualTo(403);
    assertThat(write(s[0], s[1], "https://evil.example", "csrf/evil").status())
        .as("foreign Origin")
        .isEqualTo(403);
    assertThat(withSession("DELETE", "/api/v1/session", s[0], null, origin(), null).status())
        .isEqualTo(401);
    for (String name : List.of("csrf/none", "csrf/wrong", "csrf/no-origin", "csrf/evil")) {
      assertThat(
              client
                  .call(server.port(), "GET", "/api/v1/secrets/" + name, admin, null, null)
                  .status())
          .as("%s was not written", name)
          .isEqualTo(404);
    }
    List<String> denied =
        server.auditLog().read(0, 1000, Optional.empty()).stream()
            .filter(e -> e.action().equals("write") && e.outcome().equals("denied"))
            .map(e -> e.keyId().orElse(""))
            .toList();
    assertThat(denied)
        .as(
            "each refusal is audited under the session's key (a cookie without its token too: "
                + "someone holds it)")
        .hasSize(4)
        .containsOnly(ApiKeys.idOf(admin));

    assertThat(write(s[0], s[1], origin(), "csrf/ok").status()).isEqualTo(201);
    Reply reveal =
        withSession("POST", "/api/v1/secrets/csrf/ok:reveal", s[0], s[1], origin(), "{}");
    assertThat(reveal.status()).isEqualTo(200);
    assertThat(reveal.json().get("value").asText()).isEqualTo("v");
    assertThat(reveal.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(server.auditLog().read(0, 1000, Optional.empty()))
        .anyMatch(
            e -> e.action().equals("reveal") && e.secretName().equals(Optional.of("csrf/ok")));
  }

  @Test
  void aSessionEnds_afterIdleTime_atTheAbsoluteLimit_andAtSignOut() {
    String[] idle = signIn(admin);
    clock.advance(Duration.ofMinutes(14));
    assertThat(withSession("GET", "/api/v1/secrets", idle[0], idle[1], null, null).status())
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(14));
    assertThat(withSession("GET", "/api/v1/secrets", idle[0], idle[1], null, null).status())
        .as("used 14 min ago")
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(15));
    assertThat(withSession("GET", "/api/v1/secrets", idle[0], idle[1], null, null).status())
        .as("idle 15 min")
        .isEqualTo(401);

    String[] busy = signIn(admin);
    for (int i = 0; i < 8 * 6 - 1; i++) { // used every 10 minutes for 8 hours less 10 minutes
      clock.advance(Duration.ofMinutes(10));
      assertThat(withSession("GET", "/api/v1/secrets", busy[0], busy[1], null, null).status())
          .isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(10));
    assertThat(withSession("GET", "/api/v1/secrets", busy[0], busy[1], null, null).status())
        .as("8 hours old")
        .isEqualTo(401);

    String[] out = signIn(admin);
    Reply signOut = withSession("DELETE", "/api/v1/session", out[0], out[1], origin(), null);
    assertThat(signOut.status()).isEqualTo(204);
    assertThat(clearedPaths(signOut)).contains("/", "/api", "/api/v1");
    assertThat(withSession("GET", "/api/v1/secrets", out[0], out[1], null, null).status())
        .isEqualTo(401);
  }

  @Test
  void signIn_makesANewId_soAPlantedCookieIsNeverSignedIn_andRevokingTheKeyEndsItsSessions() {
    String planted = "attacker-chosen-value";
    Map<String, String> headers = Map.of("Cookie", Sessions.COOKIE + "=" + planted);
    Reply r = client.call(server.port(), "POST", "/api/v1/session", admin, null, null, headers);
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains(planted));
    assertThat(
            withSession(
                    "GET",
                    "/api/v1/secrets",
                    planted,
                    r.json().get("csrfToken").asText(),
                    null,
                    null)
                .status())
        .isEqualTo(401);

    String first = signIn(admin)[0];
    String second = signIn(admin)[0];
    assertThat(second).isNotEqualTo(first);

    String reader = server.apiKeys().create("default", Role.READ_ONLY, "");
    String[] s = signIn(reader);
    assertThat(write(s[0], s[1], origin(), "ro/x").status())
        .as("the session may what its key may")
        .isEqualTo(403);
    assertThat(server.apiKeys().revoke(ApiKeys.idOf(reader))).isTrue();
    assertThat(withSession("GET", "/api/v1/secrets", s[0], s[1], null, null).status())
        .isEqualTo(401);
  }

  @Test
  void thePagesSignedInProbe_withoutCredentials_isNotCounted_andAnEndedSessionsCookieIsCleared() {
    for (int i = 0; i < 10; i++) {
      assertThat(client.call(server.port(), "GET", "/api/v1/session", null, null, null).status())
          .isEqualTo(401);
    }
    signIn(admin); // not throttled: the limit is 3 failures
    assertThat(client.call(server.port(), "GET", "/api/v1/secrets", null, null, null).status())
        .isEqualTo(401);

    String[] s = signIn(admin);
    clock.advance(Duration.ofHours(9));
    Reply ended = withSession("GET", "/api/v1/session", s[0], s[1], null, null);
    assertThat(ended.status()).isEqualTo(401);
    assertThat(ended.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("lns_session=;")
        .contains("Max-Age=0");
  }

  @Test
  void badKeysAtSignIn_areThrottledLikeAnyOther() {
    int throttled = 0;
    for (int i = 0; i < 6; i++) {
      Reply r =
          client.call(
              server.port(),
              "POST",
              "/api/v1/session",
              "lns_0123456789abcdef_" + "x".repeat(43),
              null,
              null);
      assertThat(r.status()).isIn(401, 429);
      throttled += r.status() == 429 ? 1 : 0;
    }
    assertThat(throttled).isGreaterThanOrEqualTo(3);
  }

  @Test
  @DisplayName(
      "S7: the cookie alone gets nothing, not even the token, whatever headers come with it")
  void theCookieAlone_authenticatesNothing_andNeverBuysTheToken() {
    String[] s = signIn(admin);
    assertThat(write(s[0], s[1], origin(), "s7/value").status()).isEqualTo(201);
    // What a service on another port of the host has: the cookie (cookies ignore ports), and any
    // header it cares to forge, since it replays the cookie from its own server.
    Map<String, String> forged = new HashMap<>();
    forged.put("Cookie", Sessions.COOKIE + "=" + s[0]);
    forged.put("Origin", origin());
    forged.put("Sec-Fetch-Site", "same-origin");
    forged.put("X-Requested-With", "XMLHttpRequest");
    for (String path :
        List.of(
            "/api/v1/session",
            "/api/v1/secrets",
            "/api/v1/secrets/s7/value",
            "/api/v1/whoami",
            "/api/v1/audit?before=0&limit=5")) {
      Reply r = client.call(server.port(), "GET", path, null, null, null, forged);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.json().get("code").asText()).as(path).isEqualTo(Problem.SESSION_TOKEN);
      assertThat(r.body())
          .as(path)
          .doesNotContain(s[1])
          .doesNotContain("S3NTINEL")
          .doesNotContain("\"value\"");
    }
    Reply reveal =
        client.call(
            server.port(),
            "POST",
            "/api/v1/secrets/s7/value:reveal",
            null,
            "application/json",
            "{}",
            forged);
    assertThat(reveal.status()).isEqualTo(401);
    assertThat(reveal.body()).doesNotContain("\"v\"");
    // With the token the sign-in gave, the same session works.
    assertThat(
            withSession("GET", "/api/v1/secrets/s7/value", s[0], s[1], null, null)
                .json()
                .get("value")
                .asText())
        .isEqualTo("v");
  }

  @Test
  @DisplayName(
      "S6: a second session cookie planted under /api is refused, and every path's cookie cleared")
  void aPlantedSecondSessionCookie_isRefused_clearedOnEveryPath_andNothingIsWritten() {
    String[] victim = signIn(admin);
    String other = server.apiKeys().create("attacker", Role.ADMIN, "");
    String[] attacker = signIn(other);
    // The browser sends the cookie with the longer path first: the planted one (Path=/api).
    Map<String, String> tossed = new HashMap<>();
    tossed.put(
        "Cookie", Sessions.COOKIE + "=" + attacker[0] + "; " + Sessions.COOKIE + "=" + victim[0]);
    tossed.put(Sessions.CSRF_HEADER, victim[1]);
    tossed.put("Origin", origin());
    Reply write =
        client.call(
            server.port(),
            "POST",
            "/api/v1/secrets",
            null,
            "application/json",
            "{\"key\":\"s6/stored\",\"value\":\"v\"}",
            tossed);
    assertThat(write.status()).isEqualTo(401);
    assertThat(write.contentType()).startsWith("application/problem+json");
    assertThat(write.json().get("code").asText()).isEqualTo(Problem.SESSION_CONFLICT);
    assertThat(write.json().get("detail").asText())
        .contains("2 session cookies")
        .contains("sign in again");
    assertThat(clearedPaths(write))
        .contains("/", "/api", "/api/", "/api/v1", "/api/v1/", "/api/v1/secrets");
    assertThat(write.headers().allValues("Set-Cookie"))
        .allSatisfy(c -> assertThat(c).startsWith(Sessions.COOKIE + "=;").contains("Max-Age=0"));
    Reply reads = client.call(server.port(), "GET", "/api/v1/secrets", null, null, null, tossed);
    assertThat(reads.status()).isEqualTo(401);
    for (String key : List.of(admin, other)) {
      assertThat(
              client
                  .call(server.port(), "GET", "/api/v1/secrets/s6/stored", key, null, null)
                  .status())
          .as("written in neither tenant")
          .isEqualTo(404);
    }
    // The planted cookie alone, with the victim's token (what the victim's page would send once its
    // own cookie is gone): not the attacker's session either.
    assertThat(write(attacker[0], victim[1], origin(), "s6/stored").status()).isEqualTo(401);
    assertThat(
            client
                .call(server.port(), "GET", "/api/v1/secrets/s6/stored", other, null, null)
                .status())
        .isEqualTo(404);
  }

  @Test
  @DisplayName(
      "S18: one key signing in over and over ends its own oldest sessions, never another key's")
  void aKeyHoldsAtMostTwentySessions_andCannotEvictAnotherKeys() {
    String[] bystander = signIn(server.apiKeys().create("default", Role.READ_ONLY, ""));
    String flooder = server.apiKeys().create("default", Role.READ_ONLY, "");
    List<String[]> sessions = new java.util.ArrayList<>();
    for (int i = 0; i < Sessions.MAX_PER_KEY + 5; i++) {
      sessions.add(signIn(flooder));
    }
    for (int i = 5; i < sessions.size(); i++) {
      String[] s = sessions.get(i);
      assertThat(withSession("GET", "/api/v1/whoami", s[0], s[1], null, null).status())
          .as("session %d", i)
          .isEqualTo(200);
    }
    for (int i = 0;
        i < 5;
        i++) { // ended: 401, or 429 once their refusals used up this test's 3 failures
      String[] s = sessions.get(i);
      assertThat(withSession("GET", "/api/v1/whoami", s[0], s[1], null, null).status())
          .as("session %d", i)
          .isIn(401, 429);
    }
    assertThat(
            withSession("GET", "/api/v1/whoami", bystander[0], bystander[1], null, null).status())
        .as("another key's session")
        .isEqualTo(200);
  }

  @Test
  void everyAnswer_carriesTheSecurityHeaders_andTheDashboardServesOnlyItsOwnFiles() {
    for (String path :
        List.of(
            "/",
            "/ui/app.js",
            "/ui/app.css",
            "/api/v1/openapi.json",
            "/healthz",
            "/ui/nope.js",
            "/api/v1/secrets")) {
      Reply r = client.call(server.port(), "GET", path, null, null, null);
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValueSatisfying(
              csp ->
                  assertThat(csp)
                      .contains(
                          "script-src 'self'",
                          "object-src 'none'",
                          "frame-ancestors 'none'",
                          "base-uri 'none'")
                      .doesNotContain("unsafe-inline", "unsafe-eval"));
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
      if (path.startsWith("/api/")) {
        assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
      }
    }
    // S16: the one answer that holds a new API key, and a refusal, are never stored by a cache.
    Reply created =
        client.call(
            server.port(),
            "POST",
            "/api/v1/keys",
            admin,
            "application/json",
            "{\"role\":\"READ_ONLY\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).contains("\"key\":\"lns_");
    assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(
            client
                .call(server.port(), "GET", "/api/v1/keys", null, null, null)
                .headers()
                .firstValue("Cache-Control"))
        .hasValue("no-store");
    Reply page = client.call(server.port(), "GET", "/", null, null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
        .doesNotContain("<style", " style=");
    assertThat(client.call(server.port(), "GET", "/ui/app.js", null, null, null).contentType())
        .startsWith("text/javascript");
    for (String path :
        List.of(
            "/ui/nope.js",
            "/ui/../openapi.json",
            "/ui/%2e%2e/SecretsServer.class",
            "/ui/SecretsServer.class",
            "/ui/",
            "/ui/index.HTML")) {
      assertThat(client.call(server.port(), "GET", path, null, null, null).status())
          .as(path)
          .isIn(400, 404);
    }
  }
}
