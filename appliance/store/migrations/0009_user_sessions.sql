-- Server-side login sessions: the signed cookie names a session (its id's SHA-256 is stored here),
-- so logging out, a password reset or an administrator disabling the account ends that session
-- everywhere, copied cookies included; a session idle longer than [web] session_idle_hours ends.
CREATE TABLE user_sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_ts   REAL NOT NULL,
    last_seen_ts REAL NOT NULL,
    address      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);
