package io.lockstep.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Component;

/**
 * Refuses logins of a user from an address after too many failures in a window, so a password
 * cannot be guessed at speed. Counts only failures after the last success; the block ends when the
 * oldest counted failure leaves the window. Stores failures only (an API script authenticating on
 * every request writes nothing while its credentials are good), and deletes what has left the
 * window whenever it stores one.
 */
@Component
class LoginThrottle {

  private final LoginAttempts attempts;
  private final SecurityProperties properties;
  private final Clock clock;

  LoginThrottle(LoginAttempts attempts, SecurityProperties properties, Clock clock) {
    this.attempts = attempts;
    this.properties = properties;
    this.clock = clock;
  }

  /** Throws {@link LockedException} (with the wait in minutes) while the user is blocked. */
  void checkAllowed(String username, String remoteAddr) {
    Instant now = clock.instant();
    Duration window = properties.loginFailureWindow();
    List<Instant> failures = attempts.failuresSince(username, remoteAddr, now.minus(window));
    int max = properties.maxLoginFailures();
    if (failures.size() >= max) {
      Instant freeAt = failures.get(failures.size() - max).plus(window);
      long minutes = Math.max(1, Duration.between(now, freeAt).toSeconds() / 60 + 1);
      throw new LockedException("Too many failed logins; try again in " + minutes + " min");
    }
  }

  void recordFailure(String username, String remoteAddr) {
    Instant now = clock.instant();
    attempts.deleteOlderThan(now.minus(properties.loginFailureWindow()));
    attempts.recordFailure(username, remoteAddr, now);
  }

  /** A success ends the count of earlier failures; it is not stored itself. */
  void recordSuccess(String username, String remoteAddr) {
    attempts.clearFailures(username, remoteAddr);
  }
}
