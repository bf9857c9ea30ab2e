-- Dossiers (hồ sơ): autosaved drafts, dossiers, their timeline (Mẫu 06) and the search index.
CREATE TABLE dossiers (
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
                                      'returned', 'refused')),
    channel          TEXT NOT NULL DEFAULT 'truc_tiep'
                     CHECK (channel IN ('truc_tiep', 'truc_tuyen_toan_trinh', 'truc_tuyen_mot_phan',
                                        'buu_chinh')),
    portal_code      TEXT,                            -- mã hồ sơ trên Cổng DVC (nộp trực tuyến có hỗ trợ)
    counter_id       INTEGER,
    ticket_id        INTEGER REFERENCES tickets(id),
    pager            INTEGER,
    received_by      TEXT,
    received_ts      REAL NOT NULL,
    due_ts           REAL,                            -- time limit from the catalog and the calendar
    new_due_ts       REAL,                            -- set by an apology slip (or a resumed supplement)
    ready_ts         REAL,
    returned_ts      REAL,
    closed_ts        REAL,                            -- returned or refused
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
    UNIQUE (day, day_seq)
);
CREATE INDEX dossiers_state ON dossiers (state);
CREATE INDEX dossiers_procedure ON dossiers (procedure);
CREATE INDEX dossiers_received ON dossiers (received_ts);
CREATE INDEX dossiers_open ON dossiers (state, due_ts) WHERE state IN ('received', 'processing');
CREATE INDEX dossiers_unpurged ON dossiers (closed_ts) WHERE purged_ts IS NULL AND closed_ts IS NOT NULL;

CREATE TABLE dossier_drafts (
    id          TEXT PRIMARY KEY,                     -- UUID4 made by the form
    counter_id  INTEGER,
    procedure   TEXT NOT NULL,
    values_json TEXT NOT NULL DEFAULT '{}',           -- as typed
    focus       TEXT,
    user_login  TEXT,
    created_ts  REAL NOT NULL,
    updated_ts  REAL NOT NULL,
    dossier_id  INTEGER REFERENCES dossiers(id)       -- set once submitted (double submit → same dossier)
);
CREATE INDEX dossier_drafts_counter ON dossier_drafts (counter_id, updated_ts) WHERE dossier_id IS NULL;
CREATE INDEX dossier_drafts_updated ON dossier_drafts (updated_ts);

CREATE TABLE dossier_events (
    id          INTEGER PRIMARY KEY,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    ts          REAL NOT NULL,
    action      TEXT NOT NULL,                        -- received, processing, ready, handover, …
    state       TEXT NOT NULL,                        -- state after the action
    user_login  TEXT,
    giver       TEXT,                                 -- Mẫu 06: bên giao
    receiver    TEXT,                                 -- Mẫu 06: bên nhận
    note        TEXT,
    reason      TEXT,
    new_due_ts  REAL
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, id);

-- rowid = dossiers.id; names and numbers are emptied by the purge
CREATE VIRTUAL TABLE dossier_search USING fts5(code, names, numbers,
    tokenize = 'unicode61 remove_diacritics 2');
