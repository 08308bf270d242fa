package com.lanonasis.secrets.wire;

/**
 * What an API key may do. {@link #READ_ONLY} reads and lists; {@link #READ_WRITE} also writes,
 * deletes, restores and destroys; {@link #ADMIN} can do everything, reads the audit log and manages
 * API keys.
 *
 * @since 0.1
 */
public enum Role {
  ADMIN,
  READ_WRITE,
  READ_ONLY;

  /** Whether a key of this role may change secrets. */
  public boolean canWrite() {
    return this != READ_ONLY;
  }
}
