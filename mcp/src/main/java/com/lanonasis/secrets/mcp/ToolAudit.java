package com.lanonasis.secrets.mcp;

/**
 * Records every tool call. Called once per call (for {@code run_with_secrets}, once per secret it
 * injected, and once more per alarm it raised), after the tool has run and before its result is
 * returned: if it throws, the result is withheld and the caller is told the call could not be
 * audited (fail closed; a write may already have happened).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ToolAudit {
  void record(ToolEvent event);
}
