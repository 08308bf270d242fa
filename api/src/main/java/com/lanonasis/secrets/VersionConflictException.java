package com.lanonasis.secrets;

/**
 * A check-and-set write lost: the secret's current version is not the one the caller expected. Read
 * the secret again, decide, and retry with {@link #currentVersion()}.
 *
 * <p>Kind {@link Kind#CONFLICT}: the state of the secret, not the input alone, refuses the write.
 *
 * @since 0.1
 */
public final class VersionConflictException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String name;
  private final long expectedVersion;
  private final long currentVersion;

  public VersionConflictException(String name, long expectedVersion, long currentVersion) {
    super(
        "version conflict on secret '"
            + name
            + "': expected version "
            + expectedVersion
            + " but the current version is "
            + currentVersion);
    this.name = name;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  public String name() {
    return name;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  /** The newest version of the secret when the write was refused; 0 if it does not exist. */
  public long currentVersion() {
    return currentVersion;
  }

  /** Always {@link Kind#CONFLICT}. */
  @Override
  public Kind kind() {
    return Kind.CONFLICT;
  }
}
