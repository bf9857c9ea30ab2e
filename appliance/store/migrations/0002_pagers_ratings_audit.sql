-- The pager pool, satisfaction ratings and the audit log.
CREATE TABLE pagers (
    number       INTEGER PRIMARY KEY CHECK (number > 0),
    state        TEXT NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'assigned', 'lost')),
    ticket_id    INTEGER REFERENCES tickets(id),
    dossier_code TEXT,
    changed_ts   REAL
);

CREATE TABLE ratings (
    id         INTEGER PRIMARY KEY,
    counter_id INTEGER NOT NULL REFERENCES counters(id),
    ticket_id  INTEGER REFERENCES tickets(id),
    user_login TEXT,
    level      TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'neutral',
                                              'unsatisfied', 'very_unsatisfied')),
    source     TEXT NOT NULL DEFAULT 'button',
    ts         REAL NOT NULL
);
CREATE INDEX ratings_counter ON ratings (counter_id, ts);

ALTER TABLE tickets ADD COLUMN user_login TEXT;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    ts         REAL NOT NULL,
    user_login TEXT,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log (object, ts);
