-- Two deadlines per dossier (legal due time and the model day's 2-hour target), the states the
-- 2025 reform needs (stopped: Mẫu 05 dừng giải quyết; withdrawn: công dân rút hồ sơ) and the code
-- issued by the province's one-stop system.
-- SQLite cannot change a CHECK in place: rebuild dossiers keeping every row and its id (SQLite's
-- "other ALTER TABLE changes" procedure). The timeline and the drafts point at dossiers(id): the
-- marker below makes the runner switch foreign keys off around this script and run
-- foreign_key_check before the commit (appliance/store/db.py).
-- motcua: foreign_keys off
CREATE TABLE dossiers_new (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,            -- <agency code>-YYMMDD-NNNN
    day              TEXT NOT NULL,                   -- local date of receipt
    day_seq          INTEGER NOT NULL CHECK (day_seq > 0),
    procedure        TEXT NOT NULL,                   -- mã TTHC
    procedure_name   TEXT NOT NULL,
    field_code       TEXT NOT NULL,                   -- lĩnh vực
    catalog_version  TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'received'
                     CHECK (state IN ('received', 'processing', 'supplement_requested', 'ready',
                                      'returned', 'refused', 'stopped', 'withdrawn')),
    channel          TEXT NOT NULL DEFAULT 'truc_tiep'
                     CHECK (channel IN ('truc_tiep', 'truc_tuyen_toan_trinh', 'truc_tuyen_mot_phan',
                                        'buu_chinh')),
    portal_code      TEXT,                            -- mã hồ sơ trên Cổng DVC (nộp trực tuyến có hỗ trợ)
    province_code    TEXT,                            -- the code issued by the province's one-stop system
    counter_id       INTEGER,
    ticket_id        INTEGER REFERENCES tickets(id),
    pager            INTEGER,
    received_by      TEXT,
    received_ts      REAL NOT NULL,
    due_ts           REAL,                            -- the LEGAL due time: catalog limit, 15:00 rule, calendar
    new_due_ts       REAL,                            -- extended legal due time (Mẫu 04)
    target_due_ts    REAL,                            -- the model day's 2-hour target (pager, countdown)
    target_met       INTEGER,                         -- resolved within the target (NULL: no target)
    ready_ts         REAL,
    returned_ts      REAL,
    closed_ts        REAL,                            -- returned, refused, stopped or withdrawn
    outcome          TEXT CHECK (outcome IN ('early', 'on_time', 'late')),
    fee              INTEGER NOT NULL DEFAULT 0,
    return_by_post   INTEGER NOT NULL DEFAULT 0,      -- registered for postal return
    returned_by_post INTEGER,                         -- how it was actually returned
    post_address     TEXT,
    post_fee         INTEGER,
    tracking_number  TEXT,
    it_familiarity   TEXT CHECK (it_familiarity IN ('thanh_thao', 'co_ban', 'chua_biet')),
    vneid_created    INTEGER NOT NULL DEFAULT 0,
    applicant_name   TEXT,
    applicant_phone  TEXT,
    applicant_id     TEXT,
    values_json      TEXT,                            -- the declaration (personal data)
    clock_synced     INTEGER NOT NULL DEFAULT 0,
    last_outbox_seq  INTEGER,                         -- synced when <= the hub's acked_through
    purged_ts        REAL,                            -- personal data removed
    deadline_rules   TEXT,                            -- how due_ts/target_due_ts/outcome were computed;
                                                      -- NULL: before the two deadlines, recomputed at start
    UNIQUE (day, day_seq)
);
INSERT INTO dossiers_new (id, code, day, day_seq, procedure, procedure_name, field_code, catalog_version, state, channel, portal_code, counter_id, ticket_id, pager, received_by, received_ts, due_ts, new_due_ts, ready_ts, returned_ts, closed_ts, outcome, fee, return_by_post, returned_by_post, post_address, post_fee, tracking_number, it_familiarity, vneid_created, applicant_name, applicant_phone, applicant_id, values_json, clock_synced, last_outbox_seq, purged_ts)
    SELECT id, code, day, day_seq, procedure, procedure_name, field_code, catalog_version, state, channel, portal_code, counter_id, ticket_id, pager, received_by, received_ts, due_ts, new_due_ts, ready_ts, returned_ts, closed_ts, outcome, fee, return_by_post, returned_by_post, post_address, post_fee, tracking_number, it_familiarity, vneid_created, applicant_name, applicant_phone, applicant_id, values_json, clock_synced, last_outbox_seq, purged_ts FROM dossiers;
-- Before this version due_ts was the earlier of the legal limit and the 2-hour target, and the
-- outcome was measured against it. Keep it as the target for now; the appliance recomputes the legal
-- due time and the outcome of every row whose deadline_rules is NULL when it starts
-- (appliance/services/deadline_upgrade.py).
UPDATE dossiers_new SET target_due_ts = due_ts, deadline_rules = NULL;
DROP TABLE dossiers;
ALTER TABLE dossiers_new RENAME TO dossiers;
CREATE INDEX dossiers_state ON dossiers (state);
CREATE INDEX dossiers_procedure ON dossiers (procedure);
CREATE INDEX dossiers_received ON dossiers (received_ts);
CREATE INDEX dossiers_open ON dossiers (state, due_ts) WHERE state IN ('received', 'processing');
CREATE INDEX dossiers_unpurged ON dossiers (closed_ts) WHERE purged_ts IS NULL AND closed_ts IS NOT NULL;
CREATE INDEX dossiers_province_code ON dossiers (province_code) WHERE province_code IS NOT NULL;
CREATE INDEX dossiers_recompute ON dossiers (id) WHERE deadline_rules IS NULL;
