package com.lanonasis.secrets.mcp;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command runners for the tests: the real sandbox, output returned scrubbed unless said otherwise.
 */
final class Runners {
  private Runners() {}

  static CommandRunner runner(
      List<String> allowed,
      Path workspace,
      Map<String, String> env,
      int maxOutput,
      Duration timeout,
      Duration maxTimeout) {
    return new CommandRunner(
        settings(
            allowed,
            List.of(),
            workspace,
            env,
            maxOutput,
            timeout,
            maxTimeout,
            CommandOutput.REDACTED,
            List.of(),
            1000,
            Optional.empty()));
  }

  static CommandRunner.Settings settings(
      List<String> allowed,
      List<Recipe> recipes,
      Path workspace,
      Map<String, String> env,
      int maxOutput,
      Duration timeout,
      Duration maxTimeout,
      CommandOutput output,
      List<Path> protectedPaths,
      int budget,
      Optional<Sandbox> sandbox) {
    return new CommandRunner.Settings(
        allowed,
        recipes,
        workspace,
        env,
        maxOutput,
        timeout,
        maxTimeout,
        output,
        Sandbox.Grants.NONE,
        Set.of(),
        protectedPaths,
        4,
        new RunBudget(budget, Duration.ofHours(1), 5, Clock.systemUTC()),
        sandbox);
  }
}
