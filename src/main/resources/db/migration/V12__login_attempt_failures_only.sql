-- login_attempt keeps only failed logins inside the throttle's window (see LoginAttempts): a
-- success is no longer a row, and old rows are deleted as new failures come. Rows written before
-- (one per authenticated API request) are of no use to the throttle: a success only ever ended the
-- count of the failures before it, and those are deleted with it.
DELETE FROM login_attempt
 WHERE succeeded = TRUE
    OR attempted_at <= (SELECT MAX(s.attempted_at) FROM login_attempt s
                        WHERE s.succeeded = TRUE
                          AND s.username = login_attempt.username
                          AND s.remote_addr = login_attempt.remote_addr);
