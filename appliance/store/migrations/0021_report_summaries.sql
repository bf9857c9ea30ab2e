-- Daily summaries of the commune's reports (issue 14): a year of a busy office (150,000 tickets,
-- 60,000 dossiers) is read from a few thousand summary rows instead of every ticket and dossier.
-- Triggers keep them in the same transaction as every write to tickets, dossiers and ratings (a
-- row's old contribution is taken away and its new one added), so they always equal a count over
-- the rows; appliance/store/report_store.py reads them with the same expressions over the raw rows
-- for today, and tests/appliance/services/test_report_summaries.py compares the two.
--
-- Keys are office days (tickets.day) or UTC hours (hour = floor(ts / 3600)): a period of whole days
-- in a time zone a whole number of hours from UTC (Việt Nam: +7) is a range of hours. Waiting and
-- service times are counted in steps of 6 s (a tenth of a minute, as the report shows them) per
-- office day, reporting month (15th–14th, key YYYY-MM) and reporting year (15/12–14/12, key YYYY),
-- by the UTC hour of issue (hod): the year's percentiles read one block, not 150,000 tickets.
CREATE TABLE report_ticket_days (
    day         TEXT NOT NULL,
    service_id  INTEGER NOT NULL,
    counter_id  INTEGER NOT NULL,             -- -1: never called
    officer     TEXT NOT NULL,                -- login of the officer who called it, '' for none
    issued      INTEGER NOT NULL,
    served      INTEGER NOT NULL,
    no_show     INTEGER NOT NULL,
    priority    INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    waiting     INTEGER NOT NULL,
    PRIMARY KEY (day, service_id, counter_id, officer)
) WITHOUT ROWID;
CREATE TABLE report_times (
    grain TEXT NOT NULL CHECK (grain IN ('d', 'm', 'y')),
    key   TEXT NOT NULL,                      -- YYYY-MM-DD, YYYY-MM (reporting month), YYYY (reporting year)
    kind  TEXT NOT NULL CHECK (kind IN ('wait', 'service')),
    hod   INTEGER NOT NULL,                   -- UTC hour of the day the ticket was issued
    step  INTEGER NOT NULL,                   -- the time in steps of 6 s, rounded
    n     INTEGER NOT NULL,
    PRIMARY KEY (grain, key, kind, hod, step)
) WITHOUT ROWID;
CREATE TABLE report_rating_hours (
    hour    INTEGER NOT NULL,
    level   TEXT NOT NULL,
    officer TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (hour, level, officer)
) WITHOUT ROWID;
CREATE TABLE report_dossier_received (
    hour           INTEGER NOT NULL,          -- of received_ts
    field_code     TEXT NOT NULL,
    channel        TEXT NOT NULL,
    class          TEXT NOT NULL,             -- refused | stopped | withdrawn, '' for any other state
    portal         INTEGER NOT NULL,
    vneid          INTEGER NOT NULL,
    familiarity    TEXT NOT NULL,
    return_by_post INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (hour, field_code, channel, class, portal, vneid, familiarity, return_by_post)
) WITHOUT ROWID;
CREATE TABLE report_dossier_resolved (
    hour             INTEGER NOT NULL,        -- of the resolution: ready, else closed (never before receipt)
    field_code       TEXT NOT NULL,
    class            TEXT NOT NULL,
    outcome_due      TEXT NOT NULL,           -- against due_ts (recorded outcome, else measured)
    outcome_new_due  TEXT NOT NULL,           -- against the Mẫu 04 extension when there is one
    target           INTEGER NOT NULL,        -- the 2-hour target: 1 met, 0 missed, -1 none
    n                INTEGER NOT NULL,
    PRIMARY KEY (hour, field_code, class, outcome_due, outcome_new_due, target)
) WITHOUT ROWID;
CREATE TABLE report_dossier_posted (          -- results handed to the postal service (closed_ts)
    hour       INTEGER NOT NULL,
    field_code TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (hour, field_code)
) WITHOUT ROWID;
-- the dossiers open at an instant (carried over into a period, pending at its end) by resolution time
CREATE INDEX dossiers_resolution ON dossiers (max(received_ts, coalesce(ready_ts, closed_ts)), received_ts);
CREATE INDEX tickets_day ON tickets (day);

-- what is already there
INSERT INTO report_ticket_days
SELECT day, service_id, coalesce(counter_id, -1), coalesce(user_login, ''), count(*), sum(state = 'done'),
       sum(state = 'no_show'), sum(priority > 0), sum(transfers > 0), sum(state IN ('waiting', 'called', 'serving'))
FROM tickets GROUP BY 1, 2, 3, 4;
INSERT INTO report_times
SELECT 'd', t.day, 'wait', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.called_ts - t.issued_ts) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.called_ts >= t.issued_ts GROUP BY 2, 4, 5;
INSERT INTO report_times
SELECT 'm', CASE WHEN substr(t.day, 9, 2) >= '15' THEN strftime('%Y-%m', t.day, 'start of month', '+1 month') ELSE substr(t.day, 1, 7) END, 'wait', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.called_ts - t.issued_ts) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.called_ts >= t.issued_ts GROUP BY 2, 4, 5;
INSERT INTO report_times
SELECT 'y', printf('%d', CAST(substr(t.day, 1, 4) AS INTEGER) + (substr(t.day, 6, 5) >= '12-15')), 'wait', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.called_ts - t.issued_ts) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.called_ts >= t.issued_ts GROUP BY 2, 4, 5;
INSERT INTO report_times
SELECT 'd', t.day, 'service', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.finished_ts - coalesce(t.serving_ts, t.called_ts)) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.state = 'done' AND t.finished_ts >= coalesce(t.serving_ts, t.called_ts) GROUP BY 2, 4, 5;
INSERT INTO report_times
SELECT 'm', CASE WHEN substr(t.day, 9, 2) >= '15' THEN strftime('%Y-%m', t.day, 'start of month', '+1 month') ELSE substr(t.day, 1, 7) END, 'service', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.finished_ts - coalesce(t.serving_ts, t.called_ts)) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.state = 'done' AND t.finished_ts >= coalesce(t.serving_ts, t.called_ts) GROUP BY 2, 4, 5;
INSERT INTO report_times
SELECT 'y', printf('%d', CAST(substr(t.day, 1, 4) AS INTEGER) + (substr(t.day, 6, 5) >= '12-15')), 'service', CAST(t.issued_ts / 3600 AS INTEGER) % 24, CAST(round((t.finished_ts - coalesce(t.serving_ts, t.called_ts)) / 6.0) AS INTEGER), count(*)
FROM tickets AS t WHERE t.state = 'done' AND t.finished_ts >= coalesce(t.serving_ts, t.called_ts) GROUP BY 2, 4, 5;
INSERT INTO report_rating_hours
SELECT CAST(ts / 3600 AS INTEGER), level, coalesce(user_login, ''), count(*) FROM ratings GROUP BY 1, 2, 3;
INSERT INTO report_dossier_received
SELECT CAST(d.received_ts / 3600 AS INTEGER), d.field_code, d.channel, CASE WHEN d.state IN ('refused', 'stopped', 'withdrawn') THEN d.state ELSE '' END, d.portal_code IS NOT NULL,
       coalesce(d.vneid_created, 0) != 0, coalesce(d.it_familiarity, ''), coalesce(d.return_by_post, 0) != 0, count(*)
