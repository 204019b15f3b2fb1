-- The audit trail: append-only, hash-chained (see io.lockstep.audit.AuditChain for the encoding).
-- seq is assigned by the appender, gapless from 1; hash = SHA-256 over the row's canonical
-- encoding including prev_hash, the hash of row seq-1 (64 zeros for row 1).
CREATE TABLE audit_event (
    seq         BIGINT                   NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(128)             NOT NULL,
    type        VARCHAR(64)              NOT NULL,
    run_id      VARCHAR(64),
    summary     VARCHAR(2000)            NOT NULL,
    details     TEXT                     NOT NULL,
    prev_hash   CHAR(64)                 NOT NULL,
    hash        CHAR(64)                 NOT NULL
);

CREATE INDEX audit_event_run ON audit_event (run_id, seq);
CREATE INDEX audit_event_actor ON audit_event (actor, seq);
CREATE INDEX audit_event_type ON audit_event (type, seq);
CREATE INDEX audit_event_time ON audit_event (occurred_at);

-- The chain's head: exactly one row. Appenders lock it (SELECT ... FOR UPDATE), so appends are
-- serialized across threads and console instances and the chain never forks; it also records the
-- last seq and hash, so verify notices rows cut off the end of the table.
CREATE TABLE audit_head (
    id        INT          NOT NULL PRIMARY KEY,
    last_seq  BIGINT       NOT NULL,
    last_hash CHAR(64)     NOT NULL,
    CONSTRAINT audit_head_single_row CHECK (id = 1)
);

INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
