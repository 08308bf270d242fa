package com.lanonasis.secrets.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium on the dashboard: Debian's {@code /usr/bin/chromium} driven through its
 * own {@code /usr/bin/chromedriver} (so Selenium Manager never downloads a browser or a driver), a
 * fresh profile, and the page-level steps the browser tests share. Every wait is an explicit {@link
 * WebDriverWait} on a condition, never a sleep.
 */
final class Dashboard implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final String CHROMIUM = "/usr/bin/chromium";

  /**
   * Injected by the debugger before any page script (so the page's own CSP does not apply to it):
   * records every CSP violation the page causes.
   */
  private static final String WATCH =
      "window.__lnsCsp = [];"
          + "document.addEventListener('securitypolicyviolation', e => window.__lnsCsp.push("
          + "e.effectiveDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));";

  final ChromeDriver driver;
  final String base;

  /** Where the browser saves downloads (an export), beside the profile. */
  final Path downloads;

  private final ChromeDriverService service;
  private final WebDriverWait wait;

  Dashboard(String base, Path profile) {
    if (!CHROMEDRIVER.canExecute() || !new File(CHROMIUM).canExecute()) {
      throw new IllegalStateException(
          "the browser tests need Debian's chromium and chromium-driver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (.ci/services.sh installs them)");
    }
    this.base = base;
    this.downloads = profile.toAbsolutePath().resolveSibling("downloads");
    try {
      Files.createDirectories(downloads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER)
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1280,900",
        "--lang=en-US",
        "--force-prefers-reduced-motion");
    // An alert() stays open for the test to find, instead of being dismissed by the next command.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    this.driver = new ChromeDriver(service, options);
    this.wait = waiting(Duration.ofSeconds(15));
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
    driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
  }

  /**
   * Waits until the browser has finished saving {@code name} in {@link #downloads}, and returns its
   * path.
   */
  Path downloaded(String name) {
    Path file = downloads.resolve(name);
    wait.until(
        d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
    return file;
  }

  // ---- navigation and session -----------------------------------------------------------------

  /** Loads the dashboard with no session (cookies dropped) and waits for the sign-in form. */
  void openSignedOut() {
    driver.get(base);
    driver.manage().deleteAllCookies();
    driver.get(base);
    waitVisible("signin-key");
  }

  void signIn(String apiKey) {
    openSignedOut();
    WebElement key = byId("signin-key");
    key.sendKeys(apiKey);
    key.sendKeys(Keys.ENTER);
    waitVisible("app");
    waitListed();
  }

  // ---- the secrets table ----------------------------------------------------------------------

  /** Waits until no listing request is in flight (the table drops aria-busy when one answers). */
  void waitListed() {
    wait.until(d -> byId("secrets-table").getAttribute("aria-busy") == null);
  }

  void search(String prefix, int perPage) {
    search(prefix, "", perPage);
  }

  /** Searches by name prefix and "name contains" (either may be empty). */
  void search(String prefix, String contains, int perPage) {
    type("search-prefix", prefix);
    type("search-contains", contains);
    new Select(byId("page-size")).selectByVisibleText(String.valueOf(perPage));
    driver.findElement(By.cssSelector("#search button[type=submit]")).click();
    waitListed();
  }

  /**
   * The Secrets table's sortable heading for {@code column} ("name", "version", "updated",
   * "expires").
   */
  WebElement sortHeading(String column) {
    return driver.findElement(By.cssSelector("#secrets-table th[data-sort=\"" + column + "\"]"));
  }

  List<String> listedNames() {
    return driver.findElements(By.cssSelector("#secrets-body tr")).stream()
        .map(tr -> tr.getAttribute("data-name"))
        .toList();
  }

  WebElement row(String name) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(rowLocator(name)));
  }

  static By rowLocator(String name) {
    return By.cssSelector("#secrets-body tr[data-name=\"" + name + "\"]");
  }

  /** The row's button of that class, once it is there (a row is re-drawn after each change). */
  WebElement rowButton(String name, String cssClass) {
    return wait.until(
        ExpectedConditions.elementToBeClickable(
            By.cssSelector("#secrets-body tr[data-name=\"" + name + "\"] button." + cssClass)));
  }

  /**
   * Opens the new-secret form, fills it and saves; waits for the form to close and the row to show.
   */
  void storeNew(String name, String value, String description, String labels) {
    click("new-secret");
    waitVisible("f-name");
    type("f-name", name);
    type("f-value", value);
    type("f-description", description);
    type("f-labels", labels);
    click("secret-save");
    waitClosed("secret-dialog");
    waitListed();
    row(name);
  }

  /** The confirmation dialog's message, once it is open. */
  String confirmation() {
    waitVisible("confirm-dialog");
    return byId("confirm-title").getText() + "\n" + byId("confirm-message").getText();
  }

  void confirm() {
    click("confirm-ok");
    waitClosed("confirm-dialog");
  }

  void cancelConfirmation() {
    click("confirm-cancel");
    waitClosed("confirm-dialog");
  }

  // ---- elements -------------------------------------------------------------------------------

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  void type(String id, String text) {
    WebElement field = byId(id);
    field.clear();
    if (!text.isEmpty()) {
      field.sendKeys(text);
    }
  }

  WebElement waitVisible(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  void waitClosed(String dialogId) {
    wait.until(
        d ->
            !Boolean.TRUE.equals(
                js("return document.getElementById(arguments[0]).open", dialogId)));
  }

  /** Waits until the element's text contains {@code text}, and returns that text. */
  String waitText(By locator, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    return driver.findElement(locator).getText();
  }

  String waitStatus(String text) {
    return waitText(By.id("status"), text);
  }

  WebDriverWait waiting(Duration timeout) {
    WebDriverWait w = new WebDriverWait(driver, timeout);
    // A row or cell may be re-drawn while a condition looks at it: look again.
    w.ignoring(StaleElementReferenceException.class);
    return w;
  }

  WebDriverWait waiting() {
    return wait;
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** How long (seconds) a revealed value stays on screen, and when a copied value is cleared. */
  void revealFor(int seconds) {
    js(
        "document.body.dataset.revealSeconds = arguments[0]; document.body.dataset.clipboardSeconds = arguments[0];",
        String.valueOf(seconds));
  }

  /** Lets the page read and write the clipboard, as a user's browser setting would. */
  void allowClipboard() {
    String origin = base.replaceAll("/$", "");
    driver.executeCdpCommand(
        "Browser.setPermission",
        Map.of(
            "permission",
            Map.of("name", "clipboard-write", "allowWithoutSanitization", true),
            "setting",
            "granted",
            "origin",
            origin));
    driver.executeCdpCommand(
        "Browser.setPermission",
        Map.of(
            "permission",
            Map.of("name", "clipboard-read"),
            "setting",
            "granted",
            "origin",
            origin));
  }

  String clipboardText() {
    return (String)
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('!' + e.name));");
  }

  // ---- what the page must never do ------------------------------------------------------------

  boolean alertOpen() {
    try {
      driver.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /** What the page wrote to the browser's console since the last look at the log. */
  String console() {
    StringBuilder out = new StringBuilder();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      out.append(entry.getMessage()).append('\n');
    }
    return out.toString();
  }

  /** CSP violations this page caused, from the injected listener and from the browser's log. */
  List<String> cspViolations() {
    @SuppressWarnings("unchecked")
    List<Object> seen = (List<Object>) js("return window.__lnsCsp || []");
    List<String> out = new java.util.ArrayList<>(seen.stream().map(String::valueOf).toList());
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getMessage().contains("Content Security Policy")) {
        out.add(entry.getMessage());
      }
    }
    return out;
  }

  /** axe-core as npm installed it (server/pom.xml runs npm ci in src/test/axe). */
  private static final Path AXE =
      Path.of("src", "test", "axe", "node_modules", "axe-core", "axe.min.js");

  private String axeSource;

  /**
   * Runs axe-core on the page as it is now and answers its serious and critical violations, each as
   * "rule (impact): help — target [summary]". axe is injected by the driver, not by the page, so
   * the page's CSP does not stand in its way.
   */
  List<String> accessibilityProblems() {
    try {
      if (axeSource == null) {
        axeSource = Files.readString(AXE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "axe-core is missing: run ./mvnw -pl server generate-test-resources", e);
    }
    if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object'"))) {
      js(axeSource);
    }
    @SuppressWarnings("unchecked")
    List<String> found =
        (List<String>)
            ((JavascriptExecutor) driver)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                        + "  .filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + "  .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '"
                        + "    + v.nodes.map(n => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join(', '))),"
                        + "  e => done(['axe failed: ' + e]));");
    return found;
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
