package com.lanonasis.secrets.spi;

/**
 * What {@link RecordStore#append} did.
 *
 * @since 0.1
 */
public enum AppendResult {
  /** The version was stored. */
  APPENDED,
  /**
   * Nothing was stored: the version is not the head's counter + 1, or the name is soft-deleted. The
   * caller re-reads the head and decides.
   */
  VERSION_TAKEN,
  /**
   * Nothing was stored: the tenant's data keyset is no longer the generation the record was sealed
   * under (rotated, re-wrapped, destroyed, or never created). The caller reloads the keyset and, if
   * it still has one, seals again.
   */
  KEYSET_CHANGED
}
