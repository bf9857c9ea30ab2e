-- Screen pairing: a screen with no token (hall TV, kiosk, a counter's citizen screen) shows a short
-- code; an administrator approves it in the panel and the screen collects a token of that role.
-- The screen proves it is the one that asked with a long secret kept in its cookie (hash here).
CREATE TABLE screen_pairings (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,                       -- the 6 characters on the screen
    secret_hash TEXT NOT NULL UNIQUE,
    address     TEXT NOT NULL DEFAULT '',            -- the screen's LAN address (throttling, the admin's list)
    page        TEXT NOT NULL DEFAULT '',            -- the screen URL it was opened on
    user_agent  TEXT NOT NULL DEFAULT '',
    created_ts  REAL NOT NULL,
    expires_ts  REAL NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'approved', 'claimed', 'expired')),
    role        TEXT CHECK (role IN ('display', 'kiosk', 'mirror')),
    name        TEXT,
    counter_id  INTEGER REFERENCES counters(id) ON DELETE CASCADE,
    counters    TEXT,                                -- a hall display's counters ("1,3"); NULL: all
    approved_by TEXT,
    approved_ts REAL,
    token_id    INTEGER REFERENCES api_tokens(id)
);
-- a code names one waiting screen at a time
CREATE UNIQUE INDEX screen_pairings_open_code ON screen_pairings (code) WHERE state IN ('pending', 'approved');
CREATE INDEX screen_pairings_address ON screen_pairings (address, created_ts);

-- A hall display token may show only some counters ("1,3"); NULL shows every counter.
ALTER TABLE api_tokens ADD COLUMN counters TEXT;
