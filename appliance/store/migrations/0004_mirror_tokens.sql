-- Mirror tokens: the screen facing the citizen at ONE counter (/mirror/<counter>) gets its own role,
-- bound to that counter; hall displays and kiosks no longer see the draft being typed.
-- SQLite cannot change a CHECK in place: rebuild api_tokens, keeping every row and its id.
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'volunteer', 'kiosk', 'display', 'mirror')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_ts   REAL NOT NULL,
    last_used_ts REAL,
    revoked      INTEGER NOT NULL DEFAULT 0,
    -- the counter a mirror token may show; a deleted counter takes its mirror tokens with it
    counter_id   INTEGER REFERENCES counters(id) ON DELETE CASCADE,
    CHECK ((role = 'mirror') = (counter_id IS NOT NULL))
);
INSERT INTO api_tokens_new (id, name, role, token_hash, created_ts, last_used_ts, revoked, counter_id)
    SELECT id, name, role, token_hash, created_ts, last_used_ts, revoked, NULL FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
