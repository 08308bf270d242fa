package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.audit.AuditEntry;
import com.lanonasis.secrets.server.HttpTestClient.Reply;
import com.lanonasis.secrets.server.testing.RealServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthThrottleTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-29T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Nested
  class Bucket {
    final ManualClock clock = new ManualClock();
    final AuthThrottle throttle = new AuthThrottle(3, Duration.ofSeconds(30), clock);

    @Test
    void burstFailuresAreAllowed_thenOneAttemptPerWindowOverBurst() {
      for (int i = 0; i < 3; i++) {
        assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
      }
      assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(4));
      assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(6));
      clock.advance(Duration.ofSeconds(6));
      assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
      throttle.failed("10.0.0.1");
      assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(10));
    }

    @Test
    void addressesAreThrottledSeparately() {
      for (int i = 0; i < 3; i++) {
        throttle.failed("10.0.0.1");
      }
      assertThat(throttle.retryAfter("10.0.0.1")).isPresent();
      assertThat(throttle.retryAfter("10.0.0.2")).isEmpty();
    }

    @Test
    void aLongQuietPeriodRefillsOnlyUpToTheBurst() {
      throttle.failed("10.0.0.1");
      clock.advance(Duration.ofDays(1));
      for (int i = 0; i < 3; i++) {
        throttle.failed("10.0.0.1");
      }
      assertThat(throttle.retryAfter("10.0.0.1")).isPresent();
    }

    @Test
    void memoryIsBounded_whateverTheNumberOfAddresses() {
      for (int i = 0; i < AuthThrottle.MAX_ADDRESSES + 500; i++) {
        throttle.failed("addr-" + i);
      }
      assertThat(throttle.trackedAddresses()).isEqualTo(AuthThrottle.MAX_ADDRESSES);
    }

    @Test
    void theLeastRecentlySeenAddressIsDroppedFirst_notOneStillFailing() {
      for (int i = 0; i < 3; i++) {
        throttle.failed("early");
        throttle.failed("kept");
      }
      for (int i = 0; i < AuthThrottle.MAX_ADDRESSES - 2; i++) {
        throttle.failed("filler-" + i);
      }
      // "kept" fails again: it is now the most recent, "early" (inserted first) the eldest, and
      // "filler-0" next. In insertion order "kept" would be second eldest and go with "early".
      throttle.failed("kept");
      throttle.failed("new-1");
      throttle.failed("new-2");

      assertThat(throttle.trackedAddresses()).isEqualTo(AuthThrottle.MAX_ADDRESSES);
      assertThat(throttle.retryAfter("early")).as("eldest address forgotten").isEmpty();
      assertThat(throttle.retryAfter("kept"))
          .as("recently failing address still throttled")
          .isPresent();
      // Forgotten means forgotten: "early" starts again from a full burst.
      throttle.failed("early");
      assertThat(throttle.retryAfter("early")).isEmpty();
    }
  }

  @Test
  void overHttp_repeatedBadKeysGet429WithRetryAfter_aValidKeyIsNeverLockedOut_andItIsAudited(
      @TempDir Path dir) {
    ManualClock clock = new ManualClock();
    HttpTestClient client = new HttpTestClient();
    RealServer started =
        RealServer.start(dir, b -> b.clock(clock).authFailureLimit(5, Duration.ofMinutes(1)));
    try (SecretsServer server = started.server()) {
      String admin = started.adminKey();
      String wrong = admin.substring(0, admin.length() - 4) + "AAAA";

      for (int i = 0; i < 5; i++) {
        assertThat(client.call(server.port(), "GET", "/api/v1/whoami", wrong, null, null).status())
            .isEqualTo(401);
      }
      Reply throttled =
          client.call(server.port(), "GET", "/api/v1/secrets/app/db", wrong, null, null);
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(throttled.contentType()).startsWith("application/problem+json");
      assertThat(throttled.json().get("status").asInt()).isEqualTo(429);
      assertThat(throttled.raw().headers().firstValue("Retry-After")).contains("12");
      // S8: others' failures from the same address (a shared proxy, a keyless flood) never lock a
      // valid key out; its secret part is 256 random bits, so a 200 among 429s helps no guesser.
      assertThat(client.call(server.port(), "GET", "/api/v1/whoami", admin, null, null).status())
          .isEqualTo(200);
      // Requests without a key wait (a keyless flood is throttled like a guessing one); public
      // routes do not.
      assertThat(client.call(server.port(), "GET", "/api/v1/whoami", null, null, null).status())
          .isEqualTo(429);
      assertThat(client.call(server.port(), "GET", "/healthz", null, null, null).status())
          .isEqualTo(200);

      clock.advance(Duration.ofSeconds(12));
      assertThat(client.call(server.port(), "GET", "/api/v1/whoami", admin, null, null).status())
          .isEqualTo(200);

      // Refusals are aggregated per address: one entry for the first 429 of the window; the one
      // after
      // it is counted and written when the window ends (here: flushed now).
      server.flushRefusals();
      assertThat(server.auditLog().read(0, 1000, Optional.empty()))
          .filteredOn(e -> e.outcome().equals("throttled"))
          .extracting(AuditEntry::repeated)
          .containsExactly(0L, 1L);
      assertThat(server.auditLog().read(0, 1000, Optional.empty()))
          .filteredOn(e -> e.outcome().equals("throttled"))
          .allSatisfy(e -> assertThat(e.action()).isEqualTo("authenticate"));
      assertThat(server.auditLog().verify().intact()).isTrue();
    }
  }
}
