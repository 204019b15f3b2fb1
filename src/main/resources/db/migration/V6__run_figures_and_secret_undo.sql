-- Figures a step measured (bytes and milliseconds of a copy, bytes changed since): the run page's
-- maintenance-window forecast is computed from them. A later figure of the same name replaces it.
CREATE TABLE run_figure (
    run_id      VARCHAR(64)              NOT NULL,
    name        VARCHAR(300)             NOT NULL,
    figure      BIGINT                   NOT NULL,
    step        VARCHAR(130)             NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT run_figure_pk PRIMARY KEY (run_id, name),
    CONSTRAINT run_figure_run FOREIGN KEY (run_id) REFERENCES run (id)
);

-- An undo record holding secret values (a whole Secret backed up before a rewrite) is never shown,
-- audited or exported; only its key and that it exists are.
ALTER TABLE undo_record ADD COLUMN secret BOOLEAN DEFAULT FALSE NOT NULL;
