package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lanonasis.secrets.server.testing.RealServer;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard in a real headless Chromium against a real server (SQLite in a temporary directory,
 * an ephemeral port): sign-in and sessions, Settings → Secrets, and what must never happen (script
 * from user text, a CSP violation, a value left on the page). One server and one browser for the
 * class; each test signs in afresh and uses names of its own. Screens are saved under {@code
 * target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the dashboard, in a real browser")
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  final AuthThrottleTest.ManualClock clock = new AuthThrottleTest.ManualClock();
  final HttpTestClient http = new HttpTestClient();
  RealServer started;
  Dashboard browser;
  String admin;
  int port;

  @BeforeAll
  void start(@TempDir Path dir) {
    // A clock the test moves (session expiry), set to now: the browser judges cookies by its own
    // clock.
    clock.advance(Duration.between(clock.instant(), Instant.now()));
    // The default throttle (10 failures a minute): page loads asking GET /api/v1/session without a
    // cookie are not failures, so a suite of sign-ins and reloads must get through it.
    started = RealServer.start(dir, b -> b.clock(clock));
    admin = started.adminKey();
    port = started.server().port();
    browser = new Dashboard("http://127.0.0.1:" + port + "/", dir.resolve("chromium-profile"));
  }

  @AfterAll
  void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (started != null) {
        started.server().close();
      }
    }
  }

  @BeforeEach
  void wideWindow() {
    browser.driver.manage().window().setSize(new Dimension(1280, 900));
  }

  // ---- REST helpers: what another client does meanwhile, and what the server holds -------------

  int put(String name, String value) {
    return put(name, value, Map.of());
  }

  int put(String name, String value, Map<String, Object> more) {
    ObjectNode body = JSON.createObjectNode().put("key", name).put("value", value);
    more.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
    HttpTestClient.Reply r =
        http.call(port, "POST", "/api/v1/secrets", admin, "application/json", body.toString());
    assertThat(r.status()).as(r.body()).isIn(200, 201);
    return r.json().get("version").asInt();
  }

  HttpTestClient.Reply read(String name) {
    return http.call(port, "GET", "/api/v1/secrets/" + name, admin, null, null);
  }

  /** The audited actions on {@code name}, oldest first, with their outcomes ("reveal ok"). */
  List<String> audited(String name) {
    List<String> out = new java.util.ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page =
          http.call(port, "GET", "/api/v1/audit?limit=1000&after=" + after, admin, null, null)
              .json();
      for (JsonNode e : page.get("items")) {
        if (name.equals(e.path("secretName").asText())) {
          out.add(e.get("action").asText() + " " + e.get("outcome").asText());
        }
      }
      if (!page.has("nextAfter")) {
        return out;
      }
      after = page.get("nextAfter").asLong();
    }
  }

  @Nested
  @DisplayName("sign-in and sessions")
  class Sessions {
    @Test
    void signIn_adminKey_showsSecretsAndKeepsTheKeyNowhere() {
      browser.openSignedOut();
      browser.screenshot("signin");
      WebElement key = browser.byId("signin-key");
      assertThat(key.getAttribute("type")).isEqualTo("password");
      key.sendKeys(admin);
      key.sendKeys(Keys.ENTER);
      browser.waitVisible("app");
      browser.waitListed();

      assertThat(browser.byId("who").getText()).contains("Admin key").contains("tenant default");
      assertThat(browser.byId("signin-key").getAttribute("value")).isEmpty();
      assertThat(browser.driver.getTitle()).doesNotContain(admin);
      assertThat(browser.driver.getCurrentUrl()).doesNotContain(RealServer.secretPart(admin));
      // The only thing kept: the session's token (origin-scoped, so no other port of the host reads
      // it), never the key.
      assertThat(
              browser.js(
                  "return Object.keys(localStorage).join(',') + '|' + sessionStorage.length"))
          .isEqualTo("lanonasis.sessionToken|0");
      assertThat((String) browser.js("return localStorage.getItem('lanonasis.sessionToken')"))
          .hasSizeGreaterThan(40)
          .doesNotContain(RealServer.secretPart(admin));
      assertThat(browser.driver.getPageSource()).doesNotContain(RealServer.secretPart(admin));
      Cookie session = browser.driver.manage().getCookieNamed("lns_session");
      assertThat(session).isNotNull();
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");
      assertThat((String) browser.js("return document.cookie")).doesNotContain("lns_session");
    }

    @Test
    void signIn_unknownKey_isRefusedWithAMessage() {
      browser.openSignedOut();
      browser.type("signin-key", "lns_0000000000000000_" + "x".repeat(43));
      browser.click("signin-submit");
      String error = browser.waitText(By.id("signin-error"), "not accepted");
      assertThat(error).contains("unknown, revoked or mistyped");
      assertThat(browser.byId("signin-key").getAttribute("value")).isEmpty();
      assertThat(browser.byId("app").isDisplayed()).isFalse();
    }

    @Test
    void signOut_returnsToSignIn_andTheSessionIsGoneForGood() {
      browser.signIn(admin);
      browser.click("signout");
      browser.waitText(By.id("signin-status"), "You signed out.");
      assertThat(browser.byId("secrets-body").findElements(By.tagName("tr"))).isEmpty();
      browser.driver.navigate().refresh();
      browser.waitVisible("signin-key");
      assertThat(browser.byId("app").isDisplayed()).isFalse();
    }

    @Test
    void cookieTossing_aPlantedSessionCookieUnderApi_landsOnSignInWithTheReason_andClearsIt() {
      String other = started.server().apiKeys().create("attacker", Role.ADMIN, "");
      HttpTestClient.Reply theirs = http.call(port, "POST", "/api/v1/session", other, null, null);
      String theirId =
          SessionTest.sessionCookie(theirs.headers()).split(";", 2)[0].split("=", 2)[1];
      browser.signIn(admin);
      assertThat(browser.byId("who").getText())
          .contains("Admin key " + admin.substring(4, 20))
          .contains("tenant default");
      // What a page on another port of this host can do: plant its own session under a longer path.
      browser.driver.manage().addCookie(new Cookie("lns_session", theirId, "/api"));
      browser.driver.navigate().refresh();
      String status = browser.waitText(By.id("signin-status"), "two session cookies");
      assertThat(status).contains("Sign in again").contains("key and tenant");
      assertThat(browser.byId("app").isDisplayed()).isFalse();
      assertThat(browser.driver.manage().getCookies())
          .as("both removed")
          .noneMatch(c -> c.getName().equals("lns_session"));

      // The planted cookie alone, as if it were the only one: the page's token is not its
      // session's.
      browser.driver.manage().addCookie(new Cookie("lns_session", theirId, "/api"));
      browser.driver.navigate().refresh();
      browser.waitVisible("signin-key");
      assertThat(browser.byId("app").isDisplayed())
          .as("never signed in to the attacker's tenant")
          .isFalse();

      browser.signIn(admin);
      assertThat(browser.byId("who").getText())
          .contains("tenant default")
          .doesNotContain("attacker");
    }

    @Test
    void sessionExpiry_theNextActionLandsOnSignIn() {
      put("expiry/one", "v");
      browser.signIn(admin);
      // Past every idle and absolute timeout the server may have.
      clock.advance(Duration.ofDays(2));
      browser.click("new-secret");
      browser.type("f-name", "expiry/two");
      browser.type("f-value", "v2");
      browser.click("secret-save");
      assertThat(browser.waitText(By.id("signin-status"), "Your session ended"))
          .contains("was not saved");
      browser.screenshot("session-ended");
      assertThat(browser.byId("app").isDisplayed()).isFalse();
      assertThat(browser.byId("f-value").getAttribute("value")).isEmpty();
      assertThat(read("expiry/two").status()).isEqualTo(404);
    }
  }

  @Nested
  @DisplayName("Settings → Secrets")
  class Secrets {
    @Test
    void store_newSecret_appearsWithItsDetailsAndNoValue() {
      browser.signIn(admin);
      // The class shares one server: other tests' names may fill the first page of an unfiltered
      // list.
      browser.search("store/", 25);
      browser.click("new-secret");
      browser.waitVisible("f-name");
      // Client-side checks mirror the server's: nothing is sent for a bad name.
      browser.type("f-name", "store/bad name");
      browser.type("f-value", "S3NTINEL-store-value");
      browser.type("f-labels", "Env=prod");
      browser.click("secret-save");
      browser.waitText(By.id("f-name-error"), "letters, digits");
      assertThat(browser.byId("f-labels-error").getText()).contains("Label line 1");
      assertThat(browser.byId("f-value").getAttribute("type")).isEqualTo("password");
      browser.click("f-value-toggle");
      assertThat(browser.byId("f-value").getAttribute("type")).isEqualTo("text");
      browser.click("f-value-toggle");
      browser.type("f-name", "store/db/password");
      browser.type("f-description", "The primary database");
      browser.type("f-labels", "env=prod\nteam=payments");
      browser.screenshot("store-form");
      browser.click("secret-save");
      browser.waitClosed("secret-dialog");
      browser.waitStatus("Stored store/db/password as version 1.");

      WebElement row = browser.row("store/db/password");
      assertThat(row.findElement(By.cssSelector("td.version")).getText()).isEqualTo("1");
      assertThat(row.getText())
          .contains("The primary database")
          .contains("env=prod")
          .contains("team=payments");
      assertThat(browser.driver.getPageSource()).doesNotContain("S3NTINEL-store-value");
      JsonNode stored = read("store/db/password").json();
      assertThat(stored.get("value").asText()).isEqualTo("S3NTINEL-store-value");
      assertThat(read("store/bad%20name").status()).isEqualTo(400);
    }

    @Test
    void store_multiLineValue_keepsItsLineBreaks() {
      browser.signIn(admin);
      // The class shares one server: other tests' names may fill the first page of an unfiltered
      // list.
      browser.search("store/", 25);
      browser.click("new-secret");
      browser.type("f-name", "store/tls/key");
      browser.click("f-multiline");
      browser.waitVisible("f-value-multi");
      browser.byId("f-value-multi").sendKeys("-----BEGIN-----\nline two\n-----END-----");
      browser.click("secret-save");
      browser.waitClosed("secret-dialog");
      browser.row("store/tls/key");
      assertThat(read("store/tls/key").json().get("value").asText())
          .isEqualTo("-----BEGIN-----\nline two\n-----END-----");
    }

    @Test
    void search_byPrefix_andPageThroughMoreThanOnePage() {
      for (int i = 1; i <= 12; i++) {
        put(String.format("paged/item-%02d", i), "v" + i);
      }
      put("pagedother/x", "v");
      browser.signIn(admin);
      browser.search("paged/", 10);
      assertThat(browser.listedNames())
          .hasSize(10)
          .allMatch(n -> n.startsWith("paged/"))
          .startsWith("paged/item-01")
          .endsWith("paged/item-10");
      assertThat(browser.byId("prev-page").isEnabled()).isFalse();
      browser.screenshot("secrets-search");

      browser.click("next-page");
      browser.waitListed();
      assertThat(browser.listedNames()).containsExactly("paged/item-11", "paged/item-12");
      assertThat(browser.byId("next-page").isEnabled()).isFalse();
      assertThat(browser.byId("page-info").getText()).contains("Page 2").contains("11–12");

      browser.click("prev-page");
      browser.waitListed();
      assertThat(browser.listedNames()).hasSize(10).startsWith("paged/item-01");

      browser.search("paged/item-1", 25);
      assertThat(browser.listedNames())
          .containsExactly("paged/item-10", "paged/item-11", "paged/item-12");

      browser.search("paged/<x>", 25);
      assertThat(browser.byId("search-error").getText()).contains("only letters, digits");
    }

    @Test
    void reveal_showsTheValue_thenMasksItAgain() {
      put("reveal/api-token", "S3NTINEL-revealed");
      browser.signIn(admin);
      browser.search("reveal/", 25);
      browser.revealFor(2);
      browser.rowButton("reveal/api-token", "reveal").click();
      WebElement shown =
          browser
              .waiting()
              .until(
                  ExpectedConditions.visibilityOfElementLocated(
                      By.cssSelector(
                          "#secrets-body tr[data-name=\"reveal/api-token\"] code.revealed")));
      assertThat(shown.getText()).isEqualTo("S3NTINEL-revealed");
      assertThat(browser.row("reveal/api-token").getText()).contains("Hides in");
      browser.screenshot("secrets-revealed");

      browser
          .waiting(Duration.ofSeconds(10))
          .until(
              d ->
                  browser
                      .row("reveal/api-token")
                      .findElements(By.cssSelector("code.revealed"))
                      .isEmpty());
      assertThat(browser.row("reveal/api-token").findElement(By.cssSelector(".mask")).getText())
          .isEqualTo("••••••••");
      assertThat(browser.driver.getPageSource()).doesNotContain("S3NTINEL-revealed");
      assertThat(browser.driver.getTitle()).doesNotContain("S3NTINEL");
      assertThat(browser.driver.getCurrentUrl()).doesNotContain("S3NTINEL");
      assertThat(audited("reveal/api-token")).contains("reveal ok").doesNotContain("read ok");
    }

    @Test
    void copy_clipboardAllowed_copiesThenClears() {
      put("copy/allowed", "S3NTINEL-copied");
      browser.signIn(admin);
      browser.allowClipboard();
      browser.search("copy/", 25);
      browser.revealFor(2);
      WebElement copy = browser.rowButton("copy/allowed", "copy");
      copy.click();
      browser.waitStatus("Copied the value of copy/allowed");
      assertThat(browser.clipboardText()).isEqualTo("S3NTINEL-copied");
      assertThat(browser.driver.getPageSource()).doesNotContain("S3NTINEL-copied");
      browser.waiting(Duration.ofSeconds(10)).until(d -> browser.clipboardText().isEmpty());
    }

    @Test
    void copy_clipboardDenied_showsTheValueSelectedForTheKeyboard() {
      put("copy/denied", "S3NTINEL-fallback");
      browser.signIn(admin);
      browser.search("copy/", 25);
      // Chromium lets a click write the clipboard whatever the permission says; a browser that
      // refuses is simulated by a writeText that rejects as a refusing one does.
      browser.js(
          "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))");
      browser.rowButton("copy/denied", "copy").click();
      browser.waitStatus("did not let the page copy");
      assertThat(browser.byId("status").getText())
          .contains("shown and selected")
          .contains("Ctrl+C");
      WebElement shown = browser.row("copy/denied").findElement(By.cssSelector("code.revealed"));
      assertThat(shown.getText()).isEqualTo("S3NTINEL-fallback");
      assertThat(browser.js("return window.getSelection().toString()"))
          .isEqualTo("S3NTINEL-fallback");
    }

    @Test
    void edit_afterAnotherWrite_explainsTheConflictAndOverwritesNothing() {
      put("edit/db", "first", Map.of("description", "seen by the user"));
      browser.signIn(admin);
      browser.search("edit/", 25);
      browser.rowButton("edit/db", "edit").click();
      browser.waitVisible("secret-dialog");
      assertThat(browser.byId("f-name").getAttribute("readonly")).isNotNull();
      assertThat(browser.byId("f-description").getAttribute("value")).isEqualTo("seen by the user");
      assertThat(browser.byId("secret-form-intro").getText())
          .contains("version 2")
          .contains("version 1");
      browser.type("f-value", "mine");

      put("edit/db", "theirs"); // another client, between load and save

      browser.click("secret-save");
      String conflict = browser.waitText(By.id("secret-form-error"), "Nothing was overwritten");
      assertThat(conflict).contains("You opened version 1; version 2 is now the latest");
      browser.screenshot("edit-conflict");
      JsonNode latest = read("edit/db").json();
      assertThat(latest.get("value").asText()).isEqualTo("theirs");
      assertThat(latest.get("version").asInt()).isEqualTo(2);
      assertThat(browser.byId("secret-dialog").isDisplayed()).isTrue();

      // The user decides to replace the newer version: an explicit choice, still check-and-set.
      browser.driver.findElement(By.cssSelector("#secret-form-error button")).click();
      browser.click("secret-save");
      browser.waitClosed("secret-dialog");
      browser.waitStatus("version 3 is now the latest");
      assertThat(read("edit/db").json().get("value").asText()).isEqualTo("mine");
    }

    @Test
    void store_existingName_isRefusedNotOverwritten() {
      put("exists/already", "original");
      browser.signIn(admin);
      browser.click("new-secret");
      browser.type("f-name", "exists/already");
      browser.type("f-value", "replacement");
      browser.click("secret-save");
      browser.waitText(By.id("secret-form-error"), "already exists (version 1)");
      assertThat(read("exists/already").json().get("value").asText()).isEqualTo("original");
      browser.click("secret-cancel");
      browser.waitClosed("secret-dialog");
    }

    @Test
    void history_listsVersions_revealsAnOlderOne_andDestroysOne() {
      put("history/key", "S3NTINEL-v1");
      put("history/key", "S3NTINEL-v2");
      put("history/key", "S3NTINEL-v3");
      browser.signIn(admin);
      browser.search("history/", 25);
      browser.rowButton("history/key", "history").click();
      browser.waitVisible("history-dialog");
      browser.waitText(By.id("history-title"), "History of history/key");
      browser.waiting().until(d -> d.findElements(By.cssSelector("#history-body tr")).size() == 3);
      assertThat(browser.byId("history-body").getText()).contains("latest").contains("older");

      WebElement v1 =
          browser.driver.findElement(By.cssSelector("#history-body tr[data-version='1']"));
      v1.findElement(By.cssSelector("button.reveal")).click();
      WebElement shown =
          browser
              .waiting()
              .until(
                  ExpectedConditions.visibilityOfElementLocated(
                      By.cssSelector("#history-body tr[data-version='1'] code.revealed")));
      assertThat(shown.getText()).isEqualTo("S3NTINEL-v1");
      browser.screenshot("history");

      browser
          .driver
          .findElement(By.cssSelector("#history-body tr[data-version='2'] button.destroy-version"))
          .click();
      assertThat(browser.confirmation())
          .contains("Destroy version 2 of history/key?")
          .contains("erased for good")
          .contains("other versions stay");
      browser.screenshot("confirm-destroy-version");
      browser.confirm();
      browser.waitText(By.cssSelector("#history-body tr[data-version='2']"), "destroyed");
      assertThat(
              http.call(port, "GET", "/api/v1/secrets/history/key?version=2", admin, null, null)
                  .status())
          .isEqualTo(404);
      assertThat(read("history/key").json().get("value").asText()).isEqualTo("S3NTINEL-v3");
      browser.click("history-close");
      browser.waitClosed("history-dialog");
    }

    @Test
    void delete_restore_destroy_eachAfterAConfirmationThatSaysWhatHappens() {
      put("lifecycle/key", "v1");
      browser.signIn(admin);
      browser.search("lifecycle/", 25);

      browser.rowButton("lifecycle/key", "delete").click();
      assertThat(browser.confirmation())
          .contains("Delete lifecycle/key?")
          .contains("Restore brings it back");
      browser.screenshot("confirm-delete");
      browser.cancelConfirmation();
      assertThat(read("lifecycle/key").status()).isEqualTo(200);

      browser.rowButton("lifecycle/key", "delete").click();
      browser.confirmation();
      browser.confirm();
      browser.waitStatus("Deleted lifecycle/key.");
      assertThat(browser.row("lifecycle/key").getAttribute("class")).contains("is-deleted");
      assertThat(read("lifecycle/key").status()).isEqualTo(404);

      browser.rowButton("lifecycle/key", "restore").click();
      browser.waitStatus("Restored lifecycle/key.");
      browser.waitListed();
      assertThat(read("lifecycle/key").status()).isEqualTo(200);
      assertThat(Objects.toString(browser.row("lifecycle/key").getAttribute("class"), ""))
          .doesNotContain("is-deleted");

      browser.rowButton("lifecycle/key", "delete").click();
      browser.confirm();
      browser.rowButton("lifecycle/key", "destroy").click();
      assertThat(browser.confirmation())
          .contains("Destroy every version of lifecycle/key?")
          .contains("cannot be undone");
      browser.confirm();
      browser.waitStatus("Destroyed every version of lifecycle/key.");
      browser.waitListed();
      assertThat(browser.listedNames()).doesNotContain("lifecycle/key");
      assertThat(
              http.call(port, "GET", "/api/v1/secrets/lifecycle/key:versions", admin, null, null)
                  .status())
          .isEqualTo(404);
    }

    @Test
    void restoreByName_bringsBackASecretDeletedEarlier() {
      put("byname/old", "v");
      assertThat(
              http.call(port, "DELETE", "/api/v1/secrets/byname/old", admin, null, null).status())
          .isEqualTo(204);
      browser.signIn(admin);
      browser.driver.findElement(By.cssSelector("#restore-panel summary")).click();
      browser.type("restore-name", "byname/old");
      browser.click("restore-by-name");
      browser.waitStatus("Restored byname/old.");
      assertThat(read("byname/old").status()).isEqualTo(200);
    }
  }

  @Nested
  @DisplayName("Settings → Secrets: name contains, and sort")
  class SearchAndSort {
    /** The headings' aria-sort, as "column:direction" for each heading that has one. */
    List<String> ariaSorts() {
      return browser.driver.findElements(By.cssSelector("#secrets-table th[aria-sort]")).stream()
          .map(th -> th.getAttribute("data-sort") + ":" + th.getAttribute("aria-sort"))
          .toList();
    }

    void clickSort(String column) {
      browser.sortHeading(column).findElement(By.tagName("button")).click();
    }

    @Test
    void contains_findsNamesInAnyCase_acrossTwoPages_andLeavesTheOthersOut() {
      List<String> matching = new java.util.ArrayList<>();
      for (int i = 1; i <= 12; i++) {
        // Upper and lower case in the names; the search below is in mixed case.
        String name =
            String.format(
                i % 2 == 0 ? "substr/app-%02d/Db-Password" : "substr/app-%02d/db-user", i);
        put(name, "v" + i);
        matching.add(name);
        put(String.format("substr/app-%02d/token", i), "v");
      }
      put("substr-other/db", "v");
      put("elsewhere/DB-host", "v");
      browser.signIn(admin);
      browser.search("substr/", "dB", 10);
      List<String> first = browser.listedNames();
      assertThat(first)
          .hasSize(10)
          .allMatch(n -> n.startsWith("substr/") && n.toLowerCase().contains("db"));
      assertThat(browser.byId("page-info").getText())
          .contains("Page 1")
          .contains("1–10")
          .contains("more may follow");
      assertThat(browser.byId("next-page").isEnabled()).isTrue();
      assertThat(browser.byId("table-caption").getAttribute("textContent"))
          .contains("whose name contains dB");
      browser.screenshot("secrets-contains");

      browser.click("next-page");
      browser.waitListed();
      List<String> second = browser.listedNames();
      assertThat(second).hasSize(2);
      assertThat(browser.byId("page-info").getText())
          .contains("Page 2")
          .contains("11–12")
          .doesNotContain("more may follow");
      assertThat(browser.byId("next-page").isEnabled()).isFalse();
      List<String> both = new java.util.ArrayList<>(first);
      both.addAll(second);
      assertThat(both).containsExactlyElementsOf(matching);

      // Without a prefix, names anywhere match; with one that excludes them all, the page says so.
      browser.search("", "DB-", 100);
      assertThat(browser.listedNames())
          .contains("elsewhere/DB-host")
          .containsAll(matching)
          .doesNotContain("substr-other/db")
          .noneMatch(n -> n.endsWith("/token"))
          .allMatch(n -> n.toLowerCase().contains("db-"));
      browser.search("substr/", "no-such-part", 25);
      assertThat(browser.listedNames()).isEmpty();
      assertThat(browser.waitText(By.id("empty"), "contains"))
          .isEqualTo("No secret name under \"substr/\" contains \"no-such-part\".");
      assertThat(browser.byId("next-page").isEnabled()).isFalse();
    }

    @Test
    void contains_invalidValue_isRefusedInThePage_andNothingIsAsked() {
      put("badcontains/one", "v");
      browser.signIn(admin);
      browser.search("badcontains/", 25);
      long listed = audited("badcontains/").stream().filter(a -> a.startsWith("list ")).count();

      browser.search("badcontains/", "db pass", 25);
      assertThat(browser.waitText(By.id("search-error"), "only letters, digits"))
          .contains("Name contains");
      assertThat(browser.byId("search-contains").getAttribute("aria-invalid")).isEqualTo("true");
      assertThat(browser.driver.switchTo().activeElement())
          .isEqualTo(browser.byId("search-contains"));
      assertThat(browser.byId("search-prefix").getAttribute("aria-invalid")).isNull();
      browser.search("badcontains/", "a".repeat(257), 25);
      browser.waitText(By.id("search-error"), "at most 256 characters");
      assertThat(browser.listedNames()).containsExactly("badcontains/one");
      assertThat(audited("badcontains/").stream().filter(a -> a.startsWith("list ")).count())
          .as("no listing request for a refused search")
          .isEqualTo(listed);

      browser.search("badcontains/", "ONE", 25);
      assertThat(browser.byId("search-error").getText()).isEmpty();
      assertThat(browser.byId("search-contains").getAttribute("aria-invalid")).isNull();
      assertThat(browser.listedNames()).containsExactly("badcontains/one");
    }

    @Test
    void sort_byVersionAndByUpdated_ordersThePageAndSetsAriaSort() {
      // Name order a, b, c; version order b (1), c (2), a (3); update order b, a, c.
      put("sorted/b", "v");
      clock.advance(Duration.ofSeconds(1));
      put("sorted/a", "v");
      put("sorted/a", "v");
      clock.advance(Duration.ofSeconds(1));
      put("sorted/a", "v");
      clock.advance(Duration.ofSeconds(1));
      put("sorted/c", "v");
      clock.advance(Duration.ofSeconds(1));
      put("sorted/c", "v");
      browser.signIn(admin);
      browser.search("sorted/", 25);
      assertThat(browser.listedNames()).containsExactly("sorted/a", "sorted/b", "sorted/c");
      assertThat(ariaSorts()).containsExactly("name:ascending");
      assertThat(browser.byId("sort-note").getText())
          .contains("rows of the page shown")
          .contains("name order");

      clickSort("version");
      assertThat(browser.listedNames()).containsExactly("sorted/b", "sorted/c", "sorted/a");
      assertThat(ariaSorts()).containsExactly("version:ascending");
      assertThat(browser.sortHeading("version").getText()).contains("▲");
      assertThat(browser.sortHeading("name").getText()).contains("↕");
      clickSort("version");
      assertThat(browser.listedNames()).containsExactly("sorted/a", "sorted/c", "sorted/b");
      assertThat(ariaSorts()).containsExactly("version:descending");
      assertThat(browser.sortHeading("version").getText()).contains("▼");

      // By keyboard: the heading's button takes Enter, and focus stays on it.
      WebElement updated = browser.sortHeading("updated").findElement(By.tagName("button"));
      browser.js("arguments[0].focus()", updated);
      updated.sendKeys(Keys.ENTER);
      assertThat(browser.listedNames()).containsExactly("sorted/b", "sorted/a", "sorted/c");
      assertThat(ariaSorts()).containsExactly("updated:ascending");
      browser.driver.switchTo().activeElement().sendKeys(Keys.SPACE);
      assertThat(browser.listedNames()).containsExactly("sorted/c", "sorted/a", "sorted/b");
      assertThat(ariaSorts()).containsExactly("updated:descending");
      assertThat(browser.driver.switchTo().activeElement()).isEqualTo(updated);
      assertThat(browser.byId("table-caption").getAttribute("textContent"))
          .contains("last update, newest first");

      // A revealed value moves with its row, and the order holds after the page is listed again.
      browser.rowButton("sorted/a", "reveal").click();
      browser.waitText(
          By.cssSelector("#secrets-body tr[data-name=\"sorted/a\"] code.revealed"), "v");
      clickSort("version");
      assertThat(browser.listedNames()).containsExactly("sorted/b", "sorted/c", "sorted/a");
      assertThat(
              browser.driver.findElements(
                  By.cssSelector("#secrets-body tr[data-name=\"sorted/a\"] code.revealed")))
          .hasSize(1);
      browser.search("sorted/", 25);
      assertThat(browser.listedNames()).containsExactly("sorted/b", "sorted/c", "sorted/a");
      assertThat(ariaSorts()).containsExactly("version:ascending");
    }

    @Test
    void sort_narrowWindow_usesTheSelectInsteadOfTheHiddenHeadings() {
      put("narrowsort/a", "v");
      put("narrowsort/b", "v");
      put("narrowsort/b", "v");
      browser.signIn(admin);
      browser.search("narrowsort/", 25);
      assertThat(browser.byId("sort-by").isDisplayed()).isFalse();
      browser.driver.manage().window().setSize(new Dimension(390, 844));
      browser.waitVisible("sort-by");
      assertThat(browser.sortHeading("version").isDisplayed()).isFalse();
      new org.openqa.selenium.support.ui.Select(browser.byId("sort-by"))
          .selectByValue("version:descending");
      assertThat(browser.listedNames()).containsExactly("narrowsort/b", "narrowsort/a");
      assertThat(ariaSorts()).containsExactly("version:descending");
      browser
          .waiting()
          .until(
              d ->
                  (Boolean)
                      browser.js(
                          "return document.documentElement.scrollWidth <= window.innerWidth"));
      browser.screenshot("secrets-sorted-narrow");
      assertThat(browser.accessibilityProblems()).as("sorted, narrow window").isEmpty();
    }

    @Test
    void accessibility_searchedAndSortedScreen_hasNoSeriousOrCriticalViolation() {
      put(
          "a11ysort/Db-one",
          "v",
          Map.of(
              "description",
              "first",
              "labels",
              Map.of("env", "prod"),
              "expiresAt",
              "2030-01-01T00:00:00Z"));
      put("a11ysort/db-two", "v");
      put("a11ysort/db-two", "v");
      put("a11ysort/other", "v");
      browser.signIn(admin);
      browser.search("a11ysort/", "DB", 25);
      clickSort("expires");
      assertThat(browser.listedNames()).containsExactly("a11ysort/Db-one", "a11ysort/db-two");
      assertThat(ariaSorts()).containsExactly("expires:ascending");
      browser.screenshot("secrets-contains-sorted");
      assertThat(browser.accessibilityProblems())
          .as("searched by contains and sorted by expiry")
          .isEmpty();
      browser.search("a11ysort/", "db x", 25);
      browser.waitText(By.id("search-error"), "only letters");
      assertThat(browser.accessibilityProblems()).as("a refused contains value").isEmpty();
    }
  }

  @Nested
  @DisplayName("Settings → Secrets: .env import and export")
  class Bulk {
    /** Opens Import, types the prefix and the text, and previews; waits for the preview table. */
    void preview(String prefix, String text) {
      browser.click("import-open");
      browser.waitVisible("import-dialog");
      browser.type("import-prefix", prefix);
      browser.js(
          "const t = document.getElementById('import-text'); t.value = arguments[0];"
              + "t.dispatchEvent(new Event('input'));",
          text);
      browser.click("import-preview-button");
      browser.waitVisible("import-preview-wrap");
    }

    String previewRow(int line) {
      return browser.waitText(By.cssSelector("#import-preview tr[data-line='" + line + "']"), "");
    }

    @Test
    void import_cleanText_previewsThenWritesEveryValue() {
      put("bulk/app/EXISTING", "old");
      browser.signIn(admin);
      String text =
          """
          # a comment, then a blank line

          export DB_USER=app
          DB_PASSWORD="S3NTINEL-p\\\\a\\"ss\\nword"
          SINGLE='  kept as it is \\n '
          UNQUOTED =   trimmed value   # a comment
          EXISTING=new
          """;
      preview("bulk/app/", text);
      browser.waitText(By.id("import-status"), "Ready: 4 to create, 1 to update");
      assertThat(previewRow(3))
          .contains("bulk/app/DB_USER")
          .contains("3 characters")
          .contains("create");
      assertThat(previewRow(4)).contains("bulk/app/DB_PASSWORD").contains("20 characters");
      assertThat(previewRow(7)).contains("bulk/app/EXISTING").contains("update (now version 1)");
      assertThat(browser.byId("import-preview").getText())
          .doesNotContain("S3NTINEL")
          .doesNotContain("trimmed");
      assertThat(browser.byId("import-run").isEnabled()).isTrue();
      browser.screenshot("import-preview");

      browser.click("import-run");
      browser.waitClosed("import-dialog");
      browser.waitStatus("Imported 5 secrets under bulk/app/.");
      browser.waitListed();
      assertThat(browser.listedNames()).contains("bulk/app/DB_USER", "bulk/app/EXISTING");
      assertThat(read("bulk/app/DB_USER").json().get("value").asText()).isEqualTo("app");
      assertThat(read("bulk/app/DB_PASSWORD").json().get("value").asText())
          .isEqualTo("S3NTINEL-p\\a\"ss\nword");
      assertThat(read("bulk/app/SINGLE").json().get("value").asText())
          .isEqualTo("  kept as it is \\n ");
      assertThat(read("bulk/app/UNQUOTED").json().get("value").asText()).isEqualTo("trimmed value");
      JsonNode existing = read("bulk/app/EXISTING").json();
      assertThat(existing.get("value").asText()).isEqualTo("new");
      assertThat(existing.get("version").asInt()).isEqualTo(2);
      assertThat(browser.driver.getPageSource()).doesNotContain("S3NTINEL");
      assertThat(browser.console()).doesNotContain("S3NTINEL");
      assertThat(browser.byId("import-text").getAttribute("value")).isEmpty();
      assertThat(audited("bulk/app/")).contains("import ok");
    }

    @Test
    void import_anotherWriteAfterThePreview_showsTheConflictAndWritesNothing() {
      put("conflict/app/B", "b1");
      browser.signIn(admin);
      preview("conflict/app/", "A=a\nB=b2\nC=c\n");
      browser.waitText(By.id("import-status"), "Ready: 2 to create, 1 to update");

      put("conflict/app/B", "theirs"); // another client, between the preview and the import

      browser.click("import-run");
      String result = browser.waitText(By.id("import-result"), "nothing was written");
      assertThat(result).contains("changed since the preview");
      assertThat(previewRow(2)).contains("changed since the preview: it is at version 2");
      assertThat(browser.byId("import-run").isEnabled()).isFalse();
      browser.screenshot("import-conflict");
      assertThat(read("conflict/app/A").status()).isEqualTo(404);
      assertThat(read("conflict/app/C").status()).isEqualTo(404);
      assertThat(read("conflict/app/B").json().get("value").asText()).isEqualTo("theirs");
      assertThat(audited("conflict/app/")).contains("import conflict");

      // Previewing again shows the new version, and the import then goes through.
      browser.click("import-preview-button");
      browser.waitText(By.id("import-status"), "Ready");
      assertThat(previewRow(2)).contains("update (now version 2)");
      browser.click("import-run");
      browser.waitClosed("import-dialog");
      assertThat(read("conflict/app/B").json().get("value").asText()).isEqualTo("b2");
    }

    @Test
    void import_linesThatDoNotParse_areErrorsWithTheirLineNumbers() {
      browser.signIn(admin);
      // A quoted value may span lines (docs/dotenv.md): an unclosed quote takes the rest of the
      // file, so it is last.
      preview(
          "lines/",
          String.join(
              "\n",
              "GOOD=1",
              "NOT A LINE",
              "TAIL='a' b",
              "ESC=\"\\q\"",
              "GOOD=2",
              "bad name!=x",
              "../X=y",
              "QUOTED=\"not closed"));
      String result = browser.waitText(By.id("import-result"), "cannot be imported");
      assertThat(result).contains("7 lines").contains("nothing has been written");
      assertThat(previewRow(1)).contains("create");
      assertThat(previewRow(2)).contains("not KEY=value");
      assertThat(previewRow(3)).contains("text after the closing quote");
      assertThat(previewRow(4))
          .contains("a backslash in double quotes must start")
          .doesNotContain("\\q");
      assertThat(previewRow(5)).contains("already set on line 1");
      assertThat(previewRow(6)).contains("not KEY=value");
      assertThat(previewRow(7)).contains("lines/../X");
      assertThat(previewRow(8)).contains("double quote opened on this line is never closed");
      assertThat(browser.byId("import-run").isEnabled()).isFalse();
      browser.screenshot("import-errors");
      browser.click("import-cancel");
      browser.waitClosed("import-dialog");
      assertThat(read("lines/GOOD").status()).isEqualTo(404);
    }

    @Test
    void import_theCliExportOfEveryGrammarVector_givesBackEveryValueOverRest() throws Exception {
      // docs/dotenv-vectors.json holds the lines the CLI's Dotenv writes (cli DotenvTest checks
      // that): a
      // file of them, with $, quotes, backslashes and line breaks in values, must import to the
      // same values.
      JsonNode vectors =
          new ObjectMapper()
              .readTree(
                  java.nio.file.Files.readString(Path.of("..", "docs", "dotenv-vectors.json")))
              .get("export");
      StringBuilder file = new StringBuilder("# exported by lanonasis secret export\n");
      vectors.forEach(v -> file.append(v.get("line").asText()).append('\n'));
      browser.signIn(admin);
      preview("vectors/", file.toString());
      browser.waitText(
          By.id("import-status"), "Ready: " + vectors.size() + " to create, 0 to update");
      browser.click("import-run");
      browser.waitClosed("import-dialog");
      browser.waitStatus("Imported " + vectors.size() + " secrets under vectors/.");
      for (JsonNode v : vectors) {
        assertThat(read("vectors/" + v.get("key").asText()).json().get("value").asText())
            .as(v.get("key").asText())
            .isEqualTo(v.get("value").asText());
      }
    }

    @Test
    void export_downloadsADotenvThatReimportsIdentically_andIsAudited() throws Exception {
      Map<String, String> values = new java.util.LinkedHashMap<>();
      values.put("PLAIN", "plain-value_1.2:3@x");
      values.put("SPACES", "  leading and trailing  ");
      values.put("QUOTES", "it's \"quoted\" # not a comment");
      values.put("BACKSLASH", "C:\\path\\n");
      values.put("MULTI", "line one\nline two\r\n\ttabbed");
      values.put("nested/KEY", "=starts with equals");
      values.forEach((k, v) -> put("rt/src/" + k, v));
      HttpTestClient.Reply binary =
          http.call(
              port,
              "POST",
              "/api/v1/secrets",
              admin,
              "application/json",
              "{\"key\":\"rt/src/BINARY\",\"valueBase64\":\"/wD+\"}");
      assertThat(binary.status()).isEqualTo(201);

      browser.signIn(admin);
      browser.click("export-open");
      browser.waitVisible("export-dialog");
      browser.type("export-prefix", "rt/src/");
      assertThat(browser.byId("export-warning").getText())
          .contains("values in clear text")
          .contains("audit log");
      browser.screenshot("export-confirm");
      browser.click("export-run");
      browser.waitClosed("export-dialog");
      String status = browser.waitStatus("Exported 6 secrets to lanonasis-rt-src.env.");
      assertThat(status).contains("Skipped 1 whose value is not text: rt/src/BINARY");
      Path file = browser.downloaded("lanonasis-rt-src.env");
      String text = java.nio.file.Files.readString(file);
      assertThat(text).contains("# Skipped rt/src/BINARY").contains("PLAIN=plain-value_1.2:3@x\n");
      assertThat(audited("rt/src/")).contains("export ok");

      // The file, chosen in the import dialog's file picker, gives back the same names and values.
      browser.click("import-open");
      browser.waitVisible("import-dialog");
      browser.type("import-prefix", "rt/copy/");
      browser.byId("import-file").sendKeys(file.toString());
      browser.waitText(By.id("import-status"), "Read lanonasis-rt-src.env");
      browser.click("import-preview-button");
      browser.waitText(By.id("import-status"), "Ready: 6 to create, 0 to update");
      browser.click("import-run");
      browser.waitClosed("import-dialog");
      browser.waitStatus("Imported 6 secrets under rt/copy/.");
      values.forEach(
          (k, v) ->
              assertThat(read("rt/copy/" + k).json().get("value").asText()).as(k).isEqualTo(v));
      assertThat(browser.console())
          .doesNotContain("plain-value_1.2:3@x")
          .doesNotContain("leading and trailing");
    }

    @Test
    void readOnlyKey_mayExportButSeesNoImport() {
      String readOnly = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      browser.signIn(readOnly);
      assertThat(browser.byId("import-open").isDisplayed()).isFalse();
      assertThat(browser.byId("export-open").isDisplayed()).isTrue();
    }
  }

  /** Opens a screen from the side navigation. */
  void openView(String hash) {
    browser.driver.findElement(By.cssSelector(".sidenav a[href='" + hash + "']")).click();
    browser.waiting().until(d -> hash.equals(browser.js("return location.hash")));
  }

  /** GET /api/v1/session with {@code cookie} and the session token the page holds now. */
  int sessionStatus(Cookie cookie, String token) {
    return http.call(
            port,
            "GET",
            "/api/v1/session",
            null,
            null,
            null,
            Map.of(
                "Cookie",
                cookie.getName() + "=" + cookie.getValue(),
                com.lanonasis.secrets.server.Sessions.CSRF_HEADER,
                token))
        .status();
  }

  String pageToken() {
    return (String) browser.js("return localStorage.getItem('lanonasis.sessionToken')");
  }

  @Nested
  @DisplayName("Settings → API keys")
  class ApiKeys {
    WebElement keyRow(String id) {
      return browser
          .waiting()
          .until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.cssSelector("#keys-body tr[data-id='" + id + "']")));
    }

    @Test
    void createAReadOnlyKey_signInWithIt_thenRevokeItAndItsSessionEnds() {
      browser.signIn(admin);
      openView("#api-keys");
      browser.waitVisible("key-form");
      assertThat(browser.driver.getTitle()).isEqualTo("API keys · Lanonasis Secrets");
      assertThat(browser.byId("key-tenant-field").isDisplayed())
          .as("the operator may name a tenant")
          .isTrue();
      new org.openqa.selenium.support.ui.Select(browser.byId("key-role"))
          .selectByValue("READ_ONLY");
      browser.type("key-prefix", "keys/");
      browser.click("key-create");
      browser.waitVisible("new-key");
      String key = browser.byId("new-key-value").getText();
      assertThat(key).startsWith("lns_");
      String id = key.substring(4, 20);
      assertThat(browser.byId("new-key-warning").getText()).contains("it will not be shown again");
      assertThat(keyRow(id).getText()).contains("Read-only").contains("keys/").contains("active");
      assertThat(keyRow(id).getText()).doesNotContain(RealServer.secretPart(key));
      browser.screenshot("api-keys-created");
      browser.allowClipboard();
      browser.click("new-key-copy");
      browser.waitText(By.id("new-key-copy"), "Copied");
      assertThat(browser.clipboardText()).isEqualTo(key);
      browser.click("new-key-done");
      assertThat(browser.byId("new-key").isDisplayed()).isFalse();
      assertThat(browser.driver.getPageSource()).doesNotContain(RealServer.secretPart(key));
      assertThat(audited(id)).contains("key.create ok");

      browser.click("signout");
      browser.waitText(By.id("signin-status"), "You signed out.");
      browser.signIn(key);
      assertThat(browser.byId("who").getText())
          .contains("Read-only key " + id)
          .contains("names under keys/");
      assertThat(browser.byId("new-secret").isDisplayed()).isFalse();
      openView("#api-keys");
      assertThat(browser.waitVisible("keys-denied").getText())
          .contains("only an Admin key manages API keys");
      assertThat(browser.byId("keys-panel").isDisplayed()).isFalse();
      browser.screenshot("api-keys-denied");
      Cookie readOnlySession = browser.driver.manage().getCookieNamed("lns_session");
      String readOnlyToken = pageToken();
      assertThat(sessionStatus(readOnlySession, readOnlyToken)).isEqualTo(200);

      // The admin, in this browser (the read-only session stays open on the server), revokes it.
      browser.signIn(admin);
      openView("#api-keys");
      browser
          .waiting()
          .until(
              ExpectedConditions.elementToBeClickable(
                  By.cssSelector("#keys-body tr[data-id='" + id + "'] button.revoke")))
          .click();
      assertThat(browser.confirmation())
          .contains("Revoke key " + id + "?")
          .contains("every session signed in with it ends")
          .doesNotContain("you will be signed out");
      browser.screenshot("api-keys-revoke");
      browser.confirm();
      browser.waitText(By.id("keys-status"), "Revoked key " + id + ".");
      browser.waitText(By.cssSelector("#keys-body tr[data-id='" + id + "']"), "revoked");
      assertThat(keyRow(id).findElements(By.cssSelector("button.revoke"))).isEmpty();

      // Its session has ended: the browser that holds its cookie lands on sign-in.
      assertThat(sessionStatus(readOnlySession, readOnlyToken)).isEqualTo(401);
      browser.driver.manage().deleteAllCookies();
      browser.driver.manage().addCookie(readOnlySession);
      browser.js("localStorage.setItem('lanonasis.sessionToken', arguments[0])", readOnlyToken);
      browser.driver.navigate().refresh();
      browser.waitVisible("signin-key");
      assertThat(browser.byId("app").isDisplayed()).isFalse();
    }

    @Test
    void prefixScopedAdmin_isToldWhyItMayNotManageKeys() {
      String scoped = started.server().apiKeys().create("default", Role.ADMIN, "scoped/");
      browser.signIn(scoped);
      openView("#api-keys");
      assertThat(browser.waitVisible("keys-denied").getText())
          .contains("limited to names under scoped/");
    }
  }

  @Nested
  @DisplayName("Settings → Audit log")
  class Audit {
    void filter(String keyId, String action, String name, String outcome) {
      browser.type("audit-key", keyId);
      browser.type("audit-action", action);
      browser.type("audit-name", name);
      new org.openqa.selenium.support.ui.Select(browser.byId("audit-outcome"))
          .selectByValue(outcome);
      browser.driver.findElement(By.cssSelector("#audit-filters button[type=submit]")).click();
      waitAudit();
    }

    void waitAudit() {
      browser.waiting().until(d -> browser.byId("audit-table").getAttribute("aria-busy") == null);
    }

    List<String> rows() {
      return browser.driver.findElements(By.cssSelector("#audit-body tr")).stream()
          .map(
              tr ->
                  tr.getAttribute("data-action")
                      + " "
                      + tr.findElements(By.tagName("td")).get(4).getText()
                      + " "
                      + tr.getAttribute("data-outcome")
                      + " "
                      + tr.getAttribute("data-key-id"))
          .toList();
    }

    /**
     * The server's time of an entry, as a datetime-local value in the browser's zone, moved by
     * minutes.
     */
    String local(String iso, int minutes) {
      return (String)
          browser.js(
              "const d = new Date(new Date(arguments[0]).getTime() + arguments[1] * 60000);"
                  + "d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16);",
              iso,
              minutes);
    }

    void setInput(String id, String value) {
      browser.js("document.getElementById(arguments[0]).value = arguments[1]", id, value);
    }

    @Test
    void filters_narrowTheTableToWhatTheTestDid_andARevealShowsAsReveal() {
      put("audited/one", "S3NTINEL-audit");
      put("audited/two", "v");
      String reader = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      String readerId = reader.substring(4, 20);
      assertThat(
              http.call(
                      port,
                      "POST",
                      "/api/v1/secrets",
                      reader,
                      "application/json",
                      "{\"key\":\"audited/three\",\"value\":\"x\"}")
                  .status())
          .isEqualTo(403);
      browser.signIn(reader);
      browser.search("audited/", 25);
      browser.rowButton("audited/one", "reveal").click();
      browser.waitText(
          By.cssSelector("#secrets-body tr[data-name=\"audited/one\"] code.revealed"),
          "S3NTINEL-audit");

      browser.signIn(admin);
      openView("#audit");
      browser.waitVisible("audit-table");
      waitAudit();
      assertThat(browser.driver.getTitle()).isEqualTo("Audit log · Lanonasis Secrets");
      browser
          .waiting()
          .until(
              d -> browser.byId("verify-result").getText().matches("(?s).*(Chain intact|10 s).*"));
      assertThat(browser.driver.findElements(By.cssSelector("#audit-body tr"))).isNotEmpty();
      List<Long> seqs =
          browser.driver.findElements(By.cssSelector("#audit-body tr")).stream()
              .map(tr -> Long.parseLong(tr.getAttribute("data-seq")))
              .toList();
      assertThat(seqs).isSortedAccordingTo(java.util.Comparator.reverseOrder());

      filter(readerId, "", "", "");
      assertThat(rows())
          .isNotEmpty()
          .allMatch(r -> r.endsWith(readerId))
          .anyMatch(r -> r.startsWith("reveal audited/one ok"))
          .anyMatch(r -> r.startsWith("write — denied"));
      browser.screenshot("audit");

      filter(readerId, "reveal", "audited/", "ok");
      assertThat(rows()).containsExactly("reveal audited/one ok " + readerId);

      // A read-only key's write is refused before its body (and name) is read.
      filter(readerId, "", "", "denied");
      assertThat(rows()).containsExactly("write — denied " + readerId);

      filter("", "write", "audited/", "ok");
      assertThat(rows())
          .hasSize(2)
          .allMatch(r -> r.startsWith("write audited/"))
          .noneMatch(r -> r.endsWith(readerId));

      // A time range around the reveal keeps it; one that starts after it leaves nothing.
      String revealedAt =
          http.call(
                  port,
                  "GET",
                  "/api/v1/audit?before=0&limit=1&action=reveal&keyId=" + readerId,
                  admin,
                  null,
                  null)
              .json()
              .get("items")
              .get(0)
              .get("time")
              .asText();
      setInput("audit-from", local(revealedAt, -1));
      setInput("audit-until", local(revealedAt, 2));
      filter(readerId, "reveal", "", "");
      assertThat(rows()).containsExactly("reveal audited/one ok " + readerId);
      setInput("audit-from", local(revealedAt, 2));
      setInput("audit-until", "");
      filter(readerId, "reveal", "", "");
      assertThat(rows()).isEmpty();
      assertThat(browser.byId("audit-empty").getText()).contains("No entry matches");

      filter("not-hex", "", "", "");
      assertThat(browser.byId("audit-filter-error").getText()).contains("16 lowercase hex digits");
    }

    @Test
    void entries_nameTheirKeysRole_showSeconds_andListingReadsCanBeHidden() {
      String reader = started.server().apiKeys().create("default", Role.READ_ONLY, "shown/");
      String readerId = reader.substring(4, 20);
      http.call(port, "GET", "/api/v1/secrets?prefix=shown/", reader, null, null);
      http.call(port, "GET", "/api/v1/secrets/shown/missing", reader, null, null);
      browser.signIn(admin);
      openView("#audit");
      waitAudit();
      filter(readerId, "", "", "");
      assertThat(rows())
          .containsExactly(
              "read shown/missing not_found " + readerId, "list shown/ ok " + readerId);
      WebElement first = browser.driver.findElement(By.cssSelector("#audit-body tr"));
      assertThat(first.findElements(By.tagName("td")).get(2).getText())
          .isEqualTo(readerId + " Read-only, prefix shown/");
      assertThat(first.findElements(By.tagName("td")).get(1).getText())
          .as("to the second")
          .containsPattern("\\d:\\d\\d:\\d\\d");

      browser.click("audit-hide-listings");
      filter(readerId, "", "", "");
      assertThat(rows()).containsExactly("read shown/missing not_found " + readerId);
      filter("", "", "", "");
      assertThat(rows())
          .as("the dashboard's own audit.read entries are hidden too")
          .isNotEmpty()
          .noneMatch(r -> r.startsWith("audit.read ") || r.startsWith("list "));
      browser.click("audit-clear");
      waitAudit();
      assertThat(browser.byId("audit-hide-listings").isSelected()).isFalse();
      assertThat(rows()).anyMatch(r -> r.startsWith("audit.read "));
    }

    @Test
    void olderEntries_pageBackwards() {
      for (int i = 0; i < 60; i++) {
        put("older/k" + i, "v");
      }
      browser.signIn(admin);
      openView("#audit");
      waitAudit();
      filter("", "write", "older/", "ok");
      assertThat(rows()).hasSize(50);
      browser.click("audit-older");
      browser.waiting().until(d -> d.findElements(By.cssSelector("#audit-body tr")).size() == 60);
      assertThat(browser.byId("audit-older").isEnabled()).isFalse();
      assertThat(rows().get(59)).startsWith("write older/k0 ok");
    }

    @Test
    void anotherTenantsAdmin_seesItsLogButNotTheChainVerification() {
      String tenantAdmin = started.server().apiKeys().create("acme", Role.ADMIN, "");
      browser.signIn(tenantAdmin);
      openView("#audit");
      browser.waitText(By.id("verify-result"), "not available to this key");
      assertThat(browser.byId("verify-run").isDisplayed()).isFalse();
      String readOnly = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      browser.signIn(readOnly);
      openView("#audit");
      assertThat(browser.waitVisible("audit-denied").getText()).contains("only an Admin key");
    }
  }

  @Nested
  @DisplayName("what must never happen")
  class Safety {
    @Test
    void xss_payloadsInDescriptionLabelsAndValue_areShownAsText() {
      String img = "<img src=x onerror=alert(1)>";
      String script = "<script>alert(1)</script>";
      put(
          "xss/payloads",
          img + script,
          Map.of("description", img, "labels", Map.of("html", script, "img", img)));
      browser.signIn(admin);
      browser.search("xss/", 25);
      WebElement row = browser.row("xss/payloads");
      assertThat(row.findElement(By.cssSelector(".description")).getText()).isEqualTo(img);
      assertThat(row.getText()).contains("html=" + script).contains("img=" + img);

      browser.revealFor(30);
      browser.rowButton("xss/payloads", "reveal").click();
      WebElement shown =
          browser
              .waiting()
              .until(
                  ExpectedConditions.visibilityOfElementLocated(
                      By.cssSelector(
                          "#secrets-body tr[data-name=\"xss/payloads\"] code.revealed")));
      assertThat(shown.getText()).isEqualTo(img + script);
      browser.rowButton("xss/payloads", "edit").click();
      browser.waitVisible("secret-dialog");
      assertThat(browser.byId("f-description").getAttribute("value")).isEqualTo(img);
      browser.click("secret-cancel");
      browser.rowButton("xss/payloads", "history").click();
      browser.waitVisible("history-dialog");
      browser.click("history-close");

      assertThat(browser.alertOpen()).as("an alert() ran").isFalse();
      assertThat(browser.driver.findElements(By.cssSelector("img:not([src^='/ui/'])")))
          .as("injected <img>")
          .isEmpty();
      List<WebElement> scripts = browser.driver.findElements(By.tagName("script"));
      assertThat(scripts).hasSize(1);
      assertThat(scripts.get(0).getAttribute("src")).endsWith("/ui/app.js");
      assertThat(browser.cspViolations()).isEmpty();
    }

    @Test
    void pageScripts_runUnderTheServersCsp_withoutAViolation() {
      HttpTestClient.Reply page = http.call(port, "GET", "/", null, null, null);
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");

      put("csp/one", "v");
      browser.signIn(admin);
      browser.search("csp/", 25);
      browser.rowButton("csp/one", "reveal").click();
      browser.click("new-secret");
      browser.click("f-multiline");
      browser.click("secret-cancel");
      browser.rowButton("csp/one", "history").click();
      browser.waitVisible("history-dialog");
      browser.click("history-close");

      assertThat(browser.cspViolations()).isEmpty();
      // No inline style or script anywhere in the page the scripts built.
      assertThat(
              browser.js(
                  "return document.querySelectorAll('[style], style, script:not([src])').length"))
          .isEqualTo(0L);
    }

    @Test
    void csrf_aWriteFromThePageWithoutTheToken_isRefusedAndWritesNothing() {
      browser.signIn(admin);
      // The signed-in page's own origin and cookie, as a script injected into it would have them.
      String script =
          "const done = arguments[arguments.length - 1];"
              + "fetch('/api/v1/secrets', {method: 'POST', credentials: 'same-origin',"
              + "  headers: {'Content-Type': 'application/json'}, body: JSON.stringify({key: arguments[0], value: 'forged'})})"
              + ".then(r => r.json().then(b => done(r.status + ' ' + (b.detail || ''))), e => done('failed ' + e));";
      String answer = (String) browser.driver.executeAsyncScript(script, "csrf/forged");
      assertThat(answer).startsWith("401");
      assertThat(read("csrf/forged").status()).isEqualTo(404);
      String adminId = admin.substring(4, 20);
      assertThat(
              http.call(
                      port,
                      "GET",
                      "/api/v1/audit?before=0&limit=1&action=write&outcome=denied&keyId=" + adminId,
                      admin,
                      null,
                      null)
                  .json()
                  .get("items"))
          .as("the refusal is audited")
          .hasSize(1);

      // The same request with the page's token goes through: the refusal was the missing token.
      String withToken =
          "const done = arguments[arguments.length - 1];"
              + "fetch('/api/v1/secrets', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': "
              + "  'application/json', 'X-CSRF-Token': localStorage.getItem('lanonasis.sessionToken')},"
              + "  body: JSON.stringify({key: arguments[0], value: 'mine'})})"
              + ".then(r => done(String(r.status)), e => done('failed ' + e));";
      assertThat(browser.driver.executeAsyncScript(withToken, "csrf/allowed")).isEqualTo("201");
      assertThat(read("csrf/allowed").json().get("value").asText()).isEqualTo("mine");
      // And the page still works: the refused request did not end the session.
      browser.search("csrf/", 25);
      assertThat(browser.listedNames()).containsExactly("csrf/allowed");
    }

    @Test
    void readOnlyKey_seesNoStoreEditOrDeleteButImayReveal() {
      put("readonly/visible", "S3NTINEL-ro");
      String readOnly = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      browser.signIn(readOnly);
      assertThat(browser.byId("who").getText()).contains("Read-only key");
      browser.search("readonly/", 25);
      WebElement row = browser.row("readonly/visible");
      assertThat(browser.byId("new-secret").isDisplayed()).isFalse();
      assertThat(browser.byId("restore-panel").isDisplayed()).isFalse();
      assertThat(row.findElements(By.cssSelector("button.edit, button.delete"))).isEmpty();
      browser.screenshot("secrets-read-only");
      row.findElement(By.cssSelector("button.reveal")).click();
      browser.waitText(
          By.cssSelector("#secrets-body tr[data-name=\"readonly/visible\"] code.revealed"),
          "S3NTINEL-ro");
    }

    @Test
    void prefixScopedKey_seesOnlyItsOwnNames() {
      put("team-a/db", "a");
      put("team-b/db", "b");
      String scoped = started.server().apiKeys().create("default", Role.READ_WRITE, "team-a/");
      browser.signIn(scoped);
      assertThat(browser.byId("who").getText()).contains("names under team-a/");
      assertThat(browser.listedNames()).isNotEmpty().allMatch(n -> n.startsWith("team-a/"));
      browser.search("team-b/", 25);
      assertThat(browser.listedNames()).isEmpty();
      assertThat(browser.byId("empty").getText()).contains("No secret name starts with");
    }
  }

  @Nested
  @DisplayName("layout and keyboard")
  class Layout {
    @Test
    void secretsScreen_wideAndNarrow_hasNoHorizontalScroll() {
      put(
          "payments/prod/db-password",
          "v",
          Map.of(
              "description",
              "Primary database",
              "labels",
              Map.of("env", "prod", "team", "payments")));
      put(
          "payments/prod/stripe-api-key",
          "v",
          Map.of("description", "Stripe live key", "labels", Map.of("env", "prod")));
      put(
          "payments/staging/db-password",
          "v",
          Map.of(
              "description",
              "Staging database",
              "labels",
              Map.of("env", "staging"),
              "expiresAt",
              "2027-03-01T00:00:00Z"));
      browser.signIn(admin);
      browser.search("payments/", 25);
      assertThat(
              browser.js(
                  "const t = document.querySelector('.table-wrap'); return t.scrollWidth <= t.clientWidth"))
          .as(
              "the table fits a 1280 px window: %s",
              browser.js(
                  "return [...document.querySelectorAll('#secrets-table th')]"
                      + ".map(th => th.offsetWidth).join(',') + ' in ' + document.querySelector('.table-wrap').clientWidth"))
          .isEqualTo(true);
      browser.screenshot("secrets");

      browser.driver.manage().window().setSize(new Dimension(390, 844));
      browser
          .waiting()
          .until(
              d ->
                  (Boolean)
                      browser.js(
                          "return document.documentElement.scrollWidth <= window.innerWidth"));
      browser.screenshot("secrets-narrow");
    }

    @Test
    void accessibility_everyScreenAndDialog_hasNoSeriousOrCriticalViolation() {
      Map<String, List<String>> problems = new java.util.LinkedHashMap<>();
      java.util.function.Consumer<String> check =
          screen -> {
            List<String> found = browser.accessibilityProblems();
            if (!found.isEmpty()) {
              problems.put(screen, found);
            }
          };
      put(
          "a11y/db-password",
          "v",
          Map.of("description", "Primary database", "labels", Map.of("env", "prod")));
      put("a11y/api-token", "v2");
      browser.openSignedOut();
      check.accept("sign-in");
      browser.type("signin-key", "lns_0000000000000000_" + "x".repeat(43));
      browser.click("signin-submit");
      browser.waitText(By.id("signin-error"), "not accepted");
      check.accept("sign-in refused");

      browser.signIn(admin);
      browser.search("a11y/", 25);
      browser.rowButton("a11y/db-password", "reveal").click();
      browser.waitText(
          By.cssSelector("#secrets-body tr[data-name=\"a11y/db-password\"] code.revealed"), "v");
      check.accept("secrets, a value revealed");
      browser.driver.findElement(By.cssSelector("#restore-panel summary")).click();
      check.accept("secrets, restore panel open");
      browser.click("new-secret");
      browser.waitVisible("secret-dialog");
      browser.click("secret-save");
      browser.waitText(By.id("f-name-error"), "Enter a name");
      check.accept("new secret form with errors");
      browser.click("secret-cancel");
      browser.rowButton("a11y/db-password", "history").click();
      browser.waiting().until(d -> !d.findElements(By.cssSelector("#history-body tr")).isEmpty());
      check.accept("history");
      browser.click("history-close");
      browser.rowButton("a11y/db-password", "delete").click();
      browser.confirmation();
      check.accept("confirmation");
      browser.cancelConfirmation();
      browser.click("import-open");
      browser.type("import-prefix", "a11y/imported/");
      browser.js(
          "const t = document.getElementById('import-text'); t.value = arguments[0];"
              + "t.dispatchEvent(new Event('input'));",
          "A=1\nnot a line\n");
      browser.click("import-preview-button");
      browser.waitText(By.id("import-result"), "cannot be imported");
      check.accept("import preview with errors");
      browser.click("import-cancel");
      browser.click("export-open");
      browser.waitVisible("export-dialog");
      check.accept("export confirmation");
      browser.click("export-cancel");

      openView("#api-keys");
      browser.click("key-create");
      browser.waitVisible("new-key");
      check.accept("API keys, a key just made");
      browser.click("new-key-done");
      openView("#audit");
      browser.waiting().until(d -> !d.findElements(By.cssSelector("#audit-body tr")).isEmpty());
      check.accept("audit log");

      browser.driver.manage().window().setSize(new Dimension(390, 844));
      openView("#secrets");
      browser.waitListed();
      check.accept("secrets, narrow window");

      String readOnly = started.server().apiKeys().create("default", Role.READ_ONLY, "");
      browser.signIn(readOnly);
      openView("#api-keys");
      check.accept("API keys, not allowed");
      assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }

    @Test
    void accessibility_darkColourScheme_hasNoSeriousOrCriticalViolation() {
      put(
          "dark/db-password",
          "v",
          Map.of("description", "Primary database", "labels", Map.of("env", "prod")));
      browser.driver.executeCdpCommand(
          "Emulation.setEmulatedMedia",
          Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
      try {
        Map<String, List<String>> problems = new java.util.LinkedHashMap<>();
        browser.signIn(admin);
        browser.search("dark/", 25);
        browser.rowButton("dark/db-password", "reveal").click();
        browser.waitText(
            By.cssSelector("#secrets-body tr[data-name=\"dark/db-password\"] code.revealed"), "v");
        problems.put("secrets", browser.accessibilityProblems());
        browser.screenshot("secrets-dark");
        browser.rowButton("dark/db-password", "delete").click();
        browser.confirmation();
        problems.put("confirmation", browser.accessibilityProblems());
        browser.cancelConfirmation();
        browser.click("import-open");
        browser.js(
            "const t = document.getElementById('import-text'); t.value = arguments[0];"
                + "t.dispatchEvent(new Event('input'));",
            "A=1\nnot a line\n");
        browser.click("import-preview-button");
        browser.waitText(By.id("import-result"), "cannot be imported");
        problems.put("import preview", browser.accessibilityProblems());
        browser.click("import-cancel");
        openView("#api-keys");
        browser.click("key-create");
        browser.waitVisible("new-key");
        problems.put("API keys", browser.accessibilityProblems());
        browser.click("new-key-done");
        openView("#audit");
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#audit-body tr")).isEmpty());
        problems.put("audit log", browser.accessibilityProblems());
        browser.screenshot("audit-dark");
        problems.values().removeIf(List::isEmpty);
        assertThat(problems)
            .as("serious or critical axe-core violations in the dark scheme")
            .isEmpty();
      } finally {
        browser.driver.executeCdpCommand(
            "Emulation.setEmulatedMedia", Map.of("features", List.of()));
      }
    }

    @Test
    void keysAndAuditScreens_narrowWindow_haveNoPageWideScroll() {
      browser.signIn(admin);
      browser.driver.manage().window().setSize(new Dimension(390, 844));
      for (String view : List.of("#api-keys", "#audit")) {
        openView(view);
        browser
            .waiting()
            .until(
                d ->
                    (Boolean)
                        browser.js(
                            "return document.documentElement.scrollWidth <= window.innerWidth"));
        browser.screenshot((view.equals("#audit") ? "audit" : "api-keys") + "-narrow");
        assertThat(browser.accessibilityProblems()).as(view + " in a narrow window").isEmpty();
      }
    }

    @Test
    void keyboard_switchScreensFromTheNavigation_andEscapeDropsAnImport() {
      browser.signIn(admin);
      WebElement audit = browser.driver.findElement(By.cssSelector(".sidenav a[href='#audit']"));
      browser.js("arguments[0].focus()", audit);
      audit.sendKeys(Keys.ENTER);
      browser.waitVisible("audit-table");
      assertThat(audit.getAttribute("aria-current")).isEqualTo("page");
      assertThat(browser.byId("view-secrets").isDisplayed()).isFalse();
      browser.waiting().until(d -> d.switchTo().activeElement().equals(browser.byId("main")));

      WebElement secrets =
          browser.driver.findElement(By.cssSelector(".sidenav a[href='#secrets']"));
      browser.js("arguments[0].focus()", secrets);
      secrets.sendKeys(Keys.ENTER);
      browser.waitVisible("import-open").sendKeys(Keys.ENTER);
      browser.waitVisible("import-dialog");
      assertThat(browser.driver.switchTo().activeElement())
          .isEqualTo(browser.byId("import-prefix"));
      browser
          .driver
          .switchTo()
          .activeElement()
          .sendKeys(Keys.TAB, Keys.TAB, Keys.TAB, "KEY=S3NTINEL-escaped");
      assertThat(browser.byId("import-text").getAttribute("value"))
          .isEqualTo("KEY=S3NTINEL-escaped");
      browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      browser.waitClosed("import-dialog");
      assertThat(browser.byId("import-text").getAttribute("value")).isEmpty();
    }

    @Test
    void keyboard_signInOpenTheFormAndClose_withVisibleFocus() {
      browser.openSignedOut();
      WebElement key = browser.byId("signin-key");
      assertThat(browser.driver.switchTo().activeElement()).isEqualTo(key);
      key.sendKeys(admin, Keys.ENTER);
      browser.waitVisible("app");
      browser.waitListed();
      WebElement newSecret = browser.byId("new-secret");
      browser.js("arguments[0].focus()", browser.byId("search-prefix"));
      browser.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
      browser.waiting().until(d -> d.switchTo().activeElement().equals(newSecret));
      assertThat(browser.js("return getComputedStyle(document.activeElement).outlineStyle"))
          .isNotEqualTo("none");
      newSecret.sendKeys(Keys.ENTER);
      browser.waitVisible("secret-dialog");
      assertThat(browser.driver.switchTo().activeElement()).isEqualTo(browser.byId("f-name"));
      browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      browser.waitClosed("secret-dialog");
    }
  }
}
