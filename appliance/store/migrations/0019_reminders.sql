-- How a ready result is being called (issue 12), kept on disk so a restart resumes it. One row per
-- ready dossier not yet handed over: `kind` 'pager' (buzz `pager` again) or 'call' (no pager, or
-- the transmitter failed: the hall display and the announcer call the dossier's number). Written in
-- the transaction that readies the dossier; deleted in the one that returns the result or takes the
-- pager back; `left` counts the repeats still to come (0: none, the row stays as the record of how
-- the citizen is called), `due_ts` the next one (the appliance's clock).
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    dossier_code  TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('pager', 'call')),
    pager         INTEGER,
    counter_id    INTEGER,
    due_ts        REAL NOT NULL,
    every_s       REAL NOT NULL CHECK (every_s > 0),
    left          INTEGER NOT NULL CHECK (left >= 0),
    done          INTEGER NOT NULL DEFAULT 0,
    started_ts    REAL NOT NULL,
    CHECK (kind = 'call' OR pager IS NOT NULL)
);
CREATE INDEX reminders_due ON reminders (due_ts);
CREATE INDEX reminders_pager ON reminders (pager) WHERE pager IS NOT NULL;
