-- The output of every run (module logstream): one row per line, numbered per run from 1 without gaps.
-- Rows are only ever inserted; readers page through them by (run_id, seq). stream is 'out', 'err' or
-- 'sys' (LogLine.Stream); not a CHECK constraint, because H2 2.4.240 fails every insert ("Check
-- constraint invalid") when a CHECK comparing strings was created by another session, as Flyway's is.
CREATE TABLE run_log_line (
    run_id VARCHAR(64)              NOT NULL,
    seq    BIGINT                   NOT NULL,
    at     TIMESTAMP WITH TIME ZONE NOT NULL,
    step   VARCHAR(128),
    node   VARCHAR(253),
    stream VARCHAR(8)               NOT NULL,
    line   VARCHAR(8000)            NOT NULL,
    CONSTRAINT run_log_line_pk PRIMARY KEY (run_id, seq),
    CONSTRAINT run_log_line_seq CHECK (seq > 0)
);

-- Runs whose log is complete: readers get an end event after the last line, appends are refused.
CREATE TABLE run_log_end (
    run_id   VARCHAR(64)              NOT NULL,
    last_seq BIGINT                   NOT NULL,
    ended_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT run_log_end_pk PRIMARY KEY (run_id)
);
