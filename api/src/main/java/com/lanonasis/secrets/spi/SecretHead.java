package com.lanonasis.secrets.spi;

import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import java.time.Instant;
import java.util.Objects;

/**
 * The per-name row of a {@link RecordStore}: the version counter, the state and the attributes.
 *
 * @param name the secret's name
 * @param currentVersion the highest version number ever written; never decreases
 * @param state active, soft-deleted, or destroyed (a tombstone that keeps the counter)
 * @param createdAt when the name was first written
 * @param updatedAt last change of versions or attributes
 * @param attributes description, labels, expiry (empty once destroyed)
 * @since 0.1
 */
public record SecretHead(
    SecretName name,
    long currentVersion,
    State state,
    Instant createdAt,
    Instant updatedAt,
    SecretAttributes attributes) {

  /** Lifecycle of a name. */
  public enum State {
    ACTIVE,
    DELETED,
    DESTROYED
  }

  public SecretHead {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(attributes, "attributes");
    if (currentVersion < 1) {
      throw new IllegalArgumentException("currentVersion must be >= 1: " + currentVersion);
    }
  }

  /** The public view of this head. */
  public SecretMetadata toMetadata() {
    return new SecretMetadata(name, currentVersion, createdAt, updatedAt, attributes);
  }
}
