package com.lanonasis.secrets;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The secret, or the requested version of it, does not exist for this tenant: never written,
 * soft-deleted, destroyed, or past its expiry ({@link #expiredAt()} then says when it expired).
 *
 * <p>Kind {@link Kind#NOT_FOUND}: a read does not tell a deleted or expired secret from one that
 * never existed (a deleted one can be restored, so it is not {@link Kind#GONE} either).
 *
 * @since 0.1
 */
public final class SecretNotFoundException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String name;
  private final @Nullable Instant expiredAt;

  public SecretNotFoundException(String name, String message) {
    this(name, message, null);
  }

  private SecretNotFoundException(String name, String message, @Nullable Instant expiredAt) {
    super(message);
    this.name = name;
    this.expiredAt = expiredAt;
  }

  /** The secret exists but its expiry, {@code expiredAt}, has passed. */
  public static SecretNotFoundException expired(String name, Instant expiredAt) {
    Objects.requireNonNull(expiredAt, "expiredAt");
    return new SecretNotFoundException(
        name, "secret '" + name + "' expired at " + expiredAt, expiredAt);
  }

  /** When the secret expired, if that is why it was not found. */
  public Optional<Instant> expiredAt() {
    return Optional.ofNullable(expiredAt);
  }

  /** The name that was asked for. */
  public String name() {
    return name;
  }

  /** Always {@link Kind#NOT_FOUND}. */
  @Override
  public Kind kind() {
    return Kind.NOT_FOUND;
  }
}
