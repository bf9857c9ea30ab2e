-- A transferred ticket keeps its number (the one printed on the citizen's paper, shown on the hall
-- display and keyed on the pager): its seq stays that of the service that issued it. Until now the
-- uniqueness was UNIQUE (service_id, day, seq) on the *current* service, so a transfer onto a
-- service that had issued the same sequence number failed (HTTP 500), and a transfer onto one that
-- had not made that service's own next number jump. Now tickets record the service whose daily
-- sequence issued the number (issued_service_id; NULL on rows written before this migration or by
-- hand means "its service_id") and numbers are unique per issuing service and day.
-- SQLite cannot drop a table constraint in place: rebuild tickets keeping every row and its id
-- (SQLite's "other ALTER TABLE changes" procedure). Pagers, ratings, dossiers, drafts and
-- appointments point at tickets(id): the marker below makes the runner switch foreign keys off
-- around this script and run foreign_key_check before the commit (appliance/store/db.py).
-- DROP TABLE drops the report triggers of migration 0021 (it fires none of them: the summaries are
-- left as they are, equal to the copied rows); they are created again below, unchanged
-- (docs/reports.md, tests/appliance/dossiers/test_report_summaries.py).
-- motcua: foreign_keys off
CREATE TABLE tickets_new (
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
    user_login        TEXT,
    transfers         INTEGER NOT NULL DEFAULT 0,
    appointment_id    INTEGER,
    appointment_ts    REAL,
    issued_service_id INTEGER REFERENCES services(id)   -- whose daily sequence gave seq; NULL: service_id
);
INSERT INTO tickets_new (id, service_id, day, seq, number, priority, priority_reason, state, counter_id,
                         target_counter_id, pager, channel, issued_ts, called_ts, serving_ts, finished_ts,
                         recalls, clock_synced, user_login, transfers, appointment_id, appointment_ts,
                         issued_service_id)
SELECT id, service_id, day, seq, number, priority, priority_reason, state, counter_id, target_counter_id,
       pager, channel, issued_ts, called_ts, serving_ts, finished_ts, recalls, clock_synced, user_login,
       transfers, appointment_id, appointment_ts, service_id
FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;

-- one number per issuing service and office day (the sequence next_seq draws from)
CREATE UNIQUE INDEX tickets_number ON tickets (coalesce(issued_service_id, service_id), day, seq);
CREATE INDEX tickets_waiting ON tickets (day, service_id, issued_ts) WHERE state = 'waiting';
CREATE INDEX tickets_active ON tickets (counter_id) WHERE state IN ('called', 'serving');
CREATE INDEX tickets_finished ON tickets (service_id, finished_ts) WHERE state = 'done';
CREATE INDEX tickets_counter_done ON tickets (counter_id, finished_ts) WHERE state = 'done';
CREATE INDEX tickets_called_day ON tickets (day, called_ts) WHERE called_ts IS NOT NULL;
CREATE INDEX tickets_report ON tickets (issued_ts, service_id, counter_id, user_login, state, priority,
                                        transfers, called_ts, serving_ts, finished_ts);
CREATE INDEX tickets_waiting_appointments ON tickets (day, appointment_ts) WHERE state = 'waiting'
    AND appointment_ts IS NOT NULL;
CREATE INDEX tickets_day ON tickets (day);

-- the report summaries' triggers (migration 0021), as they were
CREATE TRIGGER report_tickets_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO report_ticket_days (day, service_id, counter_id, officer, issued, served, no_show, priority,
                                    transferred, waiting)
    VALUES (new.day, new.service_id, coalesce(new.counter_id, -1), coalesce(new.user_login, ''), 1,
            (new.state = 'done'), (new.state = 'no_show'), (new.priority > 0), (new.transfers > 0),
            (new.state IN ('waiting', 'called', 'serving')))
    ON CONFLICT DO UPDATE SET issued = issued + excluded.issued, served = served + excluded.served,
        no_show = no_show + excluded.no_show, priority = priority + excluded.priority,
        transferred = transferred + excluded.transferred, waiting = waiting + excluded.waiting;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'wait', CAST(new.issued_ts / 3600 AS INTEGER) % 24, CAST(round((new.called_ts - new.issued_ts) / 6.0) AS INTEGER), 1
    FROM (SELECT 'd' AS grain, new.day AS key UNION ALL SELECT 'm', CASE WHEN substr(new.day, 9, 2) >= '15' THEN strftime('%Y-%m', new.day, 'start of month', '+1 month') ELSE substr(new.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(new.day, 1, 4) AS INTEGER) + (substr(new.day, 6, 5) >= '12-15'))) AS g
    WHERE new.called_ts >= new.issued_ts
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'service', CAST(new.issued_ts / 3600 AS INTEGER) % 24, CAST(round((new.finished_ts - coalesce(new.serving_ts, new.called_ts)) / 6.0) AS INTEGER), 1
    FROM (SELECT 'd' AS grain, new.day AS key UNION ALL SELECT 'm', CASE WHEN substr(new.day, 9, 2) >= '15' THEN strftime('%Y-%m', new.day, 'start of month', '+1 month') ELSE substr(new.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(new.day, 1, 4) AS INTEGER) + (substr(new.day, 6, 5) >= '12-15'))) AS g
    WHERE new.state = 'done' AND new.finished_ts >= coalesce(new.serving_ts, new.called_ts)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_tickets_update AFTER UPDATE OF day, service_id, counter_id, user_login, state, priority, transfers, issued_ts, called_ts, serving_ts, finished_ts ON tickets BEGIN
    INSERT INTO report_ticket_days (day, service_id, counter_id, officer, issued, served, no_show, priority,
                                    transferred, waiting)
    VALUES (old.day, old.service_id, coalesce(old.counter_id, -1), coalesce(old.user_login, ''), -1,
            -(old.state = 'done'), -(old.state = 'no_show'), -(old.priority > 0), -(old.transfers > 0),
            -(old.state IN ('waiting', 'called', 'serving')))
    ON CONFLICT DO UPDATE SET issued = issued + excluded.issued, served = served + excluded.served,
        no_show = no_show + excluded.no_show, priority = priority + excluded.priority,
        transferred = transferred + excluded.transferred, waiting = waiting + excluded.waiting;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'wait', CAST(old.issued_ts / 3600 AS INTEGER) % 24, CAST(round((old.called_ts - old.issued_ts) / 6.0) AS INTEGER), -1
    FROM (SELECT 'd' AS grain, old.day AS key UNION ALL SELECT 'm', CASE WHEN substr(old.day, 9, 2) >= '15' THEN strftime('%Y-%m', old.day, 'start of month', '+1 month') ELSE substr(old.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(old.day, 1, 4) AS INTEGER) + (substr(old.day, 6, 5) >= '12-15'))) AS g
    WHERE old.called_ts >= old.issued_ts
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'service', CAST(old.issued_ts / 3600 AS INTEGER) % 24, CAST(round((old.finished_ts - coalesce(old.serving_ts, old.called_ts)) / 6.0) AS INTEGER), -1
    FROM (SELECT 'd' AS grain, old.day AS key UNION ALL SELECT 'm', CASE WHEN substr(old.day, 9, 2) >= '15' THEN strftime('%Y-%m', old.day, 'start of month', '+1 month') ELSE substr(old.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(old.day, 1, 4) AS INTEGER) + (substr(old.day, 6, 5) >= '12-15'))) AS g
    WHERE old.state = 'done' AND old.finished_ts >= coalesce(old.serving_ts, old.called_ts)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_ticket_days (day, service_id, counter_id, officer, issued, served, no_show, priority,
                                    transferred, waiting)
    VALUES (new.day, new.service_id, coalesce(new.counter_id, -1), coalesce(new.user_login, ''), 1,
            (new.state = 'done'), (new.state = 'no_show'), (new.priority > 0), (new.transfers > 0),
            (new.state IN ('waiting', 'called', 'serving')))
    ON CONFLICT DO UPDATE SET issued = issued + excluded.issued, served = served + excluded.served,
        no_show = no_show + excluded.no_show, priority = priority + excluded.priority,
        transferred = transferred + excluded.transferred, waiting = waiting + excluded.waiting;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'wait', CAST(new.issued_ts / 3600 AS INTEGER) % 24, CAST(round((new.called_ts - new.issued_ts) / 6.0) AS INTEGER), 1
    FROM (SELECT 'd' AS grain, new.day AS key UNION ALL SELECT 'm', CASE WHEN substr(new.day, 9, 2) >= '15' THEN strftime('%Y-%m', new.day, 'start of month', '+1 month') ELSE substr(new.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(new.day, 1, 4) AS INTEGER) + (substr(new.day, 6, 5) >= '12-15'))) AS g
    WHERE new.called_ts >= new.issued_ts
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'service', CAST(new.issued_ts / 3600 AS INTEGER) % 24, CAST(round((new.finished_ts - coalesce(new.serving_ts, new.called_ts)) / 6.0) AS INTEGER), 1
    FROM (SELECT 'd' AS grain, new.day AS key UNION ALL SELECT 'm', CASE WHEN substr(new.day, 9, 2) >= '15' THEN strftime('%Y-%m', new.day, 'start of month', '+1 month') ELSE substr(new.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(new.day, 1, 4) AS INTEGER) + (substr(new.day, 6, 5) >= '12-15'))) AS g
    WHERE new.state = 'done' AND new.finished_ts >= coalesce(new.serving_ts, new.called_ts)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_tickets_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO report_ticket_days (day, service_id, counter_id, officer, issued, served, no_show, priority,
                                    transferred, waiting)
    VALUES (old.day, old.service_id, coalesce(old.counter_id, -1), coalesce(old.user_login, ''), -1,
            -(old.state = 'done'), -(old.state = 'no_show'), -(old.priority > 0), -(old.transfers > 0),
            -(old.state IN ('waiting', 'called', 'serving')))
    ON CONFLICT DO UPDATE SET issued = issued + excluded.issued, served = served + excluded.served,
        no_show = no_show + excluded.no_show, priority = priority + excluded.priority,
        transferred = transferred + excluded.transferred, waiting = waiting + excluded.waiting;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'wait', CAST(old.issued_ts / 3600 AS INTEGER) % 24, CAST(round((old.called_ts - old.issued_ts) / 6.0) AS INTEGER), -1
    FROM (SELECT 'd' AS grain, old.day AS key UNION ALL SELECT 'm', CASE WHEN substr(old.day, 9, 2) >= '15' THEN strftime('%Y-%m', old.day, 'start of month', '+1 month') ELSE substr(old.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(old.day, 1, 4) AS INTEGER) + (substr(old.day, 6, 5) >= '12-15'))) AS g
    WHERE old.called_ts >= old.issued_ts
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_times (grain, key, kind, hod, step, n)
    SELECT g.grain, g.key, 'service', CAST(old.issued_ts / 3600 AS INTEGER) % 24, CAST(round((old.finished_ts - coalesce(old.serving_ts, old.called_ts)) / 6.0) AS INTEGER), -1
    FROM (SELECT 'd' AS grain, old.day AS key UNION ALL SELECT 'm', CASE WHEN substr(old.day, 9, 2) >= '15' THEN strftime('%Y-%m', old.day, 'start of month', '+1 month') ELSE substr(old.day, 1, 7) END
          UNION ALL SELECT 'y', printf('%d', CAST(substr(old.day, 1, 4) AS INTEGER) + (substr(old.day, 6, 5) >= '12-15'))) AS g
    WHERE old.state = 'done' AND old.finished_ts >= coalesce(old.serving_ts, old.called_ts)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
