-- Chứng thực books (NĐ 23/2015; TT 01/2020/TT-BTP): one line per certified document, numbered per
-- book (BS bản sao, CK chữ ký) and calendar year from 1. The number is MAX + 1 of the book's year,
-- taken inside the BEGIN IMMEDIATE transaction that inserts the line: a crash rolls both back, so a
-- number is never skipped nor given twice (UNIQUE below is the last guard).
CREATE TABLE cert_volumes (
    book TEXT NOT NULL CHECK (book IN ('BS', 'CK')),
    year INTEGER NOT NULL,
    volume INTEGER NOT NULL DEFAULT 1 CHECK (volume >= 1),   -- the open quyển of that book and year
    opened_ts REAL NOT NULL,
    PRIMARY KEY (book, year)
);

CREATE TABLE cert_entries (
    id INTEGER PRIMARY KEY,
    book TEXT NOT NULL CHECK (book IN ('BS', 'CK')),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    volume INTEGER NOT NULL,
    recorded_ts REAL NOT NULL,
    day TEXT NOT NULL,                      -- YYYY-MM-DD in the office's time zone
    requester_name TEXT NOT NULL,
    requester_id TEXT NOT NULL DEFAULT '',
    document_name TEXT NOT NULL,
    pages INTEGER,                          -- BS only
    copies INTEGER NOT NULL DEFAULT 1,
    signer_name TEXT NOT NULL DEFAULT '',   -- CK only
    signing TEXT NOT NULL DEFAULT '',       -- CK: ky | diem_chi
    fee INTEGER NOT NULL DEFAULT 0,         -- đồng, from the catalog's fee rule
    certifier TEXT NOT NULL DEFAULT '',
    certifier_title TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    dossier_code TEXT NOT NULL DEFAULT '',
    officer TEXT,                           -- who recorded it (login)
    UNIQUE (book, year, number)
);
CREATE INDEX cert_entries_day ON cert_entries (book, day);
