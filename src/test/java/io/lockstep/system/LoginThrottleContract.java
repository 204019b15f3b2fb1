package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.LockedException;

/** The login throttle over real, migrated databases; run once per database by the subclasses. */
abstract class LoginThrottleContract {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

  MutableClock clock;
  LoginAttempts attempts;
  LoginThrottle throttle;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    attempts = new LoginAttempts(JdbcClient.create(database()));
    SecurityProperties properties = new SecurityProperties(List.of(), 3, Duration.ofMinutes(15));
    throttle = new LoginThrottle(attempts, properties, clock);
  }

  @Test
  void attemptsAreStoredAndReadBackInOrder() {
    attempts.recordFailure("op1", "10.0.0.1", T0);
    attempts.recordFailure("op1", "10.0.0.1", T0.plusSeconds(5));
    attempts.recordFailure("op1", "10.0.0.2", T0.plusSeconds(6));
    assertThat(attempts.failuresSince("op1", "10.0.0.1", T0.minusSeconds(1)))
        .containsExactly(T0, T0.plusSeconds(5));
  }

  @Test
  void successesWriteNoRows() {
    long before = attempts.count();
    for (int i = 0; i < 50; i++) {
      throttle.checkAllowed("op1", "10.0.0.1");
      throttle.recordSuccess("op1", "10.0.0.1");
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(attempts.count()).isEqualTo(before);
  }

  @Test
  void rowsOlderThanTheWindowAreDeletedWhenAFailureIsStored() {
    attempts.recordFailure("gone", "10.0.0.7", T0.minus(Duration.ofHours(3)));
    attempts.recordFailure("gone", "10.0.0.8", T0.minus(Duration.ofMinutes(16)));
    attempts.recordFailure("kept", "10.0.0.7", T0.minus(Duration.ofMinutes(14)));
    throttle.recordFailure("op2", "10.0.0.1");
    assertThat(attempts.failuresSince("gone", "10.0.0.7", T0.minus(Duration.ofDays(1)))).isEmpty();
    assertThat(attempts.failuresSince("gone", "10.0.0.8", T0.minus(Duration.ofDays(1)))).isEmpty();
    assertThat(attempts.failuresSince("kept", "10.0.0.7", T0.minus(Duration.ofDays(1))))
        .containsExactly(T0.minus(Duration.ofMinutes(14)));
    assertThat(attempts.failuresSince("op2", "10.0.0.1", T0.minus(Duration.ofDays(1)))).containsExactly(T0);
  }

  @Test
  void aSuccessDeletesTheFailuresItEnds() {
    throttle.recordFailure("lead", "10.0.0.1");
    throttle.recordFailure("lead", "10.0.0.2");
    throttle.recordSuccess("lead", "10.0.0.1");
    assertThat(attempts.failuresSince("lead", "10.0.0.1", T0.minusSeconds(1))).isEmpty();
    assertThat(attempts.failuresSince("lead", "10.0.0.2", T0.minusSeconds(1))).as("another address keeps its").hasSize(1);
  }

  @Test
  void blocksAfterTooManyFailuresAndSaysForHowLong() {
    for (int i = 0; i < 3; i++) {
      throttle.checkAllowed("op1", "10.0.0.1");
      throttle.recordFailure("op1", "10.0.0.1");
      clock.advance(Duration.ofSeconds(10));
    }
    assertThatThrownBy(() -> throttle.checkAllowed("op1", "10.0.0.1"))
        .isInstanceOf(LockedException.class)
        .hasMessageContaining("try again in 15 min");
    assertThatNoException().as("another address is not blocked").isThrownBy(() -> throttle.checkAllowed("op1", "10.0.0.9"));
    assertThatNoException().as("another user is not blocked").isThrownBy(() -> throttle.checkAllowed("op2", "10.0.0.1"));
  }

  @Test
  void theBlockEndsWhenTheOldestFailureLeavesTheWindow() {
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("ap1", "10.0.0.1");
    }
    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    assertThatNoException().isThrownBy(() -> throttle.checkAllowed("ap1", "10.0.0.1"));
  }

  @Test
  void aSuccessClearsEarlierFailures() {
    throttle.recordFailure("lead", "10.0.0.1");
    throttle.recordFailure("lead", "10.0.0.1");
    clock.advance(Duration.ofSeconds(1));
    throttle.recordSuccess("lead", "10.0.0.1");
    clock.advance(Duration.ofSeconds(1));
    throttle.recordFailure("lead", "10.0.0.1");
    assertThatNoException().isThrownBy(() -> throttle.checkAllowed("lead", "10.0.0.1"));
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
