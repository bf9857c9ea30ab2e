-- The officer's own counter (issue 12): each counter's working state today (open, paused as
-- "Tạm nghỉ", closed), who set it and when; which officers are assigned to which counter; and the
-- last undoable step of each counter ("V" absent, "G"/"X" closing the current ticket), with the
-- ticket rows before and after it, so an undo restores exactly those rows in one transaction.
-- `counters.active` stays the administrator's setting (the counter is in use at all).
ALTER TABLE counters ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'paused', 'closed'));
ALTER TABLE counters ADD COLUMN state_ts REAL;
ALTER TABLE counters ADD COLUMN state_by TEXT;

CREATE TABLE counter_officers (
    counter_id INTEGER NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (counter_id, user_id)
);
CREATE INDEX counter_officers_user ON counter_officers (user_id);

CREATE TABLE counter_undo (
    counter_id INTEGER PRIMARY KEY REFERENCES counters(id) ON DELETE CASCADE,
    token      TEXT NOT NULL,
    action     TEXT NOT NULL,
    ts         REAL NOT NULL,
    user_login TEXT,
    summary    TEXT NOT NULL,   -- JSON: what the step did, for the console's undo button
    before     TEXT NOT NULL,   -- JSON: the rows the step changed, as they were
    after      TEXT NOT NULL    -- JSON: the same rows as the step left them
);
