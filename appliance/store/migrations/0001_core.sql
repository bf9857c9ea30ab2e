-- Services (lĩnh vực), counters, tickets, people, tokens, key-value state and the sync outbox.
CREATE TABLE services (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    prefix      TEXT NOT NULL DEFAULT '',
    range_start INTEGER NOT NULL DEFAULT 1 CHECK (range_start >= 0),
    range_end   INTEGER NOT NULL DEFAULT 999 CHECK (range_end > range_start),
    active      INTEGER NOT NULL DEFAULT 1,
    sort        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE counters (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    priority_run INTEGER NOT NULL DEFAULT 0,
    normal_run   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE counter_services (
    counter_id INTEGER NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (counter_id, service_id)
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    service_id        INTEGER NOT NULL REFERENCES services(id),
    day               TEXT NOT NULL,
    seq               INTEGER NOT NULL,
    number            TEXT NOT NULL,
    priority          INTEGER NOT NULL DEFAULT 0,
    priority_reason   TEXT,
    state             TEXT NOT NULL DEFAULT 'waiting'
                      CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show')),
    counter_id        INTEGER REFERENCES counters(id),
    target_counter_id INTEGER REFERENCES counters(id),
    pager             INTEGER,
    channel           TEXT NOT NULL DEFAULT 'api',
    issued_ts         REAL NOT NULL,
    called_ts         REAL,
    serving_ts        REAL,
    finished_ts       REAL,
    recalls           INTEGER NOT NULL DEFAULT 0,
    clock_synced      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (service_id, day, seq)
);
CREATE INDEX tickets_waiting ON tickets (day, service_id, issued_ts) WHERE state = 'waiting';
CREATE INDEX tickets_active ON tickets (counter_id) WHERE state IN ('called', 'serving');
CREATE INDEX tickets_finished ON tickets (service_id, finished_ts) WHERE state = 'done';

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    full_name            TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'volunteer')),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    active               INTEGER NOT NULL DEFAULT 1,
    created_ts           REAL NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'volunteer', 'kiosk', 'display')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_ts   REAL NOT NULL,
    last_used_ts REAL,
    revoked      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    wall_time    TEXT NOT NULL,
    clock_synced INTEGER NOT NULL,
    boot_id      TEXT NOT NULL
);
