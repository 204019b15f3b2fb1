-- Who asked for the pause a run is in (or is on its way to), and when it stopped: the run page's
-- header says "paused by op1 at …" without reading the audit trail. NULL for runs paused before
-- this column existed (the header then names only who may resume) and for runs not paused.
ALTER TABLE run ADD COLUMN paused_by VARCHAR(64);
ALTER TABLE run ADD COLUMN paused_at TIMESTAMP WITH TIME ZONE;