FROM dossiers AS d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO report_dossier_resolved
SELECT CAST(max(d.received_ts, coalesce(d.ready_ts, d.closed_ts)) / 3600 AS INTEGER), d.field_code, CASE WHEN d.state IN ('refused', 'stopped', 'withdrawn') THEN d.state ELSE '' END,
       CASE WHEN d.outcome IN ('early', 'on_time', 'late') THEN d.outcome WHEN d.due_ts IS NOT NULL AND max(d.received_ts, coalesce(d.ready_ts, d.closed_ts)) > d.due_ts THEN 'late' ELSE 'on_time' END,
       CASE WHEN d.outcome IN ('early', 'on_time', 'late') THEN d.outcome WHEN coalesce(d.new_due_ts, d.due_ts) IS NOT NULL AND max(d.received_ts, coalesce(d.ready_ts, d.closed_ts)) > coalesce(d.new_due_ts, d.due_ts) THEN 'late' ELSE 'on_time' END,
       coalesce(d.target_met != 0, -1), count(*)
FROM dossiers AS d WHERE max(d.received_ts, coalesce(d.ready_ts, d.closed_ts)) IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO report_dossier_posted
SELECT CAST(closed_ts / 3600 AS INTEGER), field_code, count(*) FROM dossiers
WHERE returned_by_post = 1 AND closed_ts IS NOT NULL GROUP BY 1, 2;

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

