-- A step retried with a wait between its attempts waits in the database, holding no thread: which
-- attempt of its series the last one was, when the series started (the retry bound counts from it)
-- and when the next attempt starts, so a restart in the middle of a wait neither loses the series
-- nor waits forever.
ALTER TABLE run_step ADD COLUMN attempt INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE run_step ADD COLUMN series_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE run_step ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;

-- A failed guard is skipped only when two approvers sign its override: the first signature is kept
-- with the step until the second completes it (a retry or an abort clears it).
ALTER TABLE run_step ADD COLUMN override_by VARCHAR(64);
ALTER TABLE run_step ADD COLUMN override_reason VARCHAR(4000);
