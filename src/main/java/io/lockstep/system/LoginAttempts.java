package io.lockstep.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Login attempts as stored rows; the table only grows (old rows are the audit's business). */
@Repository
class LoginAttempts {

  private final JdbcClient jdbc;

  LoginAttempts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void record(String username, String remoteAddr, boolean succeeded, Instant at) {
    jdbc.sql("""
            INSERT INTO login_attempt (username, remote_addr, succeeded, attempted_at)
            VALUES (:username, :addr, :ok, :at)""")
        .param("username", clip(username, 128))
        .param("addr", clip(remoteAddr, 64))
        .param("ok", succeeded)
        .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .update();
  }

  /**
   * Times of the failures of {@code username} from {@code remoteAddr} since {@code since} that
   * came after the last success, oldest first.
   */
  List<Instant> failuresSinceLastSuccess(String username, String remoteAddr, Instant since) {
    return jdbc.sql("""
            SELECT attempted_at FROM login_attempt
             WHERE username = :username AND remote_addr = :addr AND succeeded = FALSE
               AND attempted_at >= :since
               AND attempted_at > COALESCE((SELECT MAX(s.attempted_at) FROM login_attempt s
                                             WHERE s.username = :username AND s.remote_addr = :addr
                                               AND s.succeeded = TRUE), :since)
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

  private static String clip(String value, int max) {
    String v = value == null ? "" : value;
    return v.length() <= max ? v : v.substring(0, max);
  }
}