CREATE TRIGGER report_dossiers_insert AFTER INSERT ON dossiers BEGIN
    INSERT INTO report_dossier_received (hour, field_code, channel, class, portal, vneid, familiarity,
                                         return_by_post, n)
    VALUES (CAST(new.received_ts / 3600 AS INTEGER), new.field_code, new.channel, CASE WHEN new.state IN ('refused', 'stopped', 'withdrawn') THEN new.state ELSE '' END,
            new.portal_code IS NOT NULL, coalesce(new.vneid_created, 0) != 0, coalesce(new.it_familiarity, ''),
            coalesce(new.return_by_post, 0) != 0, 1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_resolved (hour, field_code, class, outcome_due, outcome_new_due, target, n)
    SELECT CAST(max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) / 3600 AS INTEGER), new.field_code, CASE WHEN new.state IN ('refused', 'stopped', 'withdrawn') THEN new.state ELSE '' END,
           CASE WHEN new.outcome IN ('early', 'on_time', 'late') THEN new.outcome WHEN new.due_ts IS NOT NULL AND max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) > new.due_ts THEN 'late' ELSE 'on_time' END,
           CASE WHEN new.outcome IN ('early', 'on_time', 'late') THEN new.outcome WHEN coalesce(new.new_due_ts, new.due_ts) IS NOT NULL AND max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) > coalesce(new.new_due_ts, new.due_ts) THEN 'late' ELSE 'on_time' END,
           coalesce(new.target_met != 0, -1), 1
    WHERE max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_posted (hour, field_code, n)
    SELECT CAST(new.closed_ts / 3600 AS INTEGER), new.field_code, 1
    WHERE new.returned_by_post = 1 AND new.closed_ts IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_dossiers_update AFTER UPDATE OF received_ts, field_code, channel, state, portal_code, vneid_created, it_familiarity, return_by_post, ready_ts, closed_ts, outcome, due_ts, new_due_ts, target_met, returned_by_post ON dossiers BEGIN
    INSERT INTO report_dossier_received (hour, field_code, channel, class, portal, vneid, familiarity,
                                         return_by_post, n)
    VALUES (CAST(old.received_ts / 3600 AS INTEGER), old.field_code, old.channel, CASE WHEN old.state IN ('refused', 'stopped', 'withdrawn') THEN old.state ELSE '' END,
            old.portal_code IS NOT NULL, coalesce(old.vneid_created, 0) != 0, coalesce(old.it_familiarity, ''),
            coalesce(old.return_by_post, 0) != 0, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_resolved (hour, field_code, class, outcome_due, outcome_new_due, target, n)
    SELECT CAST(max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) / 3600 AS INTEGER), old.field_code, CASE WHEN old.state IN ('refused', 'stopped', 'withdrawn') THEN old.state ELSE '' END,
           CASE WHEN old.outcome IN ('early', 'on_time', 'late') THEN old.outcome WHEN old.due_ts IS NOT NULL AND max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) > old.due_ts THEN 'late' ELSE 'on_time' END,
           CASE WHEN old.outcome IN ('early', 'on_time', 'late') THEN old.outcome WHEN coalesce(old.new_due_ts, old.due_ts) IS NOT NULL AND max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) > coalesce(old.new_due_ts, old.due_ts) THEN 'late' ELSE 'on_time' END,
           coalesce(old.target_met != 0, -1), -1
    WHERE max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_posted (hour, field_code, n)
    SELECT CAST(old.closed_ts / 3600 AS INTEGER), old.field_code, -1
    WHERE old.returned_by_post = 1 AND old.closed_ts IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_received (hour, field_code, channel, class, portal, vneid, familiarity,
                                         return_by_post, n)
    VALUES (CAST(new.received_ts / 3600 AS INTEGER), new.field_code, new.channel, CASE WHEN new.state IN ('refused', 'stopped', 'withdrawn') THEN new.state ELSE '' END,
            new.portal_code IS NOT NULL, coalesce(new.vneid_created, 0) != 0, coalesce(new.it_familiarity, ''),
            coalesce(new.return_by_post, 0) != 0, 1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_resolved (hour, field_code, class, outcome_due, outcome_new_due, target, n)
    SELECT CAST(max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) / 3600 AS INTEGER), new.field_code, CASE WHEN new.state IN ('refused', 'stopped', 'withdrawn') THEN new.state ELSE '' END,
           CASE WHEN new.outcome IN ('early', 'on_time', 'late') THEN new.outcome WHEN new.due_ts IS NOT NULL AND max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) > new.due_ts THEN 'late' ELSE 'on_time' END,
           CASE WHEN new.outcome IN ('early', 'on_time', 'late') THEN new.outcome WHEN coalesce(new.new_due_ts, new.due_ts) IS NOT NULL AND max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) > coalesce(new.new_due_ts, new.due_ts) THEN 'late' ELSE 'on_time' END,
           coalesce(new.target_met != 0, -1), 1
    WHERE max(new.received_ts, coalesce(new.ready_ts, new.closed_ts)) IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_posted (hour, field_code, n)
    SELECT CAST(new.closed_ts / 3600 AS INTEGER), new.field_code, 1
    WHERE new.returned_by_post = 1 AND new.closed_ts IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_dossiers_delete AFTER DELETE ON dossiers BEGIN
    INSERT INTO report_dossier_received (hour, field_code, channel, class, portal, vneid, familiarity,
                                         return_by_post, n)
    VALUES (CAST(old.received_ts / 3600 AS INTEGER), old.field_code, old.channel, CASE WHEN old.state IN ('refused', 'stopped', 'withdrawn') THEN old.state ELSE '' END,
            old.portal_code IS NOT NULL, coalesce(old.vneid_created, 0) != 0, coalesce(old.it_familiarity, ''),
            coalesce(old.return_by_post, 0) != 0, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_resolved (hour, field_code, class, outcome_due, outcome_new_due, target, n)
    SELECT CAST(max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) / 3600 AS INTEGER), old.field_code, CASE WHEN old.state IN ('refused', 'stopped', 'withdrawn') THEN old.state ELSE '' END,
           CASE WHEN old.outcome IN ('early', 'on_time', 'late') THEN old.outcome WHEN old.due_ts IS NOT NULL AND max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) > old.due_ts THEN 'late' ELSE 'on_time' END,
           CASE WHEN old.outcome IN ('early', 'on_time', 'late') THEN old.outcome WHEN coalesce(old.new_due_ts, old.due_ts) IS NOT NULL AND max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) > coalesce(old.new_due_ts, old.due_ts) THEN 'late' ELSE 'on_time' END,
           coalesce(old.target_met != 0, -1), -1
    WHERE max(old.received_ts, coalesce(old.ready_ts, old.closed_ts)) IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_dossier_posted (hour, field_code, n)
    SELECT CAST(old.closed_ts / 3600 AS INTEGER), old.field_code, -1
    WHERE old.returned_by_post = 1 AND old.closed_ts IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_ratings_insert AFTER INSERT ON ratings BEGIN
    INSERT INTO report_rating_hours (hour, level, officer, n)
    VALUES (CAST(new.ts / 3600 AS INTEGER), new.level, coalesce(new.user_login, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_ratings_update AFTER UPDATE OF ts, level, user_login ON ratings BEGIN
    INSERT INTO report_rating_hours (hour, level, officer, n)
    VALUES (CAST(old.ts / 3600 AS INTEGER), old.level, coalesce(old.user_login, ''), -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_rating_hours (hour, level, officer, n)
    VALUES (CAST(new.ts / 3600 AS INTEGER), new.level, coalesce(new.user_login, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER report_ratings_delete AFTER DELETE ON ratings BEGIN
    INSERT INTO report_rating_hours (hour, level, officer, n)
    VALUES (CAST(old.ts / 3600 AS INTEGER), old.level, coalesce(old.user_login, ''), -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
