-- The printer's jobs and the pager's pages, kept on disk (issue 12): a ticket acknowledged to the
-- citizen but not printed when the appliance stopped is printed at the next start, a failed one can
-- be reprinted after a restart (GET /api/v1/printer/jobs, POST …/reprint), and a pager's history
-- (GET /api/v1/pagers/{number}/pages) survives a restart. No personal data: numbers, services, times.
CREATE TABLE print_jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('ticket', 'boot')),
    number       TEXT,
    ticket_id    INTEGER,
    slip         TEXT NOT NULL DEFAULT '{}',   -- what to print again (the slip or the boot addresses), JSON
    state        TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed', 'skipped')),
    error        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    bytes        INTEGER NOT NULL DEFAULT 0,
    submitted_ts REAL NOT NULL,
    printed_ts   REAL,
    reprint_of   TEXT
);
CREATE INDEX print_jobs_submitted ON print_jobs (submitted_ts);
CREATE INDEX print_jobs_ticket ON print_jobs (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE pager_pages (
    id        INTEGER PRIMARY KEY,
    ts        REAL NOT NULL,
    pager     INTEGER,
    event     TEXT NOT NULL,
    repeat_no INTEGER NOT NULL DEFAULT 0,
    result    TEXT NOT NULL,
    message   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pager_pages_pager ON pager_pages (pager, id);
