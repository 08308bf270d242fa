package com.lanonasis.secrets.server.testing;

import com.lanonasis.secrets.server.SecretsServerBuilder;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link RealServer} for a test class or a test, in a temporary data directory of its own,
 * and hands it out as a parameter or through the field it is registered on:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RealServerExtension SERVER = new RealServerExtension();   // one server for the class
 *
 * @Test
 * void reads() {
 *   client(SERVER.url(), SERVER.adminKey()) ...
 * }
 *
 * @ExtendWith(RealServerExtension.class)                                 // or as a parameter
 * class SomeTest {
 *   @Test
 *   void reads(RealServer server) { ... server.url() ... server.adminKey() ... }
 * }
 * }</pre>
 *
 * Registered on a static field or with {@code @ExtendWith}, one server runs from before the first
 * test of the class to after the last; on an instance field, one server per test. Builder options
 * ({@link #withOptions}) are applied after the defaults of {@link RealServer}. Each server is
 * stopped, and its data directory deleted, when its scope ends.
 */
public final class RealServerExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private final UnaryOperator<SecretsServerBuilder> options;
  private RealServer classServer;

  /** The class whose context started {@link #classServer}: nested classes share its server. */
  private String classScope;

  private RealServer testServer;

  /** A server with the defaults of {@link RealServer}. */
  public RealServerExtension() {
    this(b -> b);
  }

  private RealServerExtension(UnaryOperator<SecretsServerBuilder> options) {
    this.options = options;
  }

  /** A server with {@code options} applied to its builder after the defaults. */
  public static RealServerExtension withOptions(UnaryOperator<SecretsServerBuilder> options) {
    return new RealServerExtension(Objects.requireNonNull(options, "options"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (classServer == null) {
      classServer = RealServer.startInTemporaryDirectory(options);
      classScope = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (classServer != null && context.getUniqueId().equals(classScope)) {
      classServer.close();
      classServer = null;
      classScope = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (classServer == null) {
      testServer = RealServer.startInTemporaryDirectory(options);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (testServer != null) {
      testServer.close();
      testServer = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return current();
  }

  /**
   * The server of the current scope.
   *
   * @throws IllegalStateException outside a test or, for a per-test registration, outside a test
   *     method
   */
  public RealServer current() {
    RealServer s = classServer != null ? classServer : testServer;
    if (s == null) {
      throw new IllegalStateException(
          "no server is running: use it inside a test, or register the extension on a "
              + "static field to use it in @BeforeAll");
    }
    return s;
  }

  /** The server's {@code http://127.0.0.1:<port>}. */
  public String url() {
    return current().url();
  }

  /** The bootstrap admin key the server printed at start. */
  public String adminKey() {
    return current().adminKey();
  }
}
