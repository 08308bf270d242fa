package com.lanonasis.secrets.server;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows down API-key guessing: a token bucket of failed authentications per client address.
 *
 * <p>Each address may fail {@code burst} times in a row; after that it earns one more attempt every
 * {@code window / burst}. While its bucket is empty a request from the address that fails
 * authentication is answered 429 instead of 401. {@link Authenticator} checks a presented key first
 * and serves a valid one whatever the bucket holds, so others' failures from the same address (a
 * shared proxy, a keyless trickle) never lock a valid key out; a key's secret part is 256 random
 * bits, so the 200 a right guess would get tells a guesser nothing usable. A successful request
 * does not refill the bucket.
 *
 * <p>Buckets live in this process only (several instances each throttle on their own) and at most
 * {@value #MAX_ADDRESSES} addresses are tracked, least recently failed dropped first, so memory
 * stays bounded whatever the traffic. Thread-safe.
 */
final class AuthThrottle {
  static final int MAX_ADDRESSES = 10_000;

  private final int burst;
  private final double nanosPerToken;
  private final Clock clock;
  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  AuthThrottle(int burst, Duration window, Clock clock) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1: " + burst);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    this.burst = burst;
    this.nanosPerToken = (double) window.toNanos() / burst;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** How long the address must wait before it may try a key again; empty when it may now. */
  synchronized Optional<Duration> retryAfter(String address) {
    Bucket b = buckets.get(address);
    if (b == null) {
      return Optional.empty();
    }
    long now = now();
    refill(b, now);
    if (b.tokens >= 1) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) Math.ceil((1 - b.tokens) * nanosPerToken)));
  }

  /** Records one failed authentication from the address. */
  synchronized void failed(String address) {
    long now = now();
    Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
    refill(b, now);
    b.tokens = Math.max(0, b.tokens - 1);
  }

  synchronized int trackedAddresses() {
    return buckets.size();
  }

  private void refill(Bucket b, long now) {
    if (now > b.at) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) / nanosPerToken);
      b.at = now;
    }
  }

  private long now() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
