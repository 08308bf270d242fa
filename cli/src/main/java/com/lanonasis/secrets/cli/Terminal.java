package com.lanonasis.secrets.cli;

import java.io.Console;
import java.util.Optional;

/** The terminal this process talks to, if standard input and output are one. */
final class Terminal {
  private Terminal() {}

  /**
   * The JDK's {@link Console} when stdin and stdout are a terminal. Up to JDK 21 a Console exists
   * only then; from JDK 22 one may exist with redirected streams and {@code isTerminal()} tells,
   * which this class asks by name because the code is compiled for Java 17.
   */
  // Null up to JDK 21 means no terminal; from JDK 22 isTerminal() is asked below.
  @SuppressWarnings("SystemConsoleNull")
  static Optional<Console> console() {
    Console c = System.console();
    if (c == null) {
      return Optional.empty();
    }
    try {
      return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(c))
          ? Optional.of(c)
          : Optional.empty();
    } catch (NoSuchMethodException beforeJdk22) {
      return Optional.of(c);
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }
}
