package io.lockstep.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Failed logins as stored rows: only what the throttle needs. A success leaves no row; it deletes
 * the failures of that user from that address, so "failures since the last success" are exactly
 * the rows there are. Rows older than the throttle's window count for nothing and are deleted
 * whenever a failure is written, so the table holds at most the failures of one window. Who logged
 * in when is the audit trail's business, not this table's.
 */
@Repository
class LoginAttempts {

  private final JdbcClient jdbc;

  LoginAttempts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void recordFailure(String username, String remoteAddr, Instant at) {
    jdbc.sql("""
            INSERT INTO login_attempt (username, remote_addr, succeeded, attempted_at)
            VALUES (:username, :addr, FALSE, :at)""")
        .param("username", clip(username, 128))
        .param("addr", clip(remoteAddr, 64))
        .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .update();
  }

  /** Forgets the failures of {@code username} from {@code remoteAddr}: they logged in since. */
  void clearFailures(String username, String remoteAddr) {
    jdbc.sql("DELETE FROM login_attempt WHERE username = :username AND remote_addr = :addr")
        .param("username", clip(username, 128))
        .param("addr", clip(remoteAddr, 64))
        .update();
  }

  /** Deletes every row older than {@code before}; answers how many. */
  int deleteOlderThan(Instant before) {
    return jdbc.sql("DELETE FROM login_attempt WHERE attempted_at < :before")
        .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
        .update();
  }

  /** Times of the stored failures of {@code username} from {@code remoteAddr} since {@code since}, oldest first. */
  List<Instant> failuresSince(String username, String remoteAddr, Instant since) {
    return jdbc.sql("""
            SELECT attempted_at FROM login_attempt
             WHERE username = :username AND remote_addr = :addr AND succeeded = FALSE
               AND attempted_at >= :since
             ORDER BY attempted_at""")
        .param("username", clip(username, 128))
        .param("addr", clip(remoteAddr, 64))
        .param("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .query(OffsetDateTime.class)
        .list()
        .stream()
        .map(OffsetDateTime::toInstant)
        .toList();
  }

  /** Rows in the table, for tests and checks. */
  long count() {
    return jdbc.sql("SELECT COUNT(*) FROM login_attempt").query(Long.class).single();
  }

  private static String clip(String value, int max) {
    String v = value == null ? "" : value;
    return v.length() <= max ? v : v.substring(0, max);
  }
}
