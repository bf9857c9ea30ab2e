-- The login backoff's failure counts (appliance.domain.throttle), kept across restarts so that
-- restarting the appliance does not reset an attacker's wait. One row per key: kind 'pair'
-- (login + address), 'account' (login, address '') or 'address' (login '', address).
-- last_ts is wall-clock seconds of the last counted failure; rows older than an hour are forgotten.
CREATE TABLE login_failures (
    kind      TEXT NOT NULL CHECK (kind IN ('pair', 'account', 'address')),
    login     TEXT NOT NULL DEFAULT '',
    address   TEXT NOT NULL DEFAULT '',
    failures  INTEGER NOT NULL CHECK (failures > 0),
    last_ts   REAL NOT NULL,
    PRIMARY KEY (kind, login, address)
) WITHOUT ROWID;
