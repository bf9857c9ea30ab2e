-- Postal return (issue 17): the list an officer hands the postal worker with the results to post.
-- One row per list; each dossier on it points to it (dossiers.postal_handover_id) and carries its
-- own tracking number and postage (dossiers.tracking_number, post_fee). The postal worker's name is
-- a staff name of the postal service (printed on the list to sign), not a citizen's data.
CREATE TABLE postal_handovers (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,          -- Số: seq/BG-BCCI, counted per year
    handed_ts      REAL NOT NULL,
    officer        TEXT,                      -- the login that handed over
    officer_name   TEXT,
    postal_unit    TEXT NOT NULL,             -- e.g. Bưu điện văn hóa xã Dương Xá
    postal_worker  TEXT NOT NULL,             -- who received the results for the postal service
    note           TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX postal_handovers_ts ON postal_handovers (handed_ts);

ALTER TABLE dossiers ADD COLUMN postal_handover_id INTEGER REFERENCES postal_handovers (id);
CREATE INDEX dossiers_postal_handover ON dossiers (postal_handover_id) WHERE postal_handover_id IS NOT NULL;
CREATE INDEX dossiers_postal_pending ON dossiers (state) WHERE return_by_post = 1 AND state = 'ready';
