package com.lanonasis.secrets;

/**
 * The store could not be opened as configured: unknown URI scheme, missing or malformed keyset,
 * wrong passphrase, two providers claiming one scheme. The message names the setting, never its
 * secret content.
 *
 * <p>Kind {@link Kind#CONFIGURATION}: only a change of the setup (not of the call) helps.
 *
 * @since 0.1
 */
public final class ConfigurationException extends SecretsException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Always {@link Kind#CONFIGURATION}. */
  @Override
  public Kind kind() {
    return Kind.CONFIGURATION;
  }
}
