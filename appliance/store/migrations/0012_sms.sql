-- Text messages to citizens (issue 17): a durable queue the SMS worker drains. One row per message
-- and per fact (`key` unique: the result of dossier X is announced once, however often it is asked).
-- The phone and the text are personal data: NULL once the message's dossier is purged, or when a
-- sent message is older than [privacy].purge_after_days.
CREATE TABLE sms_messages (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,            -- result_ready, appointment_booked, …, postal_handover, test
    phone         TEXT,
    text          TEXT,
    dossier_code  TEXT,
    appointment_id INTEGER,
    state         TEXT NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'cancelled')),
    created_ts    REAL NOT NULL,
    next_try_ts   REAL NOT NULL,            -- not before (a reminder's time; the next retry)
    expires_ts    REAL,                     -- not after (a reminder for a past appointment is dropped)
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    sent_ts       REAL,
    delivered_ts  REAL,
    parts         INTEGER,
    refs          TEXT,                     -- the network's references of the parts, space separated
    transport     TEXT,
    purged_ts     REAL
);
CREATE INDEX sms_messages_due ON sms_messages (state, next_try_ts);
CREATE INDEX sms_messages_dossier ON sms_messages (dossier_code);
CREATE INDEX sms_messages_created ON sms_messages (created_ts);

-- The citizen asked at the counter to be told by SMS when the result is ready.
ALTER TABLE dossiers ADD COLUMN sms_opt_in INTEGER NOT NULL DEFAULT 0;
